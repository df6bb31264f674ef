"""Which patterns of a Schematron can fire on a document, from its names alone.

A rule's context is an XSLT match pattern; every name test in its path
(``tei:facsimile//tei:line`` → the elements ``facsimile`` and ``line``,
``tei:rt/@target`` → the element ``rt`` and the attribute ``target``; after a
parenthesised head, ``( tei:a | tei:b )/tei:listRef``, the steps that follow)
and every ``and`` term of a predicate outside parentheses that is a path or an
attribute compared (``tei:*[@m and @n]``, ``tei:desc[@type eq 'x']``,
``tei:attDef[tei:defaultVal and tei:valList[@type]]``) must match some node of
the document for the rule to match any. A report fires only where its test is
true, so its test's paths count too, as one set per way it can be true
(``@a or tei:h`` → ``@a``, or ``h``). A pattern none of whose checks can have
what it needs cannot fire: it need not be compiled for that document.
Anything this reading does not understand (functions, variables, ``or`` in a
predicate) needs nothing, so the answer is conservative: a pattern is dropped
only when it certainly cannot fire.

Past the names, a pattern that only reports has a *probe* (:func:`pattern_probes`):
an XPath 1.0 expression over the structure its reports need
(``tei:p`` reporting ``ancestor::tei:ab or ancestor::tei:p`` → ``//tei:p[ancestor::tei:ab
or ancestor::tei:p]``), evaluated by lxml when every pattern left has one: if
none is true, Saxon is not asked at all.

Used for big schemas (``tei_all.rng`` embeds 90 patterns; a document
usually meets a dozen): compiling only those is what makes a cold run fast.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from lxml import etree

from tei_tools.validation.schematron_schema import (
    Rule,
    SchematronSchema,
    scan_xpath,
    split_predicates,
    split_top_level,
)

Name = tuple[str, str]
"""(``"e"`` or ``"a"``, Clark name): an element or an attribute."""

_NAME_TEST = re.compile(r"^(?:(?P<axis>@|attribute::|(?:child|descendant(?:-or-self)?|self|parent|"
                        r"ancestor(?:-or-self)?|(?:following|preceding)(?:-sibling)?)::)?\s*)"
                        r"(?P<name>(?:[A-Za-z_][\w.\-]*:)?[A-Za-z_][\w.\-]*)$")
_COMPARED = re.compile(r"^@((?:[A-Za-z_][\w.\-]*:)?[A-Za-z_][\w.\-]*)\s*"
                       r"(?:!=|<=|>=|=|<|>|(?:eq|ne|lt|le|gt|ge)(?=[\s(\'\"$@]))")
_ATTRIBUTE_TEST = re.compile(r"@((?:[A-Za-z_][\w.\-]*:)?[A-Za-z_][\w.\-]*)"
                             r"(\s*(?:=|eq)\s*('[^']*'|\"[^\"]*\"))?")
_ELEMENT_STEP = re.compile(r"\*|(?:[A-Za-z_][\w.\-]*:)?(?:[A-Za-z_][\w.\-]*|\*)")
_STEP = r"(?:\.\.?|@?(?:[a-z\-]+::)?(?:\*|[A-Za-z_][\w.\-]*(?::(?:\*|[A-Za-z_][\w.\-]*))?))"
_PATH = re.compile(rf"/{{0,2}}{_STEP}(?:/{{1,2}}{_STEP})*")
"""A location path of name tests only (no operator, function or literal)."""
_BEFORE_OPERATOR = frozenset(" \t\r\n)]'\"")
_AFTER_OPERATOR = frozenset(" \t\r\n(")


Needs = tuple[tuple[frozenset[Name], ...], ...]
"""Per pattern, the names each alternative of each of its rules' contexts needs."""


def document_names(tree: etree._ElementTree) -> frozenset[Name]:
    """Every element and attribute name of a document (Clark notation)."""
    elements: set[str] = set()
    attributes: set[str] = set()
    for el in tree.iter(etree.Element):
        elements.add(str(el.tag))
        attributes.update(el.keys())
    return names_of(elements, attributes)


def names_of(elements: Iterable[str], attributes: Iterable[str]) -> frozenset[Name]:
    """:func:`document_names` from a document's element and attribute names read
    elsewhere (the RELAX NG walk collects them on its way)."""
    return frozenset([*(("e", e) for e in elements), *(("a", a) for a in attributes)])


def pattern_needs(schema: SchematronSchema) -> Needs:
    """What each pattern of ``schema`` needs to fire: read once per schema."""
    ns = dict(schema.namespaces)
    return tuple(tuple(frozenset(need) for rule in pattern.rules for need in _alternatives(rule, ns))
                 for pattern in schema.patterns)


def relevant_patterns(schema: SchematronSchema, names: frozenset[Name],
                      needs: Needs | None = None) -> tuple[int, ...]:
    """Indices (0-based) of the patterns that may fire on a document with ``names``
    (``needs``: :func:`pattern_needs` of ``schema``, if the caller keeps it):
    some rule of the pattern has an alternative whose needs the document meets."""
    needs = needs if needs is not None else pattern_needs(schema)
    return tuple(i for i, alternatives in enumerate(needs)
                 if any(need <= names for need in alternatives))


def _alternatives(rule: Rule, ns: dict[str, str]) -> list[set[Name]]:
    """For each ``|`` alternative of the rule's context and each of its checks, the
    names it needs to fire: those of the context, and for a report those its test
    needs to be true (one set per way it can be: ``@a or @b``); a rule without
    checks fires nothing."""
    scope = {**rule.namespaces, **ns}
    out: list[set[Name]] = []
    for alt in split_top_level(rule.context):
        context = set(_needs(alt.strip(), scope))
        for check in rule.checks:
            ways = _true_when(check.test, scope) if check.kind == "report" else None
            out.extend(context | way for way in (ways if ways is not None else [set()]))
    return out


_WAYS_MAX = 64
"""Past this many ways for a test to be true, it reads as needing nothing."""


def _true_when(expr: str, scope: dict[str, str]) -> list[set[Name]] | None:
    """The ways ``expr`` can be true, each as the names it needs (``None``: not
    known; an empty list: never). Read: ``and``, ``or``, parentheses, ``|`` and
    location paths; any other term needs nothing."""
    expr = expr.strip()
    if expr.startswith("(") and _after_group(expr) == "":
        return _true_when(expr[1:-1], scope)
    either = _split_word(expr, "or")
    if len(either) > 1:
        ways: list[set[Name]] = []
        for part in either:
            part_ways = _true_when(part, scope)
            if part_ways is None:
                return None
            ways.extend(part_ways)
        return ways if len(ways) <= _WAYS_MAX else None
    terms = _split_word(expr, "and")
    if len(terms) > 1:
        ways = [set()]
        for term in terms:
            term_ways = _true_when(term, scope)
            if term_ways is None:
                break  # it may raise an error: the terms after it are left out
            ways = [w | t for w in ways for t in term_ways]
            if len(ways) > _WAYS_MAX:
                return None
        return ways
    alternatives = split_top_level(expr)
    if any(_widened(alt) is None for alt in alternatives):
        return None
    return [set(_needs(alt.strip(), scope)) for alt in alternatives]


def _needs(alt: str, scope: dict[str, str]) -> Iterator[Name]:
    """The names a path (a context alternative, or a path in a predicate) needs."""
    path, _ = split_predicates(alt)
    for predicate in _outer_predicates(alt):
        yield from _predicate_needs(predicate, scope)
    if "$" in path:
        return  # a variable: nothing certain
    path = path.strip()
    if path.startswith("("):  # ( tei:a | tei:b )/tei:c: the steps after the group
        tail = _after_group(path)
        if tail is None or not tail.startswith("/"):
            return
        path = tail
    if "(" in path:
        return  # a function or a kind test: nothing certain
    for step in re.split(r"//?", path):
        step = step.strip()
        if not step:
            continue
        match = _NAME_TEST.match(step)
        if not match:
            continue  # *, prefix:*, ., ..
        attribute = match.group("axis") in ("@", "attribute::")
        name = _clark(match.group("name"), scope, attribute)
        if name:
            yield ("a" if attribute else "e", name)


def _predicate_needs(predicate: str, scope: dict[str, str]) -> Iterator[Name]:
    """What a predicate needs to be true: each of its ``and`` terms that is an
    attribute compared (``@type eq 'x'``: false without the attribute) or a path
    (``tei:valList[@type]``, ``@minOccurs``: false when it selects nothing), up to
    the first term of another kind (one that may raise a dynamic error: the terms
    after it are left out, the conservative reading)."""
    for term in _split_and(predicate):
        term = term.strip()
        compared = _COMPARED.match(term)
        if compared:
            name = _clark(compared.group(1), scope, attribute=True)
            if name:
                yield ("a", name)
            continue
        bare = re.sub(r"\s*/\s*", "/", split_predicates(term)[0].strip())
        if not (bare and _PATH.fullmatch(bare) and len(split_top_level(term)) == 1):
            return  # a term not read (it may raise an error): the terms after it neither
        yield from _needs(term, scope)


def _outer_predicates(expr: str) -> list[str]:
    """The predicates of ``expr`` outside any parenthesis (``(a[@x] | b)/c[@y]`` → ``@y``)."""
    out: list[str] = []
    current: list[str] | None = None
    for ch, _, nesting, quoted in scan_xpath(expr):
        if current is not None:
            if ch == "]" and not quoted and nesting == 0:
                out.append("".join(current))
                current = None
            else:
                current.append(ch)
        elif ch == "[" and not quoted and nesting == 0:
            current = []
    return out


def _after_group(path: str) -> str | None:
    """What follows the parenthesised group ``path`` starts with (``None``: unbalanced)."""
    for i, (ch, _, nesting, quoted) in enumerate(scan_xpath(path)):
        if ch == ")" and nesting == 0 and not quoted:
            return path[i + 1:].strip()
    return None


def _split_and(expr: str) -> list[str]:
    """``expr`` split on its top-level ``and``; nothing if it has a top-level ``or``
    (then no term is certainly needed)."""
    return _split_word(expr, "and") if len(_split_word(expr, "or")) == 1 else []


def _split_word(expr: str, word: str) -> list[str]:
    """``expr`` split on the operator ``word`` (``and``, ``or``) outside brackets,
    parentheses and strings."""
    cuts: list[int] = []
    for i, (ch, _, nesting, quoted) in enumerate(scan_xpath(expr)):
        end = i + len(word)
        if not nesting and not quoted and ch == word[0] and expr[i:end] == word and \
                (i == 0 or expr[i - 1] in _BEFORE_OPERATOR) and \
                (end == len(expr) or expr[end] in _AFTER_OPERATOR):
            cuts.append(i)
    out, begin = [], 0
    for i in cuts:
        out.append(expr[begin:i])
        begin = i + len(word)
    out.append(expr[begin:])
    return out


def _clark(qname: str, scope: dict[str, str], attribute: bool) -> str | None:
    if ":" not in qname:
        return qname  # no namespace (XPath: no default element namespace here)
    prefix, local = qname.split(":", 1)
    uri = scope.get(prefix)
    return f"{{{uri}}}{local}" if uri else None




# -- what the reports need -----------------------------------------------------
# A pattern whose rules only report (no assert) fires only where a report's test
# is true. A necessary condition of that test, written in the part of XPath
# whose meaning XPath 1.0 shares (location paths of name tests, ``and``, ``or``,
# ``|``; predicates dropped, which only widens a path), is checked on the
# document by lxml before Saxon is asked: false, and the pattern cannot fire.

Probe = tuple[str, tuple[tuple[str, str], ...]] | None
"""An XPath 1.0 expression (and its prefixes) true whenever the pattern can
fire; ``None``: it may fire wherever its contexts match."""


def pattern_probes(schema: SchematronSchema) -> tuple[Probe, ...]:
    """For each pattern, a :data:`Probe`: read once per schema."""
    return tuple(_probe(pattern.rules, dict(schema.namespaces)) for pattern in schema.patterns)


def can_fire(tree: etree._ElementTree, probes: Iterable[Probe]) -> bool:
    """Whether a pattern of those whose probes these are may fire on ``tree``: one
    evaluation of all (an expression lxml cannot evaluate: yes)."""
    expressions: list[str] = []
    namespaces: dict[str, str] = {}
    for probe in probes:
        if probe is None:
            return True
        expressions.append(f"({probe[0]})")
        for prefix, uri in probe[1]:
            if namespaces.setdefault(prefix, uri) != uri:
                return True  # one prefix, two namespaces: not worth telling apart
    if not expressions:
        return False
    try:
        return bool(tree.xpath(" or ".join(expressions), namespaces=namespaces))
    except etree.XPathError:
        return True


def _probe(rules: Iterable[Rule], ns: dict[str, str]) -> Probe:
    parts: list[str] = []
    prefixes: dict[str, str] = {}
    for rule in rules:
        scope = {**rule.namespaces, **ns}
        for prefix, uri in scope.items():
            if not prefix or prefix == "xml":
                continue  # no default namespace in XPath; xml: is built in
            if prefixes.setdefault(prefix, uri) != uri:
                return None  # one prefix, two namespaces: not one expression
        conditions = []
        for check in rule.checks:
            condition = (_condition(check.test) if check.kind == "report" else
                         f"not({check.test})" if _exact(check.test) else None)
            if condition is None:
                return None  # an assert, or a report that may fire anywhere
            conditions.append(f"({condition})")
        if not conditions:
            continue  # a rule without checks reports nothing
        for alt in split_top_level(rule.context):
            path = _context_path(alt)
            if path is None:
                return None
            parts.append(f"{path}[{' or '.join(conditions)}]")
    expression = f"boolean({' | '.join(parts)})" if parts else "false()"
    return expression, tuple(sorted(prefixes.items()))



def _context_path(alt: str) -> str | None:
    """An XPath 1.0 path selecting at least the nodes the context alternative
    matches: the path without predicates, but with its last step's tests of an
    attribute (``[@when]``, ``[@type = 'x']``, ``[@type eq 'x']``: the same in XPath
    1.0); ``tei:*[@when]`` → ``//@when/parent::tei:*`` (lxml finds attributes by
    name faster than it tests every element)."""
    path = _widened(alt)
    if path is None:
        return None
    if not _ELEMENT_STEP.fullmatch(path):
        predicates = []  # a predicate may belong to an earlier step: dropped
    else:
        predicates = [m for m in (_ATTRIBUTE_TEST.fullmatch(p.strip())
                                  for p in _outer_predicates(alt)) if m]
    kept = "".join(f"[@{m.group(1)} = {m.group(3)}]" if m.group(3) else f"[@{m.group(1)}]"
                   for m in predicates)
    if predicates and not predicates[0].group(3):
        return f"//@{predicates[0].group(1)}/parent::{path}" + kept.split("]", 1)[1]
    if path.startswith("/"):
        return path + kept
    # the predicates are never numbers: /descendant:: selects what // does, faster
    return (f"/descendant::{path}" if re.match(r"[A-Za-z_*](?![\w.\-]*::)", path)
            else f"//{path}") + kept


def _condition(expr: str) -> str | None:
    """An XPath 1.0 expression true whenever ``expr`` is (``None``: none known)."""
    expr = expr.strip()
    if expr.startswith("(") and _after_group(expr) == "":
        return _condition(expr[1:-1])
    if _exact(expr):
        return expr
    either = _split_word(expr, "or")
    if len(either) > 1:
        parts = [_condition(e) for e in either]
        return None if any(p is None for p in parts) else \
            "(" + " or ".join(f"({p})" for p in parts) + ")"
    terms = _split_word(expr, "and")
    if len(terms) > 1:
        known = []
        for term in terms:
            condition = _condition(term)
            if condition is None:
                break  # as in _true_when: the terms after one not read are not either
            known.append(f"({condition})")
        return " and ".join(known) or None
    paths = [_widened(alt) for alt in split_top_level(expr)]
    if any(p is None for p in paths):
        return None
    return " or ".join(f"boolean({p})" for p in paths if p)


def _exact(expr: str) -> bool:
    """Whether ``expr`` means the same in XPath 1.0 as in 2.0 and 3.0: location paths
    of name tests without predicates, combined by ``|``, ``and``, ``or``, ``not()``
    and parentheses, or ``count(P) > 0`` of such a path (lxml evaluates the text as is)."""
    expr = expr.strip()
    counted = re.fullmatch(r"count\s*(\(.*\))\s*>\s*0", expr, re.S)
    if counted and _after_group(counted.group(1)) == "":
        return _exact(counted.group(1)[1:-1])
    negated = re.match(r"not\s*(?=\()", expr)
    if negated:
        inner = expr[negated.end():]
        return _after_group(inner) == "" and _exact(inner[1:-1])
    if expr.startswith("(") and _after_group(expr) == "":
        return _exact(expr[1:-1])
    for word in ("or", "and"):
        parts = _split_word(expr, word)
        if len(parts) > 1:
            return all(_exact(p) for p in parts)
    return all(not split_predicates(alt)[1] and "'" not in alt and '"' not in alt
               and _widened(alt) is not None for alt in split_top_level(expr))


def _widened(path: str) -> str | None:
    """``path`` without its predicates (it selects at least what ``path`` does), if
    it is a location path of name tests only."""
    bare = re.sub(r"\s*/\s*", "/", split_predicates(path)[0].strip())
    if not bare or not _PATH.fullmatch(bare) or re.fullmatch(r"[\d.]+", bare):
        return None
    return bare

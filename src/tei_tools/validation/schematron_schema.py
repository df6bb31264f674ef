"""Reading ISO Schematron into a plain model: includes, abstract patterns and
rules, phases, lets, diagnostics — everything resolved before compilation.

:func:`read_schema` takes a Schematron file; :func:`read_embedded` takes a RELAX
NG grammar and gathers the ``sch:pattern``/``sch:ns``/``sch:let`` it carries
(as ``tei_all.rng`` does). Both return a :class:`SchematronSchema` that
:mod:`tei_tools.validation.schematron_xslt` turns into XSLT 3.0.

Done here, in this order, on a copy of the schema:

1. ``sch:include href`` is replaced by the element it points to (a whole
   ``sch:schema`` or ``sch:pattern`` file, or the element with the id after
   ``#``); ``sch:extends href`` by the children of that file's root. Files are
   read through the hardened parser; a loop or more than :data:`MAX_INCLUDE_DEPTH`
   levels is an error.
2. Each ``sch:pattern is-a="x"`` becomes a copy of the abstract pattern ``x``,
   every ``$param`` in its XPath attributes replaced by the ``sch:param`` value.
3. Each ``sch:extends rule="r"`` inside a rule becomes the content of the
   abstract rule ``r``; abstract patterns and rules are then dropped.
4. The phase (given, else ``defaultPhase``, else ``#ALL``) selects the patterns.

Severity comes from ``role`` (on the assert or report, else on its rule):
``fatal``/``error`` → error, ``warning``/``warn``/``nonfatal`` → warning,
``info``/``information`` → info; no role, or another one, is an error.

The code of a check is its ``@id``; without one, its pattern's id when the
schema author gave one (for the TEI's generated pattern ids
``{schema}-{spec}-{constraint}-constraint-rule-{n}`` (in a grammar) and
``schematron-constraint-{schema}-{spec}-{constraint}-{n}`` (in the TEI's
extracted ``.sch``): ``{spec}-{constraint}``,
stable across TEI releases since it is made of the spec's and the
constraint's idents); without that, ``SCH-{name}-{hash}``, where ``name`` is the
first name in the rule context and ``hash`` 6 hex digits of a digest of the
rule context and the test — so the same rule keeps its code from run to run.
When a pattern holds several checks, each but the first gets ``.{n}`` after it.
"""

from __future__ import annotations

import copy
import hashlib
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from tei_tools import xmlio
from tei_tools.diagnostics import Severity
from tei_tools.errors import TeiToolsError, UsageError

SCH_NS = "http://purl.oclc.org/dsdl/schematron"
OLD_SCH_NS = "http://www.ascc.net/xml/schematron"
XSL_NS = "http://www.w3.org/1999/XSL/Transform"
RNG_NS = "http://relaxng.org/ns/structure/1.0"
MAX_INCLUDE_DEPTH = 16

_SEVERITY: dict[str, Severity] = {
    "fatal": "error", "error": "error", "warning": "warning", "warn": "warning",
    "nonfatal": "warning", "info": "info", "information": "info"}
XSLT1_BINDINGS = ("xslt", "xslt1", "exslt", "xpath")
XSLT3_BINDINGS = ("xslt2", "xslt3", "xpath2", "xpath3", "xpath31")


def severity_of(role: str | None) -> Severity:
    """``role`` → ``error``/``warning``/``info`` (see the module docstring)."""
    return _SEVERITY.get((role or "").strip().lower(), "error")


def _q(name: str) -> str:
    return f"{{{SCH_NS}}}{name}"


@dataclass(frozen=True)
class Let:
    name: str
    value: str | None
    content: etree._Element | None = None
    """A ``sch:let`` without ``@value``: its content is the value."""
    where: str = ""
    """``file:line`` of the declaration, for messages."""


@dataclass(frozen=True)
class Check:
    """One ``sch:assert`` or ``sch:report``."""

    index: int
    kind: str  # "assert" | "report"
    test: str
    code: str
    severity: Severity
    element: etree._Element = field(repr=False)
    """The assert/report element: its content is the message."""
    diagnostics: tuple[str, ...] = ()
    subject: str | None = None
    where: str = ""

    @property
    def id(self) -> str | None:
        return self.element.get("id")


@dataclass(frozen=True)
class Rule:
    context: str
    lets: tuple[Let, ...]
    checks: tuple[Check, ...]
    namespaces: dict[str, str]
    """Prefixes in scope on the rule element (besides ``sch:ns``)."""
    subject: str | None = None
    where: str = ""


@dataclass(frozen=True)
class Pattern:
    id: str | None
    lets: tuple[Let, ...]
    rules: tuple[Rule, ...]


@dataclass(frozen=True)
class SchematronSchema:
    path: Path
    query_binding: str
    title: str
    phase: str
    namespaces: tuple[tuple[str, str], ...]
    lets: tuple[Let, ...]
    """Schema-level lets, then those of the active phase."""
    patterns: tuple[Pattern, ...]
    diagnostics: dict[str, etree._Element]
    xslt: tuple[etree._Element, ...]
    """Top-level XSLT elements of the schema (``xsl:key``, ``xsl:function``…)."""

    @property
    def xslt1(self) -> bool:
        return self.query_binding in XSLT1_BINDINGS

    @property
    def checks(self) -> tuple[Check, ...]:
        return tuple(c for p in self.patterns for r in p.rules for c in r.checks)


# -- reading -------------------------------------------------------------------
def read_schema(path: Path, phase: str | None = None) -> SchematronSchema:
    """Read a Schematron file (a ``sch:schema`` root) into the model."""
    root = _load(path, "Schematron schema").getroot()
    if root.tag != _q("schema"):
        raise UsageError(f"{path}: error: not an ISO Schematron schema (the root is "
                         f"<{etree.QName(root).localname}>, not sch:schema in {SCH_NS})")
    root = copy.deepcopy(root)
    root.set(SOURCE_FILE, str(path))
    root = _resolve_includes(root, path, (path.resolve(),))
    return _model(root, path, phase)


def read_embedded(path: Path, grammar: etree._ElementTree,
                  phase: str | None = None) -> SchematronSchema | None:
    """The Schematron embedded in a RELAX NG grammar, or ``None`` if it has none."""
    found = [el for el in grammar.iter(_q("pattern"), _q("ns"), _q("let"), _q("diagnostics"),
                                       _q("phase"), f"{{{OLD_SCH_NS}}}pattern",
                                       f"{{{OLD_SCH_NS}}}ns")
             if not _inside_schematron(el)]
    if not any(etree.QName(el).localname == "pattern" for el in found):
        return None
    root = etree.Element(_q("schema"), nsmap={"sch": SCH_NS})
    root.set("queryBinding", "xslt2")  # the TEI's ODD processor writes XPath 2 rules
    for el in found:
        part = _normalise_ns(copy.deepcopy(el))
        part.set(SOURCE_FILE, str(path))
        root.append(part)
    root = _resolve_includes(root, path, (path.resolve(),))
    return _model(root, path, phase)


def _inside_schematron(el: etree._Element) -> bool:
    parent = el.getparent()
    while parent is not None:
        if etree.QName(parent).namespace in (SCH_NS, OLD_SCH_NS):
            return True
        parent = parent.getparent()
    return False


def _normalise_ns(el: etree._Element) -> etree._Element:
    """Schematron 1.5 elements (``http://www.ascc.net/xml/schematron``) read as ISO ones."""
    for node in el.iter(f"{{{OLD_SCH_NS}}}*"):
        node.tag = _q(etree.QName(node).localname)
    return el


def _load(path: Path, what: str) -> etree._ElementTree:
    try:
        return xmlio.parse_file(path)
    except TeiToolsError as exc:
        raise UsageError(f"{what}: {exc}") from None


def _resolve_includes(root: etree._Element, base: Path,
                      stack: tuple[Path, ...]) -> etree._Element:
    """Replace ``sch:include`` and ``sch:extends href`` (recursively)."""
    for inc in list(root.iter(_q("include"), _q("extends"))):
        href = inc.get("href")
        if href is None:
            continue  # sch:extends rule="…": an abstract rule, done later
        target = _include_target(inc, href, base, stack)
        parent = inc.getparent()
        if parent is None:
            raise UsageError(f"{base}: error: sch:include cannot be the root element")
        index = parent.index(inc)
        if inc.tag == _q("extends") or (target.tag == _q("schema") and parent.tag == _q("schema")):
            parts = [copy.deepcopy(child) for child in target
                     if not (target.tag == _q("schema") and child.tag == _q("title"))]
        else:
            parts = [copy.deepcopy(target)]
        parent.remove(inc)
        where = str(_include_file(inc, href, base))
        for offset, part in enumerate(parts):
            if part.get(SOURCE_FILE) is None:
                part.set(SOURCE_FILE, where)
            parent.insert(index + offset, part)
    return root


SOURCE_FILE = "{urn:x-tei-tools:schematron}source-file"
"""Set on the elements an include brought in: the file they come from."""


def _include_file(inc: etree._Element, href: str, base: Path) -> Path:
    where = href.partition("#")[0]
    return (base.parent / where.removeprefix("file://")).resolve() if where else base


def origin(el: etree._Element) -> str:
    """``file:line`` of a schema element (the included file, for included ones)."""
    node: etree._Element | None = el
    while node is not None:
        file = node.get(SOURCE_FILE)
        if file:
            return f"{file}:{el.sourceline}"
        node = node.getparent()
    return f"line {el.sourceline}"


def _include_target(inc: etree._Element, href: str, base: Path,
                    stack: tuple[Path, ...]) -> etree._Element:
    if len(stack) > MAX_INCLUDE_DEPTH:
        raise UsageError(f"{base}:{inc.sourceline}: error: sch:include nested more than "
                         f"{MAX_INCLUDE_DEPTH} levels deep (a loop?)")
    where, _, fragment = href.partition("#")
    if re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", where) and not where.startswith("file:"):
        raise UsageError(f"{base}:{inc.sourceline}: error: sch:include of {href}: only local "
                         "files are read, never the network")
    target_path = (base.parent / where.removeprefix("file://")).resolve() if where else base
    if not target_path.is_file():
        raise UsageError(f"{base}:{inc.sourceline}: error: sch:include: no such file "
                         f"{target_path}")
    if target_path in stack:
        raise UsageError(f"{base}:{inc.sourceline}: error: sch:include of {href} makes a loop "
                         f"({' → '.join(p.name for p in (*stack, target_path))})")
    loaded = _normalise_ns(_load(target_path, "Schematron include").getroot())
    loaded = _resolve_includes(loaded, target_path, (*stack, target_path))
    if fragment:
        hits = [el for el in loaded.iter() if el.get("id") == fragment
                or el.get("{http://www.w3.org/XML/1998/namespace}id") == fragment]
        if not hits:
            raise UsageError(f"{base}:{inc.sourceline}: error: sch:include: no element with "
                             f"id \"{fragment}\" in {target_path}")
        return hits[0]
    return loaded


# -- the model -----------------------------------------------------------------
def _model(root: etree._Element, path: Path, phase: str | None) -> SchematronSchema:
    binding = (root.get("queryBinding") or "xslt").strip().lower()
    if binding not in XSLT1_BINDINGS + XSLT3_BINDINGS:
        raise UsageError(f"{path}: error: queryBinding=\"{binding}\" is not supported "
                         "(xslt, xslt2 or xslt3)")
    patterns_el = _instantiate_patterns(root, path)
    abstract_rules = {r.get("id"): r for r in root.iter(_q("rule"))
                      if r.get("abstract") == "true" and r.get("id")}
    chosen, phase_lets = _phase(root, path, phase)
    namespaces = _namespaces(root)
    diagnostics = {str(d.get("id")): d for d in root.iter(_q("diagnostic")) if d.get("id")}
    xslt = tuple(el for el in root if isinstance(el.tag, str)
                 and etree.QName(el).namespace == XSL_NS)
    counter = _Counter()
    patterns = []
    for pat in patterns_el:
        if chosen is not None and pat.get("id") not in chosen:
            continue
        patterns.append(_pattern(pat, abstract_rules, path, counter))
    lets = tuple(_let(el) for el in root.findall(_q("let"))) + phase_lets
    title = " ".join("".join(root.findtext(_q("title")) or "").split())
    return SchematronSchema(path, binding, title, phase or root.get("defaultPhase") or "#ALL",
                            namespaces, lets, tuple(patterns), diagnostics, xslt)


def _namespaces(root: etree._Element) -> tuple[tuple[str, str], ...]:
    seen: dict[str, str] = {}
    for ns in root.iter(_q("ns")):
        prefix, uri = ns.get("prefix"), ns.get("uri")
        if prefix and uri is not None:
            seen.setdefault(prefix, uri)
    return tuple(seen.items())


def _instantiate_patterns(root: etree._Element, path: Path) -> list[etree._Element]:
    """Concrete patterns in document order; ``is-a`` instances filled in."""
    patterns = [p for p in root.iter(_q("pattern")) if not _inside_pattern(p)]
    abstract = {p.get("id"): p for p in patterns if p.get("abstract") == "true"}
    out = []
    for pat in patterns:
        if pat.get("abstract") == "true":
            continue
        base_id = pat.get("is-a")
        if base_id is None:
            out.append(pat)
            continue
        base = abstract.get(base_id)
        if base is None:
            raise UsageError(f"{path}:{pat.sourceline}: error: pattern is-a=\"{base_id}\": "
                             "no abstract pattern has that id")
        params = {str(p.get("name")): p.get("value") or "" for p in pat.findall(_q("param"))
                  if p.get("name")}
        made = copy.deepcopy(base)
        made.attrib.pop("abstract", None)
        own_id = pat.get("id")
        if own_id:
            made.set("id", own_id)
        else:
            made.attrib.pop("id", None)
        for node in made.iter():
            for attr in ("context", "test", "select", "value", "path", "subject"):
                value = node.get(attr)
                if value is not None:
                    node.set(attr, substitute(value, params))
        out.append(made)
    return out


def substitute(text: str, params: dict[str, str]) -> str:
    """``$name`` → the parameter's value (longest names first, whole names only)."""
    for name in sorted(params, key=len, reverse=True):
        literal = params[name].replace("\\", "\\\\")  # no group references in a value
        text = re.sub(r"\$" + re.escape(name) + r"(?![\w.\-])", literal, text)
    return text


def _inside_pattern(el: etree._Element) -> bool:
    parent = el.getparent()
    while parent is not None:
        if parent.tag == _q("pattern"):
            return True
        parent = parent.getparent()
    return False


def _phase(root: etree._Element, path: Path,
           phase: str | None) -> tuple[set[str] | None, tuple[Let, ...]]:
    name = phase or root.get("defaultPhase")
    if not name or name == "#ALL":
        return None, ()
    if name == "#DEFAULT":
        name = root.get("defaultPhase")
        if not name:
            return None, ()
    for ph in root.iter(_q("phase")):
        if ph.get("id") == name:
            active = {str(a.get("pattern")) for a in ph.findall(_q("active"))
                      if a.get("pattern")}
            return active, tuple(_let(el) for el in ph.findall(_q("let")))
    phases = sorted(str(ph.get("id")) for ph in root.iter(_q("phase")) if ph.get("id"))
    raise UsageError(f"{path}: error: no phase \"{name}\" (phases: "
                     f"{', '.join(phases) or 'none'})")


def _let(el: etree._Element) -> Let:
    name = el.get("name")
    if not name:
        raise UsageError(f"line {el.sourceline}: error: sch:let without a name")
    value = el.get("value")
    if value is None and len(el):
        return Let(name, None, el, where=origin(el))
    return Let(name, value if value is not None else "''", where=origin(el))


class _Counter:
    def __init__(self) -> None:
        self.n = 0

    def next(self) -> int:
        self.n += 1
        return self.n


_TEI_PATTERN_ID = re.compile(r"^(?P<rest>[^-]+-[^-]+-.+?)-constraint-(?:rule|assert|report)-\d+$")
_TEI_EXTRACTED_ID = re.compile(r"^schematron-constraint-(?P<rest>[^-]+-[^-]+-.+?)-\d+$")
_GENERATED_ID = re.compile(r"^d\d+e\d+(-constraint)?$")
_CONTEXT_NAME = re.compile(r"(?:[\w.-]+:)?([A-Za-z_][\w.]*)")


def pattern_code(pattern_id: str | None, contexts: Sequence[str] = ()) -> str | None:
    """The stable code a pattern id gives (see the module docstring), if any.

    A TEI id is ``{schema}-{spec}-{constraint}``: the schema's ident may hold a
    hyphen too (``tei-taijiang``), so the spec is the first part after the first
    one that its rules' ``contexts`` name (or a class: ``att.…``, ``model.…``); if
    none is named, the second part, as for ``tei_all``."""
    if not pattern_id or _GENERATED_ID.match(pattern_id):
        return None
    match = _TEI_PATTERN_ID.match(pattern_id) or _TEI_EXTRACTED_ID.match(pattern_id)
    if not match:
        return pattern_id
    parts = match.group("rest").split("-")
    named = {name for context in contexts for name in _CONTEXT_NAME.findall(context)}
    spec = next((i for i in range(1, len(parts) - 1)
                 if parts[i] in named or parts[i].startswith(("att.", "model."))), 1)
    return "-".join(parts[spec:])


def context_code(context: str, test: str) -> str:
    names = re.findall(r"(?:[\w.-]+:)?([A-Za-z_][\w.-]*)", context)
    digest = hashlib.sha1(f"{' '.join(context.split())}\n{' '.join(test.split())}"
                          .encode()).hexdigest()[:6]
    return f"SCH-{names[0] if names else 'node'}-{digest}"


def _pattern(pat: etree._Element, abstract_rules: dict[str | None, etree._Element],
             path: Path, counter: _Counter) -> Pattern:
    lets = tuple(_let(el) for el in pat.findall(_q("let")))
    base_code = pattern_code(pat.get("id"), [r.get("context") or "" for r in pat.findall(_q("rule"))])
    rules = []
    n_in_pattern = 0
    for rule in pat.findall(_q("rule")):
        if rule.get("abstract") == "true":
            continue
        context = rule.get("context")
        if not context:
            raise UsageError(f"{path}:{rule.sourceline}: error: sch:rule without @context")
        body = _expand_rule(rule, abstract_rules, path, 0)
        rule_lets = tuple(_let(el) for el in body if el.tag == _q("let"))
        checks = []
        for el in body:
            if el.tag not in (_q("assert"), _q("report")):
                continue
            n_in_pattern += 1
            test = el.get("test")
            if test is None:
                raise UsageError(f"{path}:{el.sourceline}: error: sch:"
                                 f"{etree.QName(el).localname} without @test")
            code = el.get("id") or base_code or context_code(context, test)
            if not el.get("id") and base_code and n_in_pattern > 1:
                code = f"{code}.{n_in_pattern}"
            checks.append(Check(
                counter.next(), etree.QName(el).localname, test, code,
                severity_of(el.get("role") or rule.get("role")), el,
                tuple((el.get("diagnostics") or "").split()), el.get("subject"), origin(el)))
        namespaces = {p: u for p, u in rule.nsmap.items() if p}
        rules.append(Rule(context, rule_lets, tuple(checks), namespaces, rule.get("subject"),
                          origin(rule)))
    return Pattern(pat.get("id"), lets, tuple(rules))


def _expand_rule(rule: etree._Element, abstract_rules: dict[str | None, etree._Element],
                 path: Path, depth: int) -> list[etree._Element]:
    """The rule's lets and checks, with ``sch:extends rule="…"`` filled in."""
    if depth > MAX_INCLUDE_DEPTH:
        raise UsageError(f"{path}:{rule.sourceline}: error: sch:extends nested too deep "
                         "(a loop?)")
    out: list[etree._Element] = []
    for child in rule:
        if child.tag == _q("extends") and child.get("rule"):
            base = abstract_rules.get(child.get("rule"))
            if base is None:
                raise UsageError(f"{path}:{child.sourceline}: error: sch:extends "
                                 f"rule=\"{child.get('rule')}\": no abstract rule has that id")
            out.extend(_expand_rule(base, abstract_rules, path, depth + 1))
        elif isinstance(child.tag, str):
            out.append(child)
    return out


def scan_xpath(expr: str) -> Iterator[tuple[str, int, int, bool]]:
    """Each character of an XPath expression with the depth of ``[…]`` and of
    ``[…]`` and ``(…)`` together it stands at (a bracket at the outer depth), and
    whether it belongs to a string literal (quotes included)."""
    brackets = nesting = 0
    quote = ""
    for ch in expr:
        if quote:
            if ch == quote:
                quote = ""
            yield ch, brackets, nesting, True
            continue
        if ch in "\"'":
            quote = ch
            yield ch, brackets, nesting, True
            continue
        if ch in "])":
            nesting -= 1
            if ch == "]":
                brackets = max(0, brackets - 1)
        yield ch, brackets, nesting, False
        if ch in "[(":
            nesting += 1
            if ch == "[":
                brackets += 1


def split_top_level(expr: str, sep: str = "|") -> list[str]:
    """``expr`` split on the ``sep`` that are outside brackets, parentheses and
    strings (the alternatives of a rule context such as ``tei:p | tei:ab[@x='|']``)."""
    parts: list[str] = []
    current: list[str] = []
    for ch, _, nesting, quoted in scan_xpath(expr):
        if ch == sep and nesting == 0 and not quoted:
            parts.append("".join(current))
            current = []
        else:
            current.append(ch)
    parts.append("".join(current))
    return parts


def split_predicates(expr: str) -> tuple[str, list[str]]:
    """``expr`` without its ``[…]`` predicates and string literals, and the texts
    of its top-level predicates (``tei:div[@type='x'][p]`` → ``tei:div``,
    ``["@type='x'", "p"]``)."""
    path: list[str] = []
    predicates: list[str] = []
    current: list[str] = []
    for ch, brackets, _, quoted in scan_xpath(expr):
        if brackets:
            current.append(ch)
        elif quoted:
            continue
        elif ch == "[":
            current = []
        elif ch == "]":
            predicates.append("".join(current))
        else:
            path.append(ch)
    return "".join(path), predicates

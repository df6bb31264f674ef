"""Deciding in lxml, exactly, whether a Schematron pattern fires on a document.

Saxon runs the embedded rules of ``tei_all.rng`` in XPath 2.0; building its
tree of a document costs more than the rules. For a pattern written in the
part of XPath whose meaning 1.0 (lxml) shares, lxml can tell, for the same
nodes, whether any assert fails or any report fires: then, when no kept
pattern fires, Saxon is not asked at all (and when one does, Saxon runs as
before, for the message, the location, the order).

What is read (:func:`translate`; anything else makes the pattern undecided,
and Saxon decides it): location paths on the axes of XPath 1.0 with name tests,
``prefix:*``, ``*`` and ``text()`` (not ``node()``, ``comment()`` or
``processing-instruction()``: the tree Saxon gets holds only the root element),
predicates that are not numbers (an integer literal ``[1]`` is: positions are
counted alike), ``|``, ``and``, ``or``, parentheses, string literals, rule
``let`` variables of string type and ``current()`` (the rule's context node,
bound as a variable), and:

- ``=`` / ``!=`` between node sets and strings (an existential comparison of
  strings in both: a node's value is ``xs:untypedAtomic``, compared as a
  string); between numbers (``count``, ``string-length``, integer literals),
  and ``< <= > >=`` / ``lt le gt ge`` between numbers only (XPath 1.0 turns
  strings into numbers there, 2.0 does not);
- ``eq`` / ``ne`` when each side is a string or at most one node (``.``, ``..``,
  ``@name``, ``self::x``, ``parent::x``, ``current()``): an empty side is the
  empty sequence, false where a comparison that is false in XPath 1.0 is;
- ``not``, ``boolean``, ``true``, ``false``, ``count``; ``name``,
  ``local-name``, ``namespace-uri`` (of at most one node); ``string``,
  ``normalize-space``, ``string-length``, ``concat``, ``contains``,
  ``starts-with``, ``substring``, ``translate`` of strings or at most one node
  (XPath 2.0 raises an error on more; both read an empty one as ``""``);
- ``id()`` of one string: the same elements when every ``xml:id`` of the
  document is an ASCII NCName and it has no DTD (checked per document; else
  undecided), every one unique and known to lxml as an ID (a repeated one
  leaves lxml without its table of IDs) — then both know the same IDs.

Not read: regular expressions (``matches``, ``tokenize``, ``replace``),
sequences, ``let``/``for``/``some``/``if``, casts, arithmetic, ``*:name``,
doubled quotes in literals, any other function.

A pattern is read only if every rule is: its context a union of location paths
(Saxon selects ``//context1 | //context2 …`` and applies the pattern's mode,
:mod:`~tei_tools.validation.schematron_xslt`), and a node is claimed by the
first rule whose context selects it (:meth:`ExactPattern.fires` leaves the
nodes of earlier contexts out). A pattern with its own ``let``, or in a schema
of ``queryBinding="xslt"`` (Saxon's 1.0-compatible mode), is not read.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from lxml import etree

from tei_tools.validation.schematron_schema import (
    Pattern,
    Rule,
    SchematronSchema,
    scan_xpath,
    split_top_level,
)

CURRENT = "ttsch_current"
"""The variable ``current()`` is bound to (the rule's context node)."""

_TOKEN = re.compile(r"""
    \s*(?:
      (?P<string>'[^']*'|"[^"]*")
    | (?P<number>\d+(?![\w.]))
    | (?P<var>\$[A-Za-z_][\w.\-]*)
    | (?P<name>[A-Za-z_][\w.\-]*(?::(?:[A-Za-z_][\w.\-]*|\*))?)
    | (?P<op>//|/|\.\.|\.|::|\[|\]|\(|\)|\||,|!=|<=|>=|=|<|>|@|\*)
    )""", re.X)
_AXES = frozenset({"child", "descendant", "descendant-or-self", "self", "parent", "ancestor",
                   "ancestor-or-self", "following", "following-sibling", "preceding",
                   "preceding-sibling", "attribute"})
_GENERAL = {"=": "=", "!=": "!="}
_VALUE = {"eq": "=", "ne": "!="}
_ORDER = {"<": "<", "<=": "<=", ">": ">", ">=": ">=", "lt": "<", "le": "<=", "gt": ">", "ge": ">="}
_NCNAME = re.compile(r"[A-Za-z_][A-Za-z0-9_.\-]*")


class Unread(Exception):
    """The expression is outside what :func:`translate` reads."""


@dataclass(frozen=True, slots=True)
class Term:
    """A translated expression: its XPath 1.0 text and its type."""

    text: str
    kind: str  # "nodes" | "string" | "boolean" | "number"
    single: bool = False
    """A node set of at most one node."""
    integer: bool = False
    """An integer literal."""

    @property
    def atom(self) -> bool:
        """A string, or at most one node: where XPath 2.0 wants one item or none."""
        return self.kind == "string" or (self.kind == "nodes" and self.single)


@dataclass(frozen=True, slots=True)
class Translation:
    text: str
    kind: str
    prefixes: frozenset[str]
    uses_id: bool
    uses_current: bool
    positional: bool
    """It has a predicate that is a number (a position)."""


def translate(expr: str, scope: dict[str, str], variables: dict[str, str] | None = None
              ) -> Translation | None:
    """``expr`` (XPath 2.0) as XPath 1.0 with the same value where it is used
    (a test, a predicate, a let), or ``None`` if it is not read. ``scope``: the
    prefixes known; ``variables``: the names in scope and their kinds."""
    try:
        parser = _Parser(expr, scope, variables or {})
        term = parser.expression()
        if parser.peek() is not None:
            raise Unread(expr)
    except Unread:
        return None
    return Translation(term.text, term.kind, frozenset(parser.prefixes), parser.uses_id,
                       parser.uses_current, parser.positional)


class _Parser:
    def __init__(self, expr: str, scope: dict[str, str], variables: dict[str, str]) -> None:
        self.tokens = list(_tokens(expr))
        self.at = 0
        self.scope = scope
        self.variables = variables
        self.prefixes: set[str] = set()
        self.uses_id = False
        self.uses_current = False
        self.positional = False

    def peek(self, ahead: int = 0) -> str | None:
        i = self.at + ahead
        return self.tokens[i] if i < len(self.tokens) else None

    def take(self, expected: str | None = None) -> str:
        token = self.peek()
        if token is None or (expected is not None and token != expected):
            raise Unread(expected or "end")
        self.at += 1
        return token

    def expression(self) -> Term:
        term = self.conjunction()
        while self.peek() == "or":
            self.take()
            right = self.conjunction()
            term = Term(f"{term.text} or {right.text}", "boolean")
        return term

    def conjunction(self) -> Term:
        term = self.comparison()
        while self.peek() == "and":
            self.take()
            right = self.comparison()
            term = Term(f"{term.text} and {right.text}", "boolean")
        return term

    def comparison(self) -> Term:
        left = self.union()
        op = self.peek()
        if op not in _GENERAL and op not in _VALUE and op not in _ORDER:
            return left
        self.take()
        right = self.union()
        numbers = left.kind == right.kind == "number"
        if op in _GENERAL:
            ok = numbers or {left.kind, right.kind} <= {"nodes", "string"}
            out = _GENERAL[op]
        elif op in _VALUE:
            ok = numbers or (left.atom and right.atom)
            out = _VALUE[op]
        else:
            ok = numbers
            out = _ORDER[op]
        if not ok:
            raise Unread(op)
        return Term(f"{left.text} {out} {right.text}", "boolean")

    def union(self) -> Term:
        term = self.path()
        while self.peek() == "|":
            self.take()
            right = self.path()
            if term.kind != "nodes" or right.kind != "nodes":
                raise Unread("|")
            term = Term(f"{term.text} | {right.text}", "nodes")
        return term

    def path(self) -> Term:
        token = self.peek()
        if token in ("/", "//"):
            self.take()
            if token == "/" and not self.starts_step():
                return Term("/", "nodes", single=True)
            steps = self.relative(single=token == "/")
            return Term(token + steps.text, "nodes", single=steps.single)
        if self.starts_step():
            return self.relative(single=True)
        head = self.primary()
        if self.peek() in ("/", "//"):
            if head.kind != "nodes":
                raise Unread("/")
            sep = self.take()
            steps = self.relative(single=head.single and sep == "/")
            return Term(f"{head.text}{sep}{steps.text}", "nodes", single=steps.single)
        return head

    def starts_step(self) -> bool:
        token = self.peek()
        if token in ("@", ".", "..", "*"):
            return True
        if token is None or not _is_name(token) or token in ("and", "or", "eq", "ne"):
            return False
        after = self.peek(1)
        return after != "(" or token == "text"

    def relative(self, single: bool) -> Term:
        text, single = self.step(single)
        while self.peek() in ("/", "//"):
            sep = self.take()
            more, single = self.step(single and sep == "/")
            text += sep + more
        return Term(text, "nodes", single=single)

    def step(self, single: bool) -> tuple[str, bool]:
        token = self.take()
        if token in (".", ".."):
            return token, single
        axis = "child"
        text = ""
        if token == "@":
            axis, text, token = "attribute", "@", self.take()
        elif self.peek() == "::":
            if token not in _AXES:
                raise Unread(token)
            self.take()
            axis, text, token = token, f"{token}::", self.take()
        if token == "text" and self.peek() == "(":
            self.take("(")
            self.take(")")
            test, named = "text()", False
        elif token == "*" or _is_name(token):
            test, named = self.name_test(token, axis == "attribute"), token != "*" and \
                not token.endswith(":*")
        else:
            raise Unread(token)
        text += test
        single = single and (axis in ("self", "parent") or (named and axis == "attribute"))
        while self.peek() == "[":
            self.take()
            predicate = self.expression()
            self.take("]")
            if predicate.kind == "number":
                if not predicate.integer:
                    raise Unread("a number as a predicate")
                self.positional = True
            text += f"[{predicate.text}]"
        return text, single

    def name_test(self, token: str, attribute: bool) -> str:
        if token in ("and", "or", "eq", "ne") and not attribute:
            raise Unread(token)
        if ":" in token:
            prefix = token.split(":", 1)[0]
            if prefix != "xml":
                if not self.scope.get(prefix):
                    raise Unread(prefix)
                self.prefixes.add(prefix)
        return token

    def primary(self) -> Term:
        token = self.take()
        if token[0] in "'\"":
            return Term(token, "string")
        if token.isdigit():
            return Term(token, "number", integer=True)
        if token.startswith("$"):
            kind = self.variables.get(token[1:])
            if kind is None:
                raise Unread(token)
            return Term(token, kind)
        if token == "(":
            inner = self.expression()
            self.take(")")
            return Term(f"({inner.text})", inner.kind, inner.single)
        if _is_name(token) and self.peek() == "(":
            return self.call(token)
        raise Unread(token)

    def call(self, name: str) -> Term:
        self.take("(")
        args: list[Term] = []
        if self.peek() != ")":
            args.append(self.expression())
            while self.peek() == ",":
                self.take()
                args.append(self.expression())
        self.take(")")
        return _function(self, name, args)


def _function(parser: _Parser, name: str, args: list[Term]) -> Term:
    n = len(args)
    text = f"{name}({', '.join(a.text for a in args)})"
    if name == "current" and n == 0:
        parser.uses_current = True
        return Term(f"${CURRENT}", "nodes", single=True)
    if name in ("not", "boolean") and n == 1:
        return Term(text, "boolean")
    if name in ("true", "false") and n == 0:
        return Term(text, "boolean")
    if name == "count" and n == 1 and args[0].kind == "nodes":
        return Term(text, "number")
    if name in ("name", "local-name", "namespace-uri") and (
            n == 0 or (n == 1 and args[0].kind == "nodes" and args[0].single)):
        return Term(text, "string")
    if name in ("string", "normalize-space", "string-length") and (
            n == 0 or (n == 1 and args[0].atom)):
        return Term(text, "number" if name == "string-length" else "string")
    if name in ("contains", "starts-with") and n == 2 and all(a.atom for a in args):
        return Term(text, "boolean")
    if name == "concat" and n >= 2 and all(a.atom for a in args):
        return Term(text, "string")
    if name == "translate" and n == 3 and all(a.atom for a in args):
        return Term(text, "string")
    if name == "substring" and n in (2, 3) and args[0].atom and \
            all(a.kind == "number" for a in args[1:]):
        return Term(text, "string")
    if name == "id" and n == 1 and args[0].atom:
        parser.uses_id = True
        return Term(text, "nodes")
    raise Unread(name)


def _is_name(token: str) -> bool:
    return bool(re.fullmatch(r"[A-Za-z_][\w.\-]*(?::(?:[A-Za-z_][\w.\-]*|\*))?", token))


def _tokens(expr: str) -> Iterator[str]:
    at = 0
    while at < len(expr):
        if expr[at:].strip() == "":
            return
        match = _TOKEN.match(expr, at)
        if not match or match.end() == at:
            raise Unread(expr[at:])
        at = match.end()
        yield match.group().strip()


# -- patterns ----------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class _ExactRule:
    selects: etree.XPath
    """The nodes of the rule's context (``//context``)."""
    failing: etree.XPath | None
    """The nodes where a check fires, when no check needs the node bound
    (``//context[not(assert) or report]``); else ``None``, see :attr:`checks`."""
    lets: tuple[tuple[str, etree.XPath], ...]
    checks: tuple[etree.XPath, ...]
    """Per check, true where it fires (evaluated on the node, its lets bound)."""
    uses_id: bool


@dataclass(frozen=True, slots=True)
class ExactPattern:
    """A pattern lxml decides (:func:`exact_patterns`)."""

    rules: tuple[_ExactRule, ...]

    def fires(self, tree: etree._ElementTree) -> bool | None:
        """Whether a check of the pattern fires on ``tree`` (``None``: not known)."""
        if any(rule.uses_id for rule in self.rules) and not _ids_agree(tree):
            return None
        claimed: set[etree._Element] = set()
        kept: list[object] = []  # the proxies stay alive: a node keeps its identity
        try:
            for k, rule in enumerate(self.rules):
                later = k + 1 < len(self.rules)
                if rule.failing is not None:
                    fired = _elements(rule.failing(tree))
                    if fired is None:
                        return None
                    if any(node not in claimed for node in fired):
                        return True
                    if later and not self._claim(tree, rule, claimed, kept):
                        return None
                    continue
                nodes = _elements(rule.selects(tree))
                if nodes is None:
                    return None
                kept.append(nodes)
                for node in nodes:
                    if node in claimed:
                        continue
                    if self._fires_on(rule, node):
                        return True
                if later:
                    claimed.update(nodes)
        except etree.XPathError:
            return None
        return False

    def _claim(self, tree: etree._ElementTree, rule: _ExactRule, claimed: set[etree._Element],
               kept: list[object]) -> bool:
        nodes = _elements(rule.selects(tree))
        if nodes is None:
            return False
        kept.append(nodes)
        claimed.update(nodes)
        return True

    @staticmethod
    def _fires_on(rule: _ExactRule, node: etree._Element) -> bool:
        bound: dict[str, str | etree._Element] = {CURRENT: node}
        for name, value in rule.lets:
            bound[name] = str(value(node, **bound))
        return any(bool(check(node, **bound)) for check in rule.checks)


def _elements(result: object) -> list[etree._Element] | None:
    """The elements of an XPath result (``None``: a non-element node among them)."""
    if not isinstance(result, list):
        return None
    if all(isinstance(n, etree._Element) and isinstance(n.tag, str) for n in result):
        return result
    return None


def _ids_agree(tree: etree._ElementTree) -> bool:
    """Whether lxml's ``id()`` and Saxon's find the same elements on ``tree``: no
    DTD, every ``xml:id`` an NCName (neither normalises or drops one), and lxml
    knows each as an ID (a document with a repeated id is parsed without its
    table of IDs: there lxml's ``id()`` finds nothing, Saxon's the first)."""
    if tree.docinfo.internalDTD is not None or tree.docinfo.externalDTD is not None:
        return False
    ids = tree.xpath("//@xml:id")
    if not isinstance(ids, list) or not all(_NCNAME.fullmatch(str(v)) for v in ids):
        return False
    return bool(tree.xpath("count(id(//@xml:id))") == len(ids))


def exact_patterns(schema: SchematronSchema) -> tuple[ExactPattern | None, ...]:
    """For each pattern of ``schema``, an :class:`ExactPattern` if lxml can decide it."""
    if schema.xslt1:
        return tuple(None for _ in schema.patterns)
    ns = dict(schema.namespaces)
    return tuple(_pattern(pattern, ns) for pattern in schema.patterns)


def _pattern(pattern: Pattern, ns: dict[str, str]) -> ExactPattern | None:
    if pattern.lets:
        return None
    rules = []
    for rule in pattern.rules:
        exact = _rule(rule, ns)
        if exact is None:
            return None
        rules.append(exact)
    return ExactPattern(tuple(rules))


def _rule(rule: Rule, ns: dict[str, str]) -> _ExactRule | None:
    scope = {**rule.namespaces, **ns}
    context = translate(rule.context, scope)
    if context is None or context.kind != "nodes" or context.uses_current:
        return None
    alternatives = [_parse_alone(alt, scope) for alt in _split_union(rule.context)]
    if any(a is None for a in alternatives):
        return None
    paths = [a for a in alternatives if a]
    select = " | ".join(paths)
    variables: dict[str, str] = {}
    lets: list[tuple[str, Translation]] = []
    for let in rule.lets:
        if let.value is None or not re.fullmatch(r"[A-Za-z_][\w]*", let.name) or \
                let.name == CURRENT:
            return None
        value = translate(let.value, scope, variables)
        if value is None or value.kind != "string" or value.uses_id:
            return None
        variables[let.name] = "string"
        lets.append((let.name, value))
    tests: list[Translation] = []
    for check in rule.checks:
        test = translate(check.test, scope, variables)
        if test is None:
            return None
        tests.append(test)
    prefixes = {p: scope[p] for t in [context, *tests, *(v for _, v in lets)] for p in t.prefixes}
    fire = [f"not({t.text})" if c.kind == "assert" else f"boolean({t.text})"
            for c, t in zip(rule.checks, tests, strict=True)]
    bound = bool(lets) or any(t.uses_current for t in tests)
    try:
        selects = etree.XPath(select, namespaces=prefixes)
        failing = None if bound or not fire else etree.XPath(
            " | ".join(f"{a}[{' or '.join(fire)}]" for a in paths), namespaces=prefixes)
        checks = tuple(etree.XPath(f, namespaces=prefixes) for f in fire)
        let_paths = tuple((name, etree.XPath(f"string({value.text})", namespaces=prefixes))
                          for name, value in lets)
    except etree.XPathSyntaxError:
        return None
    return _ExactRule(selects, failing, let_paths, checks,
                      any(t.uses_id for t in tests))


def _split_union(context: str) -> list[str]:
    return [alt.strip() for alt in split_top_level(context)]


def _parse_alone(alt: str, scope: dict[str, str]) -> str | None:
    """One alternative of a rule context, as the path selecting the nodes it
    matches (:func:`_selecting`; ``None``: not a location path of steps, such as a
    function call, a variable or a parenthesised head)."""
    if not alt or alt.startswith(("(", "$", ".")):
        return None
    term = translate(alt, scope)
    if term is None or term.kind != "nodes" or term.uses_current or term.uses_id:
        return None
    if re.match(r"[\w.\-:]+\s*\(", alt) and not alt.startswith("text"):
        return None
    return _selecting(term.text, term.positional)


_FIRST_STEP_ATTRIBUTE = re.compile(
    r"(?P<test>[\w.\-]+:\*|\*|[A-Za-z_][\w.\-]*(?::[A-Za-z_][\w.\-]*)?)"
    r"\[@(?P<attribute>[A-Za-z_][\w.\-]*(?::[A-Za-z_][\w.\-]*)?)\](?P<rest>.*)", re.S)


def _selecting(alt: str, positional: bool) -> str:
    """``//alt`` (the nodes a match pattern ``alt`` matches), written as lxml
    evaluates it fastest: without a position in a predicate, ``//x`` selects what
    ``/descendant::x`` does, and ``//x[@a]…`` what ``//@a/parent::x…`` does (lxml
    finds attributes by name faster than it tests every element)."""
    if alt.startswith("/"):
        return alt
    if positional or not re.match(r"[A-Za-z_*]", alt) or re.match(r"[\w.\-]+\s*::", alt):
        return f"//{alt}"
    first = next((i for i, (ch, _, nesting, quoted) in enumerate(scan_xpath(alt))
                  if ch == "/" and not nesting and not quoted), len(alt))
    owned = _FIRST_STEP_ATTRIBUTE.fullmatch(alt[:first])
    if owned:
        return f"//@{owned['attribute']}/parent::{owned['test']}{owned['rest']}{alt[first:]}"
    return f"/descendant::{alt}"

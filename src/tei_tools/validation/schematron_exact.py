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
counted alike), ``|``, ``and``, ``or``, parentheses and predicates on them, on
variables and on function results, string literals, rule ``let`` variables of any
type read here and ``current()`` (the rule's context node, bound as a variable), and:

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
  leaves lxml without its table of IDs) — then both know the same IDs;
- ``+ - *`` and ``mod`` (by a literal integer other than 0) between numbers;
  ``number()`` of a string, at most one node, a number or a boolean, as XPath 2.0
  casts it; ``matches()`` of an anchored plain pattern; ``tokenize(s, ' ')``, a
  sequence of strings (lxml: text nodes, bound to a variable as elements holding
  them); ``key()`` of a string, nodes or strings, for an ``xsl:key`` of the schema
  whose ``match`` and ``use`` are read (:mod:`~tei_tools.validation.schematron_functions`).
  A sequence of strings is read where its effective boolean value is the same in
  both (at most one, not empty), or as a whole check where XPath 2.0's error
  (two or more) fires as 1.0's verdict does: a report ``S``, an assert ``not(S)``
  or ``… and not(S)``.

Not read: other regular expressions, ``replace``, sequences written out,
``let``/``for``/``some``/``if``, casts, ``div``, ``*:name``, doubled quotes in
literals, any other function.

A pattern is read only if every rule is: its context a union of location paths
(Saxon selects ``//context1 | //context2 …`` and applies the pattern's mode,
:mod:`~tei_tools.validation.schematron_xslt`), and a node is claimed by the
first rule whose context selects it (:meth:`ExactPattern.fires` leaves the
nodes of earlier contexts out). A pattern with its own ``let``, or in a schema
of ``queryBinding="xslt"`` (Saxon's 1.0-compatible mode), is not read.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, NamedTuple

from lxml import etree

from tei_tools.validation.schematron_functions import (
    FUNCTIONS_NS,
    PREFIX,
    STATELESS,
    Evaluation,
    Key,
    Undecided,
    plain_regex,
)
from tei_tools.validation.schematron_schema import (
    Pattern,
    Rule,
    SchematronSchema,
    scan_xpath,
    split_predicates,
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
    | (?P<op>//|/|\.\.|\.|::|\[|\]|\(|\)|\||,|!=|<=|>=|=|<|>|@|\*|\+|-)
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


class Term(NamedTuple):
    """A translated expression: its XPath 1.0 text and its type (a tuple: the
    parser makes and copies many)."""

    text: str
    kind: str  # "nodes" | "string" | "boolean" | "number" | "strings"
    single: bool = False
    """A node set (or ``strings``) of at most one item."""
    integer: bool = False
    """An integer literal."""
    values: bool = False
    """Nodes lxml returns as strings (attributes, text nodes): bound to a variable,
    only their string values are kept."""
    nonempty: bool = False
    """``strings`` none of which is empty (tokens of a normalised string)."""
    normalized: bool = False
    """A string without leading, trailing or doubled spaces."""
    risky: bool = False
    """``not(S)`` of ``strings`` with more than one item possible: XPath 2.0 raises
    an error where XPath 1.0 is false; a check may be exactly that (it fires in
    both), nothing may be built on it."""
    uses_key: bool = False

    @property
    def atom(self) -> bool:
        """A string, or at most one node: where XPath 2.0 wants one item or none."""
        return self.kind == "string" or (self.kind in ("nodes", "strings") and self.single)


@dataclass(frozen=True, slots=True)
class Translation:
    text: str
    kind: str
    prefixes: frozenset[str]
    uses_id: bool
    uses_current: bool
    positional: bool
    """It has a predicate that is a number (a position)."""
    term: Term | None = None
    uses_key: bool = False
    contextual: bool = True
    """Its value depends on the context node (a relative path, ``.``, ``current()``,
    ``name()``… outside predicates); else only on the document and ``refs``."""
    refs: frozenset[str] = frozenset()
    """The variables it reads."""


def translate(expr: str, scope: dict[str, str], variables: dict[str, Term] | None = None,
              *, keys: dict[str, Term] | None = None, lenient: bool = False) -> Translation | None:
    """``expr`` (XPath 2.0) as XPath 1.0 with the same value where it is used
    (a test, a predicate, a let), or ``None`` if it is not read. ``scope``: the
    prefixes known; ``variables``: the names in scope and their types; ``keys``:
    the schema's ``xsl:key`` names and the type of their ``use``. ``lenient``:
    only whether it is in the subset (a message, which lxml does not evaluate:
    a variable's attributes may be named)."""
    try:
        parser = _Parser(expr, scope, variables or {}, keys or {}, lenient)
        term = parser.expression()
        if parser.next is not None:
            raise Unread(expr)
    except Unread:
        return None
    return Translation(term.text, term.kind, frozenset(parser.prefixes), parser.uses_id,
                       parser.uses_current, parser.positional, term, term.uses_key or parser.uses_key,
                       parser.contextual, frozenset(parser.refs))


def _call(name: str, args: list[Term]) -> str:
    return f"{PREFIX}:{name}({', '.join(a.text for a in args)})"


class _Parser:
    def __init__(self, expr: str, scope: dict[str, str], variables: dict[str, Term],
                 keys: dict[str, Term], lenient: bool) -> None:
        self.tokens = _tokens(expr)
        self.at = 0
        self.next: str | None = self.tokens[0] if self.tokens else None
        """The token at :attr:`at` (``None``: the end)."""
        self.scope = scope
        self.variables = variables
        self.keys = keys
        self.lenient = lenient
        self.prefixes: set[str] = set()
        self.uses_id = False
        self.uses_current = False
        self.uses_key = False
        self.positional = False
        self.item = "node"
        self.depth = 0
        """Predicates the parser is in (0: the context node is the expression's)."""
        self.contextual = False
        self.refs: set[str] = set()
        """The context item: a ``node``, or a ``string`` (in a predicate on strings)."""

    def peek(self, ahead: int = 0) -> str | None:
        i = self.at + ahead
        return self.tokens[i] if i < len(self.tokens) else None

    def take(self, expected: str | None = None) -> str:
        token = self.next
        if token is None or (expected is not None and token != expected):
            raise Unread(expected or "end")
        self.at += 1
        self.next = self.tokens[self.at] if self.at < len(self.tokens) else None
        return token

    def ebv(self, term: Term) -> Term:
        """``term`` where its effective boolean value is taken: the same in both
        when it is not ``strings`` of possibly several or empty items."""
        if self.lenient:
            return term
        if term.risky or (term.kind == "strings" and not (term.single and term.nonempty)):
            raise Unread("the boolean value of a sequence of strings")
        return term

    def atom(self, term: Term) -> bool:
        """:attr:`Term.atom`; in a message (``lenient``), any node set or strings
        (more than one is a dynamic error in XPath 2.0, not a static one)."""
        return term.atom or (self.lenient and term.kind in ("nodes", "strings"))

    def expression(self) -> Term:
        term = self.conjunction()
        while self.next == "or":
            self.take()
            right = self.conjunction()
            term = Term(f"{self.ebv(term).text} or {self.ebv(right).text}", "boolean",
                        uses_key=term.uses_key or right.uses_key)
        return term

    def conjunction(self) -> Term:
        term = self.comparison()
        while self.next == "and":
            self.take()
            right = self.comparison()
            # a risky operand stays risky: where XPath 2.0 raises its error, XPath
            # 1.0's conjunction is false (in either order of evaluation)
            risky = term.risky or right.risky
            term = Term(f"{self.ebv(term._replace(risky=False)).text} and "
                        f"{self.ebv(right._replace(risky=False)).text}", "boolean",
                        risky=risky, uses_key=term.uses_key or right.uses_key)
        return term

    def comparison(self) -> Term:
        left = self.additive()
        op = self.next
        if op not in _GENERAL and op not in _VALUE and op not in _ORDER:
            return left
        self.take()
        right = self.additive()
        if left.risky or right.risky:
            raise Unread(op)
        numbers = left.kind == right.kind == "number"
        if op in _GENERAL:
            ok = numbers or {left.kind, right.kind} <= {"nodes", "string", "strings"}
            out = _GENERAL[op]
        elif op in _VALUE:
            ok = numbers or (self.atom(left) and self.atom(right))
            out = _VALUE[op]
        else:
            ok = numbers
            out = _ORDER[op]
        if not ok:
            raise Unread(op)
        return Term(f"{left.text} {out} {right.text}", "boolean",
                    uses_key=left.uses_key or right.uses_key)

    def additive(self) -> Term:
        term = self.multiplicative()
        while self.next in ("+", "-"):
            op = self.take()
            term = self.arithmetic(term, op, self.multiplicative())
        return term

    def multiplicative(self) -> Term:
        term = self.union()
        while self.next in ("*", "mod"):
            op = self.take()
            right = self.union()
            if op == "mod" and not (right.integer and right.text.strip("0")):
                raise Unread("mod by other than a literal integer (0: an error in XPath 2.0)")
            term = self.arithmetic(term, op, right)
        return term

    @staticmethod
    def arithmetic(left: Term, op: str, right: Term) -> Term:
        # numbers only: XPath 2.0 casts a node's value to a double and fails where
        # 1.0 gives NaN; integers are exact in 2.0 and doubles in lxml (the same
        # below 2^53: counts, lengths and literals)
        if left.kind != "number" or right.kind != "number":
            raise Unread(op)
        return Term(f"{left.text} {op} {right.text}", "number",
                    uses_key=left.uses_key or right.uses_key)

    def union(self) -> Term:
        term = self.path()
        while self.next == "|":
            self.take()
            right = self.path()
            if term.kind != "nodes" or right.kind != "nodes":
                raise Unread("|")
            term = Term(f"{term.text} | {right.text}", "nodes", values=term.values or right.values,
                        uses_key=term.uses_key or right.uses_key)
        return term

    def path(self) -> Term:
        token = self.next
        if token in ("/", "//"):
            if self.item != "node":
                raise Unread("a path from a string")
            self.take()
            if token == "/" and not self.starts_step():
                return Term("/", "nodes", single=True)
            steps = self.relative(single=token == "/")
            return Term(token + steps.text, "nodes", single=steps.single, values=steps.values)
        if self.starts_step():
            if self.item != "node":
                if self.next == "." and self.peek(1) not in ("/", "//", "["):
                    self.take()
                    return Term(".", "string")
                raise Unread("a step from a string")
            if self.depth == 0:
                self.contextual = True
            return self.relative(single=True)
        head = self.filtered(self.primary())
        if self.next in ("/", "//"):
            if head.kind != "nodes" or (head.values and not self.lenient):
                raise Unread("/")
            sep = self.take()
            steps = self.relative(single=head.single and sep == "/")
            return Term(f"{head.text}{sep}{steps.text}", "nodes", single=steps.single,
                        values=steps.values, uses_key=head.uses_key)
        return head

    def filtered(self, head: Term) -> Term:
        """A primary with predicates: ``(…)[…]``, ``$v[…]``, ``key(…)[…]``."""
        if self.next != "[":
            return head
        if head.kind not in ("nodes", "strings"):
            raise Unread("a predicate on a value")
        text, single, uses_key = head.text, head.single, head.uses_key
        if not text.startswith("(") or not text.endswith(")"):
            text = f"({text})"
        strings = head.kind == "strings" or head.values
        while self.next == "[":
            predicate, positional = self.predicate("string" if strings else "node")
            single = single or positional
            uses_key = uses_key or predicate.uses_key
            text += f"[{predicate.text}]"
        return head._replace(text=text, single=single, uses_key=uses_key, risky=False)

    def predicate(self, item: str | None = None) -> tuple[Term, bool]:
        """One ``[…]`` after a step or a filtered primary, and whether it is positional
        (an integer: at most one item is left). ``item``: what ``.`` is inside it, when
        that differs from the step's node."""
        self.take("[")
        before = self.item
        if item is not None:
            self.item = item
        self.depth += 1
        try:
            predicate = self.expression()
        finally:
            self.item = before
            self.depth -= 1
        self.take("]")
        if predicate.kind == "number":
            if not predicate.integer:
                raise Unread("a number as a predicate")
            self.positional = True
            return predicate, True
        self.ebv(predicate)
        return predicate, False

    def starts_step(self) -> bool:
        token = self.next
        if token in ("@", ".", "..", "*"):
            return True
        if token is None or not _is_name(token) or token in ("and", "or", "eq", "ne", "mod"):
            return False
        after = self.peek(1)
        return after != "(" or token == "text"

    def relative(self, single: bool) -> Term:
        text, single, values = self.step(single)
        while self.next in ("/", "//"):
            sep = self.take()
            more, single, values = self.step(single and sep == "/")
            text += sep + more
        return Term(text, "nodes", single=single, values=values)

    def step(self, single: bool) -> tuple[str, bool, bool]:
        token = self.take()
        if token in (".", ".."):
            return token, single, False
        axis = "child"
        text = ""
        if token == "@":
            axis, text, token = "attribute", "@", self.take()
        elif self.next == "::":
            if token not in _AXES:
                raise Unread(token)
            self.take()
            axis, text, token = token, f"{token}::", self.take()
        if token == "text" and self.next == "(":
            self.take("(")
            self.take(")")
            test, named = "text()", False
            values = True
        elif token == "*" or _is_name(token):
            test, named = self.name_test(token, axis == "attribute"), token != "*" and \
                not token.endswith(":*")
            values = axis == "attribute"
        else:
            raise Unread(token)
        text += test
        one = axis in ("self", "parent") or (named and axis == "attribute")
        while self.next == "[":
            predicate, positional = self.predicate()
            one = one or positional
            if predicate.uses_key:
                self.uses_key = True
            text += f"[{predicate.text}]"
        return text, single and one, values

    def name_test(self, token: str, attribute: bool) -> str:
        if token in ("and", "or", "eq", "ne", "mod") and not attribute:
            raise Unread(token)
        if ":" in token:
            prefix = token.split(":", 1)[0]
            if prefix != "xml":
                if not self.scope.get(prefix) or prefix == PREFIX:
                    raise Unread(prefix)
                self.prefixes.add(prefix)
        return token

    def primary(self) -> Term:
        token = self.take()
        if token[0] in "'\"":
            return Term(token, "string", normalized=" ".join(token[1:-1].split()) == token[1:-1])
        if token.isdigit():
            return Term(token, "number", integer=True)
        if token.startswith("$"):
            bound = self.variables.get(token[1:])
            if bound is None:
                raise Unread(token)
            self.refs.add(token[1:])
            return bound._replace(text=token, integer=False, risky=False)
        if token == "(":
            inner = self.expression()
            self.take(")")
            return inner._replace(text=f"({inner.text})", integer=False)
        if _is_name(token) and self.next == "(":
            return self.call(token)
        raise Unread(token)

    def call(self, name: str) -> Term:
        self.take("(")
        args: list[Term] = []
        if self.next != ")":
            args.append(self.expression())
            while self.next == ",":
                self.take()
                args.append(self.expression())
        self.take(")")
        if any(a.risky for a in args) and name != "not":
            raise Unread(name)
        if not args and name != "true" and name != "false":
            if self.item != "node":
                raise Unread(f"{name}() of a string")  # XPath 2.0: an error or another value
            if self.depth == 0:
                self.contextual = True  # name(), string()… of the context node
        term = _function(self, name, args)
        return term._replace(uses_key=term.uses_key or any(a.uses_key for a in args))


def _function(parser: _Parser, name: str, args: list[Term]) -> Term:
    n = len(args)
    text = f"{name}({', '.join(a.text for a in args)})"
    if name == "current" and n == 0:
        parser.uses_current = True
        parser.contextual = True
        return Term(f"${CURRENT}", "nodes", single=True)
    if name == "not" and n == 1:
        arg = args[0]
        if arg.kind == "strings" and arg.nonempty and not arg.single:
            return Term(text, "boolean", risky=True)
        return Term(f"not({parser.ebv(arg).text})", "boolean")
    if name == "boolean" and n == 1:
        return Term(f"boolean({parser.ebv(args[0]).text})", "boolean")
    if name in ("true", "false") and n == 0:
        return Term(text, "boolean")
    if name == "count" and n == 1 and args[0].kind in ("nodes", "strings"):
        return Term(text, "number")
    if name in ("name", "local-name", "namespace-uri") and (
            n == 0 or (n == 1 and args[0].kind == "nodes" and args[0].single and
                       (not args[0].values or parser.lenient))):
        return Term(text, "string")
    if name in ("string", "normalize-space", "string-length") and (
            n == 0 or (n == 1 and parser.atom(args[0]))):
        if name == "string-length":
            return Term(text, "number")
        return Term(text, "string", normalized=name == "normalize-space")
    if name in ("contains", "starts-with") and n == 2 and all(parser.atom(a) for a in args):
        return Term(text, "boolean")
    if name == "concat" and n >= 2 and all(parser.atom(a) for a in args):
        return Term(text, "string")
    if name == "translate" and n == 3 and all(parser.atom(a) for a in args):
        return Term(text, "string")
    if name == "substring" and n in (2, 3) and parser.atom(args[0]) and \
            all(a.kind == "number" for a in args[1:]):
        return Term(text, "string")
    if name == "id" and n == 1 and parser.atom(args[0]):
        parser.uses_id = True
        return Term(text, "nodes")
    if name == "number" and n == 1 and (parser.atom(args[0]) or args[0].kind in ("number", "boolean")):
        return Term(_call("number", args), "number")
    if name == "matches" and n == 2 and parser.atom(args[0]) and args[1].kind == "string":
        body = plain_regex(args[1].text[1:-1]) if args[1].text[:1] in "'\"" else None
        if body is None or "'" in body:
            raise Unread("matches() of this regular expression")
        return Term(_call("matches", [args[0], Term(f"'{body}'", "string")]), "boolean")
    if name == "tokenize" and n == 2 and parser.atom(args[0]) and args[1].text in ("' '", '" "'):
        return Term(_call("tokenize", args), "strings", nonempty=args[0].normalized)
    if name == "key" and n == 2 and args[0].text[:1] in "'\"" and \
            args[0].text[1:-1] in parser.keys and args[1].kind in ("nodes", "string", "strings"):
        parser.uses_key = True
        return Term(_call("key", args), "nodes", uses_key=True)
    raise Unread(name)


_NAME = re.compile(r"[A-Za-z_][\w.\-]*(?::(?:[A-Za-z_][\w.\-]*|\*))?")


def _is_name(token: str) -> bool:
    return _NAME.fullmatch(token) is not None


@lru_cache(maxsize=4096)
def _tokens(expr: str) -> tuple[str, ...]:
    at = 0
    expr = expr.rstrip()
    out = []
    while at < len(expr):
        match = _TOKEN.match(expr, at)
        if not match or match.end() == at:
            raise Unread(expr[at:])
        at = match.end()
        out.append(match.group().strip())
    return tuple(out)


# -- patterns ----------------------------------------------------------------------
Namespaces = tuple[tuple[str, str], ...]


@dataclass(frozen=True, slots=True)
class _ExactRule:
    selects: str
    """The nodes of the rule's context (``//context``)."""
    failing: str | None
    """The nodes where a check fires, when no check needs the node bound
    (``//context[not(assert) or report]``); else ``None``, see :attr:`checks`."""
    lets: tuple[tuple[str, str], ...]
    checks: tuple[str, ...]
    """Per check, true where it fires (evaluated on the node, its lets bound)."""
    uses_id: bool
    namespaces: Namespaces
    uses_key: bool
    """The rule calls ``key``: its XPath is compiled per document (:class:`Evaluation`)."""
    compiled: dict[str, etree.XPath]
    """Else each XPath compiled once, when first evaluated."""
    let_refs: tuple[tuple[str, ...] | None, ...] = ()
    """Per let, the variables its value depends on when it does not depend on the
    context node (``None``: it does): computed once per value of them."""
    check_refs: tuple[tuple[str, ...] | None, ...] = ()

    def xpath(self, text: str, evaluation: Evaluation) -> etree.XPath:
        compiled = self.compiled.get(text)
        if compiled is None:
            if self.uses_key and _KEY_CALL in text:
                return evaluation.xpath(text, self.namespaces)
            namespaces = dict(self.namespaces)
            # an XPath with extensions compiles 5x slower, and runs slower: only those it calls
            used = {k: f for k, f in STATELESS.items() if f"{PREFIX}:{k[1]}(" in text}
            if used:
                namespaces[PREFIX] = FUNCTIONS_NS
                compiled = etree.XPath(text, namespaces=namespaces, extensions=used)
            else:
                compiled = etree.XPath(text, namespaces=namespaces)
            self.compiled[text] = compiled
        return compiled


_KEY_CALL = f"{PREFIX}:key("


@dataclass(frozen=True, slots=True)
class ExactPattern:
    """A pattern lxml decides (:func:`exact_patterns`)."""

    rules: tuple[_ExactRule, ...]
    keys: dict[str, Key]
    reads_xml_id: bool = False
    """An XPath of the pattern (or of a key it calls) reads ``xml:id``: Saxon, an
    ``xml:id`` processor, reads the value whitespace-normalised, lxml as written."""

    def evaluation(self) -> Evaluation:
        """What :meth:`fires` needs for one document (shared by the patterns of a schema)."""
        return Evaluation(self.keys)

    def fires(self, tree: etree._ElementTree, evaluation: Evaluation | None = None) -> bool | None:
        """Whether a check of the pattern fires on ``tree`` (``None``: not known).
        ``evaluation``: the document's keys, if the caller decides several patterns."""
        if any(rule.uses_id for rule in self.rules) and not _ids_agree(tree):
            return None
        evaluation = evaluation or self.evaluation()
        evaluation.bind(tree)
        if self.reads_xml_id and not _xml_ids_plain(tree, evaluation):
            return None
        claimed: set[etree._Element] = set()
        kept: list[object] = []  # the proxies stay alive: a node keeps its identity
        try:
            for k, rule in enumerate(self.rules):
                later = k + 1 < len(self.rules)
                if rule.failing is not None:
                    fired = _elements(rule.xpath(rule.failing, evaluation)(tree))
                    if fired is None:
                        return None
                    if any(node not in claimed for node in fired):
                        return True
                    if later and not self._claim(tree, rule, claimed, kept, evaluation):
                        return None
                    continue
                nodes = _elements(rule.xpath(rule.selects, evaluation)(tree))
                if nodes is None:
                    return None
                kept.append(nodes)
                for node in nodes:
                    if node in claimed:
                        continue
                    if self._fires_on(rule, node, evaluation):
                        return True
                if later:
                    claimed.update(nodes)
        except (etree.XPathError, Undecided):
            return None
        return False

    @staticmethod
    def _claim(tree: etree._ElementTree, rule: _ExactRule, claimed: set[etree._Element],
               kept: list[object], evaluation: Evaluation) -> bool:
        nodes = _elements(rule.xpath(rule.selects, evaluation)(tree))
        if nodes is None:
            return False
        kept.append(nodes)
        claimed.update(nodes)
        return True

    @staticmethod
    def _fires_on(rule: _ExactRule, node: etree._Element, evaluation: Evaluation) -> bool:
        """The checks on ``node``, its lets bound; a let or a check that depends only
        on other lets (not on the node) is evaluated once per document for each of
        their values (:attr:`_ExactRule.let_refs`): the key of a value is the simple
        value itself, or the key of what it was computed from."""
        bound: dict[str, Bindable] = {CURRENT: node}
        keys: dict[str, object] = {}
        memo = evaluation.memo
        for (name, text), refs in zip(rule.lets, rule.let_refs, strict=True):
            key = _memo_key((id(rule), name), refs, keys)
            value = _memoised(memo, key, rule.xpath(text, evaluation), node, bound, _bindable)
            bound[name] = value  # type: ignore[assignment]
            keys[name] = key if key is not None else _simple_key(value)
        for text, refs in zip(rule.checks, rule.check_refs, strict=True):
            key = _memo_key((id(rule), text), refs, keys)
            if _memoised(memo, key, rule.xpath(text, evaluation), node, bound, bool):
                return True
        return False


def _memoised(memo: dict[object, object], key: object | None, xpath: etree.XPath,
              node: etree._Element, bound: dict[str, Bindable],
              convert: Callable[[Any], object]) -> object:
    """``convert(xpath(node, **bound))``, kept in ``memo`` under ``key`` (``None``: not
    kept)."""
    if key is not None and key in memo:
        return memo[key]
    value = convert(xpath(node, **bound))
    if key is not None:
        memo[key] = value
    return value


def _memo_key(label: tuple[int, str], refs: tuple[str, ...] | None,
              keys: dict[str, object]) -> object:
    if refs is None:
        return None
    parts = [keys.get(r) for r in refs]
    if any(p is None for p in parts):
        return None
    return (label, *parts)


def _simple_key(value: object) -> object:
    if isinstance(value, (bool, int, float, str)):
        return ("=", type(value).__name__, value)
    return None


Bindable = bool | int | float | str | bytes | etree._Element | list[etree._Element]


def _bindable(value: object) -> Bindable:
    """A let's value as lxml binds it: strings (tokens, attributes' or text nodes'
    values, which lxml cannot bind) become elements holding them, children of one
    parent so that their order is the document order (a bound variable of such
    values is used only for its string values, see :attr:`Term.values`)."""
    if not isinstance(value, list):
        return value if isinstance(value, (bool, int, float, str, bytes)) else str(value)
    if not value or isinstance(value[0], etree._Element):
        return value  # elements (an XPath result is all elements or no element)
    holder = etree.Element("values")
    for v in value:
        etree.SubElement(holder, "value").text = str(v)
    return list(holder)


def _elements(result: object) -> list[etree._Element] | None:
    """The elements of an XPath result (``None``: a non-element node among them)."""
    if not isinstance(result, list):
        return None
    if all(isinstance(n, etree._Element) and isinstance(n.tag, str) for n in result):
        return result
    return None


def _xml_ids_plain(tree: etree._ElementTree, evaluation: Evaluation) -> bool:
    """Whether every ``xml:id`` of ``tree`` is an ASCII NCName, so that it reads the
    same to lxml and to Saxon (which normalises ``xml:id="  a "`` to ``a``); once
    per document (``evaluation.memo``)."""
    known = evaluation.memo.get(_xml_ids_plain)
    if known is None:
        ids = tree.xpath("//@xml:id")
        known = evaluation.memo[_xml_ids_plain] = isinstance(ids, list) and all(
            _NCNAME.fullmatch(str(v)) for v in ids)
    return bool(known)


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


@dataclass(frozen=True, slots=True)
class Exact:
    """What lxml decides of a schema: a decider per pattern (``None``: Saxon
    decides it), and whether every XPath of the schema is in the subset read
    (``whole``: contexts, lets, tests, messages, ``xsl:key``; then Saxon has
    nothing to report before a check fires, see
    :meth:`~tei_tools.validation.schematron.CompiledSchematron.compile`)."""

    patterns: tuple[ExactPattern | None, ...]
    whole: bool


def exact_patterns(schema: SchematronSchema) -> tuple[ExactPattern | None, ...]:
    """For each pattern of ``schema``, an :class:`ExactPattern` if lxml can decide it."""
    return exact_schema(schema).patterns


def exact_schema(schema: SchematronSchema) -> Exact:
    """:class:`Exact` of ``schema``."""
    if schema.xslt1:
        return Exact(tuple(None for _ in schema.patterns), False)
    ns = dict(schema.namespaces)
    keys, key_types, keys_read = _keys(schema, ns)
    lets: dict[int, dict[str, Term] | None] = {}  # per rule (by id): its lets' types
    patterns = tuple(_pattern(pattern, ns, keys, key_types, lets) for pattern in schema.patterns)
    whole = keys_read and not schema.lets and all(p is not None for p in patterns) and \
        all(_messages_read(rule, ns, key_types, lets) for pattern in schema.patterns
            for rule in pattern.rules) and not schema.diagnostics
    return Exact(patterns, whole)


def _keys(schema: SchematronSchema, ns: dict[str, str]
          ) -> tuple[dict[str, Key], dict[str, Term], bool]:
    """The schema's ``xsl:key`` lxml reads, the type of each one's ``use``, and
    whether every top-level XSLT element is such a key."""
    keys: dict[str, Key] = {}
    types: dict[str, Term] = {}
    every = True
    for el in schema.xslt:
        name, match, use = el.get("name"), el.get("match"), el.get("use")
        if etree.QName(el).localname != "key" or not name or not match or not use or \
                len(el) or set(el.attrib) != {"name", "match", "use"} or name in keys:
            every = False
            keys.pop(name or "", None)
            continue
        scope = {**{p: u for p, u in el.nsmap.items() if p}, **ns}
        alternatives = [_parse_alone(alt, scope) for alt in _split_union(match)]
        used = translate(use, scope)
        if any(a is None for a in alternatives) or used is None or used.term is None or \
                used.kind not in ("nodes", "string", "strings") or used.uses_current or \
                used.uses_id or used.uses_key or used.term.risky:
            every = False
            continue
        prefixes = tuple(sorted((p, scope[p]) for p in used.prefixes | _prefixes(match, scope)))
        keys[name] = Key(name, " | ".join(a for a in alternatives if a), used.text, used.kind, prefixes)
        types[name] = used.term
    return keys, types, every


def _prefixes(expr: str, scope: dict[str, str]) -> set[str]:
    return {p for p in re.findall(r"([A-Za-z_][\w.\-]*):(?!:)", expr) if p in scope}


def _messages_read(rule: Rule, ns: dict[str, str], keys: dict[str, Term],
                   lets: dict[int, dict[str, Term] | None]) -> bool:
    """Whether the ``value-of`` and ``name`` of a rule's messages are in the subset
    (with the rule's lets in scope) and it names no ``subject``."""
    scope = {**rule.namespaces, **ns}
    variables = _let_types(rule, scope, keys, lets)
    if variables is None or rule.subject:
        return False
    for check in rule.checks:
        if check.subject or check.diagnostics:
            return False
        for el in check.element.iter():
            if not isinstance(el.tag, str) or el is check.element:
                continue
            local = etree.QName(el).localname
            expr = el.get("select") if local == "value-of" else el.get("path") if local == "name" \
                else None
            if local in ("value-of", "name") and expr is not None and \
                    translate(expr, scope, variables, keys=keys, lenient=True) is None:
                return False
    return True


def _let_types(rule: Rule, scope: dict[str, str], keys: dict[str, Term],
               known: dict[int, dict[str, Term] | None]) -> dict[str, Term] | None:
    """The types of a rule's lets (``None``: one is not read); ``known``: those found already."""
    if id(rule) in known:
        return known[id(rule)]
    known[id(rule)] = None
    variables: dict[str, Term] = {}
    for let in rule.lets:
        if let.value is None or not re.fullmatch(r"[A-Za-z_][\w]*", let.name) or \
                let.name == CURRENT or let.name in variables:
            return None
        value = translate(let.value, scope, variables, keys=keys)
        if value is None or value.term is None or value.uses_id or value.term.risky:
            return None
        variables[let.name] = value.term
    known[id(rule)] = variables
    return variables


def _pattern(pattern: Pattern, ns: dict[str, str], keys: dict[str, Key],
             key_types: dict[str, Term], lets: dict[int, dict[str, Term] | None]
             ) -> ExactPattern | None:
    if pattern.lets:
        return None
    rules = []
    for rule in pattern.rules:
        exact = _rule(rule, ns, key_types, lets)
        if exact is None:
            return None
        rules.append(exact)
    return ExactPattern(tuple(rules), keys, _reads_xml_id(rules, keys))


def _reads_xml_id(rules: list[_ExactRule], keys: dict[str, Key]) -> bool:
    texts = [t for r in rules for t in (r.selects, r.failing or "", *(v for _, v in r.lets),
                                          *r.checks)]
    if any(r.uses_key for r in rules):
        texts += [t for k in keys.values() for t in (k.select, k.use)]
    return any("xml:id" in t for t in texts)


def _rule(rule: Rule, ns: dict[str, str], keys: dict[str, Term],
          known: dict[int, dict[str, Term] | None]) -> _ExactRule | None:
    scope = {**rule.namespaces, **ns}
    context = translate(rule.context, scope, keys=keys)
    if context is None or context.kind != "nodes" or context.uses_current:
        return None
    alternatives = [_parse_alone(alt, scope, keys) for alt in _split_union(rule.context)]
    if any(a is None for a in alternatives):
        return None
    paths = [a for a in alternatives if a]
    select = " | ".join(paths)
    variables = _let_types(rule, scope, keys, known)
    if variables is None:
        return None
    lets = [(let.name, translate(let.value or "", scope, variables, keys=keys))
            for let in rule.lets]
    tests: list[Translation] = []
    for check in rule.checks:
        test = translate(check.test, scope, variables, keys=keys)
        if test is None or test.term is None:
            return None
        term = test.term
        if (term.risky and check.kind != "assert") or (
                term.kind == "strings" and not (check.kind == "report" and term.nonempty)):
            return None  # see Term.risky: `not(S)` asserted, or `S` reported, is exact
        tests.append(test)
    used = [context, *tests, *(v for _, v in lets if v is not None)]
    prefixes = tuple(sorted({(p, scope[p]) for t in used for p in t.prefixes}))
    uses_key = any(t.uses_key for t in used)
    fire = [f"not({t.text})" if c.kind == "assert" else f"boolean({t.text})"
            for c, t in zip(rule.checks, tests, strict=True)]
    let_paths = _needed(tuple((name, value.text) for name, value in lets if value is not None), fire)
    made = {name: value for name, value in lets if value is not None}
    let_refs = tuple(_refs(made[name]) for name, _ in let_paths)
    check_refs = tuple(_refs(t) for t in tests)
    bound = bool(let_paths) or any(t.uses_current for t in tests)
    failing = None if bound or not fire else \
        " | ".join(f"{a}[{' or '.join(fire)}]" for a in paths)
    return _ExactRule(select, failing, let_paths, tuple(fire),
                      any(t.uses_id for t in tests), prefixes, uses_key, {}, let_refs, check_refs)


def _refs(translation: Translation) -> tuple[str, ...] | None:
    """:attr:`_ExactRule.let_refs` of one let or test (the memo's key: the rule, the
    let's name or the check's XPath, and the keys of these variables' values)."""
    return None if translation.contextual else tuple(sorted(translation.refs))


def _needed(lets: tuple[tuple[str, str], ...], tests: list[str]) -> tuple[tuple[str, str], ...]:
    """The lets the tests use, directly or through other lets (one only a message
    uses is not evaluated: what lxml reads raises no error, so leaving it out
    changes no verdict)."""
    wanted: set[str] = set()
    for text in [*tests]:
        wanted.update(re.findall(r"\$([A-Za-z_][\w]*)", text))
    for name, value in reversed(lets):
        if name in wanted:
            wanted.update(re.findall(r"\$([A-Za-z_][\w]*)", value))
    return tuple((name, value) for name, value in lets if name in wanted)


def _outside_predicates(expr: str, pattern: str) -> bool:
    """Whether ``pattern`` is found in ``expr`` outside its predicates and literals."""
    return bool(re.search(pattern, split_predicates(expr)[0]))


def _split_union(context: str) -> list[str]:
    return [alt.strip() for alt in split_top_level(context)]


def _parse_alone(alt: str, scope: dict[str, str], keys: dict[str, Term] | None = None) -> str | None:
    """One alternative of a rule context, as the path selecting the nodes it
    matches (:func:`_selecting`; ``None``: not a location path of steps, such as a
    function call, a variable or a parenthesised head)."""
    if not alt or alt.startswith(("(", "$", ".")):
        return None
    term = translate(alt, scope, keys=keys)
    if term is None or term.kind != "nodes" or term.uses_current or term.uses_id:
        return None
    if _outside_predicates(alt, r"\.\.|(?:ancestor|parent|following|preceding)[\w-]*\s*::"):
        return None  # not an XSLT pattern (Saxon: a static error)
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

"""The XPath 2.0 functions lxml lacks, as :mod:`~tei_tools.validation.schematron_exact`
calls them: ``number``, ``matches``, ``tokenize`` and ``key``, each with XPath
2.0's meaning on the arguments the translator lets through (anything else it
leaves to Saxon).

- ``number(x)``: ``x`` cast to ``xs:double`` (``1e3`` is 1000, ``' 5 '`` is 5,
  what does not cast is NaN), not XPath 1.0's ``number`` (``1e3`` is NaN there);
  a value whose reading might differ between XSD 1.0 and 1.1 (``+INF``) raises,
  so the pattern goes to Saxon;
- ``matches(s, '^R$')``: ``R`` in a subset of regular expressions whose meaning is
  the same in Python's ``re`` and XPath (:func:`plain_regex`), matched against the
  whole string;
- ``tokenize(s, ' ')``: the strings between single spaces (``''``: none);
- ``key(name, values)``: the elements an ``xsl:key`` of the schema indexes under
  any of ``values``, in document order; the index is built once per document
  (:class:`Evaluation`).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache

from lxml import etree

FUNCTIONS_NS = "urn:x-tei-tools:schematron-exact"
PREFIX = "ttexact"
"""The prefix the translated XPath gives these functions (see :data:`FUNCTIONS_NS`)."""

_DOUBLE = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
_XSD_SPACE = " \t\r\n"
_PLAIN = re.compile(r"""(?:\\[.\-()\[\]{}|?*+^$\\]|\{[0-9]+(?:,[0-9]*)?\}|[A-Za-z0-9 _#:/,\-()|?*+\[\]^])*""")


class Undecided(Exception):
    """The value is one whose XPath 2.0 meaning this module does not claim."""


def plain_regex(pattern: str) -> str | None:
    """``^R$`` → ``R`` when ``R`` means the same to Python's ``re`` (``fullmatch``)
    and to XPath 2.0's ``matches`` with no flags: literal ASCII letters, digits and
    a few signs, ``[…]`` classes of them, groups, ``|`` inside a group, the greedy
    quantifiers; no ``.``, no ``\\d``/``\\w``/``\\p``, no ``(?``, no lazy quantifier,
    no ``|`` at the top (``^a|b$`` is "starts with a or ends with b")."""
    if len(pattern) < 2 or pattern[0] != "^" or pattern[-1] != "$" or pattern[-2:] == "\\$":
        return None
    body = pattern[1:-1]
    if not _PLAIN.fullmatch(body) or "(?" in body or re.search(r"[?*+}]\?", body):
        return None
    depth = 0
    in_class = False
    escaped = False
    for i, ch in enumerate(body):
        if escaped:
            escaped = False
            continue
        if ch == "\\":
            escaped = True
        elif in_class:
            if ch == "]":
                in_class = False
            elif ch in "[(){}|?*+" or (ch == "^" and body[i - 1] != "["):
                return None
        elif ch == "[":
            in_class = True
            if body[i + 1:i + 2] == "]":
                return None
        elif ch == "^" or ch == "]":
            return None
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
            if depth < 0:
                return None
        elif (ch == "|" and depth == 0) or (ch in "?*+{" and (i == 0 or body[i - 1] in "(|")):
            return None
    if depth or in_class or escaped:
        return None
    try:
        re.compile(body)
    except re.error:
        return None
    return body


@lru_cache(maxsize=256)
def _regex(body: str) -> re.Pattern[str]:
    return re.compile(body)


def _string(value: object) -> str:
    """The string an atom argument stands for (a node set of at most one: its value)."""
    if isinstance(value, list):
        if not value:
            return ""
        first = value[0]
        if isinstance(first, etree._Element):
            return str(_STRING_VALUE(first))
        return str(first)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        raise Undecided("a number as a string")
    return str(value)


_STRING_VALUE = etree.XPath("string()")


def number(_context: object, value: object) -> float:
    if isinstance(value, bool):
        return 1.0 if value else 0.0
    if isinstance(value, float):
        return value
    text = _string(value).strip(_XSD_SPACE)
    if _DOUBLE.fullmatch(text):
        return float(text)
    if text in ("INF", "-INF", "NaN"):
        return {"INF": math.inf, "-INF": -math.inf}.get(text, math.nan)
    if text.lstrip("+-") in ("INF", "NaN"):
        raise Undecided(text)
    return math.nan


def matches(_context: object, value: object, body: str) -> bool:
    return _regex(body).fullmatch(_string(value)) is not None


def tokenize(_context: object, value: object, _separator: str) -> list[str]:
    text = _string(value)
    return text.split(" ") if text else []


STATELESS: dict[tuple[str, str], Callable[..., object]] = {
    (FUNCTIONS_NS, "number"): number,
    (FUNCTIONS_NS, "matches"): matches,
    (FUNCTIONS_NS, "tokenize"): tokenize,
}
"""The functions that need no document: compiled once with the XPath that calls them."""


@dataclass(frozen=True, slots=True)
class Key:
    """An ``xsl:key`` as lxml evaluates it: the elements it indexes and, on each,
    its ``use`` (``kind``: ``nodes``, ``string`` or ``strings``)."""

    name: str
    select: str
    use: str
    kind: str
    namespaces: tuple[tuple[str, str], ...]


@dataclass
class Evaluation:
    """One document being decided: the XPath of rules that call ``key`` (compiled
    for it) and the keys' indexes (built when first called)."""

    keys: dict[str, Key]
    _compiled: dict[tuple[str, tuple[tuple[str, str], ...]], etree.XPath] = field(default_factory=dict)
    _index: dict[str, tuple[dict[str, list[int]], list[etree._Element]]] = field(default_factory=dict)
    _tree: etree._ElementTree | None = None
    memo: dict[object, object] = field(default_factory=dict)
    """Values that depend only on the document and other values (see
    :meth:`~tei_tools.validation.schematron_exact.ExactPattern.fires`)."""

    def xpath(self, text: str, namespaces: tuple[tuple[str, str], ...]) -> etree.XPath:
        compiled = self._compiled.get((text, namespaces))
        if compiled is None:
            extensions = {k: f for k, f in STATELESS.items() if f"{PREFIX}:{k[1]}(" in text}
            extensions[(FUNCTIONS_NS, "key")] = self.key
            compiled = self._compiled[(text, namespaces)] = etree.XPath(
                text, namespaces={**dict(namespaces), PREFIX: FUNCTIONS_NS}, extensions=extensions)
        return compiled

    def bind(self, tree: etree._ElementTree) -> None:
        if self._tree is not tree:
            self._tree = tree
            self._index.clear()
            self.memo.clear()

    def key(self, _context: object, name: str, values: object) -> list[etree._Element]:
        assert self._tree is not None
        index, elements = self._built(name)
        wanted = values if isinstance(values, list) else [values]
        positions = {p for v in wanted for p in index.get(_string([v]) if isinstance(v, etree._Element)
                                                           else _string(v), ())}
        return [elements[p] for p in sorted(positions)]

    def _built(self, name: str) -> tuple[dict[str, list[int]], list[etree._Element]]:
        built = self._index.get(name)
        if built is not None:
            return built
        key = self.keys[name]
        assert self._tree is not None
        found = self.xpath(key.select, key.namespaces)(self._tree)
        if not isinstance(found, list):
            raise Undecided(key.select)
        elements = [e for e in found if isinstance(e, etree._Element)]
        use = self.xpath(key.use, key.namespaces)
        index: dict[str, list[int]] = {}
        for position, element in enumerate(elements):
            value = use(element)
            items = value if isinstance(value, list) else [value]
            for item in items:
                index.setdefault(_string([item]), []).append(position)
        built = self._index[name] = (index, elements)
        return built

"""James Clark's derivative algorithm for RELAX NG validation, memoised.

A document is validated by taking, for each start tag, attribute, text and
end tag, the derivative of the current pattern with respect to it
("An algorithm for RELAX NG validation", J. Clark, 2002). Patterns are
hash-consed (:mod:`.patterns`), so each derivative is cached by the
pattern's serial number and the event: the states of a long document repeat
and most events are answered from the caches.

The functions here never see the document; :mod:`.validator` walks it.
"""

from __future__ import annotations

from collections.abc import Callable

from tei_tools.validation.rng.datatypes import xml_tokens
from tei_tools.validation.rng.patterns import (
    AFTER,
    ATTRIBUTE,
    CHOICE,
    DATA,
    ELEMENT,
    GROUP,
    INTERLEAVE,
    LIST,
    ONE_OR_MORE,
    TEXT,
    VALUE,
    NameClass,
    Pattern,
    Patterns,
    QName,
    names_of,
)

XML_SPACE = " \t\r\n"
MEMO_TEXT_MAX = 200
"""Texts longer than this are not cached (they rarely repeat)."""
MEMO_VALUES_MAX = 200_000
"""Entries of the caches keyed by a text or a value, at most (then they start again)."""


def is_whitespace(s: str) -> bool:
    return not s.strip(XML_SPACE)


_UNKNOWN = object()


def _names(nc: NameClass) -> frozenset[QName] | None:
    """The names of a name class, ``None`` when it is open."""
    listed = names_of(nc)
    return None if listed is None else frozenset((n.ns, n.local) for n in listed)


def _union(parts: list[frozenset[QName] | None]) -> frozenset[QName] | None:
    """All the names of ``parts``; ``None`` when one of them is open."""
    known = [x for x in parts if x is not None]
    return frozenset().union(*known) if len(known) == len(parts) else None


def _unique(p: Pattern) -> bool:
    """An ``xsd:ID`` value: never seen twice in a valid document, so never cached
    (a worker's caches would fill with every id of every document)."""
    return p.kind == DATA and p.a.id_type == "ID"


class Derivatives:
    """The derivatives of one grammar's patterns, with their caches."""

    def __init__(self, patterns: Patterns) -> None:
        self.p = patterns
        self._open: dict[tuple[int, QName], Pattern] = {}
        self._close: dict[int, Pattern] = {}
        self._end: dict[int, Pattern] = {}
        self.end_memo = self._end
        """What :meth:`end_tag` cached (read by the validator's walk, written here only)."""
        self._text: dict[tuple[int, str], Pattern] = {}
        self.text_memo = self._text
        """What :meth:`text` cached: ``(state, "")`` for a state that does not read
        the text (``reads`` false); read by the validator's walk, written here only."""
        self._att: dict[tuple[int, QName, frozenset[int]], Pattern] = {}
        self._att_candidates: dict[tuple[int, QName], tuple[Pattern, ...]] = {}
        self._att_names: dict[int, frozenset[QName] | None] = {}
        self._value_ok: dict[tuple[int, str], bool] = {}

    # -- text ------------------------------------------------------------------
    def text(self, p: Pattern, s: str, ctx: dict[str | None, str]) -> Pattern:
        key = (p.n, s if p.reads else "")
        memo = not p.ctx and (len(s) <= MEMO_TEXT_MAX or not p.reads) and not _unique(p)
        if memo:
            hit = self._text.get(key)
            if hit is not None:
                return hit
        result = self._text_deriv(p, s, ctx)
        if memo:
            if len(self._text) >= MEMO_VALUES_MAX:
                self._text.clear()  # bounded memory; only speed depends on it
            self._text[key] = result
        return result

    def _text_deriv(self, p: Pattern, s: str, ctx: dict[str | None, str]) -> Pattern:
        P = self.p
        k = p.kind
        if k == CHOICE:
            return P.choices([self.text(m, s, ctx) for m in p.members])
        if k == INTERLEAVE:
            return P.choice(P.interleave(self.text(p.a, s, ctx), p.b),
                            P.interleave(p.a, self.text(p.b, s, ctx)))
        if k == GROUP:
            g = P.group(self.text(p.a, s, ctx), p.b)
            return P.choice(g, self.text(p.b, s, ctx)) if p.a.nullable else g
        if k == AFTER:
            return P.after(self.text(p.a, s, ctx), p.b)
        if k == ONE_OR_MORE:
            return P.group(self.text(p.a, s, ctx), P.choice(p, P.empty))
        if k == TEXT:
            return p
        if k == VALUE:
            return P.empty if p.a.value(s, ctx) == p.b else P.not_allowed
        if k == DATA:
            if not p.a.allows(s, ctx):
                return P.not_allowed
            if p.b is not None and self.text(p.b, s, ctx).nullable:
                return P.not_allowed
            return P.empty
        if k == LIST:
            q = p.a
            for token in xml_tokens(s):
                q = self.text(q, token, ctx)
            return P.empty if q.nullable else P.not_allowed
        return P.not_allowed

    def value_matches(self, p: Pattern, s: str, ctx: dict[str | None, str]) -> bool:
        """Whether an attribute's value ``s`` matches its content pattern ``p``."""
        if p.b is None and _unique(p):  # an ID (never cached): its datatype, directly
            allowed: bool = p.a.allows(s, ctx)
            return allowed
        key = (p.n, s)
        hit = self._value_ok.get(key)
        if hit is None:
            hit = (p.nullable and is_whitespace(s)) or self.text(p, s, ctx).nullable
            if not p.ctx and not _unique(p):
                if len(self._value_ok) >= MEMO_VALUES_MAX:
                    self._value_ok.clear()
                self._value_ok[key] = hit
        return hit

    # -- start tag ---------------------------------------------------------------
    def start_tag_open(self, p: Pattern, q: QName) -> Pattern:
        key = (p.n, q)
        hit = self._open.get(key)
        if hit is None:
            hit = self._open[key] = self._open_deriv(p, q)
        return hit

    def _open_deriv(self, p: Pattern, q: QName) -> Pattern:
        P = self.p
        k = p.kind
        if k == CHOICE:
            return P.choices([self.start_tag_open(m, q) for m in p.members])
        if k == ELEMENT:
            return P.after(p.content, P.empty) if p.a.contains(q) else P.not_allowed
        if k == INTERLEAVE:
            a, b = p.a, p.b
            return P.choice(
                self._apply_after(lambda x: P.interleave(x, b), self.start_tag_open(a, q)),
                self._apply_after(lambda x: P.interleave(a, x), self.start_tag_open(b, q)))
        if k == ONE_OR_MORE:
            rest = P.choice(p, P.empty)
            return self._apply_after(lambda x: P.group(x, rest), self.start_tag_open(p.a, q))
        if k == GROUP:
            b = p.b
            x = self._apply_after(lambda y: P.group(y, b), self.start_tag_open(p.a, q))
            return P.choice(x, self.start_tag_open(b, q)) if p.a.nullable else x
        if k == AFTER:
            b = p.b
            return self._apply_after(lambda y: P.after(y, b), self.start_tag_open(p.a, q))
        return P.not_allowed

    def _apply_after(self, f: Callable[[Pattern], Pattern], p: Pattern) -> Pattern:
        P = self.p
        if p.kind == AFTER:
            return P.after(p.a, f(p.b))
        if p.kind == CHOICE:
            return P.choices([self._apply_after(f, m) for m in p.members])
        return P.not_allowed

    # -- attributes ---------------------------------------------------------------
    def attribute_candidates(self, p: Pattern, q: QName) -> tuple[Pattern, ...]:
        """The attribute patterns of ``p`` (not inside elements) whose name class holds ``q``."""
        key = (p.n, q)
        hit = self._att_candidates.get(key)
        if hit is None:
            found: dict[int, Pattern] = {}
            self._collect_attributes(p, q, found, set())
            hit = self._att_candidates[key] = tuple(found.values())
        return hit

    def _collect_attributes(self, p: Pattern, q: QName, found: dict[int, Pattern],
                            seen: set[int]) -> None:
        if p.n in seen:
            return
        seen.add(p.n)
        names = self.attribute_names(p)
        if names is not None and q not in names:
            return  # no attribute pattern in there can match q
        k = p.kind
        if k == ATTRIBUTE:
            if p.a.contains(q):
                found[p.n] = p
        elif k == CHOICE:
            for m in p.members:
                self._collect_attributes(m, q, found, seen)
        elif k in (GROUP, INTERLEAVE):
            self._collect_attributes(p.a, q, found, seen)
            self._collect_attributes(p.b, q, found, seen)
        elif k in (ONE_OR_MORE, AFTER):
            self._collect_attributes(p.a, q, found, seen)

    def attribute_names(self, p: Pattern) -> frozenset[QName] | None:
        """The names the attribute patterns of ``p`` (not inside elements) can match;
        ``None`` when one of them is open (any name, a namespace)."""
        hit = self._att_names.get(p.n, _UNKNOWN)
        if hit is not _UNKNOWN:
            return hit  # type: ignore[return-value]
        k = p.kind
        if k == ATTRIBUTE:
            result = _names(p.a)
        elif k == CHOICE:
            result = _union([self.attribute_names(m) for m in p.members])
        elif k in (GROUP, INTERLEAVE):
            result = _union([self.attribute_names(p.a), self.attribute_names(p.b)])
        elif k in (ONE_OR_MORE, AFTER):
            result = self.attribute_names(p.a)
        else:
            result = frozenset()
        self._att_names[p.n] = result
        return result

    def attribute(self, p: Pattern, q: QName, matched: frozenset[int]) -> Pattern:
        """The derivative for an attribute named ``q`` whose value matches exactly the
        attribute patterns numbered ``matched`` (among :meth:`attribute_candidates`)."""
        key = (p.n, q, matched)
        hit = self._att.get(key)
        if hit is None:
            hit = self._att[key] = self._att_deriv(p, q, matched)
        return hit

    def _att_deriv(self, p: Pattern, q: QName, matched: frozenset[int]) -> Pattern:
        P = self.p
        k = p.kind
        if k == AFTER:
            return P.after(self.attribute(p.a, q, matched), p.b)
        if k == CHOICE:
            return P.choices([self.attribute(m, q, matched) for m in p.members])
        if k == GROUP:
            return P.choice(P.group(self.attribute(p.a, q, matched), p.b),
                            P.group(p.a, self.attribute(p.b, q, matched)))
        if k == INTERLEAVE:
            return P.choice(P.interleave(self.attribute(p.a, q, matched), p.b),
                            P.interleave(p.a, self.attribute(p.b, q, matched)))
        if k == ONE_OR_MORE:
            return P.group(self.attribute(p.a, q, matched), P.choice(p, P.empty))
        if k == ATTRIBUTE:
            return P.empty if p.n in matched else P.not_allowed
        return P.not_allowed

    def start_tag_close(self, p: Pattern, lenient: bool = False) -> Pattern:
        """After the attributes: attributes still expected become ``notAllowed``
        (``lenient``: ``empty``, to go on after a missing attribute)."""
        cache = self._close
        key = p.n if not lenient else -p.n
        hit = cache.get(key)
        if hit is None:
            hit = cache[key] = self._close_deriv(p, lenient)
        return hit

    def _close_deriv(self, p: Pattern, lenient: bool) -> Pattern:
        P = self.p
        k = p.kind
        if k == AFTER:
            return P.after(self.start_tag_close(p.a, lenient), p.b)
        if k == CHOICE:
            return P.choices([self.start_tag_close(m, lenient) for m in p.members])
        if k == GROUP:
            return P.group(self.start_tag_close(p.a, lenient), self.start_tag_close(p.b, lenient))
        if k == INTERLEAVE:
            return P.interleave(self.start_tag_close(p.a, lenient),
                                self.start_tag_close(p.b, lenient))
        if k == ONE_OR_MORE:
            return P.one_or_more(self.start_tag_close(p.a, lenient))
        if k == ATTRIBUTE:
            return P.empty if lenient else P.not_allowed
        return p

    # -- end tag -------------------------------------------------------------------
    def end_tag(self, p: Pattern, lenient: bool = False) -> Pattern:
        """``lenient``: close the element even if its content is incomplete."""
        key = p.n if not lenient else -p.n
        hit = self._end.get(key)
        if hit is None:
            hit = self._end[key] = self._end_deriv(p, lenient)
        return hit

    def _end_deriv(self, p: Pattern, lenient: bool) -> Pattern:
        P = self.p
        if p.kind == CHOICE:
            return P.choices([self.end_tag(m, lenient) for m in p.members])
        if p.kind == AFTER:
            return p.b if (lenient or p.a.nullable) else P.not_allowed
        return P.not_allowed


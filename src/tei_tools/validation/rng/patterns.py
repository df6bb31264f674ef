"""Hash-consed RELAX NG patterns and name classes (the simplified syntax).

Every pattern is built through a :class:`Patterns` table, which returns the
one existing object for an equal pattern: equality is identity, and the
derivative caches (:mod:`.derivative`) are keyed by the patterns' serial
numbers. Constructors apply the simplification rules that keep patterns
small (``notAllowed`` absorbs groups, ``empty`` is the unit of groups and
interleaves, choices are flattened, deduplicated and ordered).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

EMPTY, NOT_ALLOWED, TEXT, CHOICE, GROUP, INTERLEAVE, ONE_OR_MORE, LIST, DATA, VALUE, \
    ATTRIBUTE, ELEMENT, AFTER = range(13)

QName = tuple[str, str]
"""``(namespace URI, local name)``; ``""`` is no namespace."""


# -- name classes ---------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Name:
    ns: str
    local: str

    def contains(self, q: QName) -> bool:
        return q[0] == self.ns and q[1] == self.local


@dataclass(frozen=True, slots=True)
class AnyName:
    exclude: NameClass | None = None

    def contains(self, q: QName) -> bool:
        return self.exclude is None or not self.exclude.contains(q)


@dataclass(frozen=True, slots=True)
class NsName:
    ns: str
    exclude: NameClass | None = None

    def contains(self, q: QName) -> bool:
        return q[0] == self.ns and (self.exclude is None or not self.exclude.contains(q))


@dataclass(frozen=True, slots=True)
class NameChoice:
    a: NameClass
    b: NameClass

    def contains(self, q: QName) -> bool:
        return self.a.contains(q) or self.b.contains(q)


NameClass = Name | AnyName | NsName | NameChoice


def names_of(nc: NameClass) -> list[Name] | None:
    """The names of a name class, or ``None`` when it is open (any name, a namespace)."""
    if isinstance(nc, Name):
        return [nc]
    if isinstance(nc, NameChoice):
        a, b = names_of(nc.a), names_of(nc.b)
        return None if a is None or b is None else a + b
    return None


# -- patterns --------------------------------------------------------------------
class Pattern:
    """One simplified pattern; build them with :class:`Patterns`, compare with ``is``."""

    __slots__ = (
        "_content",
        "a",
        "b",
        "ctx",
        "extra",
        "kind",
        "members",
        "n",
        "nullable",
        "reads",
    )

    kind: int
    a: Any
    """The first child (a pattern), the name class, or the datatype, by kind."""
    b: Any
    """The second child, the content builder of an element, or a value, by kind."""
    n: int
    nullable: bool
    members: tuple[Pattern, ...]
    extra: Any
    ctx: bool
    reads: bool

    def __init__(self, kind: int, a: Any, b: Any, n: int, nullable: bool,
                 members: tuple[Pattern, ...] = (), extra: Any = None) -> None:
        self.kind = kind
        # whether matching text against it reads the namespace context (QName values)
        if kind in (DATA, VALUE):
            self.ctx = bool(getattr(a, "needs_context", False))
        elif kind == CHOICE:
            self.ctx = any(m.ctx for m in members)
        elif kind in (GROUP, INTERLEAVE, AFTER):
            self.ctx = a.ctx or b.ctx
        elif kind in (ONE_OR_MORE, LIST):
            self.ctx = a.ctx
        elif kind == ATTRIBUTE:
            self.ctx = b.ctx
        else:
            self.ctx = False
        # whether its text derivative depends on the text (data, value, list); if not,
        # all texts have the same derivative and one cache entry serves them
        if kind in (DATA, VALUE, LIST):
            self.reads = True
        elif kind == CHOICE:
            self.reads = any(m.reads for m in members)
        elif kind in (GROUP, INTERLEAVE):
            self.reads = a.reads or b.reads
        elif kind in (ONE_OR_MORE, AFTER):
            self.reads = a.reads
        else:
            self.reads = False
        self.a = a
        self.b = b
        self.n = n
        self.nullable = nullable
        self.members = members
        self.extra = extra
        self._content: Pattern | None = None

    # an element's content is built on first use (big grammars are read lazily)
    @property
    def content(self) -> Pattern:
        if self._content is None:
            build: Callable[[], Pattern] = self.b
            self._content = build()
        return self._content

    def __repr__(self) -> str:  # for debugging only
        return f"<Pattern {KIND_NAMES[self.kind]} #{self.n}>"


KIND_NAMES = ("empty", "notAllowed", "text", "choice", "group", "interleave", "oneOrMore",
              "list", "data", "value", "attribute", "element", "after")


def operands(x: Pattern) -> Sequence[Pattern]:
    """The patterns ``x`` is combined from, in order, within the current element: an
    element's or attribute's content is not entered, nor an ``after``'s continuation."""
    if x.kind == CHOICE:
        return x.members
    if x.kind in (GROUP, INTERLEAVE):
        return (x.a, x.b)
    if x.kind in (ONE_OR_MORE, LIST, AFTER):
        return (x.a,)
    return ()


def reachable(start: Pattern,
              follow: Callable[[Pattern], Sequence[Pattern]] = operands) -> Iterator[Pattern]:
    """Each pattern reachable from ``start`` through ``follow``, once, depth first in
    ``follow``'s order (iteratively: grammars are deep)."""
    seen: set[int] = set()
    todo = [start]
    while todo:
        x = todo.pop()
        if x.n in seen:
            continue
        seen.add(x.n)
        yield x
        todo.extend(reversed(follow(x)))


class Patterns:
    """The table that makes every pattern unique (one per grammar)."""

    def __init__(self) -> None:
        self._table: dict[tuple[object, ...], Pattern] = {}
        self._count = 0
        self.empty = self._new(EMPTY, None, None, True)
        self.not_allowed = self._new(NOT_ALLOWED, None, None, False)
        self.text = self._new(TEXT, None, None, True)

    def _new(self, kind: int, a: Any, b: Any, nullable: bool,
             members: tuple[Pattern, ...] = (), extra: Any = None) -> Pattern:
        self._count += 1
        return Pattern(kind, a, b, self._count, nullable, members, extra)

    def _interned(self, key: tuple[object, ...], kind: int, a: Any, b: Any,
                  nullable: bool, members: tuple[Pattern, ...] = (),
                  extra: Any = None) -> Pattern:
        found = self._table.get(key)
        if found is None:
            found = self._table[key] = self._new(kind, a, b, nullable, members, extra)
        return found

    def choice(self, a: Pattern, b: Pattern) -> Pattern:
        if a is b or b.kind == NOT_ALLOWED:
            return a
        if a.kind == NOT_ALLOWED:
            return b
        return self.choices([a, b])

    def choices(self, patterns: list[Pattern]) -> Pattern:
        """The choice of ``patterns``: flattened, without ``notAllowed``, deduplicated, ordered."""
        members: dict[int, Pattern] = {}
        for p in patterns:
            k = p.kind
            if k == CHOICE:
                for m in p.members:
                    members[m.n] = m
            elif k != NOT_ALLOWED:
                members[p.n] = p
        if not members:
            return self.not_allowed
        if len(members) == 1:
            return next(iter(members.values()))
        keys = sorted(members)
        key = (CHOICE, *keys)
        found = self._table.get(key)
        if found is None:
            ordered = tuple(members[k] for k in keys)
            found = self._table[key] = self._new(CHOICE, None, None,
                                                 any(m.nullable for m in ordered), ordered)
        return found

    def _pair_shortcut(self, a: Pattern, b: Pattern) -> Pattern | None:
        """A group or interleave of ``a`` and ``b`` that needs no new pattern:
        ``notAllowed`` absorbs it, ``empty`` is its unit."""
        if a.kind == NOT_ALLOWED or b.kind == NOT_ALLOWED:
            return self.not_allowed
        if a.kind == EMPTY:
            return b
        if b.kind == EMPTY:
            return a
        return None

    def group(self, a: Pattern, b: Pattern) -> Pattern:
        if (short := self._pair_shortcut(a, b)) is not None:
            return short
        return self._interned((GROUP, a.n, b.n), GROUP, a, b, a.nullable and b.nullable)

    def interleave(self, a: Pattern, b: Pattern) -> Pattern:
        if (short := self._pair_shortcut(a, b)) is not None:
            return short
        if a.n > b.n:  # interleave is commutative
            a, b = b, a
        return self._interned((INTERLEAVE, a.n, b.n), INTERLEAVE, a, b, a.nullable and b.nullable)

    def after(self, a: Pattern, b: Pattern) -> Pattern:
        if a.kind == NOT_ALLOWED or b.kind == NOT_ALLOWED:
            return self.not_allowed
        return self._interned((AFTER, a.n, b.n), AFTER, a, b, False)

    def one_or_more(self, p: Pattern) -> Pattern:
        if p.kind in (NOT_ALLOWED, EMPTY) or p.kind == ONE_OR_MORE:
            return p
        return self._interned((ONE_OR_MORE, p.n), ONE_OR_MORE, p, None, p.nullable)

    def optional(self, p: Pattern) -> Pattern:
        return self.choice(p, self.empty)

    def zero_or_more(self, p: Pattern) -> Pattern:
        return self.choice(self.one_or_more(p), self.empty)

    def list(self, p: Pattern) -> Pattern:
        if p.kind == NOT_ALLOWED:
            return p
        return self._interned((LIST, p.n), LIST, p, None, False)

    def data(self, datatype: object, exclude: Pattern | None = None) -> Pattern:
        """``datatype``: a :class:`~.datatypes.Datatype` (hashable, facets included)."""
        key = (DATA, datatype, exclude.n if exclude is not None else None)
        return self._interned(key, DATA, datatype, exclude, False)

    def value(self, datatype: object, value: object, text: str) -> Pattern:
        """``value``: the datatype's value of ``text`` (compared with ``==``)."""
        return self._interned((VALUE, datatype, value), VALUE, datatype, value, False, extra=text)

    def attribute(self, nc: NameClass, p: Pattern) -> Pattern:
        if p.kind == NOT_ALLOWED:
            return p
        return self._interned((ATTRIBUTE, nc, p.n), ATTRIBUTE, nc, p, False)

    def element(self, nc: NameClass, content: Callable[[], Pattern], key: object) -> Pattern:
        """An element pattern whose content is built by ``content()`` on first use;
        ``key`` identifies its definition (one element pattern per definition)."""
        return self._interned((ELEMENT, key), ELEMENT, nc, content, False)

    def __len__(self) -> int:
        return self._count

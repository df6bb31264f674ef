"""XML Schema regular expressions (the ``pattern`` facet), as jing reads them.

An expression is parsed into character classes and sequences, then matched
by simulating all paths at once (a set of positions per step: no
backtracking, no exponential case). Character classes are built the way
jing's translator builds them before handing them to ``java.util.regex``,
and keep that translation's meaning, so that a value matches here exactly
when it matches for jing. In particular a negated class with more than one
member, one of which jing represents as a union (``\\p{L}``, ``\\p{P}``,
``\\p{C}``, ``\\p{Lu}``, ``\\p{Ll}`` …), means "not (the simple members and
not that union)": ``[^\\p{C}\\p{Z}]`` — TEI's ``teidata.word`` — rejects
only separators (``Z``) and accepts soft hyphens, zero-width spaces,
private-use and tag characters, as jing does. Outside such classes the
meaning is the standard one.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import lru_cache


class RegexError(ValueError):
    """Not a regular expression of XML Schema Part 2."""


# -- character classes ---------------------------------------------------------
class CharClass:
    simple = True

    def direct(self, c: str) -> bool:  # what the class matches
        raise NotImplementedError

    def complement(self, c: str) -> bool:  # what its translated complement matches
        return not self.direct(c)

    def single(self) -> str | None:
        return None


@dataclass(frozen=True)
class Single(CharClass):
    ch: str

    def direct(self, c: str) -> bool:
        return c == self.ch

    def single(self) -> str | None:
        return self.ch


@dataclass(frozen=True)
class Span(CharClass):
    lo: int
    hi: int

    def direct(self, c: str) -> bool:
        return self.lo <= ord(c) <= self.hi


@dataclass(frozen=True)
class Prop(CharClass):
    """A Unicode general category (``L`` or ``Lu``) as ``java.util.regex`` knows it."""

    name: str

    def direct(self, c: str) -> bool:
        cat = unicodedata.category(c)
        return cat.startswith(self.name) if len(self.name) == 1 else cat == self.name


class Union(CharClass):
    simple = False

    def __init__(self, members: list[CharClass]) -> None:
        self.members = members
        self.simples = [m for m in members if m.simple]
        self.others = [m for m in members if not m.simple]

    def direct(self, c: str) -> bool:
        return any(m.direct(c) for m in self.members)

    def complement(self, c: str) -> bool:
        # jing writes [^s1s2&&K(o1)&&K(o2)]; Java negates the whole intersection
        if self.simples:
            return not (any(m.direct(c) for m in self.simples)
                        and all(m.complement(c) for m in self.others))
        return all(m.complement(c) for m in self.others)


class Subtraction(CharClass):
    simple = False

    def __init__(self, a: CharClass, b: CharClass) -> None:
        self.a, self.b = a, b

    def direct(self, c: str) -> bool:
        return self.a.direct(c) and self.b.complement(c)

    def complement(self, c: str) -> bool:
        return self.a.complement(c) or self.b.direct(c)


class Complement(CharClass):
    simple = False

    def __init__(self, a: CharClass) -> None:
        self.a = a

    def direct(self, c: str) -> bool:
        return self.a.complement(c)

    def complement(self, c: str) -> bool:
        return self.a.direct(c)


def _category(name: str) -> CharClass:
    """A ``\\p{..}`` category, built as jing builds it (Unicode 3.1 fix-ups included)."""
    base = Prop(name)
    if name == "P":
        return Union([base, Union([Single(c) for c in _PI + _PF])])
    if name == "L":
        return Union([base, Single("\u03f5"), Single("\u03f4")])
    if name == "C":
        return Union([base, _category("Cn")])
    if name == "Pi":
        return Union([Single(c) for c in _PI])
    if name == "Pf":
        return Union([Single(c) for c in _PF])
    if name == "Cn":
        return Subtraction(base, Union([Single("\u03f4"), Single("\u03f5")]))
    if name == "Lu":
        return Union([base, Single("\u03f4")])
    if name == "Ll":
        return Union([base, Single("\u03f5")])
    if name == "Nl":
        return Union([base, Span(0x16EE, 0x16F0)])
    if name == "No":
        return Subtraction(Union([base]), Span(0x16EE, 0x16F0))
    return base


_PI = "\u00ab\u2018\u201b\u201c\u201f\u2039"
_PF = "\u00bb\u2019\u201d\u203a"
_CATEGORIES = "LMNPZSC"
_SUBCATEGORIES = {"Lu", "Ll", "Lt", "Lm", "Lo", "Mn", "Mc", "Me", "Nd", "Nl", "No", "Pc", "Pd",
                  "Ps", "Pe", "Pi", "Pf", "Po", "Zs", "Zl", "Zp", "Sm", "Sc", "Sk", "So", "Cc",
                  "Cf", "Co", "Cn"}
_BLOCKS = {  # the blocks of XML Schema Part 2 that lie outside the BMP, and a few common ones
    "BasicLatin": (0x0000, 0x007F), "Latin-1Supplement": (0x0080, 0x00FF),
    "LatinExtended-A": (0x0100, 0x017F), "LatinExtended-B": (0x0180, 0x024F),
    "IPAExtensions": (0x0250, 0x02AF), "CombiningDiacriticalMarks": (0x0300, 0x036F),
    "Greek": (0x0370, 0x03FF), "Cyrillic": (0x0400, 0x04FF), "Hebrew": (0x0590, 0x05FF),
    "Arabic": (0x0600, 0x06FF), "Devanagari": (0x0900, 0x097F),
    "LatinExtendedAdditional": (0x1E00, 0x1EFF), "GreekExtended": (0x1F00, 0x1FFF),
    "GeneralPunctuation": (0x2000, 0x206F), "CJKSymbolsandPunctuation": (0x3000, 0x303F),
    "Hiragana": (0x3040, 0x309F), "Katakana": (0x30A0, 0x30FF),
    "CJKUnifiedIdeographsExtensionA": (0x3400, 0x4DB5), "CJKUnifiedIdeographs": (0x4E00, 0x9FFF),
    "HangulSyllables": (0xAC00, 0xD7A3), "CJKCompatibilityIdeographs": (0xF900, 0xFAFF),
    "HalfwidthandFullwidthForms": (0xFF00, 0xFFEF),
    "OldItalic": (0x10300, 0x1032F), "Gothic": (0x10330, 0x1034F), "Deseret": (0x10400, 0x1044F),
    "ByzantineMusicalSymbols": (0x1D000, 0x1D0FF), "MusicalSymbols": (0x1D100, 0x1D1FF),
    "MathematicalAlphanumericSymbols": (0x1D400, 0x1D7FF),
    "CJKUnifiedIdeographsExtensionB": (0x20000, 0x2A6D6),
    "CJKCompatibilityIdeographsSupplement": (0x2F800, 0x2FA1F), "Tags": (0xE0000, 0xE007F),
}


class _NameStart(CharClass):
    """``\\i``: XML 1.0 (2nd edition) name-start characters, BMP only (as jing)."""

    def direct(self, c: str) -> bool:
        if c in "_:":
            return True
        return ord(c) < 0x10000 and unicodedata.category(c) in ("Ll", "Lu", "Lo", "Lt", "Nl")


class _NameChar(CharClass):
    """``\\c``: XML 1.0 (2nd edition) name characters, BMP only (as jing)."""

    def direct(self, c: str) -> bool:
        if c in "_:-.\u00b7":
            return True
        return ord(c) < 0x10000 and unicodedata.category(c) in (
            "Ll", "Lu", "Lo", "Lt", "Nl", "Mc", "Me", "Mn", "Lm", "Nd")


_DOT = Complement(Union([Single("\n"), Single("\r")]))
_ESC_S = Union([Single(" "), Single("\n"), Single("\r"), Single("\t")])
_ESC_W = Union([Prop("P"), Prop("Z"), Prop("C")])
_MULTI = {"s": _ESC_S, "S": Complement(_ESC_S), "i": _NameStart(), "I": Complement(_NameStart()),
          "c": _NameChar(), "C": Complement(_NameChar()), "d": Prop("Nd"),
          "D": Complement(Prop("Nd")), "w": Complement(_ESC_W), "W": _ESC_W}
_SINGLE_ESCAPES = {"n": "\n", "r": "\r", "t": "\t"}
_QUOTABLE = set("\\|.-^?*+(){}[]")


# -- expressions -----------------------------------------------------------------
@dataclass(frozen=True)
class _Piece:
    atom: object  # CharClass or _Alt
    low: int
    high: int | None


@dataclass(frozen=True)
class _Alt:
    branches: tuple[tuple[_Piece, ...], ...]


class _Parser:
    def __init__(self, text: str) -> None:
        self.s = text
        self.i = 0

    def peek(self) -> str | None:
        return self.s[self.i] if self.i < len(self.s) else None

    def take(self) -> str:
        if self.i >= len(self.s):
            raise RegexError("unexpected end of the expression")
        c = self.s[self.i]
        self.i += 1
        return c

    def regex(self) -> _Alt:
        branches = [self.branch()]
        while self.peek() == "|":
            self.i += 1
            branches.append(self.branch())
        return _Alt(tuple(branches))

    def branch(self) -> tuple[_Piece, ...]:
        pieces = []
        while (c := self.peek()) is not None and c not in "|)":
            atom = self.atom()
            low, high = self.quantifier()
            pieces.append(_Piece(atom, low, high))
        return tuple(pieces)

    def atom(self) -> object:
        c = self.take()
        if c == "(":
            inner = self.regex()
            if self.take() != ")":
                raise RegexError("missing )")
            return inner
        if c == "\\":
            return self.escape()
        if c == "[":
            return self.char_class()
        if c == ".":
            return _DOT
        if c in "?*+{}])":
            raise RegexError(f"unexpected {c!r}")
        return Single(c)

    def quantifier(self) -> tuple[int, int | None]:
        c = self.peek()
        if c == "?":
            self.i += 1
            return 0, 1
        if c == "*":
            self.i += 1
            return 0, None
        if c == "+":
            self.i += 1
            return 1, None
        if c == "{":
            self.i += 1
            end = self.s.find("}", self.i)
            if end < 0:
                raise RegexError("missing }")
            body = self.s[self.i:end]
            self.i = end + 1
            low_s, comma, high_s = body.partition(",")
            if not low_s.isdigit() or (high_s and not high_s.isdigit()):
                raise RegexError(f"bad quantity {{{body}}}")
            low = int(low_s)
            high = int(high_s) if high_s else (None if comma else low)
            if high is not None and high < low:
                raise RegexError(f"bad quantity {{{body}}}")
            return low, high
        return 1, 1

    def escape(self) -> CharClass:
        c = self.take()
        if c in _SINGLE_ESCAPES:
            return Single(_SINGLE_ESCAPES[c])
        if c in _QUOTABLE:
            return Single(c)
        if c in _MULTI:
            return _MULTI[c]
        if c in "pP":
            prop = self.prop()
            return prop if c == "p" else Complement(prop)
        raise RegexError(f"bad escape \\{c}")

    def prop(self) -> CharClass:
        if self.take() != "{":
            raise RegexError("expected {")
        end = self.s.find("}", self.i)
        if end < 0:
            raise RegexError("missing }")
        name = self.s[self.i:end]
        self.i = end + 1
        if len(name) == 1 and name in _CATEGORIES:
            return _category(name)
        if len(name) == 2 and name in _SUBCATEGORIES:
            return _category(name)
        if name.startswith("Is") and name[2:] in _BLOCKS:
            return Span(*_BLOCKS[name[2:]])
        if name == "IsPrivateUse":
            return Union([Span(0xE000, 0xF8FF), Span(0xF0000, 0xFFFFD), Span(0x100000, 0x10FFFD)])
        raise RegexError(f"unknown property \\p{{{name}}}")

    def char_class(self) -> CharClass:
        negated = self.peek() == "^"
        if negated:
            self.i += 1
        members: list[CharClass] = []
        subtract = None
        while True:
            lower = self.class_char()
            members.append(lower)
            if self.peek() == "-":
                self.i += 1
                if self.peek() == "[":
                    self.i += 1
                    subtract = self.char_class()
                    break
                upper = self.class_char()
                lo, hi = lower.single(), upper.single()
                if lo is None or hi is None or lo > hi:
                    raise RegexError("bad range in a character class")
                members[-1] = Span(ord(lo), ord(hi))
                if self.peek() == "-":
                    self.i += 1
                    if self.take() != "[":
                        raise RegexError("expected [")
                    subtract = self.char_class()
                    break
            if self.peek() == "]":
                break
            if self.peek() is None:
                raise RegexError("missing ]")
        result: CharClass = members[0] if len(members) == 1 else Union(members)
        if negated:
            result = Complement(result)
        if subtract is not None:
            result = Subtraction(result, subtract)
        if self.take() != "]":
            raise RegexError("missing ]")
        return result

    def class_char(self) -> CharClass:
        c = self.take()
        if c == "\\":
            return self.escape()
        if c in "[]-":
            raise RegexError(f"{c!r} must be escaped in a character class")
        return Single(c)


class Regex:
    """A compiled XML Schema regular expression; :meth:`matches` the whole string."""

    def __init__(self, text: str) -> None:
        parser = _Parser(text)
        self.tree = parser.regex()
        if parser.i != len(text):
            raise RegexError(f"unexpected {text[parser.i]!r}")
        self.text = text

    def matches(self, s: str) -> bool:
        return len(s) in _run_alt(self.tree, s, frozenset((0,)))


def _run_alt(alt: _Alt, s: str, starts: frozenset[int]) -> frozenset[int]:
    out: set[int] = set()
    for branch in alt.branches:
        positions = starts
        for piece in branch:
            positions = _run_piece(piece, s, positions)
            if not positions:
                break
        out |= positions
    return frozenset(out)


def _step(atom: object, s: str, positions: frozenset[int]) -> frozenset[int]:
    if isinstance(atom, _Alt):
        return _run_alt(atom, s, positions)
    n = len(s)
    return frozenset(p + 1 for p in positions if p < n and atom.direct(s[p]))  # type: ignore[attr-defined]


def _run_piece(piece: _Piece, s: str, positions: frozenset[int]) -> frozenset[int]:
    for _ in range(piece.low):
        positions = _step(piece.atom, s, positions)
        if not positions:
            return positions
    result = set(positions)
    frontier = positions
    count = piece.low
    while frontier and (piece.high is None or count < piece.high):
        frontier = _step(piece.atom, s, frontier) - result
        result |= frontier
        count += 1
    return frozenset(result)


@lru_cache(maxsize=512)
def compile_regex(text: str) -> Regex:
    """The compiled expression (a pure function of the text; cached)."""
    return Regex(text)

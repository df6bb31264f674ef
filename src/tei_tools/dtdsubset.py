"""The internal DTD subset of a DOCTYPE, read before libxml2 sees the document.

Older TEI often starts ``<!DOCTYPE TEI [ <!ENTITY % TEI.prose "INCLUDE">
<!ENTITY mdash "&#x2014;"> ]>``. Such a subset is accepted when it holds only
*internal* entity declarations (general or parameter entities with a literal
value), comments and processing instructions; the general entities are then
expanded by the parser, within bounds checked here first:

* an entity expands (recursively) to at most :data:`MAX_ENTITY_CHARS`
  characters, through at most :data:`MAX_ENTITY_DEPTH` levels of entities;
* the references in the document expand to at most :data:`MAX_TOTAL_CHARS`
  characters in all (counted before parsing, an upper bound);
* an entity that refers to itself, or to an undeclared entity, is refused.

The document handed to the XML parser is the one *after* expansion, done here
(:func:`expand_references`), with the DOCTYPE blanked out (its lines kept):
libxml2 never expands an entity, and markup in an entity value takes the
namespaces in scope where it is used, as XML says. Line breaks in a value are
written as ``&#10;`` in text and as spaces inside tags (where XML normalises
them to spaces anyway), so every line of the document keeps its number.

Everything else is refused with the rule it breaks, at the declaration's
line and column, before anything is read or expanded: an external entity
(``SYSTEM``/``PUBLIC``, the ``file:///etc/passwd`` vector), a parameter-entity
reference in the subset (it would inject declarations), element, attribute-list
and notation declarations, conditional sections. No external identifier is
ever opened or fetched (the DOCTYPE's own external identifier is refused by
:mod:`tei_tools.xmlio`).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import NamedTuple

MAX_ENTITY_CHARS = 1024 * 1024
MAX_ENTITY_DEPTH = 8
MAX_TOTAL_CHARS = 16 * 1024 * 1024
PREDEFINED = {"lt": 1, "gt": 1, "amp": 1, "apos": 1, "quot": 1}

_NAME = r"[A-Za-z_:\u00C0-\uFFFF][\w.:\-\u00B7\u00C0-\uFFFF]*"


class _Patterns(NamedTuple):
    declaration: re.Pattern[str]
    """``<!ENTITY [%] name``"""
    reference: re.Pattern[str]
    """``&name;``"""
    parameter: re.Pattern[str]
    """``%name;``"""


@functools.cache
def _names() -> _Patterns:
    """The patterns naming entities, compiled on first use: the name's character
    classes (up to U+FFFF) take ~20 ms each to compile, and most documents have no
    internal subset."""
    return _Patterns(re.compile(r"<!ENTITY\s+(%\s+)?(" + _NAME + r")\s+"),
                     re.compile(r"&(" + _NAME + r");"), re.compile(r"%(" + _NAME + r");"))


class SubsetError(Exception):
    """A refused subset: ``offset`` (in the text given) of the culprit, the rule."""

    def __init__(self, offset: int, message: str, code: str) -> None:
        super().__init__(message)
        self.offset = offset
        self.message = message
        self.code = code


@dataclass(frozen=True)
class Entity:
    name: str
    parameter: bool
    value: str
    offset: int


@dataclass(frozen=True)
class Subset:
    """The accepted declarations of an internal subset."""

    entities: tuple[Entity, ...]
    end: int
    """Offset just after the subset's closing ``]``."""

    @property
    def general(self) -> dict[str, Entity]:
        return {e.name: e for e in self.entities if not e.parameter}


def read_subset(text: str, start: int) -> Subset:
    """Read the internal subset that starts after the ``[`` at ``start - 1``."""
    pos = start
    entities: list[Entity] = []
    seen: set[tuple[bool, str]] = set()
    while True:
        ws = re.compile(r"\s*").match(text, pos)
        pos = ws.end() if ws else pos
        if pos >= len(text):
            raise SubsetError(start, "the DOCTYPE's internal subset is not closed with ]>",
                              "XML-DTD")
        if text.startswith("]", pos):
            return Subset(tuple(entities), pos + 1)
        if text.startswith("<!--", pos):
            end = text.find("-->", pos + 4)
            if end < 0:
                raise SubsetError(pos, "unclosed comment in the DOCTYPE", "XML-DTD")
            pos = end + 3
            continue
        if text.startswith("<?", pos):
            end = text.find("?>", pos + 2)
            if end < 0:
                raise SubsetError(pos, "unclosed processing instruction in the DOCTYPE",
                                  "XML-DTD")
            pos = end + 2
            continue
        match = _names().declaration.match(text, pos)
        if match:
            entity, pos = _entity(text, pos, match)
            key = (entity.parameter, entity.name)
            if key not in seen:  # XML: the first declaration binds
                seen.add(key)
                entities.append(entity)
            continue
        pe = _names().parameter.match(text, pos)
        if pe:
            raise SubsetError(pos, f"DOCTYPE refers to the parameter entity '%{pe.group(1)};' in "
                              "its internal subset; it could declare anything, so it is refused "
                              "unread (only internal entity declarations are read)", "XML-ENTITY")
        other = re.compile(r"<!(\[|[A-Z]+)").match(text, pos)
        what = {"ELEMENT": "an element type", "ATTLIST": "an attribute list",
                "NOTATION": "a notation", "[": "a conditional section"}.get(
                    other.group(1) if other else "", "something that is not a declaration")
        raise SubsetError(pos, f"DOCTYPE declares {what} in its internal subset; only internal "
                          "entity declarations are read (no DTD is applied): remove it",
                          "XML-DTD")


def _entity(text: str, pos: int, match: re.Match[str]) -> tuple[Entity, int]:
    parameter, name = bool(match.group(1)), match.group(2)
    after = match.end()
    if re.compile(r"(SYSTEM|PUBLIC)\b").match(text, after):
        raise SubsetError(pos, f"DOCTYPE declares an external entity '{name}'; entity "
                          "declarations are refused unread (external-entity and expansion "
                          "attacks)", "XML-ENTITY")
    quote = text[after:after + 1]
    if quote not in ("'", '"'):
        raise SubsetError(pos, f"entity '{name}' in the DOCTYPE has no quoted value",
                          "XML-DTD")
    close = text.find(quote, after + 1)
    if close < 0:
        raise SubsetError(pos, f"the value of entity '{name}' in the DOCTYPE is not closed",
                          "XML-DTD")
    value = text[after + 1:close]
    tail = re.compile(r"\s*(NDATA\s+\S+\s*)?>").match(text, close + 1)
    if not tail:
        raise SubsetError(pos, f"the declaration of entity '{name}' in the DOCTYPE is not closed "
                          "with >", "XML-DTD")
    if tail.group(1):
        raise SubsetError(pos, f"DOCTYPE declares an external entity '{name}' (NDATA); entity "
                          "declarations are refused unread (external-entity and expansion "
                          "attacks)", "XML-ENTITY")
    pe = _names().parameter.search(value)
    if pe:
        raise SubsetError(pos, f"the value of entity '{name}' refers to the parameter entity "
                          f"'%{pe.group(1)};', which XML forbids in an internal subset",
                          "XML-ENTITY")
    return Entity(name, parameter, value, pos), tail.end()


def check_expansion(subset: Subset, body: str) -> None:
    """Refuse entities that expand too far (see the module docstring)."""
    general = subset.general
    sizes: dict[str, tuple[int, int]] = {}

    def size(name: str, stack: tuple[str, ...]) -> tuple[int, int]:
        if name in PREDEFINED:
            return 1, 0
        if name in sizes:
            return sizes[name]
        entity = general[name]
        if name in stack:
            raise SubsetError(entity.offset, f"entity '{name}' refers to itself (through "
                              f"{' → '.join((*stack, name))}); refused", "XML-ENTITY")
        total, depth = len(_names().reference.sub("", entity.value)), 0
        for ref in _names().reference.findall(entity.value):
            if ref not in general and ref not in PREDEFINED:
                raise SubsetError(entity.offset, f"entity '{name}' refers to '&{ref};', which "
                                  "is not declared", "XML-ENTITY")
            n, d = size(ref, (*stack, name))
            total += n
            depth = max(depth, d + 1)
            if total > MAX_ENTITY_CHARS or depth > MAX_ENTITY_DEPTH:
                raise SubsetError(entity.offset, _too_big(name), "XML-ENTITY")
        sizes[name] = (total, depth)
        return total, depth

    for name in general:
        size(name, ())
    total = 0
    for ref in _names().reference.findall(body):
        if ref in general:
            total += sizes[ref][0]
            if total > MAX_TOTAL_CHARS:
                entity = general[ref]
                raise SubsetError(entity.offset, f"the references to entity '{ref}' in the "
                                  f"document expand to more than {MAX_TOTAL_CHARS // 1048576} MiB "
                                  "(an entity-expansion bomb?); refused before expansion",
                                  "XML-ENTITY")


def _too_big(name: str) -> str:
    return (f"DOCTYPE declares an internal entity '{name}' that expands to more than "
            f"{MAX_ENTITY_CHARS // 1048576} MiB or through more than {MAX_ENTITY_DEPTH} levels "
            "of entities (an entity-expansion bomb?); refused before expansion")


# -- expansion -------------------------------------------------------------------
_CHARREF = re.compile(r"&#(x[0-9a-fA-F]+|[0-9]+);")
_NEXT = re.compile(r"[<&]")


def replacement_texts(subset: Subset) -> dict[str, str]:
    """Each general entity's replacement text: its literal value with character
    references expanded (XML 4.5: they are expanded when declared; entity
    references in it are expanded where it is used)."""
    def char(match: re.Match[str]) -> str:
        code = match.group(1)
        value = int(code[1:], 16) if code.startswith("x") else int(code)
        if value in (0x9, 0xA, 0xD) or 0x20 <= value <= 0xD7FF or 0xE000 <= value <= 0xFFFD \
                or 0x10000 <= value <= 0x10FFFF:
            return chr(value)
        return match.group(0)  # not a character: the parser reports it

    return {name: _CHARREF.sub(char, e.value) for name, e in subset.general.items()}


def expand_references(text: str, replacements: dict[str, str]) -> str:
    """``text`` (a document after its DOCTYPE) with the references to declared
    entities replaced, in content and in attribute values, never in comments,
    CDATA sections or processing instructions. Bounded by
    :func:`check_expansion`, which must have accepted the subset."""
    return _expand(text, replacements, attribute=False, depth=0)


def _expand(text: str, replacements: dict[str, str], attribute: bool, depth: int) -> str:
    if depth > MAX_ENTITY_DEPTH + 1:  # check_expansion refused deeper ones already
        raise SubsetError(0, "entities nested too deep", "XML-ENTITY")
    out: list[str] = []
    pos, n = 0, len(text)
    while pos < n:
        found = _NEXT.search(text, pos)
        if not found:
            out.append(text[pos:])
            break
        start = found.start()
        out.append(text[pos:start])
        if text[start] == "&":
            ref = _names().reference.match(text, start)
            if ref and ref.group(1) in replacements:
                value = _expand(replacements[ref.group(1)], replacements, attribute, depth + 1)
                if attribute:  # XML normalises the value's whitespace to spaces
                    value = re.sub(r"[\n\r\t]", " ", value)
                    out.append(value.replace('"', "&quot;").replace("'", "&apos;"))
                else:
                    out.append(_one_line(value))
                pos = ref.end()
            else:
                out.append("&")
                pos = start + 1
            continue
        if attribute:  # "<" in an attribute value: left for the parser to refuse
            out.append("<")
            pos = start + 1
            continue
        for opening, closing in (("<!--", "-->"), ("<![CDATA[", "]]>"), ("<?", "?>")):
            if text.startswith(opening, start):
                end = text.find(closing, start + len(opening))
                end = n if end < 0 else end + len(closing)
                out.append(text[start:end])
                pos = end
                break
        else:
            pos = _tag(text, start, replacements, depth, out)
    return "".join(out)


def _one_line(value: str) -> str:
    """A replacement text without line breaks, meaning the same: ``&#10;`` in text,
    a space inside a tag."""
    if "\n" not in value and "\r" not in value:
        return value
    parts = re.split(r"(<[^>]*>)", value)
    return "".join(re.sub(r"[\n\r]", " ", p) if p.startswith("<")
                   else p.replace("\r", "&#13;").replace("\n", "&#10;") for p in parts)


_TAG_PART = re.compile(r"""[^"'>]+|"[^"]*"|'[^']*'""")


def _tag(text: str, start: int, replacements: dict[str, str], depth: int,
         out: list[str]) -> int:
    """Copy the tag at ``start`` with the references in its attribute values expanded."""
    pos = start
    while pos < len(text):
        if text[pos] == ">":
            out.append(">")
            return pos + 1
        part = _TAG_PART.match(text, pos)
        if not part:  # a lone quote: not well-formed, left for the parser
            out.append(text[pos])
            pos += 1
            continue
        piece = part.group(0)
        if piece[0] in "\"'" and "&" in piece:
            piece = piece[0] + _expand(piece[1:-1], replacements, True, depth + 1) + piece[-1]
        out.append(piece)
        pos = part.end()
    return pos

"""Namespaces and small tree helpers shared by the ODD processor."""

from __future__ import annotations

from lxml import etree

TEI = "http://www.tei-c.org/ns/1.0"
RNG = "http://relaxng.org/ns/structure/1.0"
SCH = "http://purl.oclc.org/dsdl/schematron"
ANN = "http://relaxng.org/ns/compatibility/annotations/1.0"
XML = "http://www.w3.org/XML/1998/namespace"
TEIX = "http://www.tei-c.org/ns/Examples"
XSD_TYPES = "http://www.w3.org/2001/XMLSchema-datatypes"

SPEC_KINDS = ("elementSpec", "classSpec", "macroSpec", "dataSpec")
REF_KINDS = ("elementRef", "classRef", "macroRef", "dataRef")


def t(local: str) -> str:
    """Clark name of a TEI element."""
    return f"{{{TEI}}}{local}"


def r(local: str) -> str:
    """Clark name of a RELAX NG element."""
    return f"{{{RNG}}}{local}"


_TEI_OPEN = "{" + TEI + "}"
_RNG_OPEN = "{" + RNG + "}"


def local(el: etree._Element) -> str:
    tag = el.tag
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def ns_of(el: etree._Element) -> str | None:
    tag = el.tag
    if not isinstance(tag, str) or not tag.startswith("{"):
        return None
    return tag[1:tag.index("}")]


def is_tei(el: etree._Element, *names: str) -> bool:
    tag = el.tag
    if not isinstance(tag, str) or not tag.startswith(_TEI_OPEN):
        return False
    return not names or tag[len(_TEI_OPEN):] in names


def is_rng(el: etree._Element, *names: str) -> bool:
    tag = el.tag
    if not isinstance(tag, str) or not tag.startswith(_RNG_OPEN):
        return False
    return not names or tag[len(_RNG_OPEN):] in names


def elements(el: etree._Element) -> list[etree._Element]:
    """Element children (no comments or processing instructions)."""
    return [c for c in el if isinstance(c.tag, str)]


def parent_of(el: etree._Element) -> etree._Element:
    """``el``'s parent, for an element reached by iterating *below* some other element, so
    that it has one by construction; a missing parent is a bug here, never bad input."""
    parent = el.getparent()
    if parent is None:
        raise RuntimeError(f"<{local(el)}> (line {el.sourceline}) was expected inside another element")
    return parent


def tei_children(el: etree._Element, name: str) -> list[etree._Element]:
    return el.findall(_TEI_OPEN + name)


def first(el: etree._Element, name: str) -> etree._Element | None:
    return el.find(_TEI_OPEN + name)


def occurs(el: etree._Element) -> tuple[int, int]:
    """``(@minOccurs, @maxOccurs)``, each defaulting to 1; ``-1`` is unbounded."""
    lo = (el.get("minOccurs") or "1").strip() or "1"
    hi = (el.get("maxOccurs") or "1").strip() or "1"
    low = int(lo)
    high = -1 if hi == "unbounded" else int(hi)
    return low, high

"""What a RELAX NG grammar allows, per element name (test support: the schema-subset
tests compare the project grammar with tei_all through it).

For any RELAX NG in XML syntax (the project's or tei_all.rng) it indexes, for
each element name, the union over all its definitions of

* the child elements it may contain,
* its attributes: which are required, their closed value lists, their datatypes.

This is a summary of the grammar (order and co-occurrence constraints are not
kept), never used to decide validity nor to word errors: the validator reads
what was expected from its derivatives (``tei_tools.validation.rng.messages``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from lxml import etree

from tei_tools.validation.rng.simplify import inherited

RNG_NS = "http://relaxng.org/ns/structure/1.0"
XML_NS = "http://www.w3.org/XML/1998/namespace"


def _q(tag: str) -> str:
    return f"{{{RNG_NS}}}{tag}"


@dataclass
class AttributeInfo:
    values: set[str] = field(default_factory=set)
    datatypes: set[str] = field(default_factory=set)
    free: bool = False
    """True when any string is accepted (``text`` or an unrestricted datatype)."""


@dataclass
class ElementInfo:
    children: set[str] = field(default_factory=set)
    attributes: dict[str, AttributeInfo] = field(default_factory=dict)
    required_everywhere: set[str] | None = None
    required_somewhere: set[str] = field(default_factory=set)
    any_attribute: bool = False
    any_child: bool = False


class Grammar:
    """Index of a RELAX NG grammar (XML syntax) by element name (Clark notation)."""

    def __init__(self, rng: etree._ElementTree) -> None:
        root = rng.getroot()
        self._defines: dict[str, list[etree._Element]] = {}
        for define in root.iter(_q("define")):
            self._defines.setdefault(define.get("name", ""), []).append(define)
        self.elements: dict[str, ElementInfo] = {}
        for el in root.iter(_q("element")):
            name = _element_name(el)
            if name is None:
                continue
            info = self.elements.setdefault(name, ElementInfo())
            kids: set[str] = set()
            atts: dict[str, AttributeInfo] = {}
            flags = {"any_attribute": False, "any_child": False}
            self._walk(el, kids, atts, flags, set())
            info.children |= kids
            for aname, ainfo in atts.items():
                merged = info.attributes.setdefault(aname, AttributeInfo())
                merged.values |= ainfo.values
                merged.datatypes |= ainfo.datatypes
                merged.free |= ainfo.free
            info.any_attribute |= flags["any_attribute"]
            info.any_child |= flags["any_child"]
            required = self._required(el, set(), top=True)
            info.required_somewhere |= self._required(el, set(), top=True, any_branch=True)
            info.required_everywhere = (required if info.required_everywhere is None
                                        else info.required_everywhere & required)
        # Attributes nearly every element has (TEI's att.global): listed last.
        counts: dict[str, int] = {}
        for info in self.elements.values():
            for aname in info.attributes:
                counts[aname] = counts.get(aname, 0) + 1
        threshold = 0.9 * len(self.elements)
        self.global_attributes = ({a for a, c in counts.items() if c >= threshold}
                                  if len(self.elements) >= 20 else set())

    # -- building ---------------------------------------------------------
    def _walk(self, node: etree._Element, kids: set[str], atts: dict[str, AttributeInfo],
              flags: dict[str, bool], seen: set[str]) -> None:
        for child in node:
            if not isinstance(child.tag, str):
                continue
            tag = child.tag
            if tag == _q("element"):
                name = _element_name(child)
                if name is None:
                    flags["any_child"] = True
                else:
                    kids.add(name)
            elif tag == _q("attribute"):
                name = _attribute_name(child)
                if name is None:
                    flags["any_attribute"] = True
                else:
                    info = atts.setdefault(name, AttributeInfo())
                    self._values(child, info, set())
            elif tag == _q("ref"):
                ref = child.get("name", "")
                if ref not in seen:
                    seen.add(ref)
                    for define in self._defines.get(ref, []):
                        self._walk(define, kids, atts, flags, seen)
            elif tag.startswith(f"{{{RNG_NS}}}"):
                self._walk(child, kids, atts, flags, seen)

    def _values(self, node: etree._Element, info: AttributeInfo, seen: set[str]) -> None:
        has_content = False
        for child in node:
            if not isinstance(child.tag, str) or child.tag == _q("name"):
                continue
            has_content = True
            tag = child.tag
            if tag == _q("value"):
                info.values.add((child.text or "").strip())
            elif tag == _q("data"):
                dtype = child.get("type", "string")
                restricted = child.find(_q("param")) is not None or child.find(_q("except")) is not None
                if dtype in ("string", "token", "normalizedString") and not restricted:
                    info.free = True
                info.datatypes.add(f"xsd:{dtype}")
            elif tag == _q("text"):
                info.free = True
            elif tag == _q("ref"):
                ref = child.get("name", "")
                if ref not in seen:
                    seen.add(ref)
                    for define in self._defines.get(ref, []):
                        self._values(define, info, seen)
            elif tag.startswith(f"{{{RNG_NS}}}"):
                self._values(child, info, seen)
        if node.tag == _q("attribute") and not has_content:
            info.free = True  # <attribute name="x"/> means any text

    def _required(self, node: etree._Element, seen: set[str], top: bool = False,
                  any_branch: bool = False) -> set[str]:
        """Attributes required by ``node``: in every branch of a choice, or in any
        branch with ``any_branch`` (required at least in some context)."""
        tag = node.tag
        if not isinstance(tag, str):
            return set()
        if tag == _q("attribute"):
            name = _attribute_name(node)
            return {name} if name else set()
        if tag == _q("element") and not top:
            return set()
        if tag in (_q("optional"), _q("zeroOrMore"), _q("text"), _q("data"), _q("value"),
                   _q("empty"), _q("notAllowed"), _q("list"), _q("name")):
            return set()
        if tag == _q("ref"):
            ref = node.get("name", "")
            if ref in seen:
                return set()
            defines = self._defines.get(ref, [])
            result: set[str] = set()
            for define in defines:
                result |= self._required(define, seen | {ref}, any_branch=any_branch)
            return result
        if tag == _q("choice"):
            branches = [self._required(c, seen, any_branch=any_branch)
                        for c in node if isinstance(c.tag, str)]
            if not branches:
                return set()
            return set.union(*branches) if any_branch else set.intersection(*branches)
        result = set()
        for child in node:
            result |= self._required(child, seen, any_branch=any_branch)
        return result

    # -- queries ----------------------------------------------------------
    def element(self, name: str) -> ElementInfo | None:
        return self.elements.get(name)


def _element_name(el: etree._Element) -> str | None:
    name = el.get("name")
    ns_holder = el
    if name is None:
        name_el = el.find(_q("name"))
        if name_el is None:
            return None
        name = (name_el.text or "").strip()
        ns_holder = name_el
    if ":" in name:
        prefix, local = name.split(":", 1)
        uri = el.nsmap.get(prefix)
        return f"{{{uri}}}{local}" if uri else local
    ns = inherited(ns_holder, "ns")
    return f"{{{ns}}}{name}" if ns else name


def _attribute_name(el: etree._Element) -> str | None:
    name = el.get("name")
    ns = el.get("ns", "")
    if name is None:
        name_el = el.find(_q("name"))
        if name_el is None:
            return None
        name = (name_el.text or "").strip()
        ns = name_el.get("ns", ns)
    if ":" in name:
        prefix, local = name.split(":", 1)
        uri = XML_NS if prefix == "xml" else el.nsmap.get(prefix)
        return f"{{{uri}}}{local}" if uri else local
    return f"{{{ns}}}{name}" if ns else name


def display_name(clark: str) -> str:
    """An element's name for people: no prefix in TEI's namespace."""
    qname = etree.QName(clark)
    if qname.namespace in (None, "http://www.tei-c.org/ns/1.0"):
        return qname.localname
    return f"{qname.localname} (namespace {qname.namespace})"


def attribute_display(clark: str) -> str:
    qname = etree.QName(clark)
    if qname.namespace == XML_NS:
        return f"xml:{qname.localname}"
    if qname.namespace:
        return f"{{{qname.namespace}}}{qname.localname}"
    return qname.localname

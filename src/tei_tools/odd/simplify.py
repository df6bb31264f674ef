"""Content-model clean-ups the TEI's ``odd2odd`` applies, reproduced for its verdicts.

The TEI pipeline rewrites content models while it copies specs; some of the
rewrites change what a grammar accepts (an ``alternate`` holding a single
``sequence`` loses its own ``@minOccurs``, an ``<empty/>`` among alternatives
vanishes). A customisation must give the same verdicts as the TEI's own
schema, so the same rewrites are made here, each in one function:

* :func:`copy_spec_part` — the copy of a spec the ODD adds, replaces or changes
  (``odd2odd-copy``: :func:`simplify_odd` on ``sequence``/``alternate``,
  :func:`simplify_rng` on embedded RELAX NG);
* :func:`tidy_content` — the final pass over every ``content`` (``pass4``).
"""

from __future__ import annotations

import copy

from lxml import etree

from tei_tools.odd.names import ANN, RNG, TEI, elements, is_rng, is_tei, local, ns_of, occurs, t

_KEEP_AS_IS = ("textNode", "valList", "anyElement")
_REFS = ("classRef", "elementRef", "macroRef", "dataRef")
_RNG_COPIED = ("element", "name", "attribute", "data", "text")
_RNG_GROUPS = ("choice", "list", "group", "optional", "oneOrMore", "zeroOrMore")


def copy_spec_part(el: etree._Element) -> etree._Element | None:
    """``el`` copied the way odd2odd copies what a customisation brings in."""
    if is_tei(el, "listRef"):
        return None
    if is_tei(el, "alternate", "sequence"):
        out = simplify_odd(el)
        return out[0] if out else None
    if is_rng(el, *_RNG_GROUPS):
        out = simplify_rng(el)
        return out[0] if out else None
    if is_tei(el, "memberOf"):
        m = etree.Element(t("memberOf"), key=el.get("key", ""))
        for a in ("min", "max"):
            if (value := el.get(a)) is not None:
                m.set(a, value)
        return m
    new = etree.Element(el.tag, dict(el.attrib), nsmap=el.nsmap)
    new.text = el.text
    new.tail = el.tail
    for child in el:
        if not isinstance(child.tag, str):
            if isinstance(child, etree._ProcessingInstruction):
                new.append(copy.copy(child))
            continue
        part = copy_spec_part(child)
        if part is not None:
            new.append(part)
    return new


def simplify_odd(el: etree._Element) -> list[etree._Element]:
    """One ``sequence``/``alternate`` (or other TEI element met inside one)."""
    name = local(el)
    low, high = occurs(el) if name in ("sequence", "alternate") else (1, 1)
    contents: list[etree._Element] = []
    for child in el:
        if not isinstance(child.tag, str):
            continue
        if ns_of(child) == ANN or is_rng(child, "element", "name", "attribute") or \
                is_tei(child, *_KEEP_AS_IS) or is_tei(child, *_REFS):
            contents.append(copy.deepcopy(child))
        else:
            contents.extend(simplify_odd(child))
    if len(contents) == 1 and local(contents[0]) == name:
        return contents
    if name in ("sequence", "alternate") and len(contents) == 1 and \
            is_tei(contents[0], "sequence", "alternate"):
        inner = occurs(contents[0])
        if (low, high) == (0, 1) and inner in ((0, -1), (1, -1)):
            return contents
        if (low, high) == (1, -1) and inner == (0, -1):
            out = etree.Element(el.tag, dict(el.attrib), nsmap=el.nsmap)
            out.extend(elements(contents[0]))
            return [out]
    if not contents:
        return []
    out = etree.Element(f"{{{TEI}}}{name}", nsmap=el.nsmap)
    out.set("minOccurs", str(low))
    out.set("maxOccurs", "unbounded" if high == -1 else str(high))
    for key, value in el.attrib.items():
        if key not in ("minOccurs", "maxOccurs"):
            out.set(key, value)
    out.extend(contents)
    return [out]


def simplify_rng(el: etree._Element) -> list[etree._Element]:
    """One embedded RELAX NG pattern, as odd2odd simplifies it."""
    name = local(el)
    contents: list[etree._Element] = []
    for child in el:
        if isinstance(child, etree._ProcessingInstruction):
            contents.append(copy.copy(child))
            continue
        if not isinstance(child.tag, str):
            continue
        if ns_of(child) == ANN:
            contents.append(copy.deepcopy(child))
        elif is_rng(child, *_RNG_COPIED):
            new = etree.Element(child.tag, dict(child.attrib), nsmap=child.nsmap)
            new.text = child.text
            for grand in child:
                if isinstance(grand.tag, str):
                    part = copy_spec_part(grand)
                    if part is not None:
                        new.append(part)
            contents.append(new)
        elif is_rng(child, "value"):
            v = etree.Element(f"{{{RNG}}}value")
            v.text = "".join(child.itertext())
            contents.append(v)
        elif is_rng(child, "ref"):
            contents.append(etree.Element(f"{{{RNG}}}ref", name=child.get("name", "")))
        else:
            contents.extend(simplify_rng(child))
    element_children = [c for c in contents if isinstance(c.tag, str)]
    if len(element_children) == 1:
        only = element_children[0]
        if local(only) == name:
            return [only]
        if name == "optional" and is_rng(only, "zeroOrMore", "oneOrMore"):
            return [only]
        if name == "oneOrMore" and is_rng(only, "zeroOrMore"):
            out = etree.Element(f"{{{RNG}}}oneOrMore")
            out.extend(elements(only))
            return [out]
    if not element_children:
        return []
    out = etree.Element(f"{{{RNG}}}{name}")
    out.extend(contents)
    return [out]


def tidy_content(content: etree._Element) -> etree._Element:
    """odd2odd's last pass over a ``content``: redundant wrappers go.

    An element whose only child has the same name is replaced by that child;
    its own attributes land on its parent (as in the TEI's XSLT, where a
    wrapper's ``@minOccurs``/``@maxOccurs`` overwrite the parent's).
    """
    out = etree.Element(content.tag, dict(content.attrib), nsmap=content.nsmap)
    out.text = content.text
    _tidy_children(content, out)
    return out


def _tidy_children(src: etree._Element, out: etree._Element) -> None:
    for child in src:
        if not isinstance(child.tag, str):
            continue
        _tidy(child, out)


def _tidy(el: etree._Element, parent: etree._Element) -> None:
    kids = elements(el)
    unwrap = False
    if is_rng(el, "optional") and len(kids) == 2 and all(is_rng(k, "zeroOrMore") for k in kids):
        unwrap = True
    elif len(kids) == 1:
        only = kids[0]
        if (local(only) == local(el) and ns_of(only) == ns_of(el)) or \
                (is_rng(el, "optional") and is_rng(only, "zeroOrMore", "oneOrMore")):
            unwrap = True
    if unwrap:
        if len(parent) == 0:
            for key, value in el.attrib.items():
                parent.set("rend" if key == "mode" else key, value)
        _tidy_children(el, parent)
        return
    new = etree.SubElement(parent, el.tag, nsmap=el.nsmap)
    for key, value in el.attrib.items():
        new.set("rend" if key == "mode" else key, value)
    new.text = el.text
    _tidy_children(el, new)

"""Applying a customisation's ``change`` to a spec (odd2odd's second pass).

``merge_spec(original, change, keys)`` returns the changed spec: each part
(classes, content, constraints, attributes, prose) comes from the change when
it has one, else from the original; attributes are merged one by one
(:func:`merge_attribute`) and class memberships added or deleted.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field

from lxml import etree

from tei_tools.odd.errors import OddError
from tei_tools.odd.names import elements, first, is_rng, local, t, tei_children
from tei_tools.odd.simplify import copy_spec_part


@dataclass
class OddKeys:
    """What the customisation says, indexed the way odd2odd looks it up."""

    file: str = ""
    delete: set[tuple[str, str]] = field(default_factory=set)     # (kind, ident)
    replace: dict[tuple[str, str], etree._Element] = field(default_factory=dict)
    change: dict[tuple[str, str], etree._Element] = field(default_factory=dict)
    change_att: dict[tuple[str, str], etree._Element] = field(default_factory=dict)
    delete_att: dict[tuple[str, str], etree._Element] = field(default_factory=dict)
    replace_att: dict[tuple[str, str], etree._Element] = field(default_factory=dict)
    constraint_modes: dict[str, str] = field(default_factory=dict)  # ident -> mode
    member_add: set[tuple[str, str]] = field(default_factory=set)  # (spec ident, class)
    member_delete: set[tuple[str, str]] = field(default_factory=set)


def _copy(el: etree._Element) -> etree._Element:
    new = copy.deepcopy(el)
    new.tail = None
    return new


def _from(change: etree._Element, original: etree._Element, name: str) -> list[etree._Element]:
    mine = tei_children(change, name)
    return [_copy(e) for e in (mine or tei_children(original, name))]


def merge_spec(original: etree._Element, change: etree._Element, keys: OddKeys) -> etree._Element:
    """The spec ``original`` with the ``mode="change"`` spec ``change`` applied (a new element,
    marked ``rend="change"``)."""
    kind = local(original)
    out = etree.Element(original.tag, nsmap=original.nsmap)
    for key, value in original.attrib.items():
        out.set(key, value)
    out.set("rend", "change")
    if kind == "elementSpec":
        _merge_element(out, original, change, keys)
    elif kind == "classSpec":
        _merge_class(out, original, change, keys)
    else:  # macroSpec, dataSpec
        _merge_macro(out, original, change, keys)
    return out


def _merge_element(out: etree._Element, original: etree._Element, change: etree._Element,
                   keys: OddKeys) -> None:
    """An ``elementSpec``'s parts, each the change's where it has one, else the original's
    (an empty ``content`` in the change empties it); classes, constraints and attributes
    merged member by member."""
    if (ns := change.get("ns")) is not None:
        out.set("ns", ns)
    out.extend(_copy(e) for e in tei_children(change, "altIdent"))
    for name in ("equiv", "gloss", "desc"):
        out.extend(_from(change, original, name))
    out.append(_classes(original, change, keys))
    content = etree.SubElement(out, t("content"))
    new_content = first(change, "content")
    if new_content is not None and not elements(new_content):
        pass
    elif new_content is not None:
        _copy_content_into(new_content, content, with_attributes=not any(
            is_rng(c) for c in elements(new_content)))
    else:
        old = first(original, "content")
        if old is not None:
            _copy_content_into(old, content, with_attributes=True)
    out.extend(_constraints(original, change, keys))
    if first(change, "attList") is not None or first(original, "attList") is not None:
        att_list = etree.SubElement(out, t("attList"))
        new_list = first(change, "attList")
        if new_list is not None and (org := new_list.get("org")):
            att_list.set("org", org)
        att_list.extend(_attributes(original, change, keys, element=True))
    for name in ("exemplum", "remarks"):
        out.extend(_from(change, original, name))


def _merge_class(out: etree._Element, original: etree._Element, change: etree._Element,
                 keys: OddKeys) -> None:
    """A ``classSpec``'s parts: descriptions, memberships, constraints, attributes."""
    for name in ("gloss", "altIdent", "equiv", "desc"):
        out.extend(_from(change, original, name))
    out.append(_classes(original, change, keys))
    out.extend(_constraints(original, change, keys))
    if first(original, "attList") is not None:
        att_list = etree.SubElement(out, t("attList"))
        att_list.extend(_attributes(original, change, keys, element=False))
    for name in ("exemplum", "remarks"):
        out.extend(_from(change, original, name))


def _merge_macro(out: etree._Element, original: etree._Element, change: etree._Element,
                 keys: OddKeys) -> None:
    """A ``macroSpec``'s or ``dataSpec``'s parts: the change's content or values
    replace the original's whole."""
    out.extend(_copy(e) for e in tei_children(change, "altIdent"))
    for name in ("equiv", "gloss", "desc"):
        out.extend(_from(change, original, name))
    if tei_children(change, "dataRef"):
        out.extend(_copy(e) for e in tei_children(change, "dataRef"))
    elif tei_children(change, "content"):
        out.extend(_copy(e) for e in tei_children(change, "content"))
    elif tei_children(original, "dataRef"):
        for e in tei_children(original, "dataRef"):
            part = copy_spec_part(e)
            if part is not None:
                out.append(part)
    else:
        for e in tei_children(original, "content"):
            part = copy_spec_part(e)
            if part is not None:
                out.append(part)
    if tei_children(change, "valList"):
        out.append(_copy(tei_children(change, "valList")[0]))
    elif tei_children(change, "stringVal"):
        out.extend(_copy(e) for e in tei_children(change, "stringVal"))
    else:
        out.extend(_copy(e) for e in tei_children(original, "stringVal"))
    out.extend(_constraints(original, change, keys))
    for name in ("exemplum", "remarks"):
        out.extend(_from(change, original, name))


def _copy_content_into(src: etree._Element, dest: etree._Element, with_attributes: bool) -> None:
    if with_attributes:
        for key, value in src.attrib.items():
            dest.set(key, value)
    for child in src:
        if isinstance(child.tag, str) or isinstance(child, etree._ProcessingInstruction):
            part = copy_spec_part(child) if isinstance(child.tag, str) else copy.copy(child)
            if part is not None:
                dest.append(part)


def _classes(original: etree._Element, change: etree._Element, keys: OddKeys) -> etree._Element:
    out = etree.Element(t("classes"))
    new = first(change, "classes")
    ident = original.get("ident", "")

    def member(key: str, source: etree._Element | None = None) -> None:
        m = etree.SubElement(out, t("memberOf"), key=key)
        if source is not None:
            for a in ("min", "max"):
                if (value := source.get(a)) is not None:
                    m.set(a, value)

    old = first(original, "classes")
    old_members = tei_children(old, "memberOf") if old is not None else []
    if new is not None and new.get("mode") == "change":
        for m in tei_children(new, "memberOf"):
            if m.get("mode") in (None, "add"):
                member(m.get("key", ""), m)
        for m in old_members:
            k = m.get("key", "")
            if (ident, k) in keys.member_delete or (ident, k) in keys.member_add:
                continue
            member(k)
    elif new is not None:
        for m in tei_children(new, "memberOf"):
            if m.get("mode") != "delete":
                out.append(_copy(m))
    else:
        for m in old_members:
            member(m.get("key", ""))
    return out


def _constraints(original: etree._Element, change: etree._Element,
                 keys: OddKeys) -> list[etree._Element]:
    out: list[etree._Element] = []
    mine = tei_children(change, "constraintSpec")
    for mode in ((None, "add"), ("replace",), ("change",)):
        out.extend(_copy(c) for c in mine if c.get("mode") in mode)
    for c in original.iter(t("constraintSpec")):
        if c.get("ident") in keys.constraint_modes:
            continue
        out.append(_copy(c))
    return out


def _attributes(original: etree._Element, change: etree._Element, keys: OddKeys,
                element: bool) -> list[etree._Element]:
    """odd2odd's ``processAttributes``: the changed spec's attList children."""
    out: list[etree._Element] = []
    spec = original.get("ident", "")
    orig_list = first(original, "attList")
    orig_idents = {a.get("ident") for a in original.iter(t("attDef"))} if orig_list is not None \
        else set()
    new_list = first(change, "attList")
    new_defs = tei_children(new_list, "attDef") if new_list is not None else []
    for a in new_defs:
        if a.get("mode") == "replace" and a.get("ident") in orig_idents:
            out.append(_copy(a))
    for a in new_defs:
        if a.get("mode") in (None, "add"):
            new = _copy(a)
            new.attrib.pop("mode", None)
            out.append(new)
    if element:
        for a in new_defs:
            if a.get("mode") in ("change", "delete", "replace") and a.get("ident") not in orig_idents:
                out.append(_copy(a))
    if new_list is not None:
        out.extend(_copy(a) for a in tei_children(new_list, "attRef"))
    if orig_list is None:
        return out
    for nested in tei_children(orig_list, "attList"):
        group = etree.Element(t("attList"))
        if value := nested.get("org"):
            group.set("org", value)
        for a in tei_children(nested, "attDef"):
            kept = _one_attribute(a, spec, keys, element)
            if kept is not None:
                group.append(kept)
        out.append(group)
    defs = []
    for a in tei_children(orig_list, "attDef"):
        kept = _one_attribute(a, spec, keys, element)
        if kept is not None:
            defs.append(kept)
    if org := orig_list.get("org"):
        group = etree.Element(t("attList"), org=org)
        group.extend(defs)
        out.append(group)
    else:
        out.extend(defs)
    return out


def _one_attribute(a: etree._Element, spec: str, keys: OddKeys,
                   element: bool) -> etree._Element | None:
    key = (spec, a.get("ident", ""))
    if key in keys.delete_att:
        return _copy(keys.delete_att[key]) if element else None
    if key in keys.replace_att:
        return None
    if key in keys.change_att:
        return merge_attribute(keys.change_att[key], a, file=keys.file)
    return _copy(a)


def merge_attribute(new: etree._Element, old: etree._Element,
                    class_override: bool = False, file: str = "") -> etree._Element:
    """One attribute changed: each part from the change if present, else the original."""
    out = etree.Element(t("attDef"), ident=old.get("ident", ""))
    if not class_override and (mode := old.get("mode")):
        out.set("mode", mode)
        out.set("rend", mode)
    usage = new.get("usage") or old.get("usage")
    if usage:
        out.set("usage", usage)
    for a in ("ns",):
        if (value := old.get(a)) is not None:
            out.set(a, value)
    out.extend(_copy(e) for e in tei_children(new, "altIdent"))
    order = ("equiv", "gloss", "desc", "constraintSpec", "datatype", "defaultVal", "valDesc") \
        if class_override else ("equiv", "gloss", "desc", "datatype", "constraintSpec",
                                "defaultVal", "valDesc")
    for name in order:
        out.extend(_from(new, old, name))
    vl = _merge_vallist(new, old, class_override, file)
    if vl is not None:
        out.append(vl)
    for name in ("exemplum", "remarks"):
        if class_override:
            out.extend(_copy(e) for e in tei_children(new, name))
        else:
            out.extend(_from(new, old, name))
    return out


def _merge_vallist(new: etree._Element, old: etree._Element,
                   class_override: bool, file: str) -> etree._Element | None:
    new_lists = tei_children(new, "valList")
    old_list = first(old, "valList")
    if (new_lists and new_lists[0].get("mode") == "delete") or \
            any(v.get("mode") == "delete" for v in new_lists):
        return None
    nl = next((v for v in new_lists if v.get("mode") in ("add", "replace")), None)
    if nl is not None or (class_override and new_lists and old_list is None and
                          new_lists[0].get("mode") == "change"):
        nl = new_lists[0]
        out = etree.Element(t("valList"))
        for a in ("type", "repeatable"):
            if (value := nl.get(a)) is not None:
                out.set(a, value)
        if not class_override and old_list is not None and (mode := old_list.get("mode")):
            out.set("mode", mode)
        out.extend(_copy(e) for e in elements(nl))
        return out
    if new_lists and new_lists[0].get("mode") == "change":
        nl = new_lists[0]
        out = etree.Element(t("valList"), dict(nl.attrib))
        new_items = {i.get("ident"): i for i in tei_children(nl, "valItem")}
        for item in tei_children(old_list, "valItem") if old_list is not None else []:
            mine = new_items.get(item.get("ident"))
            if mine is not None and mine.get("mode") in ("delete", "replace"):
                continue
            if mine is not None and mine.get("mode") == "add" and not class_override:
                raise OddError(file, f'<valItem ident="{item.get("ident")}" mode="add">: the value '
                                     'is already in the list; use mode="change" or "replace"',
                               line=mine.sourceline, code="ODD-VALITEM")
            out.append(_copy(item))
        for mode in ("add", "replace"):
            out.extend(_copy(i) for i in tei_children(nl, "valItem") if i.get("mode") == mode)
        return out
    if old_list is not None:
        return _copy(old_list)
    return None

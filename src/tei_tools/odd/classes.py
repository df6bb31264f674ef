"""Classes: attribute inheritance as the TEI resolves it, and model-class members.

An element inherits the attributes of each attribute class it is a member of,
and of that class's own superclasses. When the element redefines one of those
attributes (``attDef`` with ``mode="change"``, ``"replace"`` or ``"delete"``),
the class is not referenced whole: each untouched class attribute is
referenced one by one and the overridden one is merged into a local
definition (the TEI's ``classatts``). :func:`element_attributes` returns that
resolution for one element.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass

from lxml import etree

from tei_tools.odd.merge import merge_attribute
from tei_tools.odd.names import first, is_tei, local, t, tei_children


@dataclass(frozen=True)
class AttRef:
    """A reference to a whole class's attributes (``name`` None) or to one of them."""

    cls: str
    name: str | None = None


AttPart = AttRef | etree._Element
"""An attribute class reference, or an ``attDef``/``attList`` of the element's own."""


def element_attributes(element: etree._Element,
                       att_classes: dict[str, etree._Element]) -> list[AttPart]:
    """Everything an element's attribute list is made of, in the TEI's order."""
    own = list(element.iter(t("attDef")))
    classes = first(element, "classes")
    members = tei_children(classes, "memberOf") if classes is not None else []
    refs: list[AttPart] = []
    defs: list[AttPart] = []
    encountered: set[str] = set()
    for m in members:
        key = m.get("key", "")
        if key not in att_classes:
            continue
        if not own:
            refs.append(AttRef(key))
            continue
        found = _class_attributes(key, own, att_classes, set())
        if not found.overridden:
            refs.append(AttRef(key))
        else:
            encountered |= found.encountered
            refs.extend(found.refs)
            defs.extend(found.defs)
    out: list[AttPart] = refs + defs
    att_list = first(element, "attList")
    if att_list is not None:
        out.extend(_own_parts(att_list, encountered))
    return out


def _own_parts(att_list: etree._Element, encountered: set[str]) -> list[AttPart]:
    out: list[AttPart] = []
    for child in att_list:
        if not isinstance(child.tag, str):
            continue
        mode = child.get("mode")
        if mode == "replace" and child.get("ident") not in encountered:
            out.append(child)
        elif mode and mode != "add":
            continue
        elif is_tei(child, "attList"):
            nested = etree.Element(t("attList"), dict(child.attrib))
            for part in _own_parts(child, encountered):
                if isinstance(part, etree._Element):
                    nested.append(copy.deepcopy(part))
            out.append(nested)
        elif is_tei(child, "attDef", "attRef"):
            out.append(child)
    return out


@dataclass
class _Found:
    overridden: bool
    encountered: set[str]
    refs: list[AttPart]
    defs: list[AttPart]


def _class_attributes(key: str, own: list[etree._Element],
                      att_classes: dict[str, etree._Element], seen: set[str]) -> _Found:
    found = _Found(False, set(), [], [])
    cls = att_classes.get(key)
    if cls is None or key in seen:
        return found
    seen = seen | {key}
    for a in cls.iter(t("attDef")):
        ident = a.get("ident", "")
        found.encountered.add(ident)
        mine = [o for o in own if o.get("ident") == ident]
        if mine:
            found.overridden = True
            for o in mine:
                mode = o.get("mode")
                if mode == "delete":
                    continue
                if mode in (None, "replace"):
                    found.defs.append(o)
                else:
                    found.defs.append(merge_attribute(o, a, class_override=True))
        else:
            found.refs.append(AttRef(key, ident))
    classes = first(cls, "classes")
    for m in tei_children(classes, "memberOf") if classes is not None else []:
        sub = _class_attributes(m.get("key", ""), own, att_classes, seen)
        found.overridden = found.overridden or sub.overridden
        found.encountered |= sub.encountered
        found.refs.extend(sub.refs)
        found.defs.extend(sub.defs)
    return found


def class_members(specs: list[etree._Element]) -> dict[str, list[etree._Element]]:
    """For each class ident, the element and class specs that are its members, in order."""
    members: dict[str, list[etree._Element]] = {}
    for s in specs:
        if local(s) not in ("elementSpec", "classSpec"):
            continue
        classes = first(s, "classes")
        for m in tei_children(classes, "memberOf") if classes is not None else []:
            members.setdefault(m.get("key", ""), []).append(s)
    return members

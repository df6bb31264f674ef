"""RELAX NG (XML syntax) from a compiled ODD, with the TEI's verdicts.

:func:`build_grammar` turns a :class:`~tei_tools.odd.customise.Customisation`
into a ``<grammar>``: one ``define`` per element, model class (and its
``_alternation``/``_sequence…`` forms), attribute class (``C.attributes`` and
``C.attribute.X``), macro and datatype, like the TEI's ``odd2relax``; then
the same clean-up passes: a reference to a pattern nobody defines (an element
the customisation left out) is dropped, or becomes ``<empty/>`` when it was
alone; emptied groups, choices and repetitions go. Pure ODD content
(``sequence``, ``alternate``, ``elementRef``, ``classRef`` with ``@expand``,
``@minOccurs``/``@maxOccurs`` …) and embedded RELAX NG are both translated.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field

from lxml import etree

from tei_tools.odd.classes import AttRef, class_members, element_attributes
from tei_tools.odd.customise import Customisation, selected
from tei_tools.odd.names import (
    ANN,
    RNG,
    TEI,
    TEIX,
    XSD_TYPES,
    elements,
    first,
    is_rng,
    is_tei,
    local,
    ns_of,
    occurs,
    parent_of,
    t,
    tei_children,
)

MODEL_FORMS = ("", "alternation", "sequence", "sequenceOptional", "sequenceOptionalRepeatable",
               "sequenceRepeatable")
_R = f"{{{RNG}}}"


def R(tag: str, /, *children: etree._Element, **attrs: str) -> etree._Element:
    """A RELAX NG element ``tag`` with ``children`` and attributes."""
    el = etree.Element(_R + tag, attrs) if attrs else etree.Element(_R + tag)
    if children:
        el.extend(children)
    return el


@dataclass
class _Build:
    custom: Customisation
    idents: dict[str, etree._Element]
    members: dict[str, list[etree._Element]]
    prefix: str
    defines: list[etree._Element] = field(default_factory=list)
    any_count: int = 0

    def name(self, ident: str) -> str:
        spec = self.idents.get(re.sub(r"_(alternation|sequenceOptionalRepeatable|"
                                      r"sequenceOptional|sequenceRepeatable|sequence)$", "", ident))
        if spec is not None and (p := spec.get("prefix")):
            return ident if ident.startswith(p) else p + ident
        if spec is not None:
            return self.prefix + ident
        return ident


def build_grammar(custom: Customisation) -> etree._Element:
    """The RELAX NG grammar of a compiled customisation."""
    idents = custom.by_ident()
    b = _Build(custom, idents, class_members(custom.specs), custom.prefix)
    att_classes = {s.get("ident", ""): s for s in custom.specs
                   if local(s) == "classSpec" and s.get("type") == "atts"}
    for spec in custom.specs:
        if local(spec) in ("macroSpec", "dataSpec"):
            _macro(spec, b)
    for spec in custom.specs:
        kind = local(spec)
        if kind == "elementSpec":
            _element(spec, b, att_classes)
        elif kind == "classSpec" and spec.get("type") == "model":
            _model_class(spec, b)
        elif kind == "classSpec" and spec.get("type") == "atts":
            _att_class(spec, b)
    start: etree._Element | None = None  # a blank @start: no start pattern
    if custom.start is None or custom.start.strip():
        start = R("start")
        if custom.start:
            start.append(R("choice", *(R("ref", name=b.name(n)) for n in custom.start.split())))
        elif "teiCorpus" in idents:
            start.append(R("choice", R("ref", name=b.name("TEI")), R("ref", name=b.name("teiCorpus"))))
        else:
            start.append(R("ref", name=b.name("TEI")))
    body = list(b.defines) + ([start] if start is not None else [])
    body = _zap(body)
    body = [_swap(el) for el in body]
    body = _tidy(body)
    grammar = etree.Element(_R + "grammar", nsmap={None: RNG, "a": ANN, "tei": TEI, "teix": TEIX})
    grammar.set("ns", custom.ns)
    grammar.set("datatypeLibrary", XSD_TYPES)
    grammar.extend(body)
    return grammar


# -- specs -------------------------------------------------------------------------------
def _documentation(spec: etree._Element) -> etree._Element | None:
    for name in ("desc", "gloss"):
        el = first(spec, name)
        if el is not None:
            text = " ".join("".join(el.itertext()).split())
            if text:
                doc = etree.Element(f"{{{ANN}}}documentation")
                doc.text = text
                return doc
    return None


def _element(spec: etree._Element, b: _Build, att_classes: dict[str, etree._Element]) -> None:
    ident = spec.get("ident", "")
    define = R("define", name=(spec.get("prefix") or b.prefix) + ident)
    content = first(spec, "content")
    if content is not None and any(is_rng(c, "notAllowed") for c in elements(content)):
        define.append(R("notAllowed"))
        b.defines.append(define)
        return
    alt = first(spec, "altIdent")
    name = " ".join((alt.text or "").split()) if alt is not None else ident
    el = R("element", name=name)
    if value := spec.get("ns"):
        el.set("ns", value)
    doc = _documentation(spec)
    if doc is not None:
        el.append(doc)
    patterns: list[etree._Element] = []
    vl = first(spec, "valList")
    if vl is not None and vl.get("type") == "closed":
        patterns = [_values(spec)]
    elif content is not None:
        for child in content:
            if isinstance(child.tag, str):
                patterns.extend(_tangle(child, b, spec))
    el.extend(patterns or [R("empty")])
    has_atts = any(True for _ in spec.iter(t("attDef"), t("attRef"))) or any(
        m.get("key") in att_classes for m in spec.iter(t("memberOf")))
    if has_atts:
        for part in element_attributes(spec, att_classes):
            el.extend(_attribute_part(part, b, spec))
        el.append(R("empty"))
    define.append(el)
    b.defines.append(define)


def _attribute_part(part: AttRef | etree._Element, b: _Build,
                    spec: etree._Element) -> list[etree._Element]:
    if isinstance(part, AttRef):
        if part.cls not in b.idents:
            return []
        if part.name is None:
            return [R("ref", name=b.name(part.cls) + ".attributes")]
        return [R("ref", name=b.name(part.cls) + ".attribute." + part.name.replace(":", ""))]
    if is_tei(part, "attRef"):
        if cls := part.get("class"):
            if cls not in b.idents:
                return []
            att_name = part.get("name")
            suffix = (".attribute." + att_name.replace(":", "")) if att_name else ".attributes"
            return [R("ref", name=b.name(cls) + suffix)]
        return [R("ref", name=part.get("name", ""))]
    if is_tei(part, "attList"):
        return _att_list(part, b, spec)
    if part.get("ident", "").startswith("xmlns"):
        return []
    return [_attribute(part, b, spec)]


def _att_list(att_list: etree._Element, b: _Build, spec: etree._Element) -> list[etree._Element]:
    parts: list[etree._Element] = []
    for child in att_list:
        if isinstance(child.tag, str) and is_tei(child, "attDef", "attRef", "attList"):
            if is_tei(child, "attDef") and child.get("mode") == "delete":
                continue
            parts.extend(_attribute_part(child, b, spec))
    if not parts:
        return []
    if att_list.get("org") == "choice":
        return [R("choice", *parts)]
    outer = att_list.getparent()
    if att_list.get("org") == "group" and outer is not None and \
            is_tei(outer, "attList") and outer.get("org") == "choice":
        return [R("group", *parts)]
    return parts


def _model_class(spec: etree._Element, b: _Build) -> None:
    ident = spec.get("ident", "")
    base = (spec.get("prefix") or b.prefix) + ident
    forms = spec.get("generate")
    wanted = [("" if f == "NULL" else f) for f in forms.split()] if forms else list(MODEL_FORMS)
    members = b.members.get(ident, [])
    for form in wanted:
        define = R("define", name=base + (f"_{form}" if form else ""))
        if members:
            refs = [(m, _class_member(m, ident, form, b)) for m in members]
            if form == "sequence":
                for _, rs in refs:
                    define.extend(rs)
            elif form in ("sequenceOptional", "sequenceRepeatable", "sequenceOptionalRepeatable"):
                wrap = {"sequenceOptional": "optional", "sequenceRepeatable": "oneOrMore",
                        "sequenceOptionalRepeatable": "zeroOrMore"}[form]
                for _, rs in refs:
                    define.append(R(wrap, *rs))
            else:
                choice = R("choice")
                for _, rs in refs:
                    choice.extend(rs)
                define.append(choice)
        elif form in ("sequence", "sequenceOptional", "sequenceOptionalRepeatable"):
            define.append(R("empty"))
        else:
            define.append(R("notAllowed"))
        b.defines.append(define)


def _class_member(member: etree._Element, cls: str, form: str, b: _Build) -> list[etree._Element]:
    ident = member.get("ident", "")
    if local(member) == "classSpec":
        return [R("ref", name=(member.get("prefix") or b.prefix) + ident + (f"_{form}" if form
                                                                          else ""))]
    name = (member.get("prefix") or b.prefix) + ident
    m = next((x for x in member.iter(t("memberOf")) if x.get("key") == cls), None)
    low_s = m.get("min") if m is not None else None
    high_s = m.get("max") if m is not None else None
    low = int(low_s) if low_s and low_s.isdigit() else 1
    out = [R("ref", name=name) for _ in range(low)]
    if high_s == "unbounded":
        out.append(R("zeroOrMore", R("ref", name=name)))
    else:
        high = int(high_s) if high_s and high_s.isdigit() else 1
        out.extend(R("optional", R("ref", name=name)) for _ in range(low + 1, high + 1))
    return out


def _att_class(spec: etree._Element, b: _Build) -> None:
    c = (spec.get("prefix") or b.prefix) + spec.get("ident", "")
    define = R("define", name=c + ".attributes")
    classes = first(spec, "classes")
    for m in tei_children(classes, "memberOf") if classes is not None else []:
        sup = b.idents.get(m.get("key", ""))
        if sup is not None and local(sup) == "classSpec" and sup.get("type") == "atts":
            define.append(R("ref", name=(sup.get("prefix") or b.prefix) + sup.get("ident", "")
                            + ".attributes"))
    att_list = first(spec, "attList")
    defs = [a for a in att_list.iter(t("attDef"))] if att_list is not None else []
    for a in defs:
        if a.get("mode") != "delete" and not a.get("ident", "").startswith("xmlns"):
            define.append(R("ref", name=f"{c}.attribute.{a.get('ident', '').replace(':', '')}"))
    for a in att_list.iter(t("attRef")) if att_list is not None else []:
        define.extend(_attribute_part(a, b, spec))
    if not elements(define):
        define.append(R("empty"))
    b.defines.append(define)
    for a in defs:
        if not a.get("ident", "").startswith("xmlns"):
            b.defines.append(R("define", _attribute(a, b, spec),
                               name=f"{c}.attribute.{a.get('ident', '').replace(':', '')}"))


def _macro(spec: etree._Element, b: _Build) -> None:
    define = R("define", name=(spec.get("prefix") or b.prefix) + spec.get("ident", ""))
    content = first(spec, "content")
    parts: list[etree._Element] = []
    vl = first(spec, "valList")
    if vl is not None and vl.get("type") == "closed":
        parts = [_values(spec)]
    elif content is not None:
        kids = elements(content)
        if kids and is_rng(kids[0], "group") and not any(is_rng(g, "ref") for g in kids[0]) \
                and len(kids) == 1:
            parts = [R("choice", *[p for g in elements(kids[0]) for p in _tangle(g, b, spec)])]
        else:
            for child in kids:
                parts.extend(_tangle(child, b, spec))
    if not parts:
        define.append(R("choice", R("empty")))
    elif len(parts) > 1 and content is not None and any(is_rng(c, "text", "ref")
                                                         for c in elements(content)):
        define.append(R("choice", *parts))
    else:
        define.extend(parts)
    b.defines.append(define)


# -- content ------------------------------------------------------------------------------
def _repeat(el: etree._Element, patterns: list[etree._Element]) -> list[etree._Element]:
    low, high = occurs(el)
    wrapper = {(0, 1): "optional", (0, -1): "zeroOrMore", (1, -1): "oneOrMore"}.get((low, high))
    if wrapper:
        return [R(wrapper, *patterns)]
    out: list[etree._Element] = []
    for _ in range(low):
        out.extend(copy.deepcopy(p) for p in patterns)
    if high == -1:
        out.append(R("zeroOrMore", *(copy.deepcopy(p) for p in patterns)))
    else:
        for _ in range(low + 1, high + 1):
            out.append(R("optional", *(copy.deepcopy(p) for p in patterns)))
    return out


def _tangle(el: etree._Element, b: _Build, spec: etree._Element) -> list[etree._Element]:
    """Pure ODD (or embedded RELAX NG) content, as RELAX NG patterns."""
    if not isinstance(el.tag, str):
        return []
    if is_rng(el):
        return [_copy_rng(el, b, spec)]
    if not is_tei(el):
        return []
    kind = local(el)
    if kind in ("sequence", "interleave"):
        inner = [p for c in elements(el) for p in _tangle(c, b, spec)]
        if el.get("preserveOrder") == "false" or kind == "interleave":
            inner = [R("interleave", *inner)]
        all_data = all(is_tei(c, "dataRef") for c in elements(el))
        wrapper = "list" if all_data and elements(el) else "group"
        return [R(wrapper, *_repeat(el, inner))]
    if kind == "alternate":
        inner = [p for c in elements(el) for p in _tangle(c, b, spec)]
        return _repeat(el, [R("choice", *inner)])
    if kind == "textNode":
        return [R("text")]
    if kind in ("elementRef", "classRef", "macroRef"):
        return _reference(el, b)
    if kind == "dataRef":
        return _data_ref(el, b, spec, None)
    if kind == "anyElement":
        return _repeat(el, [R("ref", name=_any_element(el, b, spec))])
    if kind == "valList":
        parent = el.getparent()
        return [_values(parent)] if parent is not None else []
    return []


def _reference(el: etree._Element, b: _Build) -> list[etree._Element]:
    key = el.get("key", "")
    expand = el.get("expand")
    include, except_ = el.get("include"), el.get("except")

    members = [m for m in b.members.get(key, []) if selected(m.get("ident", ""), include, except_)]
    if not expand and (include or except_):
        c = [p for m in members for p in _class_member(m, key, "", b)]
    elif not expand:
        c = [R("ref", name=b.name(key))]
    elif expand == "sequence":
        c = [p for m in members for p in _class_member(m, key, expand, b)]
    elif expand in ("sequenceOptional", "sequenceRepeatable", "sequenceOptionalRepeatable"):
        wrap = {"sequenceOptional": "optional", "sequenceRepeatable": "oneOrMore",
                "sequenceOptionalRepeatable": "zeroOrMore"}[expand]
        c = [R(wrap, *_class_member(m, key, expand, b)) for m in members]
    else:
        c = [R("choice", *[p for m in members for p in _class_member(m, key, expand, b)])]
    low, high = occurs(el)
    if (low, high) == (1, 1):
        return c
    wrapper = {(0, 1): "optional", (0, -1): "zeroOrMore", (1, -1): "oneOrMore"}.get((low, high))
    if wrapper:
        return [R(wrapper, *c)]
    group = R("group")
    if low == 0:
        group.append(R("optional", *c))
    else:
        for _ in range(low):
            group.extend(copy.deepcopy(p) for p in c)
    if high == -1:
        group.append(R("zeroOrMore", *(copy.deepcopy(p) for p in c)))
    else:
        extra = high - low
        for _ in range(extra):
            group.append(R("optional", *(copy.deepcopy(p) for p in c)))
    return [group]


def _data_ref(el: etree._Element, b: _Build, spec: etree._Element,
              restriction: str | None) -> list[etree._Element]:
    if el.get("name"):
        data = R("data", type=el.get("name", ""))
        facets = tei_children(el, "dataFacet")
        if facets:
            for f in facets:
                p = R("param", name=f.get("name", ""))
                p.text = f.get("value", "")
                data.append(p)
        elif el.get("restriction") or restriction:
            p = R("param", name="pattern")
            p.text = el.get("restriction") or restriction
            data.append(p)
        return [data]
    key = el.get("key")
    if not key:
        return []
    target = b.idents.get(key)
    if target is None:
        target = b.custom.source.spec(key) if key not in b.idents else None
        if target is None or local(target) != "dataSpec":
            return []
    content = first(target, "content")
    if content is None:
        return []
    out: list[etree._Element] = []
    for child in elements(content):
        if is_tei(child, "dataRef"):
            out.extend(_data_ref(child, b, target, el.get("restriction")))
        else:
            out.extend(_tangle(child, b, target))
    return out


def _values(holder: etree._Element) -> etree._Element:
    choice = R("choice")
    for vl in tei_children(holder, "valList"):
        for item in tei_children(vl, "valItem"):
            alt = first(item, "altIdent")
            v = R("value")
            v.text = " ".join((alt.text or "").split()) if alt is not None else item.get("ident", "")
            choice.append(v)
            doc = _documentation(item)
            if doc is not None:
                choice.append(doc)
    return choice


def _copy_rng(el: etree._Element, b: _Build, spec: etree._Element) -> etree._Element:
    new = etree.Element(el.tag, dict(el.attrib))
    new.text = el.text
    for child in el:
        if not isinstance(child.tag, str):
            continue
        if is_rng(child) or ns_of(child) == ANN:
            new.append(_copy_rng(child, b, spec) if is_rng(child) else copy.deepcopy(child))
        else:
            new.extend(_tangle(child, b, spec))
    if is_rng(new, "ref"):
        new.set("name", b.name(new.get("name", "")))
    return new


def _any_element(el: etree._Element, b: _Build, spec: etree._Element) -> str:
    b.any_count += 1
    name = f"anyElement_{spec.get('ident', '')}{b.any_count:02d}"
    # @except as the Guidelines define it (the TEI's odd2relax reads an @exclude instead,
    # so there an @except is ignored); else schemaSpec/@defaultExceptions, else p5subset's
    exclude = el.get("except") or b.custom.default_exceptions
    except_ = R("except")
    for token in dict.fromkeys(exclude.split()):
        if token == "teix:egXML":
            n = R("name", ns=TEIX)
            n.text = "egXML"
            except_.append(n)
        elif re.fullmatch(r"\w+:\w+", token):
            prefix, local_name = token.split(":", 1)
            uri = el.nsmap.get(prefix)
            if uri:
                n = R("name", ns=uri)
                n.text = local_name
                except_.append(n)
            else:
                except_.append(R("nsName", ns=token))
        else:
            except_.append(R("nsName", ns=token))
    element = R("element", R("anyName", except_),
                R("zeroOrMore", R("attribute", R("anyName"))),
                R("zeroOrMore", R("choice", R("text"), R("ref", name=name))))
    b.defines.append(R("define", element, name=name))
    return name


# -- attributes ---------------------------------------------------------------------------
def _attribute(att: etree._Element, b: _Build, spec: etree._Element) -> etree._Element:
    alt = first(att, "altIdent")
    ident = att.get("ident", "")
    name = " ".join((alt.text or "").split()) if alt is not None else (
        ("xml:" if att.get("ns") == "http://www.w3.org/XML/1998/namespace" else "") + ident)
    attribute = R("attribute", name=name)
    if value := att.get("ns"):
        attribute.set("ns", value)
    default = first(att, "defaultVal")
    default_text = (default.text or "") if default is not None else ""
    if default_text.strip():
        attribute.set(f"{{{ANN}}}defaultValue", " ".join(default_text.split()))
    doc = _documentation(att)
    if doc is not None:
        attribute.append(doc)
    datatype = first(att, "datatype")
    low, high = occurs(datatype) if datatype is not None else (1, 1)
    data = _attribute_data(att, b, spec)
    if (low, high) == (0, 1):
        attribute.append(R("optional", *data))
    elif datatype is None or any(is_rng(c, "text") for c in elements(datatype)) or high == 1:
        attribute.extend(data)
    else:
        lst = R("list")
        if high == -1 and low == 1:
            lst.append(R("oneOrMore", *data))
        else:
            for _ in range(low):
                lst.extend(_attribute_data(att, b, spec))
            if high == -1:
                lst.append(R("zeroOrMore", *_attribute_data(att, b, spec)))
            else:
                for _ in range(low + 1, high + 1):
                    lst.append(R("optional", *_attribute_data(att, b, spec)))
        attribute.append(lst)
    if att.get("usage") == "req":
        return attribute
    return R("optional", attribute)


def _attribute_data(att: etree._Element, b: _Build, spec: etree._Element) -> list[etree._Element]:
    vl = first(att, "valList")
    datatype = first(att, "datatype")
    if vl is not None and vl.get("type") == "closed":
        return [_values(att)]
    if vl is not None and vl.get("type") == "semi":
        choice = _values(att)
        if datatype is None:
            choice.append(R("data", type="Name"))
        else:
            for child in elements(datatype):
                choice.extend(_datatype_part(child, b, spec))
        return [choice]
    if datatype is not None and elements(datatype):
        return [p for child in elements(datatype) for p in _datatype_part(child, b, spec)]
    return [R("text")]


def _datatype_part(el: etree._Element, b: _Build, spec: etree._Element) -> list[etree._Element]:
    if is_tei(el, "dataRef"):
        return _data_ref(el, b, spec, None)
    return _tangle(el, b, spec)


# -- the TEI's clean-up passes ------------------------------------------------------------
def _zap(body: list[etree._Element]) -> list[etree._Element]:
    """References to undefined patterns go (or become empty when alone); unused defines go."""
    defined = {d.get("name") for d in body if is_rng(d, "define")}
    referenced = {r.get("name") for d in body for r in d.iter(_R + "ref")}
    out = []
    for d in body:
        if is_rng(d, "define") and d.get("name") not in referenced:
            continue
        for ref in list(d.iter(_R + "ref")):
            parent = parent_of(ref)  # a descendant of the define or start d
            if ref.get("name") in defined:
                continue
            grand = parent.getparent()
            if is_rng(parent, "choice") and grand is not None and is_rng(grand, "start"):
                continue
            if len(elements(parent)) == 1:
                parent.replace(ref, R("empty"))
            else:
                parent.remove(ref)
        out.append(d)
    return out


def _swap(el: etree._Element) -> etree._Element:
    for group in list(el.iter(_R + "group")):
        kids = elements(group)
        if len(kids) == 1 and is_rng(kids[0], "optional"):
            opt = kids[0]
            new = R("optional", R("group", *elements(opt)))
            parent = group.getparent()
            if parent is not None:
                parent.replace(group, new)
    return el


_MEANINGFUL = ("text", "ref", "anyName", "attribute", "data", "name", "value")


def _has(el: etree._Element, names: tuple[str, ...]) -> bool:
    return any(is_rng(d, *names) for d in el.iterdescendants())


def _tidy(body: list[etree._Element]) -> list[etree._Element]:
    out = []
    for d in body:
        live = _live(d)
        new = etree.Element(d.tag, dict(d.attrib))
        for child in d:
            new.extend(_tidy_one(child, live))
        out.append(new)
    return out


_LIVE_TAGS = {_R + n for n in ("ref", "text", "data")}


def _live(root: etree._Element) -> set[etree._Element]:
    """The elements of ``root`` with a ``ref``, ``text`` or ``data`` below them (one pass)."""
    live: set[etree._Element] = set()
    for el in root.iter(*_LIVE_TAGS):
        for anc in el.iterancestors():
            if anc in live:
                break
            live.add(anc)
    return live


def _repeated_by_next(el: etree._Element, only: etree._Element) -> bool:
    """Whether the repetition ``el`` of the single pattern ``only`` is redundant: ``only``
    is a ``ref`` and the next sibling element holds one pattern whose ``ref`` children
    (or those of its one child, a ``group``) name the same definition."""
    what = only.get("name") if is_rng(only, "ref") else None
    nxt = el.getnext()
    while nxt is not None and not isinstance(nxt.tag, str):
        nxt = nxt.getnext()
    if what is None or nxt is None or len(elements(nxt)) != 1:
        return False
    inner = elements(nxt)[0]
    names = [r.get("name") for r in elements(inner) if is_rng(r, "ref")]
    if is_rng(inner, "group") and len(elements(inner)) == 1:
        names += [r.get("name") for r in elements(elements(inner)[0]) if is_rng(r, "ref")]
    return what in names


def _tidy_one(el: etree._Element, live: set[etree._Element]) -> list[etree._Element]:
    if not isinstance(el.tag, str):
        return []
    if not is_rng(el):
        if len(el) == 0:  # a:documentation: text only, cheaper than a deep copy
            leaf = etree.Element(el.tag, dict(el.attrib))
            leaf.text = el.text
            return [leaf]
        return [copy.deepcopy(el)]
    kind = local(el)
    kids = elements(el)
    if kind in ("list", "element"):
        new = etree.Element(el.tag, dict(el.attrib))
        new.text = el.text
        for c in el:
            new.extend(_tidy_one(c, live))
        if _has(new, _MEANINGFUL):
            return [new]
        keep = [c for c in new if ns_of(c) == ANN or is_rng(c, "anyName", "name", "nsName")]
        bare = etree.Element(el.tag, dict(el.attrib))
        bare.extend(keep)
        bare.append(R("empty"))
        return [bare]
    if kind == "group" and len(kids) == 1:
        return _tidy_one(kids[0], live)
    if kind in ("choice", "group"):
        if any(is_rng(c, "value", "name") for c in kids) or el in live:
            new = etree.Element(el.tag, dict(el.attrib))
            for c in el:
                new.extend(_tidy_one(c, live))
            return [new]
        return [R("empty")]
    if kind in ("optional", "zeroOrMore", "oneOrMore"):
        if not kids:
            return []
        if len(kids) == 1:
            only = kids[0]
            if is_rng(only, "empty"):
                return []
            if _repeated_by_next(el, only):
                return []
            if is_rng(only, "zeroOrMore"):
                return [p for c in el for p in _tidy_one(c, live)]
            if is_rng(only, "group") and len(elements(only)) == 1 and \
                    is_rng(elements(only)[0], "zeroOrMore"):
                return [p for c in el for p in _tidy_one(c, live)]
        new = etree.Element(el.tag, dict(el.attrib))
        for c in el:
            new.extend(_tidy_one(c, live))
        return [new]
    new = etree.Element(el.tag, dict(el.attrib))
    new.text = el.text
    for c in el:
        new.extend(_tidy_one(c, live))
    return [new]


def serialize(grammar: etree._Element) -> bytes:
    etree.indent(grammar, space="  ")
    return etree.tostring(grammar, xml_declaration=True, encoding="UTF-8", pretty_print=True)

"""HTML documentation of a customisation (``tei-tools odd doc``).

``write_documentation(odd, out)`` writes ``index.html`` (the ODD's own prose
and the list of what the schema defines) and one page per element, class,
macro and datatype: its description, its content model in a compact notation,
its attributes — inherited from its classes as the grammar has them — with
usage, datatype and closed value lists, its rules (``constraintSpec``s, by
ident, with their description; those of the ``schemaSpec`` itself on the index),
and the examples and remarks of the
customisation (or of the TEI when the customisation has none). Pages are
HTML5, deterministic, and written atomically (a temporary folder renamed).
"""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeAlias

from lxml import etree
from lxml.html import builder as H

from tei_tools.diagnostics import Diagnostic
from tei_tools.errors import UsageError
from tei_tools.odd.classes import AttRef, element_attributes
from tei_tools.odd.customise import Customisation, customise
from tei_tools.odd.names import TEIX, elements, first, is_rng, is_tei, local, occurs, t
from tei_tools.odd.source import Source, load_source

Content: TypeAlias = etree._Element | str
"""What the pages are built of: an element or a run of text (the ``ElementMaker``'s children)."""

STYLE = """body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;
line-height:1.5}code,pre{font-family:ui-monospace,monospace}pre{background:#f4f4f4;padding:.5rem;
overflow-x:auto}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.25rem .5rem;
text-align:left;vertical-align:top}nav a{margin-right:1rem}"""


@dataclass(frozen=True)
class Documentation:
    ident: str
    out_dir: Path
    pages: tuple[str, ...]
    warnings: tuple[Diagnostic, ...] = field(default_factory=tuple)


def write_documentation(odd: str | os.PathLike[str], out_dir: str | os.PathLike[str], *,
                        source: str | os.PathLike[str] | Source | None = None,
                        schema_ident: str | None = None) -> Documentation:
    src = source if isinstance(source, Source) or source is None else load_source(source)
    custom = customise(odd, src, schema_ident=schema_ident)
    pages = render(custom)
    out = Path(out_dir)
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(dir=out.parent, prefix=f".{out.name}."))
        for name, data in pages.items():
            (tmp / name).write_bytes(data)
        os.chmod(tmp, 0o755)
        if out.exists():
            shutil.rmtree(out)
        os.replace(tmp, out)
    except OSError as exc:
        raise UsageError(f"{out}: error: cannot write ({exc.strerror})") from None
    return Documentation(custom.ident, out, tuple(sorted(pages)), tuple(custom.warnings))


def page_name(spec: etree._Element) -> str:
    return f"{local(spec).replace('Spec', '')}-{spec.get('ident')}.html"


def render(custom: Customisation) -> dict[str, bytes]:
    """Every page, by file name."""
    specs = sorted(custom.specs, key=lambda s: (local(s), s.get("ident", "")))
    by_ident = custom.by_ident()
    att_classes = {s.get("ident", ""): s for s in custom.specs
                   if local(s) == "classSpec" and s.get("type") == "atts"}
    pages = {"index.html": _index(custom, specs)}
    for spec in specs:
        pages[page_name(spec)] = _spec_page(custom, spec, by_ident, att_classes)
    return pages


def _html(title: str, body: list[etree._Element], lang: str = "en") -> bytes:
    page = H.HTML(H.HEAD(H.META(charset="utf-8"),
                         H.META(name="viewport", content="width=device-width, initial-scale=1"),
                         H.TITLE(title), H.STYLE(STYLE)),
                  H.BODY(*body))
    page.set("lang", lang)
    return b"<!DOCTYPE html>\n" + etree.tostring(page, method="html", encoding="utf-8") + b"\n"


def _title(custom: Customisation) -> str:
    root = custom.odd_tree.getroot()
    title = root.find(f".//{t('titleStmt')}/{t('title')}")
    text = " ".join("".join(title.itertext()).split()) if title is not None else ""
    return text or custom.ident


def _lang(custom: Customisation) -> str:
    return custom.odd_tree.getroot().get("{http://www.w3.org/XML/1998/namespace}lang") or "en"


def _index(custom: Customisation, specs: list[etree._Element]) -> bytes:
    title = _title(custom)
    body: list[etree._Element] = [H.H1(title), H.P("Schema ", H.CODE(custom.ident),
                                                   f" — {len(specs)} specifications, compiled "
                                                   f"from {custom.source.edition or 'TEI P5'}.")]
    text = custom.odd_tree.getroot().find(t("text"))
    prose_body = text.find(t("body")) if text is not None else None
    prose = _blocks(prose_body, custom) if prose_body is not None else []
    if prose:
        body.append(H.H2("About this customisation"))
        body.extend(prose)
    rules = _rules(custom.constraints, custom)
    if rules is not None:
        body.append(H.H2("Rules"))
        body.append(rules)
    for kind, heading in (("elementSpec", "Elements"), ("classSpec", "Classes"),
                          ("macroSpec", "Macros"), ("dataSpec", "Datatypes")):
        mine = [s for s in specs if local(s) == kind]
        if mine:
            body.append(H.H2(heading))
            body.append(H.UL(*[H.LI(H.A(s.get("ident", ""), href=page_name(s)), " ",
                                    _gloss_text(s)) for s in mine]))
    return _html(title, body, _lang(custom))


def _gloss_text(spec: etree._Element) -> str:
    for name in ("gloss", "desc"):
        el = _english(spec, name)
        if el is not None:
            text = " ".join("".join(el.itertext()).split())
            if text:
                return f"— {text}" if name == "gloss" else f"— {text[:120]}"
    return ""


def _english(spec: etree._Element, name: str) -> etree._Element | None:
    found = [e for e in spec if is_tei(e, name)]
    for e in found:
        if e.get("{http://www.w3.org/XML/1998/namespace}lang") in (None, "en"):
            return e
    return found[0] if found else None


def _spec_page(custom: Customisation, spec: etree._Element, by_ident: dict[str, etree._Element],
               att_classes: dict[str, etree._Element]) -> bytes:
    ident = spec.get("ident", "")
    kind = local(spec).replace("Spec", "")
    heading = f"<{ident}>" if kind == "element" else ident
    body: list[etree._Element] = [H.NAV(H.A("Index", href="index.html")), H.H1(heading)]
    desc = _english(spec, "desc")
    gloss = _english(spec, "gloss")
    if gloss is not None:
        body.append(H.P(H.STRONG(" ".join("".join(gloss.itertext()).split()))))
    if desc is not None:
        body.append(H.P(*_inline(desc, custom)))
    facts = [("Module", spec.get("module") or "")]
    if kind == "element":
        facts.append(("Namespace", spec.get("ns") or custom.ns))
    if spec.get("type"):
        facts.append(("Type", "model class" if spec.get("type") == "model" else
                      "attribute class"))
    classes = first(spec, "classes")
    members = [m.get("key", "") for m in classes.iter(t("memberOf"))] if classes is not None \
        else []
    table = H.TABLE(*[H.TR(H.TH(k), H.TD(v)) for k, v in facts if v])
    if members:
        table.append(H.TR(H.TH("Member of"), H.TD(*_links(members, by_ident))))
    if kind == "class":
        users = sorted(s.get("ident", "") for s in custom.specs
                       if any(m.get("key") == ident for m in s.iter(t("memberOf"))))
        if users:
            table.append(H.TR(H.TH("Members"), H.TD(*_links(users, by_ident))))
    body.append(table)
    content = first(spec, "content")
    if content is not None or first(spec, "valList") is not None:
        body.append(H.H2("Content model"))
        model = _model(content, by_ident) if content is not None else []
        body.append(H.PRE(*model) if model else H.P("empty"))
    atts = _attributes(spec, att_classes) if kind in ("element", "class") else []
    if atts:
        body.append(H.H2("Attributes"))
        rows: list[etree._Element] = [H.TR(H.TH("Attribute"), H.TH("Usage"), H.TH("Datatype"), H.TH("Values"),
                     H.TH("Description"))]
        for owner, att in atts:
            rows.append(_attribute_row(owner, att, custom, by_ident))
        body.append(H.TABLE(*rows))
    rules = _rules([c for c in spec if is_tei(c, "constraintSpec")], custom)
    if rules is not None:
        body.append(H.H2("Rules"))
        body.append(rules)
    examples = [e for e in spec if is_tei(e, "exemplum")]
    if examples:
        body.append(H.H2("Examples"))
        for ex in examples:
            for eg in ex.iter(f"{{{TEIX}}}egXML"):
                body.append(H.PRE(H.CODE(_example_text(eg))))
    remarks = _english(spec, "remarks")
    if remarks is not None:
        body.append(H.H2("Remarks"))
        body.extend(_blocks(remarks, custom))
    return _html(f"{heading} — {custom.ident}", body, _lang(custom))


def _rules(specs: list[etree._Element], custom: Customisation) -> etree._Element | None:
    """A list of constraints: ident, then the English description when there is one."""
    items = []
    for c in specs:
        if c.get("mode") == "delete" or first(c, "constraint") is None:
            continue
        desc = _english(c, "desc")
        items.append(H.LI(H.CODE(c.get("ident", "")),
                          *([" — ", *_inline(desc, custom)] if desc is not None else [])))
    return H.UL(*items) if items else None


def _links(idents: list[str], by_ident: dict[str, etree._Element]) -> list[Content]:
    out: list[Content] = []
    for i, ident in enumerate(idents):
        if i:
            out.append(", ")
        spec = by_ident.get(ident)
        out.append(H.A(ident, href=page_name(spec)) if spec is not None else ident)
    return out


def _attributes(spec: etree._Element,
                att_classes: dict[str, etree._Element]) -> list[tuple[str, etree._Element]]:
    """(where from, attDef) for every attribute the element or class has."""
    out: list[tuple[str, etree._Element]] = []
    if local(spec) == "classSpec":
        att_list = first(spec, "attList")
        return [(spec.get("ident", ""), a) for a in att_list.iter(t("attDef"))
                if a.get("mode") != "delete"] if att_list is not None else []
    for part in element_attributes(spec, att_classes):
        if isinstance(part, AttRef):
            out.extend(_class_atts(part.cls, part.name, att_classes, set()))
        elif is_tei(part, "attDef") and part.get("mode") != "delete":
            out.append(("", part))
        elif is_tei(part, "attList"):
            out.extend(("", a) for a in part.iter(t("attDef")) if a.get("mode") != "delete")
    return sorted(out, key=lambda p: p[1].get("ident", ""))


def _class_atts(cls: str, name: str | None, att_classes: dict[str, etree._Element],
                seen: set[str]) -> list[tuple[str, etree._Element]]:
    spec = att_classes.get(cls)
    if spec is None or cls in seen:
        return []
    att_list = first(spec, "attList")
    out = [(cls, a) for a in (att_list.iter(t("attDef")) if att_list is not None else [])
           if a.get("mode") != "delete" and (name is None or a.get("ident") == name)]
    if name is None:
        classes = first(spec, "classes")
        for m in classes.iter(t("memberOf")) if classes is not None else []:
            out.extend(_class_atts(m.get("key", ""), None, att_classes, seen | {cls}))
    return out


_USAGE = {"req": "required", "rec": "recommended", "opt": "optional", None: "optional"}


def _attribute_row(owner: str, att: etree._Element, custom: Customisation,
                   by_ident: dict[str, etree._Element]) -> etree._Element:
    name: list[Content] = [H.CODE("@" + att.get("ident", ""))]
    if owner and owner in by_ident:
        name += [H.BR(), H.SMALL("from ", H.A(owner, href=page_name(by_ident[owner])))]
    datatype = first(att, "datatype")
    dt = _model(datatype, by_ident) if datatype is not None else []
    values: list[Content] = []
    vl = first(att, "valList")
    if vl is not None:
        kind = vl.get("type") or "open"
        items = []
        for item in vl.iter(t("valItem")):
            d = _english(item, "desc")
            d = d if d is not None else _english(item, "gloss")
            text = " ".join("".join(d.itertext()).split()) if d is not None else ""
            items.append(H.LI(H.CODE(item.get("ident", "")), f" {text}" if text else ""))
        label = {"closed": "closed list", "semi": "suggested (semi-open)",
                 "open": "sample values (open)"}.get(kind, kind)
        values = [label, H.UL(*items)] if items else [label]
    desc = _english(att, "desc")
    return H.TR(H.TD(*name), H.TD(_USAGE.get(att.get("usage"), att.get("usage") or "")),
                H.TD(H.CODE(*dt) if dt else ""), H.TD(*values),
                H.TD(*(_inline(desc, custom) if desc is not None else [])))


# -- content models in a compact notation ------------------------------------------------
def _model(holder: etree._Element, by_ident: dict[str, etree._Element]) -> list[Content]:
    parts: list[Content] = []
    kids = elements(holder)
    for i, el in enumerate(kids):
        if i:
            parts.append(", ")
        parts.extend(_term(el, by_ident))
    return parts


def _suffix(el: etree._Element) -> str:
    if not (is_tei(el) and local(el) in ("sequence", "alternate", "elementRef", "classRef",
                                         "macroRef", "anyElement", "dataRef")):
        return ""
    low, high = occurs(el)
    return {(1, 1): "", (0, 1): "?", (0, -1): "*", (1, -1): "+"}.get(
        (low, high), f"{{{low},{'' if high == -1 else high}}}")


def _term(el: etree._Element, by_ident: dict[str, etree._Element]) -> list[Content]:
    sfx = _suffix(el)
    if is_tei(el, "sequence", "alternate", "interleave") or is_rng(el, "group", "choice",
                                                                    "interleave"):
        sep = " | " if local(el) in ("alternate", "choice") else (
            " & " if local(el) == "interleave" else ", ")
        out: list[Content] = ["("]
        for i, c in enumerate(elements(el)):
            if i:
                out.append(sep)
            out.extend(_term(c, by_ident))
        return [*out, ")" + sfx]
    if is_rng(el, "optional", "zeroOrMore", "oneOrMore"):
        mark = {"optional": "?", "zeroOrMore": "*", "oneOrMore": "+"}[local(el)]
        return ["(", *_model(el, by_ident), ")" + mark]
    if is_tei(el, "elementRef", "classRef", "macroRef") or is_rng(el, "ref"):
        key = el.get("key") or el.get("name") or ""
        spec = by_ident.get(key)
        return [H.A(key, href=page_name(spec)) if spec is not None else key, sfx]
    if is_tei(el, "textNode") or is_rng(el, "text"):
        return ["text"]
    if is_tei(el, "empty") or is_rng(el, "empty"):
        return ["empty"]
    if is_tei(el, "anyElement"):
        return ["any element" + sfx]
    if is_tei(el, "dataRef"):
        key = el.get("key") or ""
        if key:
            spec = by_ident.get(key)
            return [H.A(key, href=page_name(spec)) if spec is not None else key, sfx]
        facets = ", ".join(f"{f.get('name')}={f.get('value')}" for f in el.iter(t("dataFacet")))
        extra = f" pattern {el.get('restriction')}" if el.get("restriction") else ""
        return [f"xsd:{el.get('name')}" + (f" ({facets})" if facets else "") + extra + sfx]
    if is_tei(el, "valList"):
        return ["(" + " | ".join(f'"{v.get("ident")}"' for v in el.iter(t("valItem"))) + ")"]
    if is_rng(el, "data"):
        return [f"xsd:{el.get('type')}"]
    if is_rng(el, "value"):
        return [f'"{el.text or ""}"']
    if is_rng(el, "notAllowed"):
        return ["not allowed"]
    return [local(el)]


# -- prose ------------------------------------------------------------------------------
_BLOCK = ("list", "specList", "table", "egXML", "specGrp", "schemaSpec", "div", "p", "listBibl")


def _blocks(parent: etree._Element, custom: Customisation) -> list[etree._Element]:
    out: list[etree._Element] = []
    for el in parent:
        if not isinstance(el.tag, str):
            continue
        if is_tei(el, "div"):
            head = first(el, "head")
            if head is not None:
                out.append(H.H3(*_inline(head, custom)))
            out.extend(_blocks(el, custom))
        elif is_tei(el, "p"):
            if any(isinstance(c.tag, str) and local(c) in _BLOCK for c in el):
                inner: list[Content] = []
                run: list[Content] = [el.text or ""]
                for c in el:
                    if isinstance(c.tag, str) and local(c) in _BLOCK:
                        if "".join(str(x) for x in run if isinstance(x, str)).strip() or \
                                any(not isinstance(x, str) for x in run):
                            inner.append(H.P(*run))
                        inner.extend(_blocks_one(c, custom))
                        run = [c.tail or ""]
                    else:
                        run.extend(_inline_one(c, custom))
                if "".join(x for x in run if isinstance(x, str)).strip():
                    inner.append(H.P(*run))
                out.append(H.DIV(*inner))
            else:
                out.append(H.P(*_inline(el, custom)))
        else:
            out.extend(_blocks_one(el, custom))
    return out


def _blocks_one(el: etree._Element, custom: Customisation) -> list[etree._Element]:
    if is_tei(el, "list") or is_tei(el, "specList"):
        items = [H.LI(*_inline(i, custom)) for i in el if is_tei(i, "item")]
        items += [H.LI(_spec_link(d.get("key", ""), custom)) for d in el if is_tei(d, "specDesc")]
        return [H.UL(*items)] if items else []
    if el.tag == f"{{{TEIX}}}egXML":
        return [H.PRE(H.CODE(_example_text(el)))]
    if is_tei(el, "specGrp", "schemaSpec"):
        name = el.get("{http://www.w3.org/XML/1998/namespace}id") or el.get("ident") or ""
        return [H.P(H.EM(f"(Specifications {name}: see the pages listed below.)"))]
    if is_tei(el, "head"):
        return []
    if is_tei(el, "table"):
        rows = [H.TR(*[H.TD(*_inline(c, custom)) for c in r if is_tei(c, "cell")])
                for r in el if is_tei(r, "row")]
        return [H.TABLE(*rows)] if rows else []
    text = _inline(el, custom)
    return [H.P(*text)] if text else []


def _spec_link(ident: str, custom: Customisation) -> Content:
    spec = custom.by_ident().get(ident)
    return H.A(ident, href=page_name(spec)) if spec is not None else ident


def _inline(el: etree._Element, custom: Customisation) -> list[Content]:
    out: list[Content] = [el.text or ""]
    for c in el:
        out.extend(_inline_one(c, custom))
    return out


def _inline_one(c: etree._Element, custom: Customisation) -> list[Content]:
    tail = c.tail or ""
    if not isinstance(c.tag, str):
        return [tail]
    text = "".join(c.itertext())
    name = local(c) if is_tei(c) else ""
    if name == "gi":
        node: Content = H.CODE(f"<{text}>")
    elif name == "att":
        node = H.CODE(f"@{text}")
    elif name in ("code", "ident", "val", "tag"):
        node = H.CODE(text)
    elif name in ("ref", "ptr") and (target := c.get("target") or "").startswith(("http://", "https://")):
        node = H.A(text or target, href=target)
    elif name in ("hi", "emph", "term", "foreign", "mentioned"):
        node = H.EM(*_inline(c, custom))
    elif name == "title":
        node = H.CITE(*_inline(c, custom))
    elif name == "q":
        node = H.Q(*_inline(c, custom))
    elif name in _BLOCK or c.tag == f"{{{TEIX}}}egXML":
        node = H.SPAN(" ".join(text.split()))
    else:
        node = H.SPAN(*_inline(c, custom))
    return [node, tail]


def _example_text(eg: etree._Element) -> str:
    parts = [eg.text or ""]
    for c in eg:
        if isinstance(c.tag, str):
            copy = etree.fromstring(etree.tostring(c, with_tail=False))
            etree.cleanup_namespaces(copy)
            text = etree.tostring(copy, encoding="unicode", with_tail=False)
            parts.append(text.replace(f' xmlns="{TEIX}"', ""))
        parts.append(c.tail or "")
    return "".join(parts).strip("\n")


__all__ = ["Documentation", "page_name", "render", "write_documentation"]

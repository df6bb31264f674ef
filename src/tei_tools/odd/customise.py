"""Applying an ODD customisation to its source: the compiled ODD.

``customise(odd_path, source)`` reads the ODD (hardened parser), finds its
``schemaSpec`` and returns a :class:`Customisation`: the specs the schema
is made of, in order, after every ``moduleRef`` (``@include``/``@except``),
reference and spec (``@mode`` add, delete, change, replace) of the ODD has
been applied and unused classes, macros and datatypes pruned, as the TEI's
``odd2odd`` does. Anything the processor does not implement is refused with
an :class:`~tei_tools.odd.errors.OddError` at its line, naming the construct.
"""

from __future__ import annotations

import copy
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from tei_tools import xmlio
from tei_tools.diagnostics import Diagnostic
from tei_tools.odd.errors import OddError, located
from tei_tools.odd.merge import OddKeys, merge_spec
from tei_tools.odd.names import (
    REF_KINDS,
    RNG,
    SPEC_KINDS,
    TEI,
    first,
    is_rng,
    is_tei,
    local,
    parent_of,
    t,
    tei_children,
)
from tei_tools.odd.simplify import copy_spec_part, tidy_content
from tei_tools.odd.source import Source, load_source, resolve_source

MODES = (None, "add", "delete", "change", "replace")
PROSE = {"desc", "gloss", "p", "remarks", "listRef", "exemplum", "equiv", "altIdent", "head",
         "note", "ptr", "ref", "list", "table", "specList", "divGen"}
CONTENT_TEI = {"alternate", "sequence", "interleave", "elementRef", "classRef", "macroRef",
               "dataRef", "textNode", "empty", "anyElement", "valList", "valItem", "dataFacet",
               "desc", "gloss", "paramList", "paramSpec", "altIdent", "equiv"}
RNG_REFUSED = {"externalRef", "include", "parentRef", "grammar"}
SCHEMA_CHILDREN = set(SPEC_KINDS) | set(REF_KINDS) | {"moduleRef", "constraintSpec",
                                                      "specGrpRef"} | PROSE


@dataclass
class Customisation:
    """A compiled ODD: the specs of one schema, resolved against the source."""

    file: str
    ident: str
    ns: str
    prefix: str
    start: str | None
    specs: list[etree._Element]
    constraints: list[etree._Element]
    default_exceptions: str
    source: Source
    schema_spec: etree._Element
    odd_tree: etree._ElementTree
    sources: dict[Path, Source] = field(default_factory=dict)
    warnings: list[Diagnostic] = field(default_factory=list)

    def by_ident(self) -> dict[str, etree._Element]:
        found: dict[str, etree._Element] = {}
        for s in self.specs:
            found.setdefault(s.get("ident", ""), s)
        return found


SourceLoader = Callable[[Path], Source]


def customise(odd_path: str | os.PathLike[str], source: Source | None = None, *,
              schema_ident: str | None = None,
              loader: SourceLoader | None = None) -> Customisation:
    """Read ``odd_path`` and compile its ``schemaSpec`` against ``source``."""
    path = Path(odd_path)
    name = str(odd_path)
    tree = xmlio.parse_file(path)
    specs = [s for s in tree.getroot().iter(t("schemaSpec"))]
    if schema_ident is not None:
        specs = [s for s in specs if s.get("ident") == schema_ident]
    if not specs:
        what = f' with ident "{schema_ident}"' if schema_ident else ""
        raise OddError(name, f"no <schemaSpec>{what} in this file: not an ODD customisation",
                       line=tree.getroot().sourceline, code="ODD-NO-SCHEMASPEC")
    schema_spec = specs[0]
    ident = schema_spec.get("ident")
    if not ident:
        raise located(schema_spec, name, "<schemaSpec> has no @ident", "ODD-NO-IDENT")
    cache: dict[Path, Source] = {}

    def load(p: Path) -> Source:
        key = p.resolve()
        if key not in cache:
            cache[key] = loader(p) if loader is not None else load_source(p)
        return cache[key]

    if source_attr := schema_spec.get("source"):
        source = load(resolve_source(source_attr, path, name, schema_spec.sourceline))
    elif source is None:
        from tei_tools.odd.source import default_source
        source = load(default_source())
    else:
        cache[source.path.resolve()] = source
    warnings: list[Diagnostic] = []
    items = _expand(schema_spec, tree, path, name, set(), warnings)
    for item in items:
        _check_supported(item, name)
    items = _merge_changes(items)
    keys = _keys(items)
    keys.file = name
    context = _Context(name, path, source, load, keys, schema_spec, items, warnings)
    pass1 = _pass1(context)
    pass2 = _pass2(pass1, context)
    specs_out, constraints = _pass3(pass2)
    return Customisation(
        file=name, ident=ident,
        ns=schema_spec.get("ns") or TEI,
        prefix=schema_spec.get("prefix") or "",
        start=schema_spec.get("start"),
        specs=specs_out, constraints=constraints,
        default_exceptions=schema_spec.get("defaultExceptions") or source.default_exceptions,
        source=source, schema_spec=schema_spec, odd_tree=tree, sources=cache,
        warnings=warnings)


# -- pass 0: what the schemaSpec says, specGrpRefs expanded ------------------------------
def _expand(parent: etree._Element, tree: etree._ElementTree, path: Path, name: str,
            seen: set[str], warnings: list[Diagnostic]) -> list[etree._Element]:
    out: list[etree._Element] = []
    for child in parent:
        if not isinstance(child.tag, str):
            continue
        if is_tei(child, "specGrpRef"):
            target = child.get("target", "")
            if not target.startswith("#"):
                raise located(child, name, f'<specGrpRef target="{target}">: only a specGrp in '
                                           "the same file (#id) is supported", "ODD-UNSUPPORTED")
            if target in seen:
                raise located(child, name, f"<specGrpRef target=\"{target}\"> refers to itself",
                              "ODD-SPECGRP")
            found = tree.getroot().xpath("//*[@xml:id=$i]", i=target[1:])
            if not found:
                # the TEI skips it too; said, not silently dropped
                warnings.append(Diagnostic("ODD-SPECGRP", "warning", name, child.sourceline, None,
                                           f'<specGrpRef target="{target}">: no element with '
                                           f'xml:id="{target[1:]}"; nothing is included'))
                continue
            if not is_tei(found[0], "specGrp"):
                raise located(child, name, f'<specGrpRef target="{target}"> points at '
                                           f"<{local(found[0])}>, not a <specGrp>", "ODD-SPECGRP")
            out.extend(_expand(found[0], tree, path, name, seen | {target}, warnings))
        elif is_tei(child, "specGrp"):
            raise located(child, name, "<specGrp> inside <schemaSpec> is not applied (the TEI "
                                       "ignores it there): point at it with <specGrpRef>",
                          "ODD-UNSUPPORTED")
        else:
            out.append(child)
    return out


def _check_supported(item: etree._Element, name: str) -> None:
    if not is_tei(item) or local(item) not in SCHEMA_CHILDREN:
        raise located(item, name, f"<{etree.QName(item).localname}> in <schemaSpec> is not "
                                  "supported by this ODD processor", "ODD-UNSUPPORTED")
    kind = local(item)
    if kind == "moduleRef":
        if item.get("url"):
            raise located(item, name, f'<moduleRef url="{item.get("url")}">: external RELAX '
                                      "NG modules are not supported", "ODD-UNSUPPORTED")
        if not item.get("key"):
            raise located(item, name, "<moduleRef> without @key", "ODD-UNSUPPORTED")
        if item.get("include") and item.get("except"):
            raise located(item, name, "<moduleRef> has both @include and @except",
                          "ODD-UNSUPPORTED")
    if kind in SPEC_KINDS:
        if item.get("mode") not in MODES:
            raise located(item, name, f'<{kind} mode="{item.get("mode")}">: unknown mode',
                          "ODD-UNSUPPORTED")
        if not item.get("ident"):
            raise located(item, name, f"<{kind}> without @ident", "ODD-UNSUPPORTED")
        if item.get("source"):
            raise located(item, name, f'<{kind} ident="{item.get("ident")}" source="…">: a spec '
                                      "taken from another source is not supported (use @source "
                                      "on moduleRef, elementRef or schemaSpec)", "ODD-UNSUPPORTED")
        for el in item.iter():
            if not isinstance(el.tag, str):
                continue
            _check_inside(el, item, name)


def _check_inside(el: etree._Element, spec: etree._Element, name: str) -> None:
    where = f'<{local(spec)} ident="{spec.get("ident")}">'
    if is_tei(el, "attDef") and el.get("mode") not in MODES:
        raise located(el, name, f'<attDef mode="{el.get("mode")}"> in {where}: unknown mode',
                      "ODD-UNSUPPORTED")
    if is_tei(el, "classes", "valList", "memberOf", "valItem", "constraintSpec") and \
            el.get("mode") not in MODES:
        raise located(el, name, f'<{local(el)} mode="{el.get("mode")}"> in {where}: unknown '
                                "mode", "ODD-UNSUPPORTED")
    if is_rng(el) and local(el) in RNG_REFUSED:
        raise located(el, name, f"<rng:{local(el)}> in {where} is not supported (only a "
                                "self-contained pattern)", "ODD-UNSUPPORTED")
    in_content = any(is_tei(a, "content", "datatype") for a in el.iterancestors())
    if in_content and is_tei(el) and local(el) not in CONTENT_TEI:
        raise located(el, name, f"<{local(el)}> in the content model of {where} is not "
                                "supported", "ODD-UNSUPPORTED")
    if is_tei(el, "constraintSpec") and el.get("scheme") not in (None, "schematron",
                                                               "isoschematron"):
        raise located(el, name, f'<constraintSpec scheme="{el.get("scheme")}"> in {where}: '
                                "only ISO Schematron constraints are supported",
                      "ODD-UNSUPPORTED")
    if is_tei(el, "sequence") and el.get("preserveOrder") not in (None, "true", "false"):
        raise located(el, name, "<sequence @preserveOrder> must be true or false",
                      "ODD-UNSUPPORTED")
    if is_tei(el, "content") and el.get("autoPrefix") == "false":
        raise located(el, name, f'<content autoPrefix="false"> in {where} is not supported',
                      "ODD-UNSUPPORTED")


def _unique(el: etree._Element) -> tuple[str, str]:
    """What odd2odd matches a customising spec to its original by: kind, @ns, @ident."""
    return (local(el) + (el.get("ns") or ""), el.get("ident", ""))


def _merge_changes(items: list[etree._Element]) -> list[etree._Element]:
    """Several ``change`` specs of one object become one (their parts in order)."""
    merged: dict[tuple[str, str], etree._Element] = {}
    out: list[etree._Element] = []
    for item in items:
        if local(item) in SPEC_KINDS and item.get("mode") == "change":
            key = _unique(item)
            if key in merged:
                merged[key].extend(copy.deepcopy(c) for c in item)
                continue
            clone = copy.deepcopy(item)
            merged[key] = clone
            out.append(clone)
        else:
            out.append(item)
    return out


def _keys(items: list[etree._Element]) -> OddKeys:
    keys = OddKeys()
    for item in items:
        kind = local(item)
        if kind in SPEC_KINDS:
            mode = item.get("mode")
            if mode == "delete":
                keys.delete.add(_unique(item))
            elif mode == "replace":
                keys.replace.setdefault(_unique(item), item)
            elif mode == "change":
                keys.change.setdefault(_unique(item), item)
        for el in item.iter(t("attDef")):
            mode = el.get("mode")
            att_list = el.getparent()
            grand = att_list.getparent() if att_list is not None else None
            owner = grand.get("ident", "") if grand is not None and local(grand) in SPEC_KINDS \
                else ""
            if mode == "change":
                keys.change_att.setdefault((owner, el.get("ident", "")), el)
            elif mode == "replace":
                keys.replace_att.setdefault((owner, el.get("ident", "")), el)
            elif mode == "delete":
                for anc in el.iterancestors(t("classSpec"), t("elementSpec")):
                    keys.delete_att.setdefault((anc.get("ident", ""), el.get("ident", "")), el)
        for el in item.iter(t("constraintSpec")):
            mode = el.get("mode")
            if mode in ("delete", "replace", "change"):
                keys.constraint_modes.setdefault(el.get("ident", ""), mode)
        for el in item.iter(t("memberOf")):
            classes = el.getparent()
            spec = classes.getparent() if classes is not None else None
            owner = spec.get("ident", "") if spec is not None else ""
            if el.get("mode") == "delete":
                keys.member_delete.add((owner, el.get("key", "")))
            elif el.get("mode") in (None, "add"):
                keys.member_add.add((owner, el.get("key", "")))
    return keys


@dataclass
class _Context:
    file: str
    path: Path
    source: Source
    load: SourceLoader
    keys: OddKeys
    schema_spec: etree._Element
    items: list[etree._Element]
    warnings: list[Diagnostic]

    def source_for(self, el: etree._Element) -> Source:
        if source_attr := el.get("source"):
            return self.load(resolve_source(source_attr, self.path, self.file, el.sourceline))
        return self.source


# -- pass 1: what the schema is made of --------------------------------------------------
def selected(ident: str, include: str | None, except_: str | None) -> bool:
    """Whether ``ident`` is chosen by a reference's ``@include`` or ``@except`` lists
    (``moduleRef``, ``classRef``): all when neither is given."""
    if include:
        return ident in include.split()
    if except_:
        return ident not in except_.split()
    return True


def _pass1(ctx: _Context) -> list[etree._Element]:
    ref_objects = {i.get("key") for i in ctx.items
                   if local(i) in ("elementRef", "classRef", "macroRef")}
    att_filters = {i.get("key", ""): i for i in ctx.items
                   if local(i) in REF_KINDS and (i.get("include") or i.get("except"))}
    out: list[etree._Element] = []
    modules = [i for i in ctx.items if is_tei(i, "moduleRef")]
    ordered = ([m for m in modules if m.get("key") == "tei"] +
               [m for m in modules if m.get("key") == "core"] +
               [m for m in modules if m.get("key") not in ("tei", "core")])
    for module_ref in ordered:
        src = ctx.source_for(module_ref)
        key = module_ref.get("key", "")
        members = src.modules.get(key)
        if not members:
            raise located(module_ref, ctx.file, f'<moduleRef key="{key}">: no module "{key}" in '
                                                f"the source {src.path.name}", "ODD-MODULE")
        include, except_ = module_ref.get("include"), module_ref.get("except")
        element_idents = {m.get("ident") for m in members if local(m) == "elementSpec"}
        for named in (include or except_ or "").split():
            if named not in element_idents:
                ctx.warnings.append(Diagnostic(
                    "ODD-MODULE", "warning", ctx.file, module_ref.sourceline, None,
                    f'<moduleRef key="{key}"> names "{named}", which is not an element of module '
                    f'"{key}" in {src.path.name}; ignored'))
        for spec in members:
            if local(spec) != "elementSpec" and spec.get("ident") not in ref_objects:
                out.append(_from_source(spec, att_filters))
        for spec in members:
            if local(spec) == "elementSpec" and selected(spec.get("ident", ""), include, except_) \
                    and spec.get("ident") not in ref_objects:
                out.append(_from_source(spec, att_filters))
    for item in ctx.items:
        kind = local(item)
        if kind in SPEC_KINDS:
            if item.get("mode") in (None, "add"):
                out.append(_created(item, ctx))
        elif kind in REF_KINDS:
            if item.get("name"):
                continue
            src = ctx.source_for(item)
            found = src.spec(item.get("key", ""))
            if found is None:
                raise located(item, ctx.file, f'<{kind} key="{item.get("key")}">: not found in '
                                              f"the source {src.path.name}", "ODD-REF")
            out.append(_from_source(found, att_filters))
        elif kind == "constraintSpec":
            out.append(copy.deepcopy(item))
    return out


def _from_source(spec: etree._Element, att_filters: dict[str, etree._Element]) -> etree._Element:
    new = copy.deepcopy(spec)
    new.tail = None
    ref = att_filters.get(spec.get("ident", ""))
    if local(spec) == "classSpec" and ref is not None:
        att_list = first(new, "attList")
        if att_list is not None:
            for a in tei_children(att_list, "attDef"):
                if not selected(a.get("ident", ""), ref.get("include"), ref.get("except")):
                    att_list.remove(a)
    return new


def _created(item: etree._Element, ctx: _Context) -> etree._Element:
    """A spec the ODD adds, copied as odd2odd copies it."""
    new = copy_spec_part(item)
    assert new is not None
    new.tail = None
    new.set("rend", "add")
    if not item.get("module"):
        new.set("module", ctx.schema_spec.get("module") or
                f"derived-module-{ctx.schema_spec.get('ident')}")
    if local(item) == "classSpec" and item.get("type") == "model" and not item.get("predeclare"):
        new.set("predeclare", "true")
    return new


# -- pass 2: delete, replace, change ------------------------------------------------------
def _pass2(specs: list[etree._Element], ctx: _Context) -> list[etree._Element]:
    out = []
    for spec in specs:
        if local(spec) not in SPEC_KINDS:
            out.append(spec)
            continue
        key = _unique(spec)
        if key in ctx.keys.delete:
            continue
        if key in ctx.keys.replace:
            new = copy_spec_part(ctx.keys.replace[key])
            assert new is not None
            new.tail = None
            out.append(new)
        elif key in ctx.keys.change:
            out.append(merge_spec(spec, ctx.keys.change[key], ctx.keys))
        else:
            out.append(spec)
    return out


# -- pass 3: prune what nothing uses -------------------------------------------------------
def _references(specs: list[etree._Element]) -> tuple[set[str], set[str]]:
    """What the specs refer to: the idents of patterns, classes, macros and data types (a
    macro's reference to itself does not count), and the attribute classes whose
    attributes an ``attRef`` names."""
    referenced: set[str] = set()
    att_referenced: set[str] = set()
    ref_tags = [f"{{{RNG}}}ref", t("attRef")] + [t(k) for k in REF_KINDS]
    for spec in specs:
        for el in spec.iter(*ref_tags):
            if is_rng(el, "ref"):
                n = el.get("name", "")
                inside = [local(a) for a in el.iterancestors() if is_tei(a)]
                if "elementSpec" in inside or "datatype" in inside or \
                        ("macroSpec" in inside and n != spec.get("ident")):
                    referenced.add(n)
                if "_" in n:
                    referenced.add(n.split("_", 1)[0])
            elif is_tei(el, "attRef"):
                if cls := el.get("class"):
                    referenced.add(cls)
                if (att_name := el.get("name")) and ".attribute." in att_name:
                    att_referenced.add(att_name.split(".attribute.", 1)[0])
            elif key := el.get("key"):
                referenced.add(key)
    return referenced, att_referenced


def _pass3(specs: list[etree._Element]) -> tuple[list[etree._Element], list[etree._Element]]:
    referenced, att_referenced = _references(specs)
    idents = {s.get("ident", ""): s for s in reversed(specs) if local(s) in SPEC_KINDS}
    element_members: set[str] = set()
    class_members: dict[str, list[etree._Element]] = {}
    for s in specs:
        for m in s.iter(t("memberOf")):
            if local(s) == "elementSpec":
                element_members.add(m.get("key", ""))
            elif local(s) == "classSpec":
                class_members.setdefault(m.get("key", ""), []).append(s)
    needed_cache: dict[str, bool] = {}

    def needed(cls: etree._Element, path: frozenset[str] = frozenset()) -> bool:
        k = cls.get("ident", "")
        if k in needed_cache:
            return needed_cache[k]
        if k in path:
            return False
        path = path | {k}
        kind = cls.get("type")
        result = False
        if (kind == "model" and k in referenced) or \
                (kind == "atts" and (k in att_referenced or k in element_members)):
            result = True
        elif kind == "atts" and k in class_members:
            result = any(needed(c, path) for c in class_members[k])
        elif kind == "model":
            classes = first(cls, "classes")
            parents = [idents.get(m.get("key", "")) for m in tei_children(classes, "memberOf")] \
                if classes is not None else []
            result = any(p is not None and local(p) == "classSpec" and needed(p, path)
                         for p in parents)
        needed_cache[k] = result
        return result

    out: list[etree._Element] = []
    constraints: list[etree._Element] = []
    for spec in specs:
        kind = local(spec)
        if kind == "constraintSpec":
            constraints.append(spec)
            continue
        ident = spec.get("ident", "")
        if kind == "classSpec" and not needed(spec):
            continue
        if kind == "macroSpec" and (spec.get("prefix") or "") + ident not in referenced:
            continue
        if kind == "dataSpec" and ident not in referenced:
            continue
        for m in list(spec.iter(t("memberOf"))):
            target = idents.get(m.get("key", ""))
            if target is None or (local(target) == "classSpec" and not needed(target)):
                parent_of(m).remove(m)
        for content in tei_children(spec, "content"):
            spec.replace(content, tidy_content(content))
        out.append(spec)
    return out, constraints


__all__ = ["Customisation", "customise"]

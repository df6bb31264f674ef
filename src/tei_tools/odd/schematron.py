"""ISO Schematron (``queryBinding="xslt2"``) from a compiled ODD's ``constraintSpec``s.

Every constraint of a spec the schema keeps, and those of the ``schemaSpec``
itself, becomes a ``pattern`` (one ``rule`` with the context the TEI gives
it when the constraint has none: the element, ``elem/@att``, ``*`` for a
class). ``sch:ns`` declarations are collected at the top, ``sch:let`` stays
where it was written, and a namespace prefix used in a context or test but
declared only as an XML namespace is declared too. Top-level XSLT a
constraint needs (``xsl:key``, ``xsl:function``: the xslt bindings of ISO
Schematron allow them in the schema) is hoisted to the top, once per name:
two constraints may each declare the key they use, identically.
"""

from __future__ import annotations

import copy
import re

from lxml import etree

from tei_tools.odd.customise import Customisation
from tei_tools.odd.errors import located
from tei_tools.odd.names import SCH, TEI, TEIX, first, is_tei, local

_S = f"{{{SCH}}}"
_SCHEMES = (None, "schematron", "isoschematron")
_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_XSL = "http://www.w3.org/1999/XSL/Transform"
_HOISTED = ("key", "function")
_PREFIX = re.compile(r"(?<![\w.\-$@'\"])([A-Za-z_][\w.\-]*):(?![:/=])")


def build_schematron(custom: Customisation) -> etree._Element:
    """The Schematron schema of a compiled customisation."""
    schema = etree.Element(_S + "schema", nsmap={None: SCH}, queryBinding="xslt2")
    title = etree.SubElement(schema, _S + "title")
    title.text = f"ISO Schematron rules of {custom.ident}"
    declared: dict[str, str] = {"tei": TEI}
    hoisted: dict[tuple[str, str], etree._Element] = {}
    patterns: list[etree._Element] = []
    number = 0
    holders = list(custom.specs) + list(custom.constraints)
    for holder in holders:
        specs = [holder] if not is_tei(holder, "constraintSpec") else []
        constraints = [holder] if is_tei(holder, "constraintSpec") else \
            list(holder.iter(f"{{{TEI}}}constraintSpec"))
        for spec_constraint in constraints:
            if spec_constraint.get("scheme") not in _SCHEMES:
                continue
            if (spec_constraint.get(_LANG) or "en").split("-")[0] != "en":
                continue  # a translation of an English rule (the TEI extracts lang="en")
            if any(a.tag == f"{{{TEIX}}}egXML" for a in spec_constraint.iterancestors()):
                continue
            body = first(spec_constraint, "constraint")
            if body is None:
                continue
            for ns in body.iter(_S + "ns"):
                declared.setdefault(ns.get("prefix", ""), ns.get("uri", ""))
            _hoist(body, hoisted, custom.file)
            number += 1
            owner = specs[0] if specs else None
            pid = "-".join(p for p in ("schematron-constraint", custom.ident,
                                       owner.get("ident") if owner is not None else "",
                                       spec_constraint.get("ident", ""), str(number)) if p)
            patterns.extend(_patterns(body, spec_constraint, pid, declared))
    patterns.extend(_param_lists(custom))
    patterns.extend(_deprecated(custom))
    for prefix, uri in sorted(declared.items()):
        etree.SubElement(schema, _S + "ns", prefix=prefix, uri=uri)
    schema.extend(hoisted.values())
    schema.extend(patterns)
    if hoisted:
        etree.cleanup_namespaces(schema, top_nsmap={"xsl": _XSL})
    return schema


def _hoist(body: etree._Element, hoisted: dict[tuple[str, str], etree._Element],
           file: str) -> None:
    """Collect a constraint's top-level XSLT; one definition per (kind, name)."""
    for el in body:
        if not isinstance(el.tag, str) or etree.QName(el).namespace != _XSL:
            continue
        kind = local(el)
        if kind not in _HOISTED:
            raise located(el, file, f"<xsl:{kind}> in a constraint is not supported (only "
                                    "xsl:key and xsl:function are hoisted into the Schematron)",
                          code="ODD-UNSUPPORTED")
        new = copy.deepcopy(el)
        new.tail = None
        etree.cleanup_namespaces(new)
        name = (kind, el.get("name", ""))
        if name in hoisted and etree.tostring(hoisted[name]) != etree.tostring(new):
            raise located(el, file, f'<xsl:{kind} name="{name[1]}"> is declared twice, '
                                    "differently", code="ODD-CONFLICT")
        hoisted.setdefault(name, new)


def _deprecated(custom: Customisation) -> list[etree._Element]:
    """Warnings (``role="nonfatal"``) for what the TEI will remove (``@validUntil``)."""
    out = []
    members: dict[str, list[str]] = {}
    for spec in custom.specs:
        if local(spec) == "elementSpec":
            for m in spec.iter(f"{{{TEI}}}memberOf"):
                members.setdefault(m.get("key", ""), []).append("tei:" + spec.get("ident", ""))

    def pattern(context: str, test: str, message: str) -> etree._Element:
        p = etree.Element(_S + "pattern")
        rule = etree.SubElement(p, _S + "rule", context=context)
        report = etree.SubElement(rule, _S + "report", test=test, role="nonfatal")
        report.text = message
        return p

    for spec in custom.specs:
        kind, ident = local(spec), spec.get("ident", "")
        if kind == "elementSpec" and spec.get("validUntil"):
            out.append(pattern(f"tei:{ident}", "true()",
                               f"WARNING: use of deprecated element — <{ident}> will be removed "
                               f"from the TEI on {spec.get('validUntil')}."))
        for att in spec.iter(f"{{{TEI}}}attDef"):
            if not att.get("validUntil") or kind not in ("elementSpec", "classSpec"):
                continue
            name = att.get("ident", "")
            context = f"tei:{ident}" if kind == "elementSpec" else (
                "tei:*" if "global" in ident else "|".join(members.get(ident, [])))
            if context:
                out.append(pattern(context, f"@{name}",
                                   f"WARNING: use of deprecated attribute — @{name} will be "
                                   f"removed from the TEI on {att.get('validUntil')}."))
    return out


def _param_lists(custom: Customisation) -> list[etree._Element]:
    """A processing model's ``param/@name`` must be one its behaviour declares (``paramList``)."""
    out = []
    for spec in custom.specs:
        for number, params in enumerate(spec.iter(f"{{{TEI}}}paramList"), 1):
            item = params.getparent()
            names = [p.get("ident", "") for p in params.iter(f"{{{TEI}}}paramSpec")]
            if item is None or not names:
                continue
            pattern = etree.Element(_S + "pattern",
                                    id=f"teipm-{spec.get('ident')}-paramList-{number}")
            rule = etree.SubElement(pattern, _S + "rule", context=(
                f"tei:param[parent::tei:model/@behaviour='{item.get('ident')}']"))
            check = etree.SubElement(rule, _S + "assert", role="error",
                                     test="  or  ".join(f"@name='{n}'" for n in names))
            check.text = "Parameter name '"
            value = etree.SubElement(check, _S + "value-of", select="@name")
            value.tail = (f"' not allowed on behaviour '{item.get('ident')}': must be one of "
                          + ", ".join(names) + ".")
            out.append(pattern)
    return out


def _patterns(body: etree._Element, constraint: etree._Element, pid: str,
              declared: dict[str, str]) -> list[etree._Element]:
    kids = [c for c in body if isinstance(c.tag, str) and c.tag.startswith(_S)
            and local(c) != "ns"]
    for c in kids:
        _declare_used(c, declared)
    if not kids:  # only namespace declarations
        return []
    if any(local(c) == "pattern" for c in kids):
        out = []
        for i, c in enumerate(k for k in kids if local(k) == "pattern"):
            p = _clean(c)
            p.set("id", p.get("id") or f"{pid}-{i + 1}")
            out.append(p)
        return out
    pattern = etree.Element(_S + "pattern", id=pid)
    if any(local(c) == "rule" for c in kids):
        for c in kids:
            rule = _clean(c)
            if local(c) == "rule" and not rule.get("context"):
                rule.set("context", _context(constraint))
            pattern.append(rule)
        return [pattern]
    rule = etree.SubElement(pattern, _S + "rule", context=_context(constraint))
    rule.extend(_clean(c) for c in kids)
    return [pattern]


def _clean(el: etree._Element) -> etree._Element:
    """A Schematron element without the TEI's namespace noise."""
    new = copy.deepcopy(el)
    new.tail = None
    etree.cleanup_namespaces(new, top_nsmap={None: SCH})
    return new


def _declare_used(el: etree._Element, declared: dict[str, str]) -> None:
    for e in el.iter():
        if not isinstance(e.tag, str):
            continue
        for name in ("context", "test", "value", "select", "path"):
            text = e.get(name)
            if not text:
                continue
            for prefix in _PREFIX.findall(text):
                uri = e.nsmap.get(prefix)
                if uri and prefix not in declared and prefix not in ("xml",):
                    declared[prefix] = uri


def _context(constraint: etree._Element) -> str:
    """The rule context the TEI derives for a constraint without one."""
    att = next((a for a in constraint.iterancestors(f"{{{TEI}}}attDef")), None)
    cls = next((a for a in constraint.iterancestors(f"{{{TEI}}}classSpec")), None)
    element = next((a for a in constraint.iterancestors(f"{{{TEI}}}elementSpec")), None)
    if att is not None and cls is not None:
        return "@" + att.get("ident", "")
    if att is not None and element is not None:
        return f"tei:{element.get('ident')}/@{att.get('ident')}"
    if cls is not None:
        return "*"
    if element is not None:
        return f"tei:{element.get('ident')}"
    return "/"


def serialize(schema: etree._Element) -> bytes:
    etree.indent(schema, space="  ")
    return etree.tostring(schema, xml_declaration=True, encoding="UTF-8", pretty_print=True)

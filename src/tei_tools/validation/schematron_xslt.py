"""The project's Schematron compiler: a :class:`SchematronSchema` → XSLT 3.0.

The stylesheet it writes, run on a document, returns SVRL holding only
``svrl:active-pattern``, ``svrl:failed-assert`` and ``svrl:successful-report``
(fired rules are not listed: a report of the edition would list every node).
Each failed assert / successful report carries ``location`` (``fn:path()`` of
its subject: the context node, or ``@subject``), ``id``, ``role``, ``flag`` and
``tt:check`` — the index of the check in the model, which gives the code and
the severity back in Python.

How the Schematron maps onto XSLT:

* one mode per pattern (``ttsch:p{n}``): every node is tried against the
  pattern's rules in order and fires at most one (the first rule gets the
  highest priority), as ISO Schematron says. The nodes tried are selected
  at once, ``//context1 | //context2 …`` (a match pattern ``p`` matches exactly
  the nodes of ``//p``), which Saxon does in one native scan; a pattern whose
  contexts use ``current()`` or start with a function is walked instead, node
  by node (over attributes and text only when its contexts can match them);
* ``sch:let``: of the schema → global ``xsl:param``; of the phase → global
  variable; of a pattern → a global variable (its context is the document)
  bound again under its own name in each rule; of a rule → local variable;
* ``sch:ns`` → namespace declarations on the stylesheet; the prefixes in scope
  on a rule are declared on its template too;
* ``queryBinding="xslt"`` (XSLT 1.0 + EXSLT): every generated template and
  variable runs in XPath 1.0 backwards-compatible mode (``version="1.0"``),
  and the EXSLT functions that Schematron files use are provided by
  ``xslt/schematron/exslt.xsl`` (Saxon HE has none);
* top-level XSLT of the schema (``xsl:key``, ``xsl:function``…) is copied.
"""

from __future__ import annotations

import copy
import re

from lxml import etree

from tei_tools.paths import xslt_dir
from tei_tools.validation.schematron_schema import (
    SCH_NS,
    Check,
    Let,
    Pattern,
    Rule,
    SchematronSchema,
    split_predicates,
    split_top_level,
)

XSL = "http://www.w3.org/1999/XSL/Transform"
SVRL_NS = "http://purl.oclc.org/dsdl/svrl"
TTSCH_NS = "urn:x-tei-tools:schematron"
XS_NS = "http://www.w3.org/2001/XMLSchema"
_RESERVED = {"xsl", "svrl", "ttsch", "xs"}


def _x(name: str) -> str:
    return f"{{{XSL}}}{name}"


def compile_to_xslt(schema: SchematronSchema) -> str:
    """The XSLT 3.0 stylesheet (as text) that checks ``schema``."""
    nsmap: dict[str | None, str] = {"xsl": XSL, "svrl": SVRL_NS, "ttsch": TTSCH_NS, "xs": XS_NS}
    for prefix, uri in schema.namespaces:
        if prefix not in _RESERVED:
            nsmap[prefix] = uri
    sheet = etree.Element(_x("stylesheet"), nsmap=nsmap)
    sheet.set("version", "3.0")
    sheet.set("exclude-result-prefixes", "#all")
    for el in schema.xslt:
        if etree.QName(el).localname == "import":
            sheet.append(_copy_xslt(el, schema))
    if schema.xslt1:
        inc = etree.SubElement(sheet, _x("include"))
        inc.set("href", (xslt_dir() / "schematron" / "exslt.xsl").resolve().as_uri())
    etree.SubElement(sheet, _x("output"), method="xml", indent="no", encoding="UTF-8")
    for el in schema.xslt:
        if etree.QName(el).localname != "import":
            sheet.append(_copy_xslt(el, schema))
    for let in schema.lets:
        _variable(sheet, "param", let.name, let, schema)
    for n, pattern in enumerate(schema.patterns, 1):
        for let in pattern.lets:
            _variable(sheet, "variable", _pattern_var(n, let), let, schema)
    _main_template(sheet, schema)
    for n, pattern in enumerate(schema.patterns, 1):
        _pattern_mode(sheet, n, pattern, schema)
    return etree.tostring(sheet, encoding="unicode")


def _copy_xslt(el: etree._Element, schema: SchematronSchema) -> etree._Element:
    made = copy.deepcopy(el)
    if schema.xslt1 and made.get("version") is None:
        made.set("version", "1.0")
    return made


def _bc(el: etree._Element, schema: SchematronSchema) -> etree._Element:
    """XPath 1.0 backwards-compatible mode for an ``xslt`` query binding."""
    if schema.xslt1:
        el.set("version", "1.0")
    return el


def _pattern_var(n: int, let: Let) -> str:
    return f"ttsch:p{n}-{let.name}"


def _variable(parent: etree._Element, kind: str, name: str, let: Let,
              schema: SchematronSchema) -> etree._Element:
    var = _bc(etree.SubElement(parent, _x(kind), name=name), schema)
    if let.value is not None:
        var.set("select", let.value)
    elif let.content is not None:
        for child in let.content:
            var.append(copy.deepcopy(child))
    return var


def _main_template(sheet: etree._Element, schema: SchematronSchema) -> None:
    template = etree.SubElement(sheet, _x("template"), match="/")
    out = etree.SubElement(template, f"{{{SVRL_NS}}}schematron-output")
    if schema.title:
        out.set("title", _avt(schema.title))
    out.set("phase", _avt(schema.phase))
    for prefix, uri in schema.namespaces:
        etree.SubElement(out, f"{{{SVRL_NS}}}ns-prefix-in-attribute-values",
                         prefix=prefix, uri=_avt(uri))
    for n, pattern in enumerate(schema.patterns, 1):
        active = etree.SubElement(out, f"{{{SVRL_NS}}}active-pattern")
        if pattern.id:
            active.set("id", _avt(pattern.id))
        select = _select(pattern)
        etree.SubElement(out, _x("apply-templates"), select=select or ".", mode=f"ttsch:p{n}")


def _select(pattern: Pattern) -> str | None:
    """An XPath selecting every node the pattern's rules can match, if one can be
    written (see the module docstring); ``None``: walk the tree instead."""
    alternatives: list[str] = []
    for rule in pattern.rules:
        context = rule.context.strip()
        if "current(" in context:
            return None
        for alt in split_top_level(context):
            alt = alt.strip()
            if not alt or alt == "." or alt.startswith(("document-node", "$", "(")) or \
                    (re.match(r"^[\w.:-]+\s*\(", alt) and not re.match(
                        r"^(node|text|comment|processing-instruction|element|attribute)\s*\(",
                        alt)):
                return None  # a function call, a variable, a parenthesised pattern…
            alternatives.append(alt if alt.startswith("/") else f"//{alt}")
    return " | ".join(f"({a})" if "|" in a else a for a in alternatives) or None


def _walk(pattern: Pattern) -> str:
    """Which nodes the pattern's walk visits below an element."""
    attributes = text = False
    for rule in pattern.rules:
        bare, _ = split_predicates(rule.context)
        if "@" in bare or "attribute" in bare:
            attributes = True
        if any(t in bare for t in ("text()", "node()", "comment()", "processing-instruction")):
            text = True
    children = "node()" if text else "*"
    return f"@*|{children}" if attributes else children


def _pattern_mode(sheet: etree._Element, n: int, pattern: Pattern,
                  schema: SchematronSchema) -> None:
    mode = f"ttsch:p{n}"
    declared = etree.SubElement(sheet, _x("mode"), name=mode)
    declared.set("on-no-match", "deep-skip")
    walk: str | None = None
    if _select(pattern) is None:
        walk = _walk(pattern)
        default = etree.SubElement(sheet, _x("template"), match="document-node()|*", mode=mode,
                                   priority="-1000")
        etree.SubElement(default, _x("apply-templates"), select=walk, mode=mode)
    count = len(pattern.rules)
    for j, rule in enumerate(pattern.rules):
        _rule_template(sheet, mode, count - j, n, pattern, rule, walk, schema)


def _rule_template(sheet: etree._Element, mode: str, priority: int, n: int, pattern: Pattern,
                   rule: Rule, walk: str | None, schema: SchematronSchema) -> None:
    declared = dict(sheet.nsmap)
    extra = {p: u for p, u in rule.namespaces.items()
             if p not in _RESERVED and declared.get(p, u) == u and p not in declared}
    template = _bc(etree.SubElement(sheet, _x("template"), nsmap=extra or None), schema)
    template.set("match", rule.context)
    template.set("mode", mode)
    template.set("priority", str(priority))
    for let in pattern.lets:
        etree.SubElement(template, _x("variable"), name=let.name,
                         select=f"${_pattern_var(n, let)}")
    for let in rule.lets:
        _variable(template, "variable", let.name, let, schema)
    for check in rule.checks:
        _check(template, check, rule, schema)
    if walk is not None:
        choose = etree.SubElement(template, _x("if"), test="self::* or self::document-node()")
        etree.SubElement(choose, _x("apply-templates"), select=walk, mode=mode)


def _check(template: etree._Element, check: Check, rule: Rule, schema: SchematronSchema) -> None:
    test = check.test if check.kind == "report" else f"not({check.test})"
    attempt = etree.SubElement(template, _x("try"))
    cond = etree.SubElement(attempt, _x("if"), test=test)
    name = "failed-assert" if check.kind == "assert" else "successful-report"
    result = etree.SubElement(cond, f"{{{SVRL_NS}}}{name}")
    result.set("test", _avt(check.test))
    for attr in ("id", "role", "flag", "see"):
        value = check.element.get(attr)
        if value:
            result.set(attr, _avt(value))
    result.set(f"{{{TTSCH_NS}}}check", str(check.index))
    subject = check.subject or rule.subject
    location = etree.SubElement(result, _x("attribute"), name="location")
    location.set("select", f"path(({subject})[1])" if subject else "path(.)")
    text = etree.SubElement(result, f"{{{SVRL_NS}}}text")
    _message(text, check.element)
    for ref in check.diagnostics:
        diagnostic = schema.diagnostics.get(ref)
        if diagnostic is None:
            continue
        out = etree.SubElement(result, f"{{{SVRL_NS}}}diagnostic-reference", diagnostic=_avt(ref))
        _message(out, diagnostic)
    # a dynamic error in this check on this node is reported, not fatal to the run
    catch = etree.SubElement(attempt, _x("catch"))
    failed = etree.SubElement(catch, f"{{{SVRL_NS}}}{name}")
    failed.set(f"{{{TTSCH_NS}}}check", str(check.index))
    etree.SubElement(failed, _x("attribute"), name="location", select="path(.)")
    etree.SubElement(failed, _x("attribute"), name="ttsch:error",
                     select="local-name-from-QName($Q{http://www.w3.org/2005/xqt-errors}code)")
    etree.SubElement(etree.SubElement(failed, f"{{{SVRL_NS}}}text"), _x("value-of"),
                     select="$Q{http://www.w3.org/2005/xqt-errors}description")


def _message(out: etree._Element, source: etree._Element) -> None:
    """The content of an assert/report/diagnostic as XSLT that writes its text."""
    if source.text:
        _text(out, source.text)
    for child in source:
        if isinstance(child.tag, str):
            local = etree.QName(child).localname
            ns = etree.QName(child).namespace
            if ns == SCH_NS and local == "value-of":
                etree.SubElement(out, _x("value-of"), select=child.get("select") or ".")
            elif ns == SCH_NS and local == "name":
                path = child.get("path")
                etree.SubElement(out, _x("value-of"),
                                 select=f"name({path})" if path else "name(.)")
            else:  # sch:emph, sch:dir, sch:span, foreign markup: their text
                _message(out, child)
        if child.tail:
            _text(out, child.tail)


def _text(out: etree._Element, value: str) -> None:
    etree.SubElement(out, _x("text")).text = value


def _avt(value: str) -> str:
    """A literal value in an attribute value template."""
    return value.replace("{", "{{").replace("}", "}}")


def probes(schema: SchematronSchema) -> list[tuple[str, str, str]]:
    """``(where, what, stylesheet)`` for each XPath of the schema on its own, to
    find the one a static error is in (used only when the whole does not compile);
    ``what`` names the XPath and quotes it."""
    names = {let.name for let in schema.lets}
    for pattern in schema.patterns:
        names.update(let.name for let in pattern.lets)
        for rule in pattern.rules:
            names.update(let.name for let in rule.lets)
    out: list[tuple[str, str, str]] = []
    for pattern in schema.patterns:
        for rule in pattern.rules:
            out.append((rule.where, f'the context "{rule.context}" of this rule',
                        _probe(schema, names, rule, match=rule.context)))
            for let in (*pattern.lets, *rule.lets):
                if let.value is not None:
                    out.append((let.where, f'the value "{let.value}" of let ${let.name}',
                                _probe(schema, names, rule, select=let.value)))
            for check in rule.checks:
                out.append((check.where, f'the test "{check.test}" of this {check.kind}',
                            _probe(schema, names, rule, select=check.test)))
                for node in check.element.iter(f"{{{SCH_NS}}}value-of"):
                    select = node.get("select") or "."
                    out.append((check.where, f'the value-of "{select}" in this {check.kind}',
                                _probe(schema, names, rule, select=select)))
    return out


def _probe(schema: SchematronSchema, names: set[str], rule: Rule, match: str | None = None,
           select: str | None = None) -> str:
    nsmap: dict[str | None, str] = {"xsl": XSL, "xs": XS_NS}
    for prefix, uri in schema.namespaces:
        if prefix not in _RESERVED:
            nsmap[prefix] = uri
    for prefix, uri in rule.namespaces.items():
        nsmap.setdefault(prefix, uri)
    sheet = etree.Element(_x("stylesheet"), nsmap=nsmap)
    sheet.set("version", "3.0")
    if schema.xslt1:
        etree.SubElement(sheet, _x("include"),
                         href=(xslt_dir() / "schematron" / "exslt.xsl").resolve().as_uri())
    for el in schema.xslt:
        sheet.append(_copy_xslt(el, schema))
    for name in sorted(names):
        _bc(etree.SubElement(sheet, _x("param"), name=name, select="()"), schema)
    template = _bc(etree.SubElement(sheet, _x("template"), match=match or "/"), schema)
    if select is not None:
        etree.SubElement(template, _x("sequence"), select=select)
    return etree.tostring(sheet, encoding="unicode")

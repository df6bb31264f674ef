"""Wording the validator's errors: located diagnostics a person can act on.

Every message names the element by its TEI name (no namespace prefix, its
``xml:id`` when it has one), at the real line and column of its start tag
or of the attribute, and says what the grammar expected at that point, read
from the derivative (:class:`~.validator.RngError`): the elements allowed
there (and whether the element could end), the required attribute or
element that is missing, the allowed attributes, values and datatypes. The
text keeps lists short (:data:`MAX_LISTED`); the diagnostic's ``expected``
carries them whole (``--format json``).
"""

from __future__ import annotations

import difflib
from collections.abc import Callable

from lxml import etree

from tei_tools.diagnostics import Diagnostic
from tei_tools.validation.locate import SourceText, written_name
from tei_tools.validation.rng.patterns import AnyName, NameChoice, NameClass, NsName, QName, names_of
from tei_tools.validation.rng.validator import RngError

TEI_NS = "http://www.tei-c.org/ns/1.0"
XML_NS = "http://www.w3.org/XML/1998/namespace"
MAX_LISTED = 14

DATATYPE_HINTS = {
    "xsd:ID": "an XML name: a letter or _ first, no spaces, unique in the document",
    "xsd:NCName": "an XML name: a letter or _ first, no spaces or colons",
    "xsd:date": "YYYY-MM-DD",
    "xsd:gYearMonth": "YYYY-MM",
    "xsd:gYear": "YYYY",
    "xsd:dateTime": "YYYY-MM-DDThh:mm:ss",
    "xsd:anyURI": "a URI: no spaces, a scheme (if any) followed by something; #id for a local pointer",
    "xsd:language": "a language tag such as zh-Hans",
    "xsd:nonNegativeInteger": "a whole number, 0 or more",
    "xsd:positiveInteger": "a whole number, 1 or more",
    "xsd:decimal": "a number",
    "xsd:double": "a number such as 1.5 or 2E3",
    "xsd:boolean": "true or false",
}


# -- names -------------------------------------------------------------------------
def display(q: QName, prefix: str | None = None) -> str:
    ns, local = q
    if ns in ("", TEI_NS):
        return local
    if prefix:
        return f"{prefix}:{local}"
    return f"{local} (namespace {ns})"


def element_label(el: etree._Element) -> str:
    """``<div xml:id="item01">``: prefix-free TEI name and the id when there is one."""
    ident = el.get(f"{{{XML_NS}}}id")
    tag = str(el.tag)
    q = (tag[1:].split("}")[0], tag.split("}")[1]) if tag[:1] == "{" else ("", tag)
    name = display(q, el.prefix)
    return f'<{name} xml:id="{ident}">' if ident else f"<{name}>"


def attribute_display(q: QName) -> str:
    ns, local = q
    if ns == XML_NS:
        return f"xml:{local}"
    if ns:
        return f"{{{ns}}}{local}"
    return local


def _name_class_text(nc: NameClass) -> list[str]:
    names = names_of(nc)
    if names is not None:
        return [f"<{display((n.ns, n.local))}>" for n in names]
    if isinstance(nc, NameChoice):
        return _name_class_text(nc.a) + _name_class_text(nc.b)
    if isinstance(nc, NsName):
        return [f"any element in namespace {nc.ns or '(none)'}"]
    if isinstance(nc, AnyName):
        return ["any element"]
    return []


def _qname(tag: str) -> QName:
    return (tag[1:].split("}")[0], tag.split("}")[1]) if tag[:1] == "{" else ("", tag)


def _short(items: list[str], conjunction: str = "or") -> str:
    if not items:
        return "nothing"
    if len(items) > MAX_LISTED:
        return ", ".join(items[:MAX_LISTED]) + f" … ({len(items) - MAX_LISTED} more)"
    if len(items) == 1:
        return items[0]
    return ", ".join(items[:-1]) + f" {conjunction} " + items[-1]


# -- the wording -------------------------------------------------------------------------
class Wording:
    """Turns :class:`RngError` s of one document into located diagnostics."""

    def __init__(self, source: SourceText, file: str, element_names: list[QName],
                 children: Callable[[QName], list[NameClass]],
                 attributes: Callable[[QName], list[QName]]) -> None:
        self.source = source
        self.file = file
        self.names = element_names
        self.children = children
        self.attributes = attributes

    def _at_element(self, code: str, el: etree._Element, message: str,
                    expected: list[str] | tuple[str, ...] = ()) -> Diagnostic:
        line, col = self.source.element(el)
        return Diagnostic(code, "error", self.file, line, col, message, tuple(expected))

    def _at_attribute(self, code: str, el: etree._Element, q: QName, message: str,
                      expected: list[str] | tuple[str, ...] = ()) -> Diagnostic:
        clark = f"{{{q[0]}}}{q[1]}" if q[0] else q[1]
        line, col = self.source.attribute(el, written_name(el, clark))
        return Diagnostic(code, "error", self.file, line, col, message, tuple(expected))

    def explain(self, error: RngError) -> Diagnostic:
        diagnostic: Diagnostic = getattr(self, "_" + error.kind.replace("-", "_"))(error)
        return diagnostic

    def _element(self, e: RngError) -> Diagnostic:
        el = e.element
        parent = el.getparent()
        label = element_label(el)
        where = f" inside {element_label(parent)}" if parent is not None else ""
        expected = _sorted_names(e.expected)
        q = e.name or ("", "")
        if q not in self.names:  # nowhere in the grammar
            ns = q[0]
            if ns not in ("", TEI_NS) and not any(n[0] == ns for n in self.names):
                return self._at_element("RNG-ELEMENT", el, (
                    f"{label} is not allowed{where}: this schema has no element in namespace {ns}"),
                    expected)
            if ns == "" and (TEI_NS, q[1]) in self.names:
                return self._at_element("RNG-NAMESPACE", el, (
                    f"{label} is in no namespace{where}: TEI elements belong to {TEI_NS} "
                    "(check the xmlns declarations)"), expected)
            hint = self._suggest(q[1])
            return self._at_element("RNG-ELEMENT", el, (
                f"{label} is not an element of this schema{where}"
                + (f"; did you mean <{hint}>?" if hint else "")), expected)
        if parent is None:
            return self._at_element("RNG-ELEMENT", el, (
                f"{label} is not allowed as the root element; expected {_short(expected)}"), expected)
        before = el.getprevious()
        while before is not None and not isinstance(before.tag, str):
            before = before.getprevious()
        after = f", after {element_label(before)}" if before is not None else ", as the first child"
        choices = list(expected)
        if e.end_allowed:
            choices.insert(0, f"the end of {element_label(parent)}")
        if not expected and e.end_allowed:
            text = f"{element_label(parent)} takes no more child elements here"
        else:
            text = f"expected {_short(choices)}"
        parent_q = _qname(str(parent.tag))
        if len(expected) == 1 and not e.end_allowed:
            return self._at_element("RNG-ELEMENT", el, (
                f"{label} is not allowed yet{where}{after}; missing required element "
                f"{expected[0]}"), choices)
        if any(nc.contains(q) for nc in self.children(parent_q)):
            return self._at_element("RNG-ELEMENT", el, (
                f"{label} is allowed inside {element_label(parent)} but not here{after}; {text} "
                "(check the order of the children, or a required child missing before it)"),
                choices)
        allowed = sorted({t for nc in self.children(parent_q) for t in _name_class_text(nc)},
                         key=str.lower)
        return self._at_element("RNG-ELEMENT", el, (
            f"{label} is not allowed inside {element_label(parent)}; {text}"
            + (f"; allowed there: {_short(allowed, 'and')}" if allowed and set(allowed) - set(choices)
               else "")), choices)

    def _suggest(self, local: str) -> str | None:
        locals_ = sorted({n[1] for n in self.names})
        lower = {n.lower(): n for n in locals_}
        if local.lower() in lower:
            return lower[local.lower()]
        close = difflib.get_close_matches(local, locals_, n=1, cutoff=0.75)
        return close[0] if close else None

    def _attribute(self, e: RngError) -> Diagnostic:
        el = e.element
        q = e.name or ("", "")
        name = attribute_display(q)
        allowed = [attribute_display(a) for a in e.attributes]
        close = difflib.get_close_matches(name, allowed, n=1, cutoff=0.75)
        hint = f"did you mean @{close[0]}? " if close else ""
        # the attributes its parent takes too (TEI's global ones) are listed last, briefly
        parent = el.getparent()
        common = set(self.attributes(_qname(str(parent.tag)))) if parent is not None else set()
        specific = ["@" + attribute_display(a) for a in e.attributes if a not in common]
        shared = ["@" + attribute_display(a) for a in e.attributes if a in common]
        if not allowed:
            listed = f"{element_label(el)} takes no attributes"
        elif specific and shared:
            listed = ("allowed: " + ", ".join(specific[:MAX_LISTED])
                      + (" …" if len(specific) > MAX_LISTED else "") + " and the common ones ("
                      + ", ".join(shared[:6]) + (", …" if len(shared) > 6 else "") + ")")
        else:
            listed = "allowed: " + _short(specific or shared, "and")
        return self._at_attribute("RNG-ATTRIBUTE", el, q, (
            f"attribute @{name} is not allowed on {element_label(el)}; {hint}{listed}"),
            specific + shared)

    def _value(self, e: RngError) -> Diagnostic:
        el = e.element
        q = e.name or ("", "")
        name = attribute_display(q)
        label = element_label(el)
        values = sorted(set(e.values))
        types = sorted({t for t in e.datatypes if t != "text"})
        expected = values + types
        if values and not types:
            token = e.value or ""
            close = difflib.get_close_matches(token, values, n=1, cutoff=0.6)
            return self._at_attribute("RNG-ATTRIBUTE", el, q, (
                f"@{name}=\"{e.value}\" on {label} is not allowed: the value must be "
                f"{'one of: ' + ', '.join(map(_literal, values)) if len(values) > 1 else _literal(values[0])}"
                + (f" (did you mean \"{close[0]}\"?)" if close else "")), expected)
        return self._at_attribute("RNG-ATTRIBUTE", el, q, (
            f"@{name}=\"{e.value}\" on {label} is not valid: expected {_describe(values, types)}"),
            expected)

    def _missing_attribute(self, e: RngError) -> Diagnostic:
        el = e.element
        names = ["@" + attribute_display(a) for a in e.attributes]
        if not names:
            text = f"{element_label(el)} lacks a required attribute"
        else:
            text = (f"{element_label(el)} lacks the required attribute"
                    f"{'s' if len(names) > 1 else ''} {_short(names, 'and')}")
        return self._at_element("RNG-ATTRIBUTE-MISSING", el, text, names)

    def _incomplete(self, e: RngError) -> Diagnostic:
        el = e.element
        expected = _sorted_names(e.expected)
        if len(expected) == 1:
            text = f"{element_label(el)} is incomplete: missing required element {expected[0]}"
        else:
            text = f"{element_label(el)} is incomplete: expected {_short(expected)}"
        return self._at_element("RNG-CONTENT", el, text, expected)

    def _text(self, e: RngError) -> Diagnostic:
        el = e.element
        text = (e.value or "").strip()
        excerpt = text[:24] + ("…" if len(text) > 24 else "")
        expected = _sorted_names(e.expected)
        return self._at_element("RNG-TEXT", el, (
            f"text \"{excerpt}\" is not allowed directly inside {element_label(el)}: "
            "wrap it in an allowed element"), expected)

    def _content(self, e: RngError) -> Diagnostic:
        el = e.element
        values = sorted(set(e.values))
        types = sorted({t for t in e.datatypes if t != "text"})
        return self._at_element("RNG-TEXT", el, (
            f"the content \"{(e.value or '').strip()[:40]}\" of {element_label(el)} is not valid: "
            f"expected {_describe(values, types)}"), values + types)

    def _duplicate_id(self, e: RngError) -> Diagnostic:
        el = e.element
        first = e.first.sourceline if e.first is not None else "?"
        return self._at_attribute("TT-ID-01", el, e.name or ("", "id"), (
            f"{attribute_display(e.name or ('', 'id'))} \"{e.value}\" is already used on line "
            f"{first}; ids must be unique"))

    def _idref(self, e: RngError) -> Diagnostic:
        el = e.element
        q = e.name or ("", "")
        return self._at_attribute("RNG-IDREF", el, q, (
            f"@{attribute_display(q)} on {element_label(el)} refers to \"{e.value}\", "
            "which is the ID of no element"))


def _sorted_names(classes: tuple[NameClass, ...]) -> list[str]:
    return sorted(dict.fromkeys(t for nc in classes for t in _name_class_text(nc)),
                  key=lambda t: (t.lower(), t))


def _literal(value: str) -> str:
    return value if value and value.strip() == value and " " not in value else f'"{value}"'


def _describe(values: list[str], types: list[str]) -> str:
    parts = []
    if values:
        parts.append("one of: " + ", ".join(_literal(v) for v in values))
    if types:
        hints = list(dict.fromkeys(DATATYPE_HINTS[t.split(" ")[0]] for t in types
                                   if t.split(" ")[0] in DATATYPE_HINTS))
        parts.append("a value of type " + " or ".join(types)
                     + (f" ({'; '.join(hints)})" if hints else ""))
    return "; or ".join(parts) or "a different value"

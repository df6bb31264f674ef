"""RELAX NG validation with messages a person can act on.

The grammar is read once per process and cached by path. A big one
(``tei_all.rng``: seconds to compile whole) is pruned to each document's names
to decide validity; see :class:`CompiledRelaxNG`. libxml2 decides validity; its messages are then
reworded with the help of :class:`~tei_tools.validation.grammar.Grammar`:

=========================  ==========================================================
libxml2 (``RELAXNG_ERR_``)  what we say
=========================  ==========================================================
``ELEMWRONG``              the element is unknown to the schema (and what was probably
                           meant), not allowed in its parent (and the allowed children),
                           or allowed there but out of order
``INVALIDATTR``            the attribute is not allowed on the element (and the allowed
                           ones), or its value is not in the closed list / datatype
``ATTRVALID``              we find which attribute is wrong or missing ourselves,
                           and on which element when libxml2 gives no location
``TEXTWRONG``              which text is not allowed where
``NOELEM``/``ELEMNAME``    which child is missing / expected instead
``CONTENTVALID``           kept only when no more precise error explains it
=========================  ==========================================================

Every diagnostic names the element by its TEI name (no namespace prefix) and
its ``xml:id`` when it has one, at the real line and column of its start tag
(or of the attribute).
"""

from __future__ import annotations

import difflib
import os
import re
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from tei_tools import xmlio
from tei_tools.diagnostics import Diagnostic
from tei_tools.errors import UsageError
from tei_tools.validation import prune
from tei_tools.validation.compiled import cache_key, read_schema
from tei_tools.validation.grammar import XML_NS, ElementInfo, Grammar
from tei_tools.validation.locate import SourceText, written_name

TEI_NS = xmlio.TEI_NS
MAX_LISTED = 14


PRUNE_MIN_ELEMENTS = 200
"""Grammars with at least this many element patterns are pruned per document.

The project's grammar (120) is not: it compiles whole in ~13 ms, once per
process, and pruning it would cost ~6 ms per document (prune + compile)."""
PRUNED_CACHE_SIZE = 64


@dataclass
class CompiledRelaxNG:
    """A grammar, compiled on demand.

    Small grammars (the project's) are compiled whole at load time. Big
    self-contained ones (``tei_all.rng``: ~7 s to compile whole) are pruned,
    per document, to the element and attribute names it uses
    (:mod:`~tei_tools.validation.prune`, same verdict) and the pruned grammar
    is compiled in milliseconds; the whole grammar is compiled only when a
    document is invalid, to explain its errors (once per process).
    """

    path: Path
    source: etree._ElementTree
    prunable: bool = False
    _relaxng: etree.RelaxNG | None = field(default=None, repr=False)
    _grammar: Grammar | None = field(default=None, repr=False)

    @property
    def relaxng(self) -> etree.RelaxNG:
        """The whole grammar, compiled (the first use of a big one takes seconds)."""
        if self._relaxng is None:
            self._relaxng = _compile(self.path, self.source)
        return self._relaxng

    @property
    def grammar(self) -> Grammar:
        if self._grammar is None:
            self._grammar = Grammar(self.source)
        return self._grammar

    def for_document(self, tree: etree._ElementTree) -> etree.RelaxNG:
        """The grammar to decide ``tree``'s validity with: pruned to its names when prunable."""
        if not self.prunable:
            return self.relaxng
        elements, attributes = prune.used_names(tree)
        try:
            return self._pruned(frozenset(elements), frozenset(attributes))
        except etree.RelaxNGParseError:  # never seen; the whole grammar is always right
            return self.relaxng

    def _pruned(self, elements: frozenset[prune.Name],
                attributes: frozenset[prune.Name]) -> etree.RelaxNG:
        key = (*cache_key(self.path, "schema"), elements, attributes)
        compiled = _PRUNED.get(key)
        if compiled is not None:
            _PRUNED.move_to_end(key)
            return compiled
        compiled = etree.RelaxNG(prune.prune(self.source, set(elements), set(attributes)))
        _PRUNED[key] = compiled
        if len(_PRUNED) > PRUNED_CACHE_SIZE:
            _PRUNED.popitem(last=False)
        return compiled


_CACHE: dict[tuple[str, float], CompiledRelaxNG] = {}
_PRUNED: OrderedDict[tuple[str, float, frozenset[prune.Name], frozenset[prune.Name]],
                     etree.RelaxNG] = OrderedDict()


def load_relaxng(path: str | os.PathLike[str]) -> CompiledRelaxNG:
    """Read a RELAX NG grammar (XML syntax), once per process per file version.

    A grammar libxml2 cannot compile is a :class:`UsageError`. A big
    self-contained grammar is not compiled whole here (see
    :class:`CompiledRelaxNG`); it is checked by compiling it pruned to no
    name at all, and compiled whole only if that fails, for the message.
    """
    p = Path(path)
    key = cache_key(p, "schema")
    if key in _CACHE:
        return _CACHE[key]
    if p.suffix == ".rnc":
        raise UsageError(f"{p}: error: compact-syntax RELAX NG is not read directly; "
                         f"convert it first: trang {p} {p.with_suffix('.rng')}")
    source = read_schema(p, "schema")
    result = CompiledRelaxNG(p, source, prunable=_prunable(source))
    if result.prunable:
        try:
            result._pruned(frozenset(), frozenset())
        except etree.RelaxNGParseError:
            result.prunable = False
    if not result.prunable:
        result.relaxng  # compile now: a bad grammar is reported before any document
    _CACHE[key] = result
    return result


def _prunable(source: etree._ElementTree) -> bool:
    root = source.getroot()
    r = f"{{{prune.RNG_NS}}}"
    if root.find(f".//{r}include") is not None or root.find(f".//{r}externalRef") is not None:
        return False  # not self-contained: compiled whole, as given
    return sum(1 for _ in root.iter(f"{r}element")) >= PRUNE_MIN_ELEMENTS


def _compile(path: Path, source: etree._ElementTree) -> etree.RelaxNG:
    try:
        return etree.RelaxNG(source)
    except etree.RelaxNGParseError as exc:
        first = str(exc.error_log.last_error or exc).strip() if exc.error_log else str(exc)
        raise UsageError(f"{path}: error: not a usable RELAX NG grammar: {first}") from None


# -- naming ------------------------------------------------------------------
def element_label(el: etree._Element) -> str:
    """``<div xml:id="item01">``: prefix-free TEI name and the id when there is one."""
    ident = el.get(f"{{{XML_NS}}}id")
    name = display_name(el.tag, el.prefix)
    return f'<{name} xml:id="{ident}">' if ident else f"<{name}>"


def display_name(clark: str, prefix: str | None = None) -> str:
    qname = etree.QName(clark)
    if qname.namespace in (None, TEI_NS):
        return qname.localname
    if prefix:
        return f"{prefix}:{qname.localname}"
    return f"{qname.localname} (namespace {qname.namespace})"


def attribute_display(clark: str) -> str:
    qname = etree.QName(clark)
    if qname.namespace == XML_NS:
        return f"xml:{qname.localname}"
    if qname.namespace:
        return f"{{{qname.namespace}}}{qname.localname}"
    return qname.localname


def _names(clarks: set[str]) -> str:
    names = sorted({display_name(c) for c in clarks}, key=str.lower)
    if len(names) > MAX_LISTED:
        return ", ".join(names[:MAX_LISTED]) + f" … ({len(names) - MAX_LISTED} more)"
    return ", ".join(names)


def _attr_names(clarks: set[str]) -> str:
    names = sorted(attribute_display(c) for c in clarks)
    if len(names) > MAX_LISTED:
        return ", ".join("@" + n for n in names[:MAX_LISTED]) + f" … ({len(names) - MAX_LISTED} more)"
    return ", ".join("@" + n for n in names)


# -- checking ----------------------------------------------------------------
@dataclass
class _Raw:
    kind: str
    message: str
    element: etree._Element | None
    line: int


UNEXPLAINED = "RNG-UNEXPLAINED"
"""Code of the placeholder :func:`check` returns with ``explain=False``."""


def check(compiled: CompiledRelaxNG, tree: etree._ElementTree, source: SourceText,
          file: str, duplicate_ids: frozenset[str] = frozenset(),
          explain: bool = True) -> list[Diagnostic]:
    """Validate ``tree``; return improved, located diagnostics (empty when valid).

    With ``explain=False`` and a prunable grammar, an invalid document gets a
    single :data:`UNEXPLAINED` placeholder instead of compiling the whole
    grammar (the parallel runner explains those afterwards, compiling once).
    """
    if compiled.prunable and compiled.for_document(tree).validate(tree):
        return []  # the pruned grammar gives the same verdict as the whole one
    if compiled.prunable and not explain and compiled._relaxng is None:
        return [Diagnostic(UNEXPLAINED, "error", file, None, None, "not valid (not yet explained)")]
    if compiled.relaxng.validate(tree):
        return []
    # invalid: libxml2's raw errors against the whole grammar, which the
    # explainer below analyses (it reads the whole grammar's XML)
    raws = []
    for entry in compiled.relaxng.error_log:
        raws.append(_Raw(entry.type_name.replace("RELAXNG_ERR_", ""), entry.message,
                         _resolve(tree, entry.path, entry.line, source), entry.line))
    explainer = _Explainer(compiled.grammar, tree, source, file, duplicate_ids)
    diagnostics = explainer.explain(raws)
    if not diagnostics and not (duplicate_ids and all(r.kind in ("INVALIDATTR", "ATTRVALID") for r in raws)):
        # Never turn an invalid verdict into silence.
        first = raws[0] if raws else None
        diagnostics.append(Diagnostic("RNG", "error", file, (first.line or None) if first else None,
                                      None, first.message if first else "document is not valid"))
    return diagnostics


def _resolve(tree: etree._ElementTree, path: str | None, line: int,
             source: SourceText) -> etree._Element | None:
    if path:
        try:
            found = tree.xpath(path)
        except etree.XPathError:
            found = []
        if found and isinstance(found[0], etree._Element):
            return found[0]
    if line and line > 0:
        on_line = source.elements_on_line(line)
        if len(on_line) == 1:
            return on_line[0]
    return None


class _Explainer:
    def __init__(self, grammar: Grammar, tree: etree._ElementTree, source: SourceText,
                 file: str, duplicate_ids: frozenset[str]) -> None:
        self.grammar = grammar
        self.tree = tree
        self.source = source
        self.file = file
        self.duplicate_ids = duplicate_ids
        # elements whose attribute error is already explained (id → element, kept alive)
        self.attribute_reported: dict[int, etree._Element] = {}

    def explain(self, raws: list[_Raw]) -> list[Diagnostic]:
        specific = {id(r.element) for r in raws
                    if r.element is not None and r.kind in ("ELEMWRONG", "TEXTWRONG")}
        results: list[Diagnostic] = []
        # the elements that have a precise error, and all their ancestors, by id
        # (the dict keeps the lxml proxies alive, so the ids stay theirs)
        covered: dict[int, etree._Element] = {}
        deferred: list[_Raw] = []
        for raw in raws:
            if raw.kind == "EXTRACONTENT" and id(raw.element) in specific:
                continue
            if raw.kind in ("CONTENTVALID", "INTEREXTRA", "INTERSEQ", "ELEMNOTEMPTY",
                            "EXTRACONTENT", "ATTRVALID", "NOELEM", "ELEMNAME",
                            "NOTELEM") and raw.element is not None:
                deferred.append(raw)
                continue
            produced = self._one(raw)
            results.extend(produced)
            if produced and raw.element is not None:
                _cover(covered, raw.element)
        for raw in deferred:
            if raw.kind == "ATTRVALID":
                if id(raw.element) not in self.attribute_reported:
                    results.extend(self._one(raw))
                continue
            el = raw.element
            if id(el) in covered:
                continue  # a more precise error inside it explains it
            results.extend(self._one(raw))
            _cover(covered, el)
        unique: dict[tuple[object, ...], Diagnostic] = {}
        for d in results:
            unique.setdefault((d.line, d.column, d.message), d)
        return list(unique.values())

    # -- one libxml2 error -------------------------------------------------
    def _one(self, raw: _Raw) -> list[Diagnostic]:
        handler = getattr(self, f"_{raw.kind.lower()}", None)
        if handler is not None:
            return handler(raw)
        return [self._diag("RNG", raw.element, _clean(raw.message), raw.line)]

    def _diag(self, code: str, el: etree._Element | None, message: str, line: int = 0,
              attribute: str | None = None) -> Diagnostic:
        if el is not None:
            if attribute:
                ln, col = self.source.attribute(el, attribute)
            else:
                ln, col = self.source.element(el)
        else:
            ln, col = (line or None), None
        return Diagnostic(code, "error", self.file, ln, col, message)

    def _elemwrong(self, raw: _Raw) -> list[Diagnostic]:
        el = raw.element
        if el is None:
            return [self._diag("RNG-ELEMENT", None, _clean(raw.message), raw.line)]
        if "element text there" in raw.message and etree.QName(el).localname != "text":
            return self._textwrong(raw)  # libxml2's name for a text node
        return [self._diag("RNG-ELEMENT", el, self._not_here(el))]

    def _extracontent(self, raw: _Raw) -> list[Diagnostic]:
        el = raw.element
        if el is None:
            return [self._diag("RNG-CONTENT", None, _clean(raw.message), raw.line)]
        match = re.search(r"has extra content: (\S+)", raw.message)
        if match and match.group(1) == "text":
            return [self._diag("RNG-TEXT", el, f"text is not allowed directly inside {element_label(el)}")]
        # libxml2 points at the offending child.
        if el.getparent() is not None:
            return [self._diag("RNG-ELEMENT", el, self._not_here(el))]
        return [self._diag("RNG-CONTENT", el, _clean(raw.message))]

    def _not_here(self, el: etree._Element) -> str:
        parent = el.getparent()
        info = self.grammar.element(el.tag)
        label = element_label(el)
        where = f" inside {element_label(parent)}" if parent is not None else ""
        if info is None:
            qname = etree.QName(el)
            if qname.namespace not in (None, TEI_NS) and not any(
                    n.startswith(f"{{{qname.namespace}}}") for n in self.grammar.elements):
                return (f"{label} is not allowed{where}: this schema has no element in "
                        f"namespace {qname.namespace}")
            if qname.namespace is None and self.grammar.element(f"{{{TEI_NS}}}{qname.localname}"):
                return (f"{label} is in no namespace{where}: TEI elements belong to "
                        f"{TEI_NS} (check the xmlns declarations)")
            hint = self.grammar.suggest(qname.localname)
            return (f"{label} is not an element of this schema" + where
                    + (f"; did you mean <{hint}>?" if hint else ""))
        if parent is None:
            return f"{label} is not allowed as the root element"
        parent_info = self.grammar.element(parent.tag)
        if parent_info is not None and el.tag in parent_info.children:
            before = el.getprevious()
            while before is not None and not isinstance(before.tag, str):
                before = before.getprevious()
            where_now = (f"after {element_label(before)}" if before is not None
                         else "as the first child")
            return (f"{label} is allowed inside {element_label(parent)} but not here, "
                    f"{where_now} (check the order of the children, or a required "
                    "child missing before it)")
        allowed = _names(parent_info.children) if parent_info and parent_info.children else "none"
        return f"{label} is not allowed inside {element_label(parent)}; allowed there: {allowed}"

    def _textwrong(self, raw: _Raw) -> list[Diagnostic]:
        el = raw.element
        if el is None:
            return [self._diag("RNG-TEXT", None, _clean(raw.message), raw.line)]
        text = (el.text or "").strip() or next(
            ((c.tail or "").strip() for c in el if (c.tail or "").strip()), "")
        excerpt = text[:24] + ("…" if len(text) > 24 else "")
        return [self._diag("RNG-TEXT", el, f'text "{excerpt}" is not allowed directly inside '
                                             f"{element_label(el)}: wrap it in an allowed element")]

    def _notelem(self, raw: _Raw) -> list[Diagnostic]:
        return self._textwrong(raw)  # "Expecting an element, got text"

    def _invalidattr(self, raw: _Raw) -> list[Diagnostic]:
        el = raw.element
        match = re.search(r"Invalid attribute (\S+) for element", raw.message)
        if el is None or not match:
            return [self._diag("RNG-ATTRIBUTE", el, _clean(raw.message), raw.line)]
        local = match.group(1)
        clark = next((a for a in el.attrib if etree.QName(a).localname == local), local)
        if clark == f"{{{XML_NS}}}id" and el.get(clark) in self.duplicate_ids:
            return []  # reported once, as TT-ID-01
        return [self._attribute_error(el, clark)]

    def _attribute_error(self, el: etree._Element, clark: str) -> Diagnostic:
        problem = self._attribute_problem(el, clark)
        if problem is None:
            problem = (f"@{attribute_display(clark)}=\"{el.get(clark)}\" is not valid on "
                       f"{element_label(el)}")
        self.attribute_reported[id(el)] = el
        return self._diag("RNG-ATTRIBUTE", el, problem, attribute=written_name(el, clark))

    def _typeval(self, raw: _Raw) -> list[Diagnostic]:
        """"Type language doesn't allow value 'zh Hans'": find the attribute."""
        el = raw.element
        match = re.search(r"doesn't allow value '(.*)'$", raw.message.strip())
        if el is not None and match:
            value = match.group(1)
            for clark, actual in el.attrib.items():
                if actual == value or value in actual.split():
                    return [self._attribute_error(el, clark)]
            if (el.text or "").strip() == value.strip():
                return [self._diag("RNG-TEXT", el, f"the content \"{value}\" of "
                                   f"{element_label(el)} is not a valid value")]
        return [self._diag("RNG", el, _clean(raw.message), raw.line)]

    def _attribute_problem(self, el: etree._Element, clark: str,
                           known_invalid: bool = True) -> str | None:
        """What is wrong with one attribute; ``known_invalid``: libxml2 said it is."""
        info = self.grammar.element(el.tag)
        if info is None:
            return None
        label = element_label(el)
        name = attribute_display(clark)
        if clark not in info.attributes:
            if info.any_attribute:
                return None
            return f"attribute @{name} is not allowed on {label}; " + self._allowed_attributes(info, name)
        ainfo = info.attributes[clark]
        value = el.get(clark, "")
        if ainfo.values and not ainfo.free and not ainfo.datatypes:
            bad = [t for t in (value.split() or [value]) if t not in ainfo.values]
            if not bad:
                return None
            close = difflib.get_close_matches(bad[0], sorted(ainfo.values), n=1, cutoff=0.6)
            return (f"@{name}=\"{value}\" on {label} is not allowed: the value must be "
                    f"{ainfo.describe()}" + (f" (did you mean \"{close[0]}\"?)" if close else ""))
        if ainfo.free or not known_invalid:
            return None  # a datatype we do not check ourselves
        return f"@{name}=\"{value}\" on {label} is not valid: expected {ainfo.describe()}"

    def _allowed_attributes(self, info: ElementInfo, wrong: str) -> str:
        names = {attribute_display(a): a for a in info.attributes}
        close = difflib.get_close_matches(wrong, sorted(names), n=1, cutoff=0.75)
        hint = f"did you mean @{close[0]}? " if close else ""
        common = self.grammar.global_attributes
        specific = {a for a in info.attributes if a not in common}
        general = set(info.attributes) - specific
        listed = _attr_names(specific)
        if general:
            shown = sorted(attribute_display(a) for a in general)
            listed += ((" and " if specific else "only ") + "the global attributes ("
                       + ", ".join("@" + n for n in shown[:6])
                       + (", …" if len(shown) > 6 else "") + ")")
        return f"{hint}allowed: {listed}"

    def _attrvalid(self, raw: _Raw) -> list[Diagnostic]:
        el = raw.element
        if el is None:
            match = re.search(r"Element (\S+) failed", raw.message)
            local = match.group(1) if match else None
            candidates = [e for e in self.tree.iter() if isinstance(e.tag, str)
                          and etree.QName(e).localname == local] if local else []
            found = []
            for cand in candidates:
                found.extend(self._attribute_findings(cand, definite_only=True))
            if found:
                return found
            return [self._diag("RNG-ATTRIBUTE", None, _clean(raw.message), raw.line)]
        findings = self._attribute_findings(el, definite_only=False)
        return findings or [self._diag(
            "RNG-ATTRIBUTE", el, f"the attributes of {element_label(el)} do not match the schema")]

    def _attribute_findings(self, el: etree._Element, definite_only: bool) -> list[Diagnostic]:
        info = self.grammar.element(el.tag)
        if info is None:
            return []
        out = []
        for clark in el.attrib:
            problem = self._attribute_problem(el, clark, known_invalid=False)
            if problem:
                out.append(self._diag("RNG-ATTRIBUTE", el, problem, attribute=written_name(el, clark)))
        present = set(el.attrib)
        missing = (info.required_everywhere or set()) - present
        if not missing and not out and not definite_only:
            missing = info.required_somewhere - present
            if missing:
                out.append(self._diag(
                    "RNG-ATTRIBUTE-MISSING", el,
                    f"{element_label(el)} lacks {_attr_names(missing)}, which the schema "
                    f"requires on this kind of <{display_name(el.tag)}>"))
                return out
        if missing:
            out.append(self._diag(
                "RNG-ATTRIBUTE-MISSING", el,
                f"{element_label(el)} lacks the required attribute"
                f"{'s' if len(missing) > 1 else ''} {_attr_names(missing)}"))
        return out

    def _elemname(self, raw: _Raw) -> list[Diagnostic]:
        match = re.search(r"Expecting element (\S+), got (\S+)", raw.message)
        if raw.element is None or not match:
            return [self._diag("RNG-ELEMENT", raw.element, _clean(raw.message), raw.line)]
        return [self._diag("RNG-ELEMENT", raw.element,
                           f"expected <{match.group(1)}> here, found {element_label(raw.element)}")]

    def _noelem(self, raw: _Raw) -> list[Diagnostic]:
        match = re.search(r"Expecting an element (\S+), got nothing", raw.message)
        el = raw.element
        if el is None or not match:
            return [self._diag("RNG-CONTENT", el, _clean(raw.message), raw.line)]
        return [self._diag("RNG-CONTENT", el,
                           f"{element_label(el)} is incomplete: a <{match.group(1)}> is missing")]

    def _contentvalid(self, raw: _Raw) -> list[Diagnostic]:
        el = raw.element
        if el is None:
            return [self._diag("RNG-CONTENT", None, _clean(raw.message), raw.line)]
        info = self.grammar.element(el.tag)
        allowed = _names(info.children) if info and info.children else "no elements"
        return [self._diag("RNG-CONTENT", el,
                           f"the content of {element_label(el)} does not match the schema "
                           f"(a required child is missing or the children are out of order); "
                           f"allowed children: {allowed}")]

    def _elemnons(self, raw: _Raw) -> list[Diagnostic]:
        el = raw.element
        return [self._diag("RNG-NAMESPACE", el,
                           f"{element_label(el) if el is not None else 'element'} is in no namespace: "
                           f"TEI elements belong to {TEI_NS} (check the xmlns declarations)",
                           raw.line)]


def _cover(covered: dict[int, etree._Element], el: etree._Element | None) -> None:
    while el is not None and id(el) not in covered:
        covered[id(el)] = el
        el = el.getparent()


def _clean(message: str) -> str:
    return message.strip().rstrip(".")

"""Reading a RELAX NG grammar (XML syntax) into simplified, hash-consed patterns.

The rules of section 4 of the RELAX NG specification are applied while the
patterns are built rather than by rewriting the XML: ``include`` and
``externalRef`` are resolved (local files only, read with the hardened
parser), ``div`` flattened, ``define``\\ s with the same name combined
(``combine="choice|interleave"``), ``ns`` and ``datatypeLibrary`` inherited,
``optional``/``zeroOrMore``/``mixed`` expressed with ``choice``,
``oneOrMore`` and ``interleave``, nested ``grammar``\\ s scoped
(``parentRef``), foreign elements and attributes ignored.

References are followed lazily: an element's content is built the first
time a document reaches it, so a grammar of 600 elements costs only what a
document uses.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from tei_tools import xmlio
from tei_tools.errors import TeiToolsError
from tei_tools.validation.rng import datatypes
from tei_tools.validation.rng.patterns import (
    AnyName,
    Name,
    NameChoice,
    NameClass,
    NsName,
    Pattern,
    Patterns,
)

RNG_NS = "http://relaxng.org/ns/structure/1.0"
_R = f"{{{RNG_NS}}}"
_REF, _PARENT_REF, _DATA, _VALUE, _ELEMENT, _ATTRIBUTE, _EXTERNAL_REF, _GRAMMAR, _DEFINE, \
    _PARAM = (_R + t for t in ("ref", "parentRef", "data", "value", "element", "attribute",
                               "externalRef", "grammar", "define", "param"))
COMBINE = ("choice", "interleave")


class GrammarError(Exception):
    """The grammar is not usable; the message names the file and line."""


def _local(node: etree._Element) -> str | None:
    tag = node.tag
    if isinstance(tag, str) and tag.startswith(_R):
        return tag[len(_R):]
    return None


def _children(node: etree._Element) -> list[etree._Element]:
    return [c for c in node if _local(c) is not None]


@dataclass
class _Scope:
    """One ``grammar``: its definitions, start, and the enclosing grammar."""

    parent: _Scope | None
    defines: dict[str, list[tuple[etree._Element, str | None, str]]] = field(default_factory=dict)
    start: list[tuple[etree._Element, str | None, str]] = field(default_factory=list)
    built: dict[str, Pattern] = field(default_factory=dict)
    building: set[str] = field(default_factory=set)


@dataclass
class Grammar:
    """A grammar read into patterns: ``start`` and the table that built it."""

    start: Pattern
    patterns: Patterns
    definition: Callable[[tuple[str, str]], Pattern | None]
    """The content an element name has wherever the grammar defines it (or ``None``)."""
    element_names: Callable[[], list[tuple[str, str]]]
    """The names of the elements the grammar defines (with a literal name)."""
    document: etree._ElementTree | None = None
    """The grammar file as parsed (kept anyway: elements are built from its nodes
    when a document first reaches them), for what else reads it (its Schematron)."""


class _Builder:
    def __init__(self) -> None:
        self.P = Patterns()
        self._docs: dict[Path, etree._Element] = {}
        self._components_seen: dict[etree._Element, tuple[_Scope, str]] = {}
        self._index: dict[tuple[str, str], list[tuple[etree._Element, _Scope, str, str]]] | None = None
        self._definitions: dict[tuple[str, str], Pattern | None] = {}
        self._checked_types: dict[tuple[object, ...], datatypes.Datatype] = {}

    # -- files -----------------------------------------------------------------
    def document(self, path: Path, where: str) -> etree._Element:
        path = path.resolve()
        if path not in self._docs:
            if not path.is_file():
                raise GrammarError(f"{where}: error: included grammar {path} not found")
            try:
                root = xmlio.parse_file(path).getroot()
            except TeiToolsError as exc:
                raise GrammarError(str(exc)) from None
            self._docs[path] = root
        return self._docs[path]

    def _href(self, node: etree._Element) -> Path:
        href = (node.get("href") or "").strip()
        where = _where(node)
        if not href:
            raise GrammarError(f"{where}: error: <{_local(node)}> without href")
        if "://" in href or href.startswith(("http:", "https:", "ftp:", "file:")):
            raise GrammarError(f"{where}: error: only local grammar files are read, not {href}")
        base = node.getroottree().docinfo.URL or ""
        return Path(base).parent / href

    # -- grammars --------------------------------------------------------------
    def grammar(self, node: etree._Element, parent: _Scope | None, ns: str) -> Pattern:
        scope = _Scope(parent)
        self._components(node, scope, ns, overrides=None)
        if not scope.start:
            raise GrammarError(f"{_where(node)}: error: grammar without <start>")
        return self._combined(scope.start, scope, "start")

    def _components(self, node: etree._Element, scope: _Scope, ns: str,
                    overrides: tuple[set[str], bool] | None) -> None:
        """Add the components of a ``grammar`` (or ``div``, ``include``) to ``scope``;
        ``overrides``: the define names and whether the start an ``include`` replaces."""
        ns = node.get("ns", ns)
        for child in _children(node):
            kind = _local(child)
            if kind == "start":
                if overrides is None or not overrides[1]:
                    scope.start.append((child, child.get("combine"), ns))
                    self._components_seen[child] = (scope, ns)
            elif kind == "define":
                name = (child.get("name") or "").strip()
                if overrides is None or name not in overrides[0]:
                    scope.defines.setdefault(name, []).append((child, child.get("combine"), ns))
                    self._components_seen[child] = (scope, ns)
            elif kind == "div":
                self._components(child, scope, ns, overrides)
            elif kind == "include":
                self._include(child, scope, ns, overrides)

    def _include(self, node: etree._Element, scope: _Scope, ns: str,
                 outer: tuple[set[str], bool] | None) -> None:
        ns = node.get("ns", ns)
        root = self.document(self._href(node), _where(node))
        if _local(root) != "grammar":
            raise GrammarError(f"{_where(node)}: error: an included file must be a <grammar>")
        names: set[str] = set(outer[0]) if outer else set()
        start = bool(outer and outer[1])
        for child in _override_parts(node):
            if _local(child) == "start":
                start = True
            elif _local(child) == "define":
                names.add((child.get("name") or "").strip())
        self._components(root, scope, root.get("ns", ns), (names, start))
        # the include's own components (the overrides) belong to the including grammar
        self._components(node, scope, ns, outer)

    def _combined(self, parts: list[tuple[etree._Element, str | None, str]], scope: _Scope,
                  what: str) -> Pattern:
        methods = {c for _, c, _ in parts if c}
        if len(methods) > 1 or (methods - set(COMBINE)):
            raise GrammarError(f"{_where(parts[0][0])}: error: conflicting combine for {what}")
        if sum(1 for _, c, _ in parts if not c) > 1:
            raise GrammarError(f"{_where(parts[-1][0])}: error: {what} defined twice "
                               "without combine")
        built = [self.group(_children(node), scope, ns, inherited(node, "datatypeLibrary"))
                 for node, _, ns in parts]
        result = built[0]
        for p in built[1:]:
            result = (self.P.interleave(result, p) if "interleave" in methods
                      else self.P.choice(result, p))
        return result

    def ref(self, name: str, scope: _Scope | None, node: etree._Element) -> Pattern:
        if scope is None or name not in scope.defines:
            raise GrammarError(f"{_where(node)}: error: reference to undefined pattern \"{name}\"")
        hit = scope.built.get(name)
        if hit is not None:
            return hit
        if name in scope.building:
            raise GrammarError(f"{_where(node)}: error: pattern \"{name}\" refers to itself "
                               "other than through an element")
        scope.building.add(name)
        try:
            result = self._combined(scope.defines[name], scope, f"pattern \"{name}\"")
        finally:
            scope.building.discard(name)
        scope.built[name] = result
        return result

    # -- patterns --------------------------------------------------------------
    def group(self, nodes: list[etree._Element], scope: _Scope, ns: str, lib: str) -> Pattern:
        if not nodes:
            return self.P.empty
        result = self.pattern(nodes[0], scope, ns, lib)
        for node in nodes[1:]:
            result = self.P.group(result, self.pattern(node, scope, ns, lib))
        return result

    def pattern(self, node: etree._Element, scope: _Scope, ns: str, lib: str) -> Pattern:
        P = self.P
        kind = _local(node)
        ns = node.get("ns", ns)
        lib = node.get("datatypeLibrary", lib)
        kids = _children(node)
        if kind == "element":
            return self._element(node, kids, scope, ns, lib)
        if kind == "attribute":
            if node.get("name") is not None:
                nc: NameClass = _qname(node, node.get("name", ""), node.get("ns", ""))
            else:
                nc, kids = self.name_class(kids[0], ns), kids[1:]
            content = self.group(kids, scope, ns, lib) if kids else P.text
            return P.attribute(nc, content)
        if kind in ("group", "choice", "interleave", "optional", "zeroOrMore", "oneOrMore",
                    "mixed", "list"):
            parts = [self.pattern(k, scope, ns, lib) for k in kids]
            if kind == "choice":
                return P.choices(parts)
            if kind == "interleave":
                result = parts[0] if parts else P.empty
                for p in parts[1:]:
                    result = P.interleave(result, p)
                return result
            body = parts[0] if parts else P.empty
            for p in parts[1:]:
                body = P.group(body, p)
            if kind == "optional":
                return P.optional(body)
            if kind == "zeroOrMore":
                return P.zero_or_more(body)
            if kind == "oneOrMore":
                return P.one_or_more(body)
            if kind == "mixed":
                return P.interleave(body, P.text)
            if kind == "list":
                return P.list(body)
            return body
        if kind == "empty":
            return P.empty
        if kind == "notAllowed":
            return P.not_allowed
        if kind == "text":
            return P.text
        if kind == "ref":
            return self.ref((node.get("name") or "").strip(), scope, node)
        if kind == "parentRef":
            return self.ref((node.get("name") or "").strip(), scope.parent, node)
        if kind == "grammar":
            return self.grammar(node, scope, ns)
        if kind == "externalRef":
            root = self.document(self._href(node), _where(node))
            return self.pattern(root, _Scope(None), root.get("ns", ns), "")
        if kind == "data":
            return self._data(node, kids, scope, ns, lib)
        if kind == "value":
            return self._value(node, ns, lib)
        raise GrammarError(f"{_where(node)}: error: <{kind}> is not a RELAX NG pattern here")

    def _element(self, node: etree._Element, kids: list[etree._Element], scope: _Scope,
                 ns: str, lib: str) -> Pattern:
        if node.get("name") is not None:
            nc: NameClass = _qname(node, node.get("name", ""), ns)
        else:
            if not kids:
                raise GrammarError(f"{_where(node)}: error: <element> without a name")
            nc, kids = self.name_class(kids[0], ns), kids[1:]

        def content() -> Pattern:
            return self.group(kids, scope, ns, lib)

        return self.P.element(nc, content, (node, id(scope)))

    def _data(self, node: etree._Element, kids: list[etree._Element], scope: _Scope,
              ns: str, lib: str) -> Pattern:
        params = tuple(((k.get("name") or "").strip(), k.text or "")
                       for k in kids if _local(k) == "param")
        exclude = None
        for k in kids:
            if _local(k) == "except":
                exclude = self.P.choices([self.pattern(e, scope, ns, lib) for e in _children(k)])
        try:
            dt = datatypes.lookup(lib, (node.get("type") or "").strip(), params)
        except datatypes.DatatypeError as exc:
            raise GrammarError(f"{_where(node)}: error: {exc}") from None
        return self.P.data(dt, exclude)

    def _value(self, node: etree._Element, ns: str, lib: str) -> Pattern:
        if node.get("type") is None:
            lib, type_ = "", "token"
        else:
            type_ = (node.get("type") or "").strip()
        try:
            dt = datatypes.lookup(lib, type_, ())
        except datatypes.DatatypeError as exc:
            raise GrammarError(f"{_where(node)}: error: {exc}") from None
        text = node.text or ""
        context = dict(node.nsmap)
        context[None] = ns
        value = dt.value(text, context)
        if value is None:
            raise GrammarError(f"{_where(node)}: error: \"{text}\" is not a valid {type_}")
        return self.P.value(dt, value, text)

    def name_class(self, node: etree._Element, ns: str) -> NameClass:
        kind = _local(node)
        ns = node.get("ns", ns)
        if kind == "name":
            return _qname(node, node.text or "", ns)
        if kind in ("anyName", "nsName"):
            exclude = None
            for k in _children(node):
                if _local(k) == "except":
                    parts = [self.name_class(e, ns) for e in _children(k)]
                    exclude = parts[0]
                    for p in parts[1:]:
                        exclude = NameChoice(exclude, p)
            return AnyName(exclude) if kind == "anyName" else NsName(ns, exclude)
        if kind == "choice":
            parts = [self.name_class(e, ns) for e in _children(node)]
            result = parts[0]
            for p in parts[1:]:
                result = NameChoice(result, p)
            return result
        raise GrammarError(f"{_where(node)}: error: <{kind}> is not a name class")

    # -- checking the whole grammar without building it ----------------------------
    def check(self) -> None:
        """Find, without building patterns, what would make the grammar unusable when
        a document reaches it: undefined references, recursion not through an
        element, unknown datatypes or parameters, bad values, undeclared prefixes,
        missing or non-local files."""
        done: set[etree._Element] = set()
        while True:
            todo = [c for c in self._components_seen if c not in done]
            if not todo:
                break
            for component in todo:
                done.add(component)
                self._check_component(component, *self._components_seen[component])
        self._check_recursion()

    def _check_component(self, component: etree._Element, scope: _Scope, ns: str) -> None:
        nested = component.find(f".//{_R}grammar") is not None
        for node in component.iter(_REF, _PARENT_REF, _DATA, _VALUE, _ELEMENT, _ATTRIBUTE,
                                   _EXTERNAL_REF):
            if nested and any(a.tag == _GRAMMAR for a in _between(node, component)):
                continue  # a nested grammar: checked when built
            tag = node.tag
            if tag == _REF:
                self._defined(node, scope)
            elif tag == _PARENT_REF:
                self._defined(node, scope.parent)
            elif tag in (_DATA, _VALUE):
                self._check_datatype(node, ns)
            elif tag == _EXTERNAL_REF:
                root = self.document(self._href(node), _where(node))
                if _local(root) == "grammar":
                    self._components(root, _Scope(None), root.get("ns", ns), None)
            elif node.get("name") is not None and ":" in node.get("name", ""):
                _qname(node, node.get("name", ""), "")

    def _check_datatype(self, node: etree._Element, ns: str) -> None:
        lib = inherited(node, "datatypeLibrary")
        if node.tag == _VALUE and node.get("type") is None:
            lib, type_ = "", "token"
        else:
            type_ = (node.get("type") or "").strip()
        params = tuple(((k.get("name") or "").strip(), k.text or "")
                       for k in node.iterchildren(_PARAM))
        key = (lib, type_, params)
        if key not in self._checked_types:
            try:
                self._checked_types[key] = datatypes.lookup(lib, type_, params)
            except datatypes.DatatypeError as exc:
                raise GrammarError(f"{_where(node)}: error: {exc}") from None
        dt = self._checked_types[key]
        if node.tag == _VALUE and dt.value(node.text or "", {None: ns, **node.nsmap}) is None:
            raise GrammarError(f"{_where(node)}: error: \"{node.text}\" is not a valid {type_}")

    def _defined(self, node: etree._Element, scope: _Scope | None) -> None:
        name = (node.get("name") or "").strip()
        if scope is None or name not in scope.defines:
            raise GrammarError(f"{_where(node)}: error: reference to undefined pattern \"{name}\"")

    def _check_recursion(self) -> None:
        """A define may refer to itself only through an element (section 4.19)."""
        edges: dict[tuple[int, str], list[tuple[int, str]]] = {}
        where: dict[tuple[int, str], etree._Element] = {}
        for component, (scope, _) in self._components_seen.items():
            if component.tag != _DEFINE:
                continue
            key = (id(scope), (component.get("name") or "").strip())
            where.setdefault(key, component)
            out = edges.setdefault(key, [])
            for node in component.iter(_REF, _PARENT_REF):
                a = node.getparent()
                while a is not None and a is not component and a.tag not in (_ELEMENT, _GRAMMAR):
                    a = a.getparent()
                if a is not component:
                    continue  # inside an element (or a nested grammar)
                if node.tag == _REF:
                    out.append((id(scope), (node.get("name") or "").strip()))
                elif scope.parent is not None:
                    out.append((id(scope.parent), (node.get("name") or "").strip()))
        state: dict[tuple[int, str], int] = {}  # 1: on the path, 2: done
        for start in edges:
            if start in state:
                continue
            stack = [(start, iter(edges.get(start, ())))]
            state[start] = 1
            while stack:
                key, it = stack[-1]
                nxt = next(it, None)
                if nxt is None:
                    state[key] = 2
                    stack.pop()
                elif state.get(nxt) == 1:
                    raise GrammarError(f"{_where(where.get(nxt, where[key]))}: error: pattern "
                                       f"\"{nxt[1]}\" refers to itself other than through an element")
                elif nxt not in state:
                    state[nxt] = 1
                    stack.append((nxt, iter(edges.get(nxt, ()))))

    # -- element definitions by name (to go on after an element not allowed) --------
    def element_index(self) -> dict[tuple[str, str], list[tuple[etree._Element, _Scope, str, str]]]:
        """Element definitions with a literal name: (node, scope, inherited ns, library)."""
        if self._index is None:
            index: dict[tuple[str, str], list[tuple[etree._Element, _Scope, str, str]]] = {}
            for component, (scope, ns) in self._components_seen.items():
                for node in component.iter(f"{_R}element"):
                    name = node.get("name")
                    if name is None or any(_local(a) == "grammar" for a in _between(node, component)):
                        continue
                    ns_here = ns
                    for a in _between(node, component):
                        if a.get("ns") is not None:
                            ns_here = a.get("ns", "")
                            break
                    else:
                        ns_here = component.get("ns", ns)
                    try:
                        q = _qname(node, name, node.get("ns", ns_here))
                    except GrammarError:
                        continue
                    index.setdefault((q.ns, q.local), []).append(
                        (node, scope, ns_here, inherited(node, "datatypeLibrary")))
            self._index = index
        return self._index

    def definition(self, q: tuple[str, str]) -> Pattern | None:
        """The choice of the contents of every definition of the element ``q``."""
        if q not in self._definitions:
            parts = [self.pattern(node, scope, ns, lib).content
                     for node, scope, ns, lib in self.element_index().get(q, [])]
            self._definitions[q] = self.P.choices(parts) if parts else None
        return self._definitions[q]


def _between(node: etree._Element, top: etree._Element) -> list[etree._Element]:
    """The ancestors of ``node`` below ``top``, nearest first."""
    out = []
    a = node.getparent()
    while a is not None and a is not top:
        out.append(a)
        a = a.getparent()
    return out


def _override_parts(node: etree._Element) -> list[etree._Element]:
    out = []
    for child in _children(node):
        if _local(child) == "div":
            out.extend(_override_parts(child))
        elif _local(child) in ("start", "define"):
            out.append(child)
    return out


def inherited(node: etree._Element | None, attribute: str) -> str:
    """``attribute`` of ``node`` or of its nearest ancestor that has it (same file),
    ``""`` if none: how RELAX NG's ``datatypeLibrary`` and ``ns`` are inherited."""
    while node is not None:
        value = node.get(attribute)
        if value is not None:
            return value
        node = node.getparent()
    return ""


def _qname(node: etree._Element, text: str, ns: str) -> Name:
    text = text.strip()
    if ":" in text:
        prefix, local = text.split(":", 1)
        if prefix == "xml":
            return Name(xmlio.XML_NS, local)
        uri = node.nsmap.get(prefix)
        if uri is None:
            raise GrammarError(f"{_where(node)}: error: undeclared prefix \"{prefix}\" in {text}")
        return Name(uri, local)
    return Name(ns, text)


def _where(node: etree._Element) -> str:
    url = node.getroottree().docinfo.URL or "grammar"
    return f"{url}:{node.sourceline}" if node.sourceline else url


def read_grammar(path: Path) -> Grammar:
    """Read the grammar at ``path``; :class:`GrammarError` when it is not usable."""
    builder = _Builder()
    root = builder.document(path, str(path))
    if _local(root) is None:
        raise GrammarError(f"{path}:{root.sourceline}: error: the root element is not a "
                           f"RELAX NG pattern (namespace {RNG_NS})")
    if _local(root) == "grammar":
        start = builder.grammar(root, None, root.get("ns", ""))
    else:
        start = builder.pattern(root, _Scope(None), "", "")
        builder._components_seen.setdefault(root, (_Scope(None), root.get("ns", "")))
    builder.check()
    return Grammar(start, builder.P, builder.definition,
                   lambda: sorted(builder.element_index()), root.getroottree())

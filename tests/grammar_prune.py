"""Prune a RELAX NG grammar to the names a document uses (fast ``tei_all``).

No longer used to validate (the project's own validator decides, #10); kept
for the ODD tests (``tests/odd_support.py``), which cut TEI grammars down for
libxml2 to sample documents quickly (research: BENCHMARKS.md, issue 7). libxml2 spends most
of the ~7 s of compiling ``tei_all.rng`` building automata for content models
that offer hundreds of alternatives. A document only ever uses a few dozen of
TEI's ~590 elements, and validity of a document depends only on the
``element`` and ``attribute`` patterns whose names it contains:

* an ``element`` pattern whose name class matches no element name of the
  document can never match anything in it, so it may be replaced by
  ``notAllowed`` without changing the verdict;
* likewise an ``attribute`` pattern whose name class matches no attribute of
  the document (``optional(notAllowed)`` is ``empty``; a required attribute
  that the document lacks stays unsatisfiable, as before).

So ``prune(grammar, names)`` gives a grammar that accepts exactly the same
documents among those using only ``names``; libxml2 compiles it in a fraction
of the time. Name classes other than a plain ``name`` (``anyName``,
``nsName``, ``choice``) are kept as they are: keeping is always safe.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable

from lxml import etree

from tei_tools.validation.rng.simplify import inherited

RNG_NS = "http://relaxng.org/ns/structure/1.0"
_R = f"{{{RNG_NS}}}"

Name = tuple[str, str]
"""(namespace URI, local name)."""


def used_names(tree: etree._ElementTree) -> tuple[set[Name], set[Name]]:
    """Element names and attribute names (namespace, local) used in a document."""
    elements: set[Name] = set()
    attributes: set[Name] = set()
    for el in tree.iter():
        if not isinstance(el.tag, str):
            continue
        q = etree.QName(el)
        elements.add((q.namespace or "", q.localname))
        for key in el.attrib:
            a = etree.QName(key)
            attributes.add((a.namespace or "", a.localname))
    return elements, attributes


def _pattern_name(pattern: etree._Element, is_attribute: bool) -> Name | None:
    """The single name of an element/attribute pattern, or None if not a plain name."""
    name = pattern.get("name")
    if name is None:
        return None  # name class given as a child (anyName, nsName, choice…): keep
    name = name.strip()
    if ":" in name:
        prefix, local = name.split(":", 1)
        uri = pattern.nsmap.get(prefix)
        if prefix == "xml":
            uri = "http://www.w3.org/XML/1998/namespace"
        if uri is None:
            return None
        return (uri, local)
    if is_attribute:
        return (pattern.get("ns", ""), name)
    return (inherited(pattern, "ns"), name)


def prune(grammar: etree._ElementTree, elements: set[Name], attributes: set[Name],
          simplify: bool = True) -> etree._ElementTree:
    """A copy of ``grammar`` with element/attribute patterns for unused names made notAllowed.

    With ``simplify`` (the default) the ``notAllowed`` are then propagated away
    (:func:`propagate_not_allowed`): libxml2 validates 3–5× faster with the
    simplified grammar than with one full of ``notAllowed`` branches.
    """
    root = grammar.getroot()
    if root.find(f".//{_R}include") is not None or root.find(f".//{_R}externalRef") is not None:
        return copy.deepcopy(grammar)  # not self-contained: do not touch
    out = copy.deepcopy(grammar)
    for pattern in list(out.iter(f"{_R}element", f"{_R}attribute")):
        is_attr = pattern.tag == f"{_R}attribute"
        name = _pattern_name(pattern, is_attr)
        if name is None:
            continue
        if name in (attributes if is_attr else elements):
            continue
        parent = pattern.getparent()
        if parent is None:
            continue
        replacement = etree.Element(f"{_R}notAllowed")
        replacement.tail = pattern.tail
        parent.replace(pattern, replacement)
    return propagate_not_allowed(out) if simplify else out


_GROUPING = {f"{_R}{t}" for t in ("group", "interleave", "oneOrMore", "list", "mixed")}
_OPTIONAL = {f"{_R}{t}" for t in ("optional", "zeroOrMore")}


def _is_not_allowed(el: etree._Element) -> bool:
    return isinstance(el.tag, str) and el.tag == f"{_R}notAllowed"


def _patterns(el: etree._Element) -> list[etree._Element]:
    """Child patterns (RNG elements only, skipping annotations)."""
    return [c for c in el if isinstance(c.tag, str) and c.tag.startswith(_R)]


def _replace(old: etree._Element, tag: str) -> etree._Element:
    new = etree.Element(f"{_R}{tag}")
    new.tail = old.tail
    old.getparent().replace(old, new)
    return new


def _drop_optional(el: etree._Element) -> None:
    """``optional``/``zeroOrMore`` of notAllowed is ``empty``: remove it from its group.

    An explicit ``empty`` is left only where a pattern is required (a choice
    branch, or a container left with no pattern): libxml2 2.14 mis-validates
    groups whose compiled content model holds ``empty`` members.
    """
    parent = el.getparent()
    if parent.tag == f"{_R}choice":
        _replace(el, "empty")
        return
    if el.tail and el.getprevious() is not None:
        prev = el.getprevious()
        prev.tail = (prev.tail or "") + el.tail
    parent.remove(el)
    kids = _patterns(parent)
    named = parent.get("name") is not None
    if parent.tag in (f"{_R}element", f"{_R}attribute") and not named:
        kids = kids[1:]  # the first child is the name class
    if not kids:
        parent.append(etree.Element(f"{_R}empty"))


def propagate_not_allowed(grammar: etree._ElementTree) -> etree._ElementTree:
    """Simplify ``notAllowed`` away, in place (RELAX NG spec 4.19), and drop dead defines.

    ``choice`` loses its notAllowed branches; ``group``/``interleave``/``oneOrMore``/
    ``list``/``mixed``/``attribute`` with a notAllowed part become notAllowed;
    ``optional``/``zeroOrMore`` of notAllowed become ``empty``; a ``ref`` to a
    define that is notAllowed becomes notAllowed. These are equivalences of the
    spec, so the language is unchanged. Work-list: each notAllowed moves up
    only as far as it changes something.
    """
    root = grammar.getroot()
    refs: dict[str | None, list[etree._Element]] = {}
    for ref in root.iter(f"{_R}ref"):
        refs.setdefault(ref.get("name"), []).append(ref)
    work = list(root.iter(f"{_R}notAllowed"))
    while work:
        node = work.pop()
        if not _attached(node, root):
            continue  # inside a part already removed
        parent = node.getparent()
        while parent is not None:
            tag = parent.tag
            if tag == f"{_R}choice":
                parent.remove(node)
                live = _patterns(parent)
                if not live:
                    node = _replace(parent, "notAllowed")
                    parent = node.getparent()
                    continue
                if len(live) == 1 and parent.getparent().tag != f"{_R}except":
                    live[0].tail = parent.tail
                    parent.getparent().replace(parent, live[0])
                break
            if tag in _GROUPING or tag == f"{_R}attribute":
                node = _replace(parent, "notAllowed")
                parent = node.getparent()
                continue
            if tag in _OPTIONAL:
                _drop_optional(parent)
                break
            if tag == f"{_R}define":
                for ref in refs.pop(parent.get("name"), []):
                    if ref.getparent() is not None:
                        work.append(_replace(ref, "notAllowed"))
            break  # define, element, start, except…: nothing above changes
    _drop_unreachable(root)
    return grammar


def _attached(el: etree._Element, root: etree._Element) -> bool:
    while el is not None:
        if el is root:
            return True
        el = el.getparent()
    return False


def _drop_unreachable(root: etree._Element) -> None:
    defines: dict[str | None, list[etree._Element]] = {}
    for d in root.iter(f"{_R}define"):
        defines.setdefault(d.get("name"), []).append(d)
    if root.find(f".//{_R}grammar") is not None or root.find(f".//{_R}parentRef") is not None:
        return  # nested grammars: keep every define
    seen: set[str | None] = set()
    todo = [r.get("name") for s in root.iter(f"{_R}start") for r in s.iter(f"{_R}ref")]
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        for d in defines.get(name, []):
            todo.extend(r.get("name") for r in d.iter(f"{_R}ref"))
    for name, ds in defines.items():
        if name not in seen:
            for d in ds:
                d.getparent().remove(d)


def union_names(trees: Iterable[etree._ElementTree]) -> tuple[set[Name], set[Name]]:
    elements: set[Name] = set()
    attributes: set[Name] = set()
    for tree in trees:
        e, a = used_names(tree)
        elements |= e
        attributes |= a
    return elements, attributes

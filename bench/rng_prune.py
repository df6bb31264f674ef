"""Prototype: prune a RELAX NG grammar to the names a set of documents uses.

Research piece of issue 7 (not used by tei-tools itself). libxml2 spends most
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
from pathlib import Path

from lxml import etree

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


def _inherited_ns(node: etree._Element) -> str:
    while node is not None:
        ns = node.get("ns")
        if ns is not None:
            return ns
        node = node.getparent()
    return ""


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
    return (_inherited_ns(pattern), name)


def prune(grammar: etree._ElementTree, elements: set[Name], attributes: set[Name]) -> etree._ElementTree:
    """A copy of ``grammar`` with element/attribute patterns for unused names made notAllowed."""
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
    return out


def union_names(trees: Iterable[etree._ElementTree]) -> tuple[set[Name], set[Name]]:
    elements: set[Name] = set()
    attributes: set[Name] = set()
    for tree in trees:
        e, a = used_names(tree)
        elements |= e
        attributes |= a
    return elements, attributes


if __name__ == "__main__":  # pragma: no cover - research helper
    import sys
    import time

    grammar = etree.parse(sys.argv[1])
    docs = [etree.parse(p) for p in sys.argv[2:]]
    t0 = time.perf_counter()
    e, a = union_names(docs)
    pruned = prune(grammar, e, a)
    t1 = time.perf_counter()
    schema = etree.RelaxNG(pruned)
    t2 = time.perf_counter()
    print(f"names {len(e)} elements {len(a)} attributes; prune {t1 - t0:.3f}s compile {t2 - t1:.3f}s")
    for p, d in zip(sys.argv[2:], docs):
        print(Path(p).name, schema.validate(d))

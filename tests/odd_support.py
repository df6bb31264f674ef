"""Differential testing of the ODD processor against the TEI pipeline's grammars.

* :func:`jing_verdicts` — one jing JVM for a whole batch of documents;
* :func:`seed_documents` — documents valid under a reference grammar, made
  from the corpus by removing what that grammar rejects (lxml finds it);
* :func:`mutants` — seeded, bounded mutants of those seeds: elements renamed,
  deleted, moved or repeated, attributes added, removed or given values inside
  and outside their closed value lists, text put where it may not be.

A mutant is interesting when the reference rejects or accepts it: the test
asserts the project's grammar gives the same verdict on every one.
"""

from __future__ import annotations

import copy
import random
import re
import subprocess
from pathlib import Path

from lxml import etree

import grammar_prune as prune

TEI = "http://www.tei-c.org/ns/1.0"
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"


def jing_verdicts(schema: Path, files: list[Path]) -> dict[Path, bool]:
    """jing's verdict (True = valid) on each file, one JVM for all of them."""
    proc = subprocess.run(["jing", str(schema), *map(str, files)], capture_output=True,
                          text=True, check=False, timeout=600)
    bad: set[str] = set()
    by_name = {str(f): f for f in files}
    for line in (proc.stdout + proc.stderr).splitlines():
        name = line.split(":", 1)[0]
        if name in by_name:
            bad.add(name)
        elif line.strip():
            raise AssertionError(f"jing could not use {schema}: {line}")
    return {f: str(f) not in bad for f in files}


def _parser() -> etree.XMLParser:
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)


SKELETON = b"""<?xml version="1.0" encoding="UTF-8"?>
<TEI xmlns="http://www.tei-c.org/ns/1.0" xml:lang="en">
  <teiHeader>
    <fileDesc>
      <titleStmt><title>Seed</title></titleStmt>
      <publicationStmt><p>Unpublished.</p></publicationStmt>
      <sourceDesc><p>Written for the ODD tests.</p></sourceDesc>
    </fileDesc>
  </teiHeader>
  <text>
    <body>
      <p n="1">A paragraph <title>with a title</title>.</p>
      <p n="2">Another.</p>
    </body>
  </text>
</TEI>
"""
"""A small document most customisations accept: the first seed."""

TEXT_SKELETON = b"""<?xml version="1.0" encoding="UTF-8"?>
<text xmlns="http://www.tei-c.org/ns/1.0"><body><p n="1">A paragraph.</p></body></text>
"""
"""For a customisation whose start is ``text`` (tei_tite)."""


def _pruned(reference: etree._ElementTree, tree: etree._ElementTree) -> etree.RelaxNG:
    """``reference`` cut to the names ``tree`` uses (libxml2 compiles it in milliseconds;
    some TEI grammars take it minutes whole)."""
    elements, attributes = prune.used_names(tree)
    return etree.RelaxNG(prune.prune(reference, elements, attributes))


def seed_documents(reference_path: Path, docs: list[Path], rounds: int = 80) -> list[bytes]:
    """The skeleton, and each corpus document cut down until the reference accepts it."""
    grammar = etree.parse(str(reference_path), _parser())
    seeds = []
    for data in (SKELETON, TEXT_SKELETON):
        skeleton = etree.fromstring(data, _parser()).getroottree()
        if _pruned(grammar, skeleton).validate(skeleton):
            seeds.append(data)
    candidates = [etree.parse(str(doc), _parser()) for doc in docs]
    if TEXT_SKELETON in seeds and SKELETON not in seeds:  # the schema starts at <text>
        candidates = [etree.ElementTree(copy.deepcopy(text)) for c in candidates
                      for text in c.getroot().findall(f"{{{TEI}}}text")]
    for tree in candidates:
        reference = _pruned(grammar, tree)
        for _ in range(rounds):
            if reference.validate(tree):
                seeds.append(etree.tostring(tree, encoding="UTF-8", xml_declaration=True))
                break
            if not _repair(tree, reference.error_log):
                break
    return seeds


def _repair(tree: etree._ElementTree, log: etree._ListErrorLog) -> bool:
    """Remove the first thing the reference complained about; False if nothing can go."""
    root = tree.getroot()

    def at(line: int, name: str | None = None) -> list[etree._Element]:
        return [e for e in root.iter() if isinstance(e.tag, str) and e.sourceline == line
                and (name is None or etree.QName(e).localname == name)]

    errors = list(log)
    generic = ("failed to validate content", "failed to validate attributes")
    ordered = [e for e in errors if not any(g in e.message for g in generic)] + \
        [e for e in errors if any(g in e.message for g in generic)]
    for error in ordered:
        msg = error.message
        target = None
        m = re.search(r"Invalid attribute (\S+) for element (\S+)", msg)
        if m:
            for el in at(error.line, m.group(2)):
                for name in list(el.attrib):
                    if etree.QName(name).localname == m.group(1).split(":")[-1]:
                        del el.attrib[name]
                        return True
        m = re.search(r"Element (\S+) has extra content: (\S+)", msg)
        if m:
            kids = [k for k in root.iter(f"{{{TEI}}}{m.group(2)}")
                    if k.getparent() is not None and
                    etree.QName(k.getparent()).localname == m.group(1)]
            near = [k for k in kids if k.getparent().sourceline == error.line]
            target = (near or kids or [None])[-1]
        m = m or re.search(r"(?:Did not expect element|got) (\S+?)(?: there)?$", msg)
        if target is None and m and "extra content" not in msg:
            found = at(error.line, m.group(1).rstrip(","))
            target = found[-1] if found else None
        if target is None:
            m = re.search(r"Element (\S+) (?:failed|has)", msg)
            found = at(error.line, m.group(1)) if m else at(error.line)
            target = found[0] if found else None
        if target is None or target is root:
            continue
        _remove(target)
        return True
    return False


def _remove(el: etree._Element) -> None:
    parent = el.getparent()
    if el.tail:
        prev = el.getprevious()
        if prev is not None:
            prev.tail = (prev.tail or "") + el.tail
        else:
            parent.text = (parent.text or "") + el.tail
    parent.remove(el)


def mutants(seeds: list[bytes], count: int, seed: int, names: list[str],
            values: dict[str, list[str]],
            donors: list[etree._Element]) -> list[tuple[str, bytes]]:
    """``count`` mutants (``(operation, document)``) of ``seeds``, reproducibly.

    ``donors`` are elements of other documents a mutant may receive (grafts).
    """
    rng = random.Random(seed)
    out: list[tuple[str, bytes]] = []

    def graft(tree, rng, names, values) -> bool:
        target = rng.choice(_elements(tree) or [tree.getroot()])
        clone = copy.deepcopy(rng.choice(donors))
        for e in clone.iter():
            if isinstance(e.tag, str):
                e.attrib.pop(XML_ID, None)
        clone.tail = None
        target.insert(rng.randint(0, len(target)), clone)
        return True

    ops = [_rename, _delete, _move, _repeat, _add_attribute, _drop_attribute,
           _value_inside, _value_outside, _text, graft, graft, graft]
    attempts = 0
    while len(out) < count and attempts < count * 20:
        attempts += 1
        tree = etree.fromstring(rng.choice(seeds), _parser()).getroottree()
        op = ops[attempts % len(ops)]
        if op(tree, rng, names, values):
            out.append((op.__name__.lstrip("_"),
                        etree.tostring(tree, encoding="UTF-8", xml_declaration=True)))
    return out


def _elements(tree: etree._ElementTree) -> list[etree._Element]:
    root = tree.getroot()
    return [e for e in root.iter() if isinstance(e.tag, str) and e is not root]


def _pick_element(tree, rng):
    """A random element below the root (``None`` when there is none)."""
    els = _elements(tree)
    return rng.choice(els) if els else None


def _rename(tree, rng, names, values) -> bool:
    el = _pick_element(tree, rng)
    if el is None:
        return False
    el.tag = f"{{{TEI}}}{rng.choice(names)}"
    return True


def _delete(tree, rng, names, values) -> bool:
    el = _pick_element(tree, rng)
    if el is None:
        return False
    _remove(el)
    return True


def _move(tree, rng, names, values) -> bool:
    els = _elements(tree)
    if len(els) < 3:
        return False
    el = rng.choice(els)
    _remove(el)
    rest = [e for e in _elements(tree)] or [tree.getroot()]
    target = rng.choice(rest)
    target.insert(rng.randint(0, len(target)), el)
    el.tail = None
    return True


def _repeat(tree, rng, names, values) -> bool:
    el = _pick_element(tree, rng)
    if el is None:
        return False
    clone = copy.deepcopy(el)
    for e in clone.iter():
        if isinstance(e.tag, str):
            e.attrib.pop(XML_ID, None)
    clone.tail = None
    el.addnext(clone)
    return True


def _add_attribute(tree, rng, names, values) -> bool:
    el = rng.choice(_elements(tree) or [tree.getroot()])
    name = rng.choice(sorted(values))
    el.set(name, rng.choice(values[name]))
    return True


def _pick_attribute(tree, rng, wanted):
    """A random element carrying an attribute ``wanted`` accepts, and one such attribute
    (``None`` when no element has one)."""
    carriers = [e for e in _elements(tree) if any(wanted(a) for a in e.attrib)]
    if not carriers:
        return None
    el = rng.choice(carriers)
    return el, rng.choice([a for a in el.attrib if wanted(a)])


def _drop_attribute(tree, rng, names, values) -> bool:
    picked = _pick_attribute(tree, rng, lambda a: a != XML_ID)
    if picked is None:
        return False
    el, name = picked
    del el.attrib[name]
    return True


def _value_inside(tree, rng, names, values) -> bool:
    picked = _pick_attribute(tree, rng, lambda a: a in values)
    if picked is None:
        return False
    el, name = picked
    el.set(name, rng.choice(values[name]))
    return True


def _value_outside(tree, rng, names, values) -> bool:
    picked = _pick_attribute(tree, rng, lambda a: a != XML_ID)
    if picked is None:
        return False
    el, name = picked
    el.set(name, rng.choice(["zz-not-a-value", "", "two words", "12", "#x", "2024-13-45"]))
    return True


def _text(tree, rng, names, values) -> bool:
    el = _pick_element(tree, rng)
    if el is None:
        return False
    el.text = (el.text or "") + " stray text "
    return True


def vocabulary(docs: list[Path]) -> tuple[list[str], dict[str, list[str]], list[etree._Element]]:
    """Element names, attribute values and small elements of ``docs`` (the mutation pool)."""
    names: set[str] = set()
    values: dict[str, set[str]] = {}
    donors: list[etree._Element] = []
    for doc in docs:
        for el in etree.parse(str(doc), _parser()).iter():
            if not isinstance(el.tag, str):
                continue
            if etree.QName(el).namespace == TEI and sum(1 for _ in el.iter()) <= 12:
                donors.append(el)
            q = etree.QName(el)
            if q.namespace == TEI:
                names.add(q.localname)
            for a, v in el.attrib.items():
                if a != XML_ID and len(v) < 40:
                    values.setdefault(a, set()).add(v)
    return sorted(names), {a: sorted(v) for a, v in sorted(values.items())}, donors

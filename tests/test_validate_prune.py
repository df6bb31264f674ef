"""Pruned tei_all (tei_tools.validation.prune) gives the whole grammar's verdicts."""

from __future__ import annotations

import copy
import random

import pytest
from conftest import EDITION, MINI, TEI_ALL_RNG, corpus_files, corpus_manifest
from lxml import etree

from tei_tools import xmlio
from tei_tools.validation import load_relaxng, project_schema, validate
from tei_tools.validation import prune as pruning
from tei_tools.validation.relaxng import UNEXPLAINED

_NAMES = ["p", "hi", "list", "item", "head", "div", "note", "date", "persName", "bogus",
          "lg", "l", "table", "row", "cell", "ab", "seg", "title", "bibl", "pb"]
_ATTRS = [("rend", "bold"), ("type", "x"), ("n", "1"), ("when", "2020-13-45"),
          ("when", "2007-05-25"), ("bogus", "1"), ("unit", "page"), ("cert", "maybe"),
          ("cert", "high"), ("{http://www.w3.org/XML/1998/namespace}lang", "zh")]


@pytest.fixture(scope="module")
def tei_all():
    compiled = load_relaxng(TEI_ALL_RNG)
    assert compiled.prunable
    return compiled


def _originals() -> list:
    files = corpus_files() + [MINI] + ([EDITION] if EDITION.exists() else [])
    return [(p.name, xmlio.parse_file(p)) for p in files]


def _mutant(tree: etree._ElementTree, rng: random.Random) -> etree._ElementTree:
    tree = copy.deepcopy(tree)
    els = [e for e in tree.iter() if isinstance(e.tag, str) and e.getparent() is not None]
    el = rng.choice(els)
    kind = rng.randrange(4)
    if kind == 0:  # renamed
        el.tag = f"{{{xmlio.TEI_NS}}}{rng.choice(_NAMES)}"
    elif kind == 1:  # deleted
        el.tail = None
        el.getparent().remove(el)
    elif kind == 2:  # duplicated
        el.addnext(copy.deepcopy(el))
        for dup in el.getnext().iter():  # keep xml:id unique
            dup.attrib.pop(f"{{{xmlio.XML_NS}}}id", None)
    else:  # attribute with a valid or an invalid value
        key, value = rng.choice(_ATTRS)
        el.set(key, value)
    return tree


def test_pruned_verdicts_equal_whole_grammar_on_originals_and_mutants(tei_all) -> None:
    rng = random.Random(20070601)
    docs = _originals()
    docs += [(f"{name}~{i}", _mutant(tree, rng)) for i in range(3) for name, tree in docs]
    verdicts = set()
    for name, tree in docs:
        whole = tei_all.relaxng.validate(tree)
        pruned = tei_all.for_document(tree).validate(tree)
        assert pruned == whole, name
        verdicts.add(whole)
    assert verdicts == {True, False}  # both kinds were compared


def test_pruned_verdicts_equal_jing_on_corpus(tei_all) -> None:
    manifest = corpus_manifest()
    for path in corpus_files():
        tree = xmlio.parse_file(path)
        assert tei_all.for_document(tree).validate(tree) is manifest[path.name]["valid_tei_all_jing"], path.name


def test_pruning_drops_unused_names_only() -> None:
    grammar = xmlio.parse_file(TEI_ALL_RNG)
    tree = xmlio.parse_file(MINI)
    elements, attributes = pruning.used_names(tree)
    out = pruning.prune(grammar, elements, attributes)
    r = f"{{{pruning.RNG_NS}}}"
    names = {e.get("name") for e in out.getroot().iter(f"{r}element") if e.get("name")}
    assert names <= {local for _, local in elements}
    assert {"TEI", "teiHeader", "text"} <= names
    assert len(names) < len({e.get("name") for e in grammar.getroot().iter(f"{r}element")})


def test_project_grammar_is_not_pruned() -> None:
    assert not load_relaxng(project_schema()).prunable


def test_parallel_run_explains_invalid_documents_in_input_order() -> None:
    files = corpus_files()
    one = validate(files, schema=TEI_ALL_RNG, jobs=1)
    two = validate(files, schema=TEI_ALL_RNG, jobs=2)
    assert [f.path for f in two.files] == [str(p) for p in files]
    assert one.files == two.files
    assert not any(d.code == UNEXPLAINED for f in two.files for d in f.diagnostics)
    manifest = corpus_manifest()
    assert [f.ok for f in two.files] == [manifest[p.name]["valid_tei_all_jing"] for p in files]

"""The names the RELAX NG walk collects on its way are the names the Schematron's
pruning reads (:func:`~tei_tools.validation.schematron_prune.document_names`):
on real documents, on seeded mutants (unknown elements whose content the walk
skips, misplaced elements, bad attributes), with comments, processing
instructions and foreign namespaces, and not at all when the walk stops early."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree
from rng_mutants import mutants

from tei_tools import xmlio
from tei_tools.validation import relaxng
from tei_tools.validation.locate import SourceText
from tei_tools.validation.rng import validator as rng_validator
from tei_tools.validation.schematron_prune import document_names, names_of

from conftest import CORPUS, TEI_ALL_RNG, corpus_files


def _names(data: bytes, tree: etree._ElementTree) -> frozenset[tuple[str, str]] | None:
    compiled = relaxng.load_relaxng(TEI_ALL_RNG)
    checked = relaxng.check_document(compiled, tree, SourceText(data, tree), "x.xml")
    return names_of(*checked.names) if checked.names is not None else None


def _tree(data: bytes) -> etree._ElementTree:
    return xmlio.parse_document(data, "x.xml").tree


@pytest.mark.parametrize("path", corpus_files(), ids=lambda p: p.name)
def test_walk_names_are_the_document_names_of_the_corpus(path: Path) -> None:
    data = path.read_bytes()
    tree = _tree(data)
    assert _names(data, tree) == document_names(tree)


def test_walk_names_are_the_document_names_of_mutants() -> None:
    compiled = relaxng.load_relaxng(TEI_ALL_RNG)
    invalid = 0
    for m in mutants(CORPUS, 120, seed=21):
        tree = _tree(m.data)
        invalid += not compiled.is_valid(tree)
        assert _names(m.data, tree) == document_names(tree), m.how
    assert invalid >= 60  # the walk's recovery paths were taken


def test_skipped_unknown_elements_comments_and_foreign_names() -> None:
    data = (b'<?xml version="1.0"?><!-- before --><TEI xmlns="http://www.tei-c.org/ns/1.0" '
            b'xmlns:f="urn:f"><teiHeader><fileDesc><titleStmt><title f:x="1">t</title>'
            b'</titleStmt><publicationStmt><p>p</p></publicationStmt><sourceDesc><p>s<?pi x?>'
            b'<!-- c --></p></sourceDesc></fileDesc></teiHeader><text><body>'
            b'<unknown a="1"><f:inner b="2"><deeper c="3"/></f:inner></unknown>'
            b'<p rend="x">q</p></body></text></TEI>')
    tree = _tree(data)
    names = _names(data, tree)
    assert names == document_names(tree)
    assert names is not None
    assert {("e", "{http://www.tei-c.org/ns/1.0}deeper"), ("e", "{urn:f}inner"), ("a", "c"),
            ("a", "{urn:f}x"), ("a", "rend")} <= names


def test_no_names_when_the_walk_stops_early(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(rng_validator, "MAX_ERRORS", 1)
    data = (b'<TEI xmlns="http://www.tei-c.org/ns/1.0"><bogus/><teiHeader/>'
            b'<text><body><p late="1"/></body></text></TEI>')
    tree = _tree(data)
    assert _names(data, tree) is None
    compiled = relaxng.load_relaxng(TEI_ALL_RNG)
    outcome = compiled.validator.validate(tree.getroot(), first_error_only=True, collect_names=True)
    assert not outcome.valid and outcome.names is None

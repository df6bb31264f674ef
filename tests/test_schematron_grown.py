"""A big Schematron (tei_all's 90 embedded patterns) runs, per Saxon session, a
pattern set that only grows (issue 16): differential tests against the whole
schema on real, mutated and generated TEI, seeded and bounded, in one session
(as a worker sees them) and across worker processes."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest
from corpus_support import variant
from lxml import etree
from rng_mutants import mutants

from tei_tools import xmlio
from tei_tools.errors import UsageError, XmlInputError
from tei_tools.saxon import SaxonSession
from tei_tools.validation import schematron as engine
from tei_tools.validation import validate
from tei_tools.validation.locate import SourceText
from tei_tools.validation.schematron_prune import pattern_needs

from conftest import CORPUS, EDITION, TEI_ALL_RNG

FIXTURES = Path(__file__).parent / "fixtures" / "schematron-engine" / "tei-all"


def _combined(rng: random.Random, n: int) -> list[tuple[str, bytes]]:
    """``n`` documents breaking several embedded rules each: the bodies of two to
    four breaking fixtures, one after the other (so that the order of diagnostics
    from several patterns is compared)."""
    failing = sorted(FIXTURES.glob("*-fail.xml"))
    out = []
    for i in range(n):
        picked = rng.sample(failing, rng.choice((2, 3, 4)))
        tree = xmlio.parse_file(picked[0])
        body = tree.find(f".//{{{xmlio.TEI_NS}}}body")
        assert body is not None
        for other in picked[1:]:
            theirs = xmlio.parse_file(other).find(f".//{{{xmlio.TEI_NS}}}body")
            body.extend(list(theirs) if theirs is not None else [])
        out.append((f"combined-{i:02d}.xml",
                     etree.tostring(tree, xml_declaration=True, encoding="UTF-8")))
    return out


def _documents(count: int) -> list[tuple[str, bytes]]:
    """The fixtures, the corpus, the edition, ``count`` seeded mutants of the corpus,
    40 fixtures combined and 20 generated documents, in a seeded order (the set
    grows at random points)."""
    rng = random.Random(16)
    docs = [(str(p), p.read_bytes()) for p in
            [*sorted(FIXTURES.glob("*.xml")), *sorted(CORPUS.glob("*.xml")), EDITION]]
    docs += [(m.name, m.data) for m in mutants(CORPUS, count, seed=16)]
    docs += _combined(rng, 40)
    docs += [(f"generated-{i}.xml", variant(i, invalid=i % 3 == 0)) for i in range(20)]
    rng.shuffle(docs)
    return docs


def _run(compiled: engine.CompiledSchematron, name: str, data: bytes,
         saxon: SaxonSession) -> list[tuple[object, ...]] | None:
    try:
        tree = xmlio.parse_bytes(data, name)
    except XmlInputError:
        return None
    found = engine.check(compiled, tree, SourceText(data, tree), name, saxon=saxon)
    return [(d.code, d.severity, d.line, d.column, d.message) for d in found]


def test_a_grown_set_reports_what_the_whole_schema_reports_in_the_same_order() -> None:
    schema = engine.load_embedded(TEI_ALL_RNG).schema
    whole = engine.CompiledSchematron(TEI_ALL_RNG, schema, embedded=True, prune=False)
    grown = engine.CompiledSchematron(TEI_ALL_RNG, schema, embedded=True)
    one, other = SaxonSession(), SaxonSession()
    compared = fired = ordered = 0
    for name, data in _documents(400):
        expected = _run(whole, name, data, one)
        assert _run(grown, name, data, other) == expected, name
        compared += expected is not None
        fired += bool(expected)
        ordered += len({d[0] for d in expected or ()}) >= 2
    assert compared >= 400
    # the comparison saw diagnostics, and of several rules (their order), not only silence
    assert fired >= 30 and ordered >= 10, (fired, ordered)


def test_a_session_keeps_one_stylesheet_for_a_set_that_only_grows() -> None:
    schema = engine.load_embedded(TEI_ALL_RNG).schema
    grown = engine.CompiledSchematron(TEI_ALL_RNG, schema, embedded=True)
    saxon = SaxonSession()
    ids = [p.id for p in schema.patterns]
    seen: list[engine.CompiledSchematron] = []
    for name, data in _documents(40):
        tree = xmlio.parse_bytes(data, name)
        use = grown.for_document(tree, saxon=saxon)
        if use is None:
            continue
        if not seen or use is not seen[-1]:
            if seen:  # a new set holds the old one, in the schema's order
                before = {p.id for p in seen[-1].schema.patterns}
                assert before < {p.id for p in use.schema.patterns}
            assert [p.id for p in use.schema.patterns] == [i for i in ids if i in
                                                          {p.id for p in use.schema.patterns}]
            seen.append(use)
        engine.check(grown, tree, SourceText(data, tree), name, saxon=saxon)
        assert len(saxon._current().texts) == 1  # the smaller set's stylesheet was dropped
    assert 3 <= len(seen) <= 40
    assert len(seen[-1].schema.patterns) < len(ids)  # still pruned: no document needs all
    # another session starts from nothing
    tree = xmlio.parse_file(FIXTURES / "s-noNestedS-fail.xml")
    fresh = grown.for_document(tree, saxon=SaxonSession())
    assert fresh is not None and len(fresh.schema.patterns) < len(seen[-1].schema.patterns)


def test_every_pattern_needed_means_the_whole_schema() -> None:
    compiled = engine.CompiledSchematron(TEI_ALL_RNG, engine.load_embedded(TEI_ALL_RNG).schema,
                                         embedded=True)
    saxon = SaxonSession()
    tree = xmlio.parse_file(EDITION)
    # every name any rule context needs: each pattern can fire
    names = frozenset(n for p in pattern_needs(compiled.schema) for alt in p for n in alt)
    assert compiled.for_document(tree, names, saxon=saxon) is compiled
    failing = xmlio.parse_file(FIXTURES / "s-noNestedS-fail.xml")
    assert compiled.for_document(failing, saxon=saxon) is compiled  # never shrinks back
    # no pattern left can fire on the edition (the probes say so): Saxon is not asked
    assert compiled.for_document(tree, saxon=saxon) is None


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("grown")
    for p in sorted(CORPUS.glob("*.xml")):
        (folder / p.name).write_bytes(p.read_bytes())
    for m in mutants(CORPUS, 60, seed=61):
        (folder / m.name).write_bytes(m.data)
    for name, data in _combined(random.Random(61), 20):
        (folder / name).write_bytes(data)
    for i in range(20):
        (folder / f"generated-{i:02d}.xml").write_bytes(variant(i, invalid=i % 4 == 0))
    return folder


def test_one_process_and_two_workers_report_byte_identical_json(corpus: Path) -> None:
    one = validate([corpus], schema=TEI_ALL_RNG, jobs=1)
    two = validate([corpus], schema=TEI_ALL_RNG, jobs=2)
    text = [json.dumps([f.to_dict() for f in r.files], ensure_ascii=False) for r in (one, two)]
    assert text[0] == text[1]
    assert sum(f.errors for f in one.files) >= 50
    embedded = {c.code for c in engine.load_embedded(TEI_ALL_RNG).schema.checks}
    fired = [f for f in one.files if len({d.code for d in f.diagnostics} & embedded) >= 2]
    assert len(fired) >= 10  # several embedded rules fired on a document, in workers too


def test_a_schematron_file_is_compiled_for_its_static_check_once_per_process(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """A worker asks for its schemas per document: a file known to compile is not
    compiled again in a new session (only the worker's own session compiles it);
    one that does not compile is refused every time; one whose every XPath lxml
    reads (the project's) is not compiled to be loaded, in no session (#12)."""
    from conftest import REPO

    compiled: list[str] = []
    real = engine._compile

    def counted(xslt, path, schema, saxon):  # type: ignore[no-untyped-def]
        compiled.append(str(path))
        return real(xslt, path, schema, saxon)

    monkeypatch.setattr(engine, "_compile", counted)
    project = REPO / "schema" / "tei-taijiang.sch"
    engine.load_schematron(project, saxon=SaxonSession())
    assert compiled == []
    regex = tmp_path / "regex.sch"  # matches() unanchored: lxml does not read it
    regex.write_text('<schema xmlns="http://purl.oclc.org/dsdl/schematron" queryBinding="xslt2">'
                     '<pattern><rule context="p"><assert test="matches(@n, \'[0-9]\')">n</assert>'
                     '</rule></pattern></schema>', encoding="utf-8")
    first = engine.load_schematron(regex)
    for _ in range(5):
        assert engine.load_schematron(regex) is first
    assert compiled == [str(regex)]
    saxon = SaxonSession()
    engine.load_schematron(regex, saxon=saxon)  # a session given: compiled there
    assert compiled == [str(regex)] * 2
    bad = Path(__file__).parent / "fixtures" / "schematron-engine" / "bad-xpath.sch"
    for _ in range(2):
        with pytest.raises(UsageError):
            engine.load_schematron(bad)

"""Real TEI nobody here wrote: with tei_all.rng, our verdict on every corpus
document equals jing's (manifest.json), with located messages. tei_all is
compiled once for the whole session (the library caches it per process) and
the files are validated by forked workers."""

from __future__ import annotations

import pytest

from tei_tools.validation import validate

from conftest import CORPUS, TEI_ALL_RNG, corpus_manifest


@pytest.fixture(scope="module")
def report():
    return validate([CORPUS], schema=TEI_ALL_RNG, jobs=2)


def test_verdicts_equal_jings(report) -> None:
    manifest = corpus_manifest()
    ours = {f.path.split("/")[-1]: f.ok for f in report.files}
    jing = {name: entry["valid_tei_all_jing"] for name, entry in manifest.items()}
    assert ours == jing
    assert sorted(ours.values()).count(True) == 8


def test_results_come_in_input_order(report) -> None:
    names = [f.path.split("/")[-1] for f in report.files]
    assert names == sorted(corpus_manifest())


def test_invalid_documents_get_located_messages(report) -> None:
    for result in report.files:
        if result.ok:
            assert result.diagnostics == ()
            continue
        assert result.errors >= 1
        for d in result.diagnostics:
            assert d.line is not None and d.line > 0, d.format()
            assert d.column is None or d.column > 0
            assert d.code.startswith("RNG")
            assert "/*[" not in d.message  # no anonymous libxml2 paths


def test_messages_name_what_is_wrong(report) -> None:
    by_name = {f.path.split("/")[-1]: f for f in report.files}
    alien = by_name["p5test__testAlien.xml"].diagnostics[0]
    assert alien.format().endswith(
        "error: <alien (namespace http://myAlienNamespace.com)> is not allowed inside <div>: "
        "this schema has no element in namespace http://myAlienNamespace.com [RNG-ELEMENT]")
    render = by_name["sstest__test20.xml"].diagnostics[0]
    assert render.message.startswith(
        "attribute @render is not allowed on <tagUsage>; did you mean @rend? allowed: @datcat,")
    kopf = by_name["p5test__testi18n.xml"].diagnostics[0]
    assert (kopf.line, kopf.column) == (3, 3)
    assert kopf.message == "<TeiKopf> is not an element of this schema inside <TEI>"


def test_text_where_elements_belong_is_named(tmp_path) -> None:
    from conftest import MINI

    text = MINI.read_text(encoding="utf-8").replace("<head>序言</head>", "<listPerson>序言</listPerson>", 1)
    assert "<listPerson>序言" in text
    path = tmp_path / "text.xml"
    path.write_text(text, encoding="utf-8")
    line = next(i for i, ln in enumerate(text.splitlines(), 1) if "<listPerson>序言" in ln)
    column = text.splitlines()[line - 1].index("<listPerson>") + 1
    (result,) = validate([path], schema=TEI_ALL_RNG, jobs=1).files
    assert [d.format() for d in result.diagnostics] == [
        f"{path}:{line}:{column}: error: text \"序言\" is not allowed directly inside <listPerson>: "
        "wrap it in an allowed element [RNG-TEXT]"]

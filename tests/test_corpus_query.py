"""`tei-tools query` over many files: on worker processes, the same answer as in-process."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from corpus_support import make_corpus

from tei_tools.cli import main
from tei_tools.errors import QueryError, TeiToolsError, UsageError
from tei_tools.query.corpus import evaluate_files

QUERY = "for $i in //tei:publicationStmt/tei:idno return string($i)"


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("query") / "corpus"
    make_corpus(folder, 10)
    return folder


def invoke(*args: str):
    return CliRunner().invoke(main, list(args))


def test_two_workers_answer_as_one_process(corpus: Path) -> None:
    one = invoke("query", "--xquery", QUERY, str(corpus), "--format", "json", "-j", "1")
    two = invoke("query", "--xquery", QUERY, str(corpus), "--format", "json", "-j", "2")
    assert one.exit_code == two.exit_code == 0, one.stderr + two.stderr
    assert one.stdout == two.stdout
    got = json.loads(one.stdout)
    assert [entry["file"] for entry in got] == [str(p) for p in sorted(corpus.rglob("*.xml"))]
    assert [entry["results"] for entry in got] == [[f"taijiang-dangjian-2007-mini-{i:04d}"]
                                                   for i in range(10)]


def test_nodes_name_the_file_as_given(corpus: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(corpus.parent)
    result = evaluate_files("//tei:idno", [Path("corpus/part-0/doc-0003.xml")], jobs=1)
    [node] = result.items()
    assert node.file == "corpus/part-0/doc-0003.xml"  # type: ignore[union-attr]
    assert node.text.endswith("-0003")  # type: ignore[union-attr]


def test_an_error_names_the_first_document_it_happens_in(corpus: Path, tmp_path: Path) -> None:
    files = sorted(corpus.rglob("*.xml"))
    broken = tmp_path / "broken.xml"
    broken.write_text("<TEI xmlns='http://www.tei-c.org/ns/1.0'><x></TEI>", encoding="utf-8")
    with pytest.raises(TeiToolsError, match=r"broken\.xml:1:\d+: error"):
        evaluate_files("count(//tei:p)", [*files[:5], broken, *files[5:]], jobs=2)
    with pytest.raises(QueryError, match="FOAR0001"):
        evaluate_files("1 div 0", files, jobs=2)
    with pytest.raises(UsageError, match="XPST0003"):
        evaluate_files("//tei:p[", files, jobs=2)


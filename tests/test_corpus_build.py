"""`tei-tools build PATH…`: many documents, each into its own folder, atomic per document."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner
from corpus_support import make_corpus

from tei_tools.cli import main
from tei_tools.errors import UsageError
from tei_tools.publish.build import build
from tei_tools.publish.corpus import build_corpus
from tei_tools.publish.options import BuildOptions

from build_support import tree_digest
from conftest import MINI, REPO

PROJECT_RNG = REPO / "schema" / "tei-taijiang.rng"
TXT = BuildOptions(formats=("txt",), schema=PROJECT_RNG)
"""The generated documents lie outside the edition folder: name its grammar (an
invalid document would otherwise be explained with the whole of tei_all)."""


def invoke(*args: str):
    return CliRunner().invoke(main, list(args))


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("corpus") / "corpus"
    make_corpus(folder, 12, invalid_every=5, malformed=1)
    return folder


def test_a_folder_builds_each_document_into_its_relative_folder(corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "dist"
    report_file = tmp_path / "report.json"
    result = invoke("build", str(corpus), "--out", str(out), "--format", "txt", "-j", "2",
                    "--schema", str(PROJECT_RNG), "--report", str(report_file), "--quiet")
    assert result.exit_code == 1  # two invalid, one malformed: the others are built
    built = sorted(p.relative_to(out).as_posix() for p in out.glob("*/*/txt/*.txt"))
    expected = [f"part-{i // 10}/doc-{i:04d}/txt/doc-{i:04d}.txt" for i in range(12)
                if i not in (4, 9, 11)]
    assert built == expected
    report = json.loads(report_file.read_text(encoding="utf-8"))
    assert report["summary"] == {"built": 9, "invalid": 2, "failed": 1, "refused": 0,
                                 "documents": 12}
    statuses = {Path(d["source"]).stem: d["status"] for d in report["documents"]}
    assert statuses["doc-0004"] == statuses["doc-0009"] == "invalid"
    assert statuses["doc-0011"] == "failed"
    bad = next(d for d in report["documents"] if d["source"].endswith("doc-0004.xml"))
    assert any(x["code"] == "RNG-ATTRIBUTE" and x["line"] for x in bad["diagnostics"])
    assert "not published: 1 validation error" in bad["message"]
    # the refused documents got no folder at all, and no temporary folder is left
    assert not (out / "part-0" / "doc-0004").exists()
    assert [p.name for p in out.rglob(".*")] == []
    # failures reach stderr even with --quiet, each document once, with its diagnostics
    assert result.stderr.count("doc-0004.xml: error: not published") == 1
    assert "doc-0011.xml:" in result.stderr and "Traceback" not in result.stderr


def test_one_worker_and_two_build_the_same_bytes(corpus: Path, tmp_path: Path) -> None:
    one = build_corpus([corpus], tmp_path / "one", TXT, jobs=1)
    two = build_corpus([corpus], tmp_path / "two", TXT, jobs=2)
    assert tree_digest(tmp_path / "one") == tree_digest(tmp_path / "two")
    assert len([p for p in tree_digest(tmp_path / "one") if p.count("/") == 3]) == 9
    strip = lambda r, o: json.dumps(r.to_dict()).replace(str(tmp_path / o), "OUT")  # noqa: E731
    assert strip(one, "one") == strip(two, "two")


def test_files_given_as_such_are_named_by_their_file_name(tmp_path: Path) -> None:
    a, b = tmp_path / "a" / "x.xml", tmp_path / "b" / "y.xml"
    for path in (a, b):
        path.parent.mkdir()
        path.write_bytes(MINI.read_bytes())
    report = build_corpus([a, b], tmp_path / "out", TXT, jobs=1)
    assert report.ok and report.exit_code == 0
    assert (tmp_path / "out" / "x" / "txt" / "x.txt").is_file()
    assert (tmp_path / "out" / "y" / "txt" / "y.txt").is_file()
    assert report.summary() == "2 documents: 2 built"


def test_two_documents_for_one_folder_are_refused_before_any_work(tmp_path: Path) -> None:
    a, b = tmp_path / "a" / "x.xml", tmp_path / "b" / "x.xml"
    for path in (a, b):
        path.parent.mkdir()
        path.write_bytes(MINI.read_bytes())
    result = invoke("build", str(a), str(b), "--out", str(tmp_path / "out"))
    assert result.exit_code == 2
    assert "would be built into" in result.stderr and "like" in result.stderr
    assert not (tmp_path / "out").exists()


def test_a_document_alone_keeps_the_single_layout_and_reports(tmp_path: Path) -> None:
    report_file = tmp_path / "r.json"
    result = invoke("build", str(MINI), "--out", str(tmp_path / "dist"), "--format", "txt",
                    "--report", str(report_file))
    assert result.exit_code == 0, result.stderr
    assert (tmp_path / "dist" / "txt" / "edition-mini.txt").is_file()
    report = json.loads(report_file.read_text(encoding="utf-8"))
    assert report["documents"][0]["status"] == "built"
    assert "txt/edition-mini.txt" in report["documents"][0]["files"]


def test_a_document_whose_folder_holds_other_files_is_refused_and_the_rest_built(
        corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    precious = out / "part-0" / "doc-0000" / "notes.txt"
    precious.parent.mkdir(parents=True)
    precious.write_text("keep me", encoding="utf-8")
    report = build_corpus([corpus / "part-1"], out, TXT, jobs=1)
    assert report.count("built") == 1 and report.count("failed") == 1  # the malformed one
    report = build_corpus([corpus], out, TXT, jobs=1)
    first = report.documents[0]
    assert first.status == "refused" and "holds files a build did not write" in (first.message or "")
    assert report.exit_code == 2 and report.count("built") == 8
    assert (out / "part-1" / "doc-0010" / "txt" / "doc-0010.txt").is_file()
    assert precious.read_text(encoding="utf-8") == "keep me"


def test_two_builds_in_one_process_into_one_folder_do_not_delete_each_other(tmp_path: Path) -> None:
    out = tmp_path / "dist"
    errors: list[BaseException] = []

    def one() -> None:
        try:
            build(MINI, out, BuildOptions(formats=("txt", "html")))
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=one) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=300)
    assert errors == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dist"]  # no temporary left
    assert sorted(p.name for p in out.iterdir()) == ["html", "txt"]
    reference = tmp_path.parent / f"{tmp_path.name}-ref"
    build(MINI, reference, BuildOptions(formats=("txt", "html")))
    assert tree_digest(out) == tree_digest(reference)


def test_bad_options_fail_before_any_document(corpus: Path, tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="unknown format"):
        build_corpus([corpus], tmp_path / "o", BuildOptions(formats=("pdf",)))
    a_file = tmp_path / "f"
    a_file.write_text("x", encoding="utf-8")
    with pytest.raises(UsageError, match="is not a folder"):
        build_corpus([corpus], a_file, TXT)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["f"]

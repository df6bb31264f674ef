"""A real Dask cluster on loopback (a scheduler and two ``--nthreads 1`` workers on
127.0.0.1) against a local run, on a generated corpus: the same validation JSON,
the same build trees (SHA-256), with documents by path and by bytes, and with
a worker killed during the run."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import shutil
import signal
from pathlib import Path

import pytest
from click.testing import CliRunner
from corpus_support import make_corpus
from dask_support import LoopbackCluster

from tei_tools.cli import main
from tei_tools.executor import SCHEDULER_ENV, DaskCluster, DocumentRef
from tei_tools.publish.corpus import BuildJob, BuildWork, build_corpus
from tei_tools.publish.options import BuildOptions
from tei_tools.query.corpus import evaluate_files
from tei_tools.validation import validate
from tei_tools.validation.runner import DocumentChecks

from build_support import tree_digest
from conftest import MINI, REPO

pytestmark = pytest.mark.slow  # real processes and ports: in `make test` (CI), not in test-fast

OPTIONS = BuildOptions(formats=("txt", "html"), schema=REPO / "schema" / "tei-taijiang.rng")


@pytest.fixture(scope="module")
def cluster() -> LoopbackCluster:
    with LoopbackCluster(workers=2) as running:
        yield running
    assert all(p.poll() is not None for p in running.processes)  # nothing left running


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("dask") / "corpus"
    make_corpus(folder, 24, invalid_every=7, malformed=1)
    return folder


@pytest.fixture(scope="module")
def local_validation(corpus: Path) -> dict[str, object]:
    return validate([corpus], jobs=1).to_dict()


@pytest.mark.parametrize("shared_fs", [None, False], ids=["by-path", "by-bytes"])
def test_cluster_validation_equals_a_local_run(cluster: LoopbackCluster, corpus: Path,
                                               local_validation: dict[str, object],
                                               shared_fs: bool | None) -> None:
    with DaskCluster(cluster.address, shared_fs=shared_fs) as executor:
        assert executor.workers == 2
        assert executor.sees_files([DocumentRef(str(corpus / "part-0" / "doc-0000.xml"))])
        report = validate([corpus], executor=executor)
    assert report.to_dict() == local_validation
    summary = report.to_dict()["summary"]
    assert summary["files"] == 24 and summary["errors"] >= 4  # invalid ones are in it


def test_a_document_sent_by_bytes_is_not_read_from_the_workers_disk(
        cluster: LoopbackCluster) -> None:
    sent = DocumentRef("/nowhere/edition-mini.xml", MINI.read_bytes())
    with DaskCluster(cluster.address, shared_fs=False) as executor:
        assert not executor.sees_files([sent])
        [result] = executor.map(DocumentChecks(None, None, project_rules=True), [sent])
    assert result.path == "/nowhere/edition-mini.xml" and result.ok and not result.io_error


def test_the_cli_validates_on_the_cluster_from_the_environment(
        cluster: LoopbackCluster, corpus: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # relative paths, a grammar of our own: the workers read both from the client's folder
    monkeypatch.chdir(corpus.parent)
    shutil.copy(REPO / "schema" / "tei-taijiang.rng", "grammar.rng")
    args = ["validate", "--format", "json", "--schema", "grammar.rng", "corpus"]
    monkeypatch.delenv(SCHEDULER_ENV, raising=False)
    local = CliRunner().invoke(main, [*args, "-j", "1"])
    monkeypatch.setenv(SCHEDULER_ENV, cluster.address)
    remote = CliRunner().invoke(main, args)
    assert remote.exit_code == local.exit_code == 1
    assert remote.stdout == local.stdout
    got = json.loads(remote.stdout)
    assert got["schema"] == "grammar.rng" and got["schematron"] is None
    assert got["files"][0]["path"] == os.path.join("corpus", "part-0", "doc-0000.xml")
    assert [f["valid"] for f in got["files"]].count(False) == 4  # 3 invalid, 1 malformed


@pytest.mark.parametrize("validate", [True, False], ids=["validated", "not-validated"])
def test_a_document_sent_by_bytes_takes_its_grammar_and_the_odd_beside_it(
        corpus: Path, validate: bool) -> None:
    # a worker on another machine reads neither: both go by content, also unvalidated
    # (the ODD gives the site its schema pages; on loopback the worker could read them)
    options = dataclasses.replace(OPTIONS, formats=("html",), validate=validate)
    source = corpus / "part-0" / "doc-0000.xml"
    job = BuildJob(DocumentRef(str(source)).by_bytes(), "out/doc-0000")
    sent, files = BuildWork(options).ship(job)
    grammar = REPO / "schema" / "tei-taijiang.rng"
    assert sent.grammar is not None and sent.odd is not None
    assert [f.path for f in files] == [str(grammar), str(grammar.with_suffix(".odd"))]
    assert sent.odd.digest == hashlib.sha256(grammar.with_suffix(".odd").read_bytes()).hexdigest()
    assert BuildWork(dataclasses.replace(options, formats=("txt",), validate=False)).ship(job) \
        == (job, ())


@pytest.mark.parametrize("shared_fs", [None, False], ids=["by-path", "by-bytes"])
def test_cluster_build_equals_a_local_build(cluster: LoopbackCluster, corpus: Path,
                                            tmp_path: Path, shared_fs: bool | None) -> None:
    part = [corpus / "part-0"]
    local = build_corpus(part, tmp_path / "local", OPTIONS, jobs=1)
    with DaskCluster(cluster.address, shared_fs=shared_fs) as executor:
        remote = build_corpus(part, tmp_path / "cluster", OPTIONS, executor=executor)
    a, b = tree_digest(tmp_path / "local"), tree_digest(tmp_path / "cluster")
    assert a == b and len(a) > 100
    assert local.summary() == remote.summary() == "10 documents: 9 built, 1 invalid"
    as_json = lambda r, o: json.dumps(r.to_dict()).replace(str(tmp_path / o), "OUT")  # noqa: E731
    assert as_json(local, "local") == as_json(remote, "cluster")
    assert [p.name for p in (tmp_path / "cluster").rglob(".*")] == []


def test_a_worker_killed_during_the_run_loses_no_document(corpus: Path,
                                                          local_validation: dict[str, object]) -> None:
    with LoopbackCluster(workers=2) as own, DaskCluster(own.address) as executor:
        pids = executor.client.run(os.getpid)
        killed: list[str] = []

        def kill_a_busy_worker(done: int, total: int, name: str) -> None:
            if killed:
                return
            busy = [w for w, keys in executor.client.processing().items() if keys]
            if not busy:  # nothing running at this moment: try at the next result
                return
            victim = busy[0]
            os.kill(pids[victim], signal.SIGKILL)
            killed.append(victim)

        report = validate([corpus], executor=executor, progress=kill_a_busy_worker)
        assert killed
        survivors = executor.client.scheduler_info()["workers"]
        assert killed[0] not in survivors and len(survivors) == 1
    assert report.to_dict() == local_validation


@pytest.mark.parametrize("shared_fs", [None, False], ids=["by-path", "by-bytes"])
def test_cluster_query_equals_a_local_query(cluster: LoopbackCluster, corpus: Path,
                                            shared_fs: bool | None) -> None:
    files = sorted((corpus / "part-1").glob("*.xml"))
    query = "for $p in //tei:p[@xml:id] return ($p, string-length($p))"
    local = evaluate_files(query, files, language="xquery", jobs=1)
    with DaskCluster(cluster.address, shared_fs=shared_fs) as executor:
        remote = evaluate_files(query, files, language="xquery", executor=executor)
    assert remote == local and len(local.items()) > 20


RELAXNG = "http://relaxng.org/ns/structure/1.0"
ONLY_AN_EMPTY_TEI = (f'<grammar xmlns="{RELAXNG}" ns="http://www.tei-c.org/ns/1.0">'
                     '<start><element name="TEI"><empty/></element></start></grammar>')
"""A grammar no real document meets: by it, every document is invalid; by tei_all
(what a document whose grammar is not found gets), the miniature is valid."""


@pytest.fixture(scope="module")
def declared(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Three documents naming their grammar by a relative ``<?xml-model?>``."""
    folder = tmp_path_factory.mktemp("declared")
    (folder / "grammar").mkdir()
    (folder / "grammar" / "strict.rng").write_text(ONLY_AN_EMPTY_TEI, encoding="utf-8")
    pi = (f'<?xml-model href="../grammar/strict.rng" type="application/xml" '
          f'schematypens="{RELAXNG}"?>\n').encode()
    for i in range(3):
        data = MINI.read_bytes()
        head, _, body = data.partition(b"?>")  # after the XML declaration
        (folder / "docs").mkdir(exist_ok=True)
        (folder / "docs" / f"d{i}.xml").write_bytes(head + b"?>\n" + pi + body)
    return folder


def _digests(executor: DaskCluster) -> list[list[str]]:
    from tei_tools.executor import received_files

    return list(executor.client.run(received_files).values())


def test_a_relative_xml_model_is_found_by_bytes_as_by_path(cluster: LoopbackCluster, declared: Path,
                                                          tmp_path: Path) -> None:
    from tei_tools.executor import ShippedFile

    docs = [declared / "docs"]
    options = BuildOptions(formats=("txt",))
    local = build_corpus(docs, tmp_path / "local", options, jobs=1)
    assert local.summary() == "3 documents: 0 built, 3 invalid"  # by the declared grammar
    with DaskCluster(cluster.address, shared_fs=False) as executor:
        remote = build_corpus(docs, tmp_path / "cluster", options, executor=executor)
        digests = _digests(executor)
    as_json = lambda r, o: json.dumps(r.to_dict()).replace(str(tmp_path / o), "OUT")  # noqa: E731
    assert as_json(remote, "cluster") == as_json(local, "local")
    grammar = ShippedFile.of(declared / "grammar" / "strict.rng")
    assert grammar.digest and all(grammar.digest in d for d in digests if d)  # it went by content


def test_a_schema_given_goes_by_content_to_workers_that_get_bytes(cluster: LoopbackCluster,
                                                                  declared: Path,
                                                                  corpus: Path) -> None:
    from tei_tools.executor import ShippedFile

    grammar = declared / "grammar" / "strict.rng"
    part = [corpus / "part-1"]
    local = validate(part, schema=grammar, jobs=1).to_dict()
    with DaskCluster(cluster.address, shared_fs=False) as executor:
        remote = validate(part, schema=grammar, executor=executor).to_dict()
        digests = _digests(executor)
    assert remote == local and local["summary"]["errors"] >= 10
    assert any(ShippedFile.of(grammar).digest in d for d in digests)


def test_a_worker_with_several_threads_is_refused_when_the_run_connects() -> None:
    from tei_tools.errors import UsageError

    with LoopbackCluster(workers=1, nthreads=2) as threaded, \
            pytest.raises(UsageError, match=r"runs 2 threads; .* --nthreads 1"):
        DaskCluster(threaded.address)

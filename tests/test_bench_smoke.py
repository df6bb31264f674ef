"""The benchmark harness runs and writes well-formed results (no timings asserted)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
BENCH = REPO / "bench"
sys.path.insert(0, str(BENCH))

# bench/ is a folder of scripts, not a package: it is importable only once on sys.path
import cases  # noqa: E402
import corpus  # noqa: E402
import report  # noqa: E402


@pytest.fixture(scope="module")
def quick_results(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict, str, Path]:
    out = tmp_path_factory.mktemp("bench")
    benchmarks = REPO / "BENCHMARKS.md"
    before = benchmarks.read_bytes() if benchmarks.exists() else None
    res = subprocess.run(
        [sys.executable, str(BENCH / "run.py"), "--quick", "--out", str(out),
         "--only", "edition.jing.cold", "--only", "edition.floor.*", "--only", "edition.validate.teiall.cold",
         "--only", "scale.3.floor", "--only", "scale.3.validate.*", "--only", "edition.nonexistent.*"],
        capture_output=True, text=True, cwd=REPO, timeout=600,
    )
    assert res.returncode == 0, res.stderr
    after = benchmarks.read_bytes() if benchmarks.exists() else None
    assert before == after, "a --quick/--only run must not rewrite BENCHMARKS.md"
    return (json.loads((out / "results.json").read_text(encoding="utf-8")),
            (out / "results.md").read_text(encoding="utf-8"), out)


def test_quick_run_records_machine_and_settings(quick_results: tuple[dict, str, Path]) -> None:
    results, _, _ = quick_results
    machine = results["machine"]
    for key in ("date_utc", "cpu", "cores", "lxml", "libxml2", "saxonche", "jing", "java", "git", "edition"):
        assert machine[key], key
    assert results["settings"] == {"runs": 1, "sizes": [3], "quick": True}
    assert results["research"] is None


def test_quick_run_measures_each_selected_case_once(quick_results: tuple[dict, str, Path]) -> None:
    results, _, _ = quick_results
    ids = [row["id"] for row in results["cases"]]
    assert ids == ["edition.validate.teiall.cold", "edition.jing.cold", "edition.floor.cold",
                   "edition.floor.warm", "scale.3.floor", "scale.3.validate.w1", "scale.3.validate.w2"]
    for row in results["cases"]:
        assert row["status"] == "ok", row
        stats = row["stats"]
        assert stats["n"] == 1 and len(stats["times"]) == 1
        assert 0 < stats["min"] <= stats["median"] <= stats["max"]
        assert row["exit_code"] == 0, row  # jing and tei-tools judge these documents valid
        if row["kind"] == "cold":
            assert row["memory"]["tree_peak_mib"] > 0 and row["memory"]["max_process_mib"] > 0
    scale = [r for r in results["cases"] if r["id"].startswith("scale.")]
    assert all(r["docs"] == 3 for r in scale)
    assert [r["workers"] for r in scale] == [1, 1, 2]


def test_quick_run_writes_markdown_tables(quick_results: tuple[dict, str, Path]) -> None:
    results, md, _ = quick_results
    assert "### The edition: validation, side by side with jing and the floor" in md
    assert "### Scaling over N generated documents (1 and 2 workers)" in md
    assert "### Targets" in md
    assert f"| lxml | {results['machine']['lxml']} |" in md
    jing_row = next(line for line in md.splitlines() if line.startswith("| jing tei_all.rng (cold"))
    assert "| 1.00× |" in jing_row  # jing divided by itself


def test_missing_command_or_option_is_reported_not_available() -> None:
    assert cases.missing(("no-such-command",)) == \
        "not available yet: `tei-tools no-such-command` does not exist"
    assert cases.missing(("query", "--no-such-option")) == \
        "not available yet: `tei-tools query` has no `--no-such-option` option"
    assert cases.missing(()) is None


def test_update_block_replaces_only_the_generated_block(tmp_path: Path) -> None:
    doc = tmp_path / "B.md"
    doc.write_text("# Benchmarks\n\nprose before\n", encoding="utf-8")
    report.update_block(doc, "table one\n")
    report.update_block(doc, "table two\n")
    text = doc.read_text(encoding="utf-8")
    assert text.count(report.START) == 1 and text.count(report.END) == 1
    assert "table two" in text and "table one" not in text
    assert text.startswith("# Benchmarks\n\nprose before\n")


def test_generated_corpus_is_valid_against_tei_all(tmp_path: Path) -> None:
    n = len(corpus.templates()) + 2  # every template at least once, some twice (varied)
    files = corpus.make_corpus(tmp_path, n)
    assert len({f.read_bytes() for f in files}) == n  # content varies
    res = subprocess.run(["jing", str(corpus.TEI_ALL), *map(str, files)], capture_output=True, text=True)
    assert res.returncode == 0, res.stdout[:2000]


def test_merge_replaces_remeasured_cases_and_keeps_the_rest() -> None:
    import run

    def results(ids: list[str], median: float, date: str) -> dict:
        return {"machine": {"date_utc": date, "git": "abc", "command": "bench/run.py"},
                "cases": [{"id": i, "stats": {"median": median}} for i in ids],
                "research": None, "breakdown": None, "settings": {}}

    old = results(["a", "b", "c"], 1.0, "old")
    new = results(["b", "d"], 2.0, "new")
    merged = run.merge(old, new)
    assert [(r["id"], r["stats"]["median"]) for r in merged["cases"]] == \
        [("a", 1.0), ("b", 2.0), ("c", 1.0), ("d", 2.0)]
    assert merged["machine"]["date_utc"] == "old"
    assert "2 case(s) re-measured new" in merged["machine"]["merged"]


def test_html_breakdown_measures_what_writing_the_site_costs(tmp_path: Path) -> None:
    """--serialisation times the transform, the same with its pages and item TEI
    files written by the text method, and as many one-element files (no timings asserted)."""
    import html_breakdown

    copy = html_breakdown.text_method_copy(REPO / "xslt", tmp_path / "xslt")
    for name in ("edition.xsl", "item-tei.xsl"):
        text = (copy / "html" / name).read_text(encoding="utf-8")
        assert 'format="page"' not in text and 'format="tei"' not in text
        assert 'method="text"' in text
    assert 'format="page"' in (REPO / "xslt" / "html" / "edition.xsl").read_text(encoding="utf-8")
    res = subprocess.run(
        [sys.executable, str(BENCH / "html_breakdown.py"), "--serialisation",
         "--sizes", "0.15", "--runs", "1"],
        capture_output=True, text=True, cwd=REPO, timeout=600,
    )
    assert res.returncode == 0, res.stderr
    files = int(res.stderr.split(" MB: ", 1)[1].split()[0])
    assert files > 2 * 14  # every unit's page and TEI file at least
    rows = [line for line in res.stdout.splitlines() if line.startswith("| ") and "---" not in line]
    assert [r.split(" | ")[0] for r in rows[1:]] == [
        "| the whole transform", "| serialisation of the markup (pages, item TEI)",
        "| one-element files, as many"]


def test_interleaved_rounds_alternate_and_pair_round_by_round(monkeypatch: pytest.MonkeyPatch,
                                                               tmp_path: Path) -> None:
    import corpora

    order: list[str] = []
    walls = {"1.validate.j1": iter([2.0, 4.0, 3.0] * 2), "1.validate.j2": iter([1.0, 1.0, 2.0] * 2)}

    def fake_sample(case: dict, work: Path, env: object = None) -> dict:
        order.append(case["id"])
        return {"wall": next(walls[case["id"]]), "cpu": 0.0, "returncode": 0,
                "worker_peak_mib": None, "client_mib": 1.0, "load": 0.0}

    monkeypatch.setattr(corpora, "sample", fake_sample)
    chosen = [{"id": f"1.validate.j{k}", "n": 1, "what": "validate", "mode": f"local -j {k}",
               "workers": k, "argv": ["x"]} for k in (1, 2)]
    got = corpora.interleaved(chosen, 3, tmp_path)
    assert order == ["1.validate.j1", "1.validate.j2", "1.validate.j2", "1.validate.j1",
                     "1.validate.j1", "1.validate.j2"]
    assert got["1.validate.j1"]["walls"] == [2.0, 4.0, 3.0] and got["1.validate.j1"]["wall"] == 2.0
    assert corpora.paired(got) == [
        "1 validate: -j 1 / -j 2 round by round 1.50×, 2.00×, 4.00× (sorted); median 2.00×"]
    apart = {case["id"]: corpora.measure(case, 3, tmp_path) for case in chosen}
    assert corpora.paired(apart) == []  # measured case after case: no pairs by round

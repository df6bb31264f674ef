"""`tei-tools build` on other TEI: every valid document of the shared corpus.

Decision (documented in the report/README): the build validates with the
edition's schema by default; other TEI is built with ``--schema tei_all.rng``
(validated against the whole TEI) or ``--no-validate``. The corpus loop uses
the library with validation off (tei_all takes seconds to compile); one CLI
test validates a corpus file against tei_all for real.
"""

from __future__ import annotations

import html as html_lib
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from tei_tools.cli import main

from build_support import built, reading_text, scan, squeeze, strip_editorial, text_of
from conftest import REPO, TEI_ALL_RNG, corpus_files

VALID = corpus_files(valid=True)
FIXTURES = Path(__file__).parent / "fixtures" / "build"


def test_the_corpus_has_valid_documents() -> None:
    assert len(VALID) >= 5


@pytest.mark.parametrize("source", VALID, ids=[p.stem for p in VALID])
def test_valid_corpus_document_builds_without_losing_text(source: Path) -> None:
    out, result = built(source, ("html", "txt"), validate=False)
    pages = sorted((out / "html").glob("*.html"))
    assert (out / "html" / "index.html") in pages
    # every character of the text (in the regularised reading) reaches the text output
    expected = squeeze(reading_text(text_of(source)))
    txt = (out / "txt" / f"{source.stem}.txt").read_text(encoding="utf-8")
    got = squeeze(strip_editorial(txt))
    assert got == expected, source.name
    # and the HTML pages together carry it too (tags stripped)
    flat = squeeze("".join(_page_text(p) for p in pages))
    for word in _sample_words(expected):
        assert word in flat, (source.name, word)
    # warnings name each unknown element once
    names = [w.split()[1] for w in result.warnings if w.startswith("element ")]
    assert len(names) == len(set(names))
    for page in pages:
        assert scan(page).lang == "zh-Hans"


_ADDED = re.compile(r'<a class="(?:cite|noteref)"[^>]*>.*?</a>'
                    r'|<span class="(?:visually-hidden|alt|choice-label|pb-n)"[^>]*>'
                    r'(?:[^<]|<span[^>]*>[^<]*</span>)*</span>'
                    r'|<span class="gap"[^>]*>[^<]*</span>|<p class="gap"[^>]*>[^<]*</p>', re.S)


def _page_text(page: Path) -> str:
    """The text a page shows in the regularised reading, without what the edition adds."""
    body = page.read_text(encoding="utf-8")
    body = body[body.index("<main"):body.index("</main>")]
    body = re.sub(r'<section class="notes".*?</section>', "", body, flags=re.S)
    return html_lib.unescape(re.sub(r"<[^>]+>", "", _ADDED.sub("", body)))


def _sample_words(text: str) -> list[str]:
    step = max(1, len(text) // 25)
    return [text[i:i + 8] for i in range(0, max(0, len(text) - 8), step)][:25]


def test_unknown_elements_are_rendered_and_warned_once(tmp_path: Path) -> None:
    source = FIXTURES / "unknown-elements.xml"
    result = CliRunner().invoke(main, ["build", str(source), "--out", str(tmp_path / "d"),
                                       "--no-validate", "--format", "html,txt"],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.stderr
    warned = [line for line in result.stderr.splitlines() if "warning:" in line]
    assert len(warned) == 3, warned  # x:panel, x:chip, recordHist: once each
    assert any("x:chip" in w and "inline" in w for w in warned)
    assert any("x:panel" in w and "block" in w for w in warned)
    assert any("recordHist" in w for w in warned)
    page = (tmp_path / "d" / "html" / "part-01.html").read_text(encoding="utf-8")
    assert ('<div class="tei-unknown tei-panel">Block alpha '
            '<span class="tei-unknown tei-chip">inline beta</span> gamma.</div>') in page
    assert '<span class="tei-unknown tei-chip">inline delta</span>' in page
    assert "Record history zeta." in page
    txt = (tmp_path / "d" / "txt" / "unknown-elements.txt").read_text(encoding="utf-8")
    assert "\n\nBlock alpha inline beta gamma.\n\n" in txt
    assert "Before inline delta and inline epsilon after." in txt


def test_cli_validates_other_tei_against_tei_all(tmp_path: Path) -> None:
    source = next(p for p in VALID if "testnames" in p.name)
    result = CliRunner().invoke(main, ["build", str(source), "--schema", str(TEI_ALL_RNG),
                                       "--out", str(tmp_path / "d"), "--format", "txt"],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.stderr
    assert "validated" in result.stderr and "tei_all.rng" in result.stderr
    # the edition's own schema, asked for explicitly, refuses it and says how to proceed
    refused = CliRunner().invoke(main, ["build", str(source), "--out", str(tmp_path / "e"),
                                        "--format", "txt", "--schema",
                                        str(REPO / "schema" / "tei-taijiang.rng")],
                                 catch_exceptions=False)
    assert refused.exit_code == 1
    assert "--no-validate" in refused.stderr


def test_units_never_take_a_reserved_file_name(tmp_path: Path) -> None:
    out, _ = built(FIXTURES / "reserved-ids.xml", ("html", "txt"), validate=False)
    site = out / "html"
    names = sorted(p.stem for p in site.glob("*.html"))
    assert names == ["about", "chapter-5", "index", "part-01", "part-02", "part-03", "part-04", "search"]
    index = (site / "index.html").read_text(encoding="utf-8")
    assert "目录" in index and 'href="part-01.html">Called index</a>' in index
    assert "Text of part-01." in (site / "part-02.html").read_text(encoding="utf-8")
    assert "Text of persons." in (site / "part-04.html").read_text(encoding="utf-8")
    assert sorted(p.stem for p in (out / "txt" / "items").glob("*.txt")) == \
        ["chapter-5", "part-01", "part-02", "part-03", "part-04"]

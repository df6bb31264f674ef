"""``tei-tools odd doc``: one HTML page per element (content model, attributes with closed
value lists, the customisation's prose and examples), valid for the Nu HTML checker."""

from __future__ import annotations

import importlib
import subprocess
from pathlib import Path

import lxml.html
import pytest
from click.testing import CliRunner

from tei_tools.cli import main
from tei_tools.odd.doc import write_documentation

from conftest import SHARED

REPO = Path(__file__).resolve().parents[1]
VNU = REPO / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
FEATURES = Path(__file__).parent / "fixtures" / "odd" / "features.odd"


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("doc") / "features"
    write_documentation(FEATURES, out)
    return out


def _text(page: Path) -> str:
    body = lxml.html.parse(str(page)).getroot().find("body")
    return " ".join(" ".join(body.itertext()).split())


def test_element_page_has_model_attributes_values_prose_and_example(site):
    text = _text(site / "element-box.html")
    model = lxml.html.parse(str(site / "element-box.html")).getroot().find(".//pre")
    assert model.text_content() == "(head?, (p | stamp){1,3})"
    assert "A container of paragraphs and stamps, in the project's own namespace." in text
    assert "@shape required closed list square four equal sides round" in text
    assert "@depth from att.boxy optional" in text          # an added attribute class
    assert "@status from att.global optional closed list draft final" in text  # changed class
    assert "@resp" not in text and "@xml:space" not in text  # deleted class / attribute
    assert '<box xmlns="http://example.org/box" shape="square">' in text  # the ODD's example
    assert "@colour recommended" in text and "suggested (semi-open) red green" in text


def test_index_lists_what_the_schema_defines_and_the_odds_prose(site):
    index = lxml.html.parse(str(site / "index.html")).getroot()
    links = {a.get("href") for a in index.iter("a")}
    assert {"element-box.html", "element-p.html", "class-model.boxLike.html",
            "macro-macro.motto.html", "data-ft.year.html"} <= links
    assert "element-note.html" not in links
    assert "This schema keeps the TEI's skeleton" in _text(site / "index.html")
    for href in links:
        assert (site / href).is_file()


def test_cli_writes_the_pages(tmp_path):
    result = CliRunner().invoke(main, ["odd", "doc", str(FEATURES), "--out", str(tmp_path / "d")])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "d" / "element-stamp.html").is_file()


@pytest.mark.slow
def test_nu_html_checker_accepts_every_page(site, tmp_path):
    lite = tmp_path / "lite"
    write_documentation(SHARED / "tei-odd" / "tei_lite.odd", lite)
    pages = sorted(map(str, site.glob("*.html"))) + sorted(map(str, lite.glob("*.html")))
    run = subprocess.run(["java", "-jar", str(VNU), "--errors-only", "--format", "text", *pages],
                         capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr[:3000]
    assert "No errors found" in run.stderr


def test_pages_are_deterministic(site, tmp_path):
    again = tmp_path / "again"
    write_documentation(FEATURES, again)
    names = sorted(p.name for p in site.iterdir())
    assert names == sorted(p.name for p in again.iterdir())
    assert all((site / n).read_bytes() == (again / n).read_bytes() for n in names)


def test_documentation_pages_are_rendered_once_then_read_from_the_cache(site, tmp_path, monkeypatch):
    from tei_tools.odd import cache

    # the module, not the function tei_tools.odd exports under the same name
    customise = importlib.import_module("tei_tools.odd.customise")
    monkeypatch.setenv("TEI_TOOLS_CACHE", str(tmp_path / "cache"))
    first = cache.documentation_pages(FEATURES)
    assert first == {p.name: p.read_bytes() for p in site.iterdir()}

    def no_second_rendering(*args, **kwargs):
        raise AssertionError("the ODD was customised again instead of read from the cache")

    monkeypatch.setattr(customise, "customise", no_second_rendering)
    assert cache.documentation_pages(FEATURES) == first
    assert not list((tmp_path / "cache").glob("odd/*/.doc.*")), "a half-written entry was left"

    changed = tmp_path / "features.odd"  # another ODD (one byte more): another entry
    changed.write_bytes(FEATURES.read_bytes() + b"\n")
    with pytest.raises(AssertionError, match="customised again"):
        cache.documentation_pages(changed)

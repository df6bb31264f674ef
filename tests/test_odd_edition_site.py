"""The schema's documentation is part of the site (#11): ``tei-tools build`` writes what
``tei-tools odd doc`` makes of schema/tei-taijiang.odd into ``html/schema/``, linked from
the about page; the pages as built pass the Nu HTML checker."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from lxml import etree

from tei_tools.odd.doc import write_documentation

from conftest import REPO

ODD = REPO / "schema" / "tei-taijiang.odd"
VNU = REPO / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
TEI = "http://www.tei-c.org/ns/1.0"


def _text(page: Path) -> str:
    return re.sub(r"\s+", " ", page.read_text(encoding="utf-8"))


def test_the_about_page_links_the_schema_documentation(site: Path) -> None:
    about = _text(site / "about.html")
    links = re.findall(r'<section id="schema">.*?href="([^"]+)"', about)
    assert links == ["schema/index.html"]
    assert (site / links[0]).is_file()


def test_the_site_holds_what_odd_doc_writes(site: Path, tmp_path: Path) -> None:
    # the pages as built are the ODD's documentation, byte for byte (deterministic)
    fresh = tmp_path / "doc"
    write_documentation(ODD, fresh)
    built = site / "schema"
    names = sorted(p.name for p in built.iterdir())
    assert names == sorted(p.name for p in fresh.iterdir()) and len(names) > 120
    assert [n for n in names if (built / n).read_bytes() != (fresh / n).read_bytes()] == []


def test_the_pages_carry_the_odds_prose_rules_and_examples(site: Path) -> None:
    index = _text(site / "schema" / "index.html")
    for code in ("TT-PTR-01", "TT-ID-01", "TT-NAME-01", "TT-EMPTY-01"):  # schemaSpec-level rules
        assert f"<code>{code}</code>" in index
    assert "Encoding principles" in index and "The rules" in index
    assert "Every document valid against it is valid against the TEI" in index
    choice = _text(site / "schema" / "element-choice.html")
    assert "<code>TT-CHOICE-01</code>" in choice and "<code>TT-CORR-01</code>" in choice
    assert "扎扎实实地" in choice  # the example from the edition
    corr = _text(site / "schema" / "element-corr.html")
    assert "a dropped character" in corr  # a value's meaning (valItem/desc)


def test_every_closed_value_is_on_its_elements_page(site: Path) -> None:
    odd = etree.parse(str(ODD))
    missing = []
    for spec in odd.iter(f"{{{TEI}}}elementSpec"):
        page = _text(site / "schema" / f"element-{spec.get('ident')}.html")
        for att in spec.iter(f"{{{TEI}}}attDef"):
            for item in att.iter(f"{{{TEI}}}valItem"):
                if f"<code>{item.get('ident')}</code>" not in page:
                    missing.append(f"{spec.get('ident')}/@{att.get('ident')}={item.get('ident')}")
    assert missing == []


@pytest.mark.slow
def test_nu_html_checker_accepts_the_schema_pages_as_built(site: Path) -> None:
    pages = sorted(map(str, (site / "schema").glob("*.html")))
    run = subprocess.run(["java", "-jar", str(VNU), "--errors-only", "--format", "text", *pages],
                         capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr[:3000]
    assert "No errors found" in run.stderr

"""Shared test fixtures and paths.

CI runs in a fresh clone elsewhere, with ``shared/`` beside the clone: never
hard-code ``/work/shared``; use ``SHARED`` (or the fixtures below).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from lxml import etree

from tei_tools import xmlio

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
# the TEI's grammar as the package ships it (identical to shared/tei-p5/tei_all.rng:
# tests/test_build_schema_choice.py compares the two)
TEI_ALL_RNG = REPO / "schema" / "tei_all.rng"
OFFICIAL_TEI_ALL_RNG = SHARED / "tei-p5" / "tei_all.rng"
CORPUS = SHARED / "corpus"
SOURCE_TXT = SHARED / "source" / "000_32c4e5de228cdff9.txt"
EDITION = REPO / "tei" / "taijiang-dangjian-2007.xml"
MINI = REPO / "tests" / "fixtures" / "edition-mini.xml"


def mini_variant(folder: Path, anchor: str, replacement: str, name: str = "variant.xml") -> tuple[Path, int]:
    """The mini edition with its first ``anchor`` replaced, written to ``folder/name``;
    with the (1-based) line the anchor stood on."""
    text = MINI.read_text(encoding="utf-8")
    assert anchor in text, f"{anchor!r} is no longer in {MINI.name}"
    path = folder / name
    path.write_text(text.replace(anchor, replacement, 1), encoding="utf-8")
    return path, text.count("\n", 0, text.index(anchor)) + 1


def corpus_manifest() -> dict[str, dict[str, object]]:
    return json.loads((CORPUS / "manifest.json").read_text(encoding="utf-8"))


def corpus_files(valid: bool | None = None) -> list[Path]:
    """Corpus documents, optionally only those jing judged valid (or invalid)."""
    manifest = corpus_manifest()
    names = sorted(manifest)
    if valid is not None:
        names = [n for n in names if manifest[n]["valid_tei_all_jing"] is valid]
    return [CORPUS / n for n in names]


@pytest.fixture(scope="session")
def edition() -> etree._ElementTree:
    """The edition read by the hardened parser, once per session."""
    assert EDITION.is_file(), f"the edition is missing: {EDITION}"
    return xmlio.parse_file(EDITION)


@pytest.fixture(scope="session")
def tei(edition: etree._ElementTree) -> etree._Element:
    """The edition's root element."""
    return edition.getroot()


@pytest.fixture(scope="session")
def site() -> Path:
    """The HTML site of the edition, built once per session (build_support.built)."""
    from build_support import built

    out, _ = built(EDITION)
    return out / "html"


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    assert SHARED.is_dir(), f"shared inputs not found at {SHARED}"
    return SHARED

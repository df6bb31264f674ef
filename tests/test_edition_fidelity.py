"""Fidelity of the edition to its source text (issue 3).

The edition's text in the *diplomatic* reading (``sic`` and ``orig``, not
``corr`` and ``reg``; without what the editors added: ``supplied``, ``gap`` and
its ``desc``, ``figDesc``, notes) must equal the source text after exactly the
normalisations that ``editorialDecl`` declares:

* Markdown markers are not transcribed (``#`` at line start, ``**``, ``---``);
* the table of contents' dot leaders (``.....``) are not transcribed;
* half-width punctuation is normalised to full-width, by the mapping that
  ``editorialDecl/punctuation`` holds as ``choice/orig`` + ``choice/reg`` pairs
  (read from the TEI here, not repeated in this test);
* whitespace (line breaks, letter-spacing, tab stops, spaces) is not compared.

Every source character is then accounted for, in order. The figures are printed
(and recorded as JUnit properties) so that a run shows them.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pytest
from lxml import etree

from tei_tools.xmlio import TEI_NS, parse_file

from conftest import EDITION, SOURCE_TXT

NS = {"t": TEI_NS}
T = f"{{{TEI_NS}}}"

# Elements whose content the editors wrote (left out of the diplomatic reading).
EDITORIAL = {f"{T}{name}" for name in ("supplied", "gap", "figDesc", "note", "corr", "reg", "desc")}

MARKDOWN_HEADING = re.compile(r"^#+[ \t]*")
MARKDOWN_RULE = re.compile(r"^-{3,}[ \t]*$")
TOC_LEADER = re.compile(r"\.{3,}")
WHITESPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class SourceReading:
    text: str                   # normalised, whitespace removed
    raw_chars: int              # non-whitespace characters of the source file
    markdown_chars: int         # '#', '*', '-' of Markdown markers removed
    leader_chars: int           # '.' of TOC leaders removed
    punctuation: Counter[str]   # half-width mark -> times normalised


def punctuation_map(tree: etree._ElementTree) -> dict[str, str]:
    """The declared mapping: editorialDecl/punctuation//choice (orig -> reg)."""
    mapping: dict[str, str] = {}
    for choice in tree.iterfind(
            "t:teiHeader/t:encodingDesc/t:editorialDecl/t:punctuation//t:choice", NS):
        orig = choice.findtext("t:orig", namespaces=NS)
        reg = choice.findtext("t:reg", namespaces=NS)
        assert orig and reg, "each punctuation choice holds orig and reg"
        mapping[orig] = reg
    return mapping


def read_source(path: Path, mapping: dict[str, str]) -> SourceReading:
    raw = path.read_text(encoding="utf-8")
    markdown = leaders = 0
    lines = []
    for line in raw.split("\n"):
        if MARKDOWN_RULE.match(line):
            markdown += line.count("-")
            continue
        heading = MARKDOWN_HEADING.match(line)
        if heading:
            markdown += heading.group(0).count("#")
            line = line[heading.end():]
        markdown += line.count("**") * 2
        line = line.replace("**", "")
        for leader in TOC_LEADER.findall(line):
            leaders += len(leader)
        line = TOC_LEADER.sub("", line)
        lines.append(line)
    text = WHITESPACE.sub("", "".join(lines))
    counts: Counter[str] = Counter(ch for ch in text if ch in mapping)
    text = "".join(mapping.get(ch, ch) for ch in text)
    return SourceReading(text, len(WHITESPACE.sub("", raw)), markdown, leaders, counts)


def diplomatic_text(element: etree._Element, skipped: Counter[str]) -> str:
    """Text of ``element`` in document order, editorial additions left out."""
    parts: list[str] = []

    def walk(node: etree._Element) -> None:
        for child in node:
            if not isinstance(child.tag, str):      # comments, PIs
                parts.append(child.tail or "")
                continue
            if child.tag in EDITORIAL:
                name = etree.QName(child).localname
                skipped[name] += len(WHITESPACE.sub("", "".join(child.itertext())))
            else:
                parts.append(child.text or "")
                walk(child)
            parts.append(child.tail or "")

    parts.append(element.text or "")
    walk(element)
    return WHITESPACE.sub("", "".join(parts))


def first_difference(a: str, b: str) -> str:
    for i, (x, y) in enumerate(zip(a, b, strict=False)):
        if x != y:
            return (f"first difference at character {i}: source …{a[max(0, i - 20):i + 20]}… "
                    f"edition …{b[max(0, i - 20):i + 20]}…")
    return f"one is a prefix of the other (source {len(a)}, edition {len(b)} characters)"


@pytest.fixture(scope="module")
def edition() -> etree._ElementTree:
    return parse_file(EDITION)


def test_punctuation_mapping_is_declared_half_to_full_width(edition: etree._ElementTree) -> None:
    mapping = punctuation_map(edition)
    assert set(mapping) == {",", ";", ":", "(", ")"}
    for half, full in mapping.items():
        # each regularised mark is the full-width form of the original one
        assert unicodedata.normalize("NFKC", full) == half


def test_edition_text_equals_normalised_source(
        edition: etree._ElementTree, record_property: pytest.RecordProperty,
        capsys: pytest.CaptureFixture[str]) -> None:
    mapping = punctuation_map(edition)
    source = read_source(SOURCE_TXT, mapping)
    skipped: Counter[str] = Counter()
    text = edition.find("t:text", NS)
    assert text is not None
    edition_text = diplomatic_text(text, skipped)

    figures = {
        "source characters (non-whitespace)": source.raw_chars,
        "Markdown marker characters removed": source.markdown_chars,
        "TOC leader characters removed": source.leader_chars,
        "punctuation normalisations applied": sum(source.punctuation.values()),
        "source characters after normalisation": len(source.text),
        "edition characters (diplomatic reading)": len(edition_text),
        "supplied characters (titles from the TOC)": skipped["supplied"],
        "corr characters (not in the diplomatic reading)": skipped["corr"],
        "note characters (editorial and correction notes)": skipped["note"],
        "gap/desc characters": skipped["gap"],
        "figDesc characters": skipped["figDesc"],
    }
    for name, value in figures.items():
        record_property(name, value)
    per_mark = ", ".join(f"{k}→{mapping[k]} ×{v}" for k, v in sorted(source.punctuation.items()))
    with capsys.disabled():
        print("\nedition fidelity figures:")
        for name, value in figures.items():
            print(f"  {name:52} {value:>7}")
        print(f"  punctuation by mark: {per_mark}")

    assert source.raw_chars == (len(source.text) + source.markdown_chars
                                + source.leader_chars), "every removed character is accounted for"
    assert edition_text == source.text, first_difference(source.text, edition_text)


def test_fidelity_check_detects_a_changed_character(edition: etree._ElementTree) -> None:
    """The comparison is not vacuous: one altered character in the edition is caught."""
    mapping = punctuation_map(edition)
    source = read_source(SOURCE_TXT, mapping)
    text = edition.find("t:text", NS)
    assert text is not None
    paragraph = text.find(".//t:p", NS)
    assert paragraph is not None and paragraph.text
    original = paragraph.text
    try:
        paragraph.text = original.replace("基层", "基屋", 1)
        assert diplomatic_text(text, Counter()) != source.text
    finally:
        paragraph.text = original
    assert diplomatic_text(text, Counter()) == source.text


def test_diplomatic_reading_takes_sic_and_orig_not_corr() -> None:
    xml = (f'<text xmlns="{TEI_NS}"><p>甲<choice><sic>倍受</sic><corr>备受</corr></choice>'
           '<note>注</note>乙<supplied>补</supplied><choice><orig>,</orig><reg>，</reg></choice>'
           '<figure><head>图注</head><figDesc>说明</figDesc></figure>丙<gap><desc>缺</desc></gap></p></text>')
    skipped: Counter[str] = Counter()
    assert diplomatic_text(etree.fromstring(xml), skipped) == "甲倍受乙,图注丙"
    assert skipped == Counter({"corr": 2, "note": 1, "supplied": 1, "reg": 1, "figDesc": 2, "gap": 1})

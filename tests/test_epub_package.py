"""The EPUB container and package document (issue #5): OCF, determinism, metadata."""

from __future__ import annotations

import re
import uuid
import zipfile
from pathlib import Path

import pytest

from tei_tools import xmlio
from tei_tools.errors import BuildError
from tei_tools.publish import epub as epub_writer
from tei_tools.publish.epub_check import check_package
from tei_tools.publish.epub_ocf import MIMETYPE, ZIP_EPOCH, ocf_bytes

from conftest import MINI, REPO
from epub_support import DC, OPF, book_of, built, editions, opened

FIXTURES = REPO / "tests" / "fixtures" / "epub"


@pytest.fixture(scope="module", params=editions(), ids=lambda p: p.stem)
def book(request: pytest.FixtureRequest):
    return book_of(request.param)


def meta(package, prop: str) -> list[str]:
    return [m.text for m in package.iterfind(f"{{{OPF}}}metadata/{{{OPF}}}meta[@property='{prop}']")]


def dc(package, name: str) -> list:
    return list(package.iterfind(f"{{{OPF}}}metadata/{{{DC}}}{name}"))


def test_mimetype_is_first_stored_and_exact(book) -> None:
    with zipfile.ZipFile(book.path) as archive:
        first = archive.infolist()[0]
        assert first.filename == "mimetype"
        assert first.compress_type == zipfile.ZIP_STORED
        assert archive.read(first) == b"application/epub+zip"
    raw = book.path.read_bytes()
    # local header: no extra field, the bytes at offset 38 are the media type
    assert raw[:4] == b"PK\x03\x04"
    assert int.from_bytes(raw[28:30], "little") == 0
    assert raw[30:38] == b"mimetype" and raw[38:58] == MIMETYPE


def test_entries_fixed_order_and_timestamps(book) -> None:
    with zipfile.ZipFile(book.path) as archive:
        infos = archive.infolist()
    names = [i.filename for i in infos]
    assert names[:3] == ["mimetype", "META-INF/container.xml", "EPUB/package.opf"]
    assert names[3:] == sorted(names[3:])
    assert {i.date_time for i in infos} == {ZIP_EPOCH}
    assert all(i.compress_type == zipfile.ZIP_DEFLATED for i in infos[1:])


def test_two_builds_are_byte_identical() -> None:
    first = built(MINI, "a").path.read_bytes()
    second = built(MINI, "b").path.read_bytes()
    assert first == second


def test_container_points_to_package(book) -> None:
    container = book.xml("META-INF/container.xml").getroot()
    rootfiles = container.findall(".//{urn:oasis:names:tc:opendocument:xmlns:container}rootfile")
    assert [r.get("full-path") for r in rootfiles] == ["EPUB/package.opf"]


def test_identifier_is_uuid5_of_idno_and_unique_identifier(book) -> None:
    package = book.package
    identifiers = dc(package, "identifier")
    assert len(identifiers) == 2, "the package urn:uuid and the edition's idno"
    assert identifiers[0].get("id") == package.get("unique-identifier")
    idno = xmlio.parse_file(book.source).xpath(
        "//t:publicationStmt/t:idno", namespaces={"t": xmlio.TEI_NS})[0]
    assert identifiers[1].text == f"{idno.get('type')}:{idno.text.strip()}"
    assert meta(package, "identifier-type") == ["01"]
    value = identifiers[0].text
    assert value.startswith("urn:uuid:")
    parsed = uuid.UUID(value.removeprefix("urn:uuid:"))
    assert parsed.version == 5
    if book.source == MINI:
        expected = uuid.uuid5(epub_writer.UUID_NAMESPACE, "idno:local:taijiang-dangjian-2007-mini")
        assert parsed == expected


def test_descriptive_metadata_from_the_header(book) -> None:
    package = book.package
    titles = dc(package, "title")
    assert titles and titles[0].text.startswith("台江党建报道荟萃")
    assert "main" in [m.text for m in package.iterfind(
        f"{{{OPF}}}metadata/{{{OPF}}}meta[@refines='#{titles[0].get('id')}'][@property='title-type']")]
    creators = dc(package, "creator")
    assert [c.text for c in creators] == ["中共台江区委组织部"]
    roles = package.findall(f"{{{OPF}}}metadata/{{{OPF}}}meta[@refines='#{creators[0].get('id')}']")
    assert [(r.get("property"), r.get("scheme"), r.text) for r in roles] == [
        ("role", "marc:relators", "aut"), ("role", "marc:relators", "com"),
        ("file-as", None, "Zhōnggòng Táijiāng Qūwěi Zǔzhībù"), ("display-seq", None, "1")], \
        "author for every reader, compiler for role-aware ones"
    description = dc(package, "description")
    assert len(description) == 1 and description[0].text == " ".join(
        " ".join("".join(p.itertext()).split()) for p in xmlio.parse_file(book.source).xpath(
            "//t:projectDesc/t:p", namespaces={"t": xmlio.TEI_NS}))
    assert dc(package, "contributor"), "the encoders are contributors"
    assert [e.text for e in dc(package, "language")] == ["zh-Hans"]
    assert len(dc(package, "publisher")) == 1
    assert len(dc(package, "date")) == 1
    assert re.fullmatch(r"\d{4}(-\d\d(-\d\d)?)?", dc(package, "date")[0].text)
    assert "台江党建报道荟萃" in dc(package, "source")[0].text
    assert dc(package, "rights") and dc(package, "subject")


def test_subtitle_in_another_language_is_marked_not_spelled_out() -> None:
    """A header title with its own xml:lang keeps it as an attribute in the OPF
    (a text value template once turned the attribute into the text "en …")."""
    tei = xmlio.parse_file(REPO / "tei" / "taijiang-dangjian-2007.xml")
    expected = {t.text: t.get("{http://www.w3.org/XML/1998/namespace}lang")
                for t in tei.iterfind(".//{http://www.tei-c.org/ns/1.0}titleStmt/"
                                      "{http://www.tei-c.org/ns/1.0}title[@type='sub']")}
    assert "en" in expected.values()
    package = book_of(REPO / "tei" / "taijiang-dangjian-2007.xml").package
    subtitles = {t.text: t.get("{http://www.w3.org/XML/1998/namespace}lang")
                 for t in dc(package, "title")[1:]}
    assert subtitles == expected


def test_modified_comes_from_revision_desc(book) -> None:
    tree = xmlio.parse_file(book.source)
    whens = tree.xpath("//t:revisionDesc//t:change/@when", namespaces={"t": xmlio.TEI_NS})
    latest = max(w[:10] for w in whens)
    assert meta(book.package, "dcterms:modified") == [latest + "T00:00:00Z"]


def test_accessibility_metadata(book) -> None:
    package = book.package
    assert meta(package, "schema:accessMode") == ["textual", "visual"], "the cover image"
    assert meta(package, "schema:accessModeSufficient") == ["textual"]
    features = set(meta(package, "schema:accessibilityFeature"))
    assert {"structuralNavigation", "tableOfContents", "pageNavigation", "readingOrder",
            "alternativeText"} <= features
    assert meta(package, "schema:accessibilityHazard") == ["none"]
    summary = meta(package, "schema:accessibilitySummary")
    assert len(summary) == 1 and "目录" in summary[0] and "table of contents" in summary[0]
    assert meta(package, "dcterms:conformsTo") == ["EPUB Accessibility 1.1 - WCAG 2.1 Level AA"]
    assert meta(package, "a11y:certifiedBy")
    assert meta(package, "pageBreakSource") == ["台江党建报道荟萃（二〇〇六年七月——二〇〇七年六月）"]


def test_every_content_document_declares_its_language(book) -> None:
    for name in [*book.content_files(), "EPUB/nav.xhtml"]:
        root = book.xml(name).getroot()
        assert root.get("lang") == "zh-Hans", name
        assert root.get("{http://www.w3.org/XML/1998/namespace}lang") == "zh-Hans", name


def test_ncx_for_epub2_readers_is_declared(book) -> None:
    package = book.package
    items = {i.get("id"): i for i in package.iterfind(f"{{{OPF}}}manifest/{{{OPF}}}item")}
    spine = package.find(f"{{{OPF}}}spine")
    ncx = items[spine.get("toc")]
    assert ncx.get("media-type") == "application/x-dtbncx+xml"
    root = book.xml("EPUB/" + ncx.get("href")).getroot()
    uid = root.find("{http://www.daisy.org/z3986/2005/ncx/}head/"
                    "{http://www.daisy.org/z3986/2005/ncx/}meta[@name='dtb:uid']")
    assert uid.get("content") == dc(package, "identifier")[0].text


def test_ocf_refuses_reserved_entries() -> None:
    with pytest.raises(ValueError):
        ocf_bytes({"mimetype": b"x"}, "EPUB/package.opf")


def test_structural_check_finds_broken_links() -> None:
    files = dict(opened(built(MINI).path).data)
    del files["mimetype"], files["META-INF/container.xml"]
    assert check_package(files, "EPUB/package.opf") == []
    name = "EPUB/text/02-preface.xhtml"
    files[name] = files[name].replace(b"</body>", b'<a href="nowhere.xhtml#x">x</a>'
                                      b'<img src="http://example.org/a.png" alt="a"/></body>')
    problems = check_package(files, "EPUB/package.opf")
    assert any("nowhere.xhtml" in p for p in problems)
    assert any("outside the container" in p for p in problems)


def test_structural_check_finds_duplicate_ids_and_missing_fragments() -> None:
    files = dict(opened(built(MINI).path).data)
    del files["mimetype"], files["META-INF/container.xml"]
    name = "EPUB/text/02-preface.xhtml"
    files[name] = files[name].replace(b"</body>", b'<p id="twice">a</p><p id="twice">b</p>'
                                      b'<a href="#twice">ok</a><a href="#nothere">x</a>'
                                      b'<a href="02-preface.xhtml?x=1#absent">y</a></body>')
    problems = check_package(files, "EPUB/package.opf")
    assert any("duplicate id 'twice'" in p for p in problems)
    assert any("no id 'nothere'" in p for p in problems)
    assert any("no id 'absent'" in p for p in problems)
    assert not any("'#twice'" in p for p in problems)


def test_structural_check_judges_plain_links_by_file_and_escaped_ones_alone() -> None:
    """Plain ``file#id`` links are judged a file at a time (epub_check.check_package):
    a missing id in a named file is still found, an escaped fragment still unquoted."""
    files = dict(opened(built(MINI).path).data)
    del files["mimetype"], files["META-INF/container.xml"]
    name = "EPUB/text/02-preface.xhtml"
    files[name] = files[name].replace(b"</body>", '<p id="é1">a</p><a href="#%C3%A91">ok</a>'
                                      '<a href="../text/02-preface.xhtml#é1">ok</a>'
                                      '<a href="../text/02-preface.xhtml#gone">x</a></body>'.encode())
    problems = check_package(files, "EPUB/package.opf")
    wrong = [p for p in problems if "no id" in p]
    assert len(wrong) == 1
    assert re.fullmatch(rf"{name}:\d+: href='\.\./text/02-preface\.xhtml#gone': no id 'gone' in {name}",
                        wrong[0])


def test_structural_check_names_a_malformed_member_by_line_and_column() -> None:
    files = dict(opened(built(MINI).path).data)
    del files["mimetype"], files["META-INF/container.xml"]
    name = "EPUB/text/02-preface.xhtml"
    lines = files[name].count(b"\n")
    files[name] = files[name].replace(b"</body>", b"<p>\n</body>")
    problems = check_package(files, "EPUB/package.opf")
    # first, then the links into it it can no longer resolve
    assert re.fullmatch(rf"{name}:{lines + 2}:\d+: error: not well-formed XML: Opening and "
                        r"ending tag mismatch: p line \d+ and body \[XML-SYNTAX\]", problems[0])


@pytest.mark.parametrize("value", ["#a", "b.xhtml", "../text/c.xhtml#p%204", "d.xhtml?q=1#e",
                                   "//host/f#g", "h\ti.xhtml#j", "k#l#m", "", "#"])
def test_reference_split_is_urlsplit(value: str) -> None:
    from urllib.parse import urlsplit

    from tei_tools.publish.epub_check import _split
    parts = urlsplit(value)
    assert _split(value) == (parts.path, parts.fragment)


def test_failed_build_leaves_previous_file(tmp_path: Path) -> None:
    target = tmp_path / "out"
    good = epub_writer.write(MINI, target)
    before = good.path.read_bytes()
    with pytest.raises(BuildError, match="no <text>"):
        epub_writer.write(FIXTURES / "no-text.xml", target, name=good.path.name)
    assert good.path.read_bytes() == before
    assert [p.name for p in target.iterdir()] == [good.path.name]


def test_tei_corpus_is_refused_with_a_reason(tmp_path: Path) -> None:
    with pytest.raises(BuildError, match="teiCorpus"):
        epub_writer.write(FIXTURES / "tei-corpus.xml", tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_every_content_document_uses_the_chinese_style_sheet(book) -> None:
    css = book.data["EPUB/css/epub.css"].decode("utf-8")
    assert "Noto Serif CJK SC" in css and "line-break: strict" in css
    assert "writing-mode: horizontal-tb" in css
    for name in book.content_files():
        links = book.xml(name).getroot().xpath(
            "//h:link[@rel='stylesheet']/@href", namespaces={"h": "http://www.w3.org/1999/xhtml"})
        assert links == ["../css/epub.css"], name


def test_title_page_has_one_h1_and_a_typographic_hierarchy(book) -> None:
    page = book.xml("EPUB/text/titlepage.xhtml").getroot()
    h1 = page.findall(".//{http://www.w3.org/1999/xhtml}h1")
    tei = xmlio.parse_file(book.source)
    main = tei.xpath("//t:titlePage//t:titlePart[@type='main']", namespaces={"t": xmlio.TEI_NS})
    assert len(h1) == 1 and "".join(h1[0].itertext()) == "".join(main[0].itertext())
    classes = [p.get("class") for p in page.iter("{http://www.w3.org/1999/xhtml}p")]
    assert "titlePart titlePart-sub" in classes and "docAuthor" in classes
    css = book.data["EPUB/css/epub.css"].decode("utf-8")
    sizes = {sel: re.search(re.escape(sel) + r" \{[^}]*font-size: ([0-9.]+em)", css).group(1)
             for sel in (".titlepage h1", ".titlepage .titlePart-sub", ".titlepage .titlePart-series",
                         ".titlepage .docAuthor")}
    assert len(set(sizes.values())) == 4, sizes


def test_structural_check_names_every_line_of_a_repeated_broken_link() -> None:
    """Each distinct reference is judged once, but a wrong one is reported at
    every element that carries it; an http(s) URL is a hyperlink on <a> only."""
    files = dict(opened(built(MINI).path).data)
    del files["mimetype"], files["META-INF/container.xml"]
    name = "EPUB/text/02-preface.xhtml"
    files[name] = files[name].replace(b"</body>", b'<a href="gone.xhtml#x">1</a>\n'
                                      b'<a href="gone.xhtml#x">2</a>\n'
                                      b'<a href="https://example.org/">ok</a>\n'
                                      b'<img src="https://example.org/" alt="no"/></body>')
    problems = check_package(files, "EPUB/package.opf")
    gone = [p for p in problems if "gone.xhtml" in p]
    assert len(gone) == 2 and len({p.split(":")[1] for p in gone}) == 2
    outside = [p for p in problems if "outside the container" in p]
    assert len(outside) == 1 and outside[0].endswith("https://example.org/")

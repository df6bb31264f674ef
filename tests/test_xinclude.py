"""XInclude (issue 10): local files expanded before validation, build and
query, with locations in the included file; only files inside the document's
folder tree (or --xinclude-root); never the network; never /etc/passwd."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from tei_tools import xmlio
from tei_tools.cli import main
from tei_tools.errors import XmlInputError
from tei_tools.validation import validate
from tei_tools.xinclude import XIncludePolicy

from conftest import TEI_ALL_RNG

FIXTURES = Path(__file__).parent / "fixtures" / "xinclude"
MAIN = FIXTURES / "main.xml"
TEI = "{http://www.tei-c.org/ns/1.0}"
PASSWD = Path("/etc/passwd")


def cli(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["validate", *args], catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def tei(body: str, extra_ns: str = ' xmlns:xi="http://www.w3.org/2001/XInclude"') -> str:
    return (f'<TEI xmlns="http://www.tei-c.org/ns/1.0"{extra_ns}><teiHeader><fileDesc>'
            "<titleStmt><title>t</title></titleStmt><publicationStmt><p>p</p></publicationStmt>"
            "<sourceDesc><p>s</p></sourceDesc></fileDesc></teiHeader><text><body>"
            f"{body}</body></text></TEI>")


def test_includes_are_expanded_in_place() -> None:
    tree = xmlio.parse_file(MAIN)
    body = tree.find(f".//{TEI}body")
    assert [d.get("{http://www.w3.org/XML/1998/namespace}id") for d in body] == ["ch1", "ch2",
                                                                                  None]
    # the xpointer took only the div sec3 out of three.xml
    assert [d.get("{http://www.w3.org/XML/1998/namespace}id")
            for d in tree.iter(f"{TEI}div")] == ["ch1", "ch2", "sec3", None]
    assert "Not included" not in "".join(tree.getroot().itertext())
    # parse="text": the text file's content, as text
    last_p = body[2].find(f"{TEI}p")
    assert "".join(last_p.itertext()) == "A note kept as text: a note from a text file"
    assert not list(tree.iter("{http://www.w3.org/2001/XInclude}include"))


def test_diagnostics_name_the_included_file_line_and_column() -> None:
    report = validate([MAIN], schema=TEI_ALL_RNG, jobs=1)
    three = FIXTURES / "chapters" / "three.xml"
    found = [(Path(d.file).resolve(), d.line, d.column, d.code) for d in report.diagnostics()]
    assert found == [
        (three.resolve(), 5, 23, "att.datable.w3c-att-datable-w3c-when"),
        (three.resolve(), 6, 10, "s-noNestedS"),
    ]


def test_no_xinclude_leaves_the_include_elements() -> None:
    code, out, _err = cli("--no-xinclude", str(MAIN))  # (the project grammar: compiled fast)
    assert code == 1
    assert f"{MAIN}:12:7: error: <xi:include> is not allowed inside <body>" in out
    tree = xmlio.parse_file(MAIN, xinclude=XIncludePolicy(enabled=False))
    assert len(list(tree.iter("{http://www.w3.org/2001/XInclude}include"))) == 3


@pytest.mark.parametrize("href", [
    str(PASSWD), PASSWD.as_uri(), "../" * 30 + "etc/passwd", "link-to-passwd",
])
@pytest.mark.parametrize("parse", ["xml", "text"])
def test_etc_passwd_can_never_be_included(tmp_path: Path, href: str, parse: str) -> None:
    (tmp_path / "link-to-passwd").symlink_to(PASSWD)
    doc = tmp_path / "doc.xml"
    doc.write_text(tei(f'<p><xi:include href="{href}" parse="{parse}"/></p>'), encoding="utf-8")
    code, out, err = cli("--schema", str(TEI_ALL_RNG), "--format", "json", str(doc))
    text_code, text_out, text_err = cli(str(doc))
    assert code == text_code == 1
    assert "is outside" in text_out and "[XML-XINCLUDE]" in text_out
    secret = PASSWD.read_text(encoding="utf-8", errors="replace")
    first_entry = secret.splitlines()[0]
    assert first_entry
    for output in (out, err, text_out, text_err):
        assert first_entry not in output and "root:" not in output
    with pytest.raises(XmlInputError, match="outside"):
        xmlio.parse_file(doc)


def test_an_xinclude_root_widens_or_narrows_what_may_be_read(tmp_path: Path) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    (shared / "part.xml").write_text('<p xmlns="http://www.tei-c.org/ns/1.0">shared part</p>',
                                     encoding="utf-8")
    project = tmp_path / "project"
    project.mkdir()
    doc = project / "doc.xml"
    doc.write_text(tei('<xi:include href="../shared/part.xml"/>'), encoding="utf-8")
    with pytest.raises(XmlInputError, match="is outside"):
        xmlio.parse_file(doc)
    tree = xmlio.parse_file(doc, xinclude=XIncludePolicy(root=tmp_path))
    assert "shared part" in "".join(tree.getroot().itertext())
    code, out, _err = cli("--xinclude-root", str(tmp_path), "--schema", str(TEI_ALL_RNG), str(doc))
    assert (code, out) == (0, ""), out


@pytest.mark.parametrize("href", ["http://example.com/part.xml", "https://example.com/x",
                                  "ftp://example.com/x"])
def test_never_the_network(tmp_path: Path, href: str) -> None:
    doc = tmp_path / "doc.xml"
    doc.write_text(tei(f'<xi:include href="{href}"/>'), encoding="utf-8")
    with pytest.raises(XmlInputError, match="only local files are read, never the network") as e:
        xmlio.parse_file(doc)
    assert (e.value.line, e.value.code) == (1, "XML-XINCLUDE")


def test_a_loop_is_refused_and_located(tmp_path: Path) -> None:
    (tmp_path / "a.xml").write_text(
        '<div xmlns="http://www.tei-c.org/ns/1.0" xmlns:xi="http://www.w3.org/2001/XInclude">'
        '\n  <xi:include href="b.xml"/></div>', encoding="utf-8")
    (tmp_path / "b.xml").write_text(
        '<div xmlns="http://www.tei-c.org/ns/1.0" xmlns:xi="http://www.w3.org/2001/XInclude">'
        '\n\n  <xi:include href="a.xml"/></div>', encoding="utf-8")
    doc = tmp_path / "doc.xml"
    doc.write_text(tei('<xi:include href="a.xml"/>'), encoding="utf-8")
    with pytest.raises(XmlInputError) as caught:
        xmlio.parse_file(doc)
    assert caught.value.file == str(tmp_path / "b.xml")
    assert (caught.value.line, caught.value.column) == (3, 3)
    assert "makes a loop (doc.xml → a.xml → b.xml → a.xml)" in caught.value.message


def test_a_missing_file_uses_the_fallback_or_is_an_error(tmp_path: Path) -> None:
    doc = tmp_path / "doc.xml"
    doc.write_text(tei('<p>before <xi:include href="gone.xml"><xi:fallback>the <hi>fallback'
                       '</hi> text</xi:fallback></xi:include> after</p>'), encoding="utf-8")
    p = xmlio.parse_file(doc).find(f".//{TEI}body/{TEI}p")
    assert "".join(p.itertext()) == "before the fallback text after"
    doc.write_text(tei('<p><xi:include href="gone.xml"/></p>'), encoding="utf-8")
    with pytest.raises(XmlInputError, match=r"no such file gone\.xml"):
        xmlio.parse_file(doc)


def test_a_malformed_included_file_is_reported_in_that_file(tmp_path: Path) -> None:
    (tmp_path / "bad.xml").write_text('<p xmlns="http://www.tei-c.org/ns/1.0">\n<b></p>',
                                      encoding="utf-8")
    doc = tmp_path / "doc.xml"
    doc.write_text(tei('<xi:include href="bad.xml"/>'), encoding="utf-8")
    report = validate([doc], schema=TEI_ALL_RNG, jobs=1)
    (d,) = report.diagnostics()
    assert (d.file, d.line, d.code) == (str(tmp_path / "bad.xml"), 2, "XML-SYNTAX")


def test_an_included_file_with_a_hostile_doctype_is_refused(tmp_path: Path) -> None:
    (tmp_path / "evil.xml").write_text(
        f'<!DOCTYPE p [<!ENTITY x SYSTEM "{PASSWD.as_uri()}">]>\n'
        '<p xmlns="http://www.tei-c.org/ns/1.0">&x;</p>', encoding="utf-8")
    doc = tmp_path / "doc.xml"
    doc.write_text(tei('<xi:include href="evil.xml"/>'), encoding="utf-8")
    with pytest.raises(XmlInputError, match="external entity 'x'") as caught:
        xmlio.parse_file(doc)
    assert caught.value.file == str(tmp_path / "evil.xml")


def test_build_and_query_read_through_the_same_expansion(tmp_path: Path) -> None:
    """The one parser expands includes for every command: query sees the included text."""
    result = CliRunner().invoke(main, ["query", "count(//tei:div)", str(MAIN)],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert result.stdout.strip().endswith("4")


def test_relative_names_stay_relative(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(FIXTURES)
    report = validate(["main.xml"], schema=TEI_ALL_RNG, jobs=1)
    assert {d.file for d in report.diagnostics()} == {os.path.join("chapters", "three.xml")}


def test_build_names_the_included_file_too(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["build", str(MAIN), "--schema", str(TEI_ALL_RNG),
                                       "-f", "txt", "-o", str(tmp_path / "out")],
                                catch_exceptions=False)
    assert result.exit_code == 1
    three = os.path.relpath(FIXTURES / "chapters" / "three.xml")
    assert f"{three}:6:10: error: You may not nest one s element" in result.output

"""`tei-tools validate` on bad input: one clear located message, the right exit
code, no traceback, no hang, and never a byte of a file it was tricked into
reading."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from tei_tools.cli import main

from conftest import MINI, mini_variant

FIXTURES = Path(__file__).parent / "fixtures" / "validate"


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["validate", *args], catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def only_line(stdout: str) -> str:
    lines = [line for line in stdout.splitlines() if line.strip()]
    assert len(lines) == 1, stdout
    return lines[0]


def assert_clean(out: str, err: str) -> None:
    assert "Traceback" not in out + err
    assert ":0:" not in out  # never a column (or line) 0


def test_missing_path_is_a_usage_error(tmp_path: Path) -> None:
    code, out, err = run(str(tmp_path / "nowhere.xml"))
    assert code == 2
    assert err.strip() == f"{tmp_path / 'nowhere.xml'}: error: no such file or folder"
    assert out == ""


def test_folder_without_xml_is_a_usage_error(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("not xml", encoding="utf-8")
    code, _out, err = run(str(tmp_path))
    assert code == 2
    assert err.strip() == f"{tmp_path}: error: folder holds no .xml file"


def test_empty_file() -> None:
    code, out, err = run(str(FIXTURES / "empty.xml"))
    assert code == 1
    assert only_line(out) == f"{FIXTURES / 'empty.xml'}: error: file is empty [XML-EMPTY]"
    assert err.strip() == "1 file, 1 error, 0 warnings: invalid"


def test_binary_file(tmp_path: Path) -> None:
    binary = tmp_path / "image.xml"
    binary.write_bytes(bytes(range(256)) * 64)
    code, out, err = run(str(binary))
    assert code == 1
    assert only_line(out) == (f"{binary}:1: error: binary content (NUL bytes): "
                              "not an XML file [XML-BINARY]")
    assert_clean(out, err)


@pytest.mark.parametrize("name, where, fragment, code", [
    ("wrong-encoding-declaration.xml", "1", 'the XML declaration says encoding="UTF-16"', "XML-ENCODING"),
    ("latin1-declared-utf8.xml", "2:48", "bytes that are not valid UTF-8", "XML-ENCODING"),
    ("malformed.xml", "8:33",
     "not well-formed XML: Opening and ending tag mismatch: p line 8 and body", "XML-SYNTAX"),
])
def test_unreadable_xml_is_one_located_line(name: str, where: str, fragment: str, code: str) -> None:
    path = FIXTURES / name
    status, out, _err = run(str(path))
    assert status == 1
    line = only_line(out)
    assert line.startswith(f"{path}:{where}: error: {fragment}"), line
    assert line.endswith(f"[{code}]"), line


@pytest.mark.parametrize("name, root", [
    ("not-tei-root.xml", "<html> in namespace http://www.w3.org/1999/xhtml"),
    ("tei-without-namespace.xml", "<TEI> in no namespace"),
])
def test_non_tei_root(name: str, root: str) -> None:
    path = FIXTURES / name
    code, out, _err = run(str(path))
    assert code == 1
    assert only_line(out) == (f"{path}:2:1: error: the root element is {root}, not a TEI document "
                              "(<TEI> or <teiCorpus> in http://www.tei-c.org/ns/1.0) [TEI-ROOT]")


@pytest.mark.parametrize("name, line, what", [
    ("external-entity.xml", 3, "an external entity 'x'"),
    ("external-parameter-entity.xml", 3, "an external entity 'remote'"),
])
def test_external_entities_are_refused_unread(name: str, line: int, what: str) -> None:
    path = FIXTURES / name
    code, out, err = run(str(path), "--format", "json")
    assert code == 1
    _code_text, out_text, err_text = run(str(path))
    assert only_line(out_text) == (
        f"{path}:{line}:3: error: DOCTYPE declares {what}; entity declarations are refused "
        "unread (external-entity and expansion attacks) [XML-ENTITY]")
    passwd = Path("/etc/passwd").read_text(encoding="utf-8", errors="replace")
    first_entry = passwd.splitlines()[0]
    assert first_entry  # there is something that must not leak
    for text in (out, err, out_text, err_text):
        assert first_entry not in text
        assert "root:" not in text


def test_entity_expansion_bomb_is_refused_before_expansion() -> None:
    path = FIXTURES / "entity-bomb.xml"
    code, out, err = run(str(path))
    assert code == 1
    line = only_line(out)
    # internal entities are read (older TEI, issue 10) but bounded: the first one
    # that would expand past 1 MiB is named, before anything is expanded
    assert line.startswith(f"{path}:9:2: error: DOCTYPE declares an internal entity 'lol6' "
                           "that expands to more than 1 MiB")
    assert line.endswith("[XML-ENTITY]")
    assert "lollol" not in out + err


def test_network_dtd_is_never_fetched() -> None:
    path = FIXTURES / "network-dtd.xml"
    code, out, _err = run(str(path))
    assert code == 1
    # The DOCTYPE is on line 3 (after a blank line): the message says so.
    assert only_line(out) == (f"{path}:3:1: error: DOCTYPE points to an external DTD "
                              "(http://example.com/tei.dtd); DTDs are never loaded or fetched: "
                              "remove the DOCTYPE [XML-DTD]")


def test_hundred_megabyte_file_is_refused_by_the_size_limit(tmp_path: Path) -> None:
    big = tmp_path / "big.xml"
    with big.open("wb") as f:
        f.write(b'<?xml version="1.0"?>\n<TEI xmlns="http://www.tei-c.org/ns/1.0">')
        f.seek(100 * 1024 * 1024)
        f.write(b"</TEI>\n")
    assert big.stat().st_size > 100 * 1024 * 1024
    code, out, _err = run(str(big))
    assert code == 1
    assert only_line(out) == (f"{big}: error: file is 100.0 MiB, larger than the limit of 64 MiB; "
                              "refused unread [XML-TOO-LARGE]")


def test_duplicate_ids_are_located_not_a_crash(tmp_path: Path) -> None:
    broken, second = mini_variant(tmp_path, 'xml:id="pb-20"', 'xml:id="pb-19"', "dup.xml")
    first = next(i for i, ln in enumerate(MINI.read_text(encoding="utf-8").splitlines(), 1)
                 if 'xml:id="pb-19"' in ln)
    code, out, err = run(str(broken))
    assert code == 1
    assert_clean(out, err)
    lines = out.splitlines()
    assert any(line.startswith(f"{broken}:{second}:") and
               f'xml:id "pb-19" is already used on line {first}' in line and
               line.endswith("[TT-ID-01]") for line in lines), out
    # reported once, not also as a RELAX NG datatype error nor again by the Schematron
    assert sum("pb-19" in line for line in lines) == 1, out


def test_bad_files_among_good_ones_keep_their_order(tmp_path: Path) -> None:
    code, out, err = run(str(MINI), str(FIXTURES / "malformed.xml"), str(FIXTURES / "empty.xml"))
    assert code == 1
    lines = out.splitlines()
    assert [line.split(":")[0] for line in lines] == [str(FIXTURES / "malformed.xml"),
                                                        str(FIXTURES / "empty.xml")]
    assert err.strip() == "3 files, 2 errors, 0 warnings: invalid"


def test_unknown_encoding() -> None:
    path = FIXTURES / "unknown-encoding.xml"
    code, out, _err = run(str(path))
    assert code == 1
    assert only_line(out) == (f"{path}:1: error: unknown encoding 'KOI8-XYZ' in the XML "
                              "declaration [XML-ENCODING]")


def test_a_device_is_not_read_endlessly() -> None:
    code, out, err = run("/dev/zero")
    assert code == 2
    assert only_line(out) == "/dev/zero: error: not a regular file [IO]"
    assert err.strip() == "1 file, 1 error, 0 warnings: invalid"

"""`tei-tools query`: XPath 3.1 / XQuery 3.1 with saxonche (issue 6).

Every expected value is computed independently with lxml on the same file.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from lxml import etree

from tei_tools import xmlio

from query_support import (
    CORPUS,
    CORPUS_FILES,
    EDITION,
    FIXTURES,
    IN_TEXT,
    LATIN1,
    MINI,
    NS,
    csv_rows,
    invoke,
    mentions_of,
    ok,
    parse_file,
    register_ids,
    xid,
    xpath,
)

WHO = "//tei:text//tei:p[.//@ref[tokenize(.) = '#' || $id]]"


def test_default_path_is_the_edition(edition: etree._ElementTree) -> None:
    assert ok("query", "count(//tei:person)").strip() == str(
        len(xpath(edition, "//tei:person")))


@pytest.mark.parametrize("ident", register_ids(parse_file(EDITION), "person"))
def test_paragraphs_mentioning_each_person(edition: etree._ElementTree, ident: str) -> None:
    """A query for a known person returns exactly the paragraphs that mention them."""
    got = ok("query", f"{WHO}/string(@xml:id)", "--var", f"id={ident}").split()
    expected = []
    for el in mentions_of(edition, ident):
        p = el.xpath("ancestor::tei:p[1]", namespaces=NS)
        if p and xid(p[0]) not in expected:
            expected.append(xid(p[0]))
    expected.sort(key=lambda i: xpath(edition, "count(//tei:p[@xml:id=$i]/preceding::*)", i=i))
    assert got == expected
    assert mentions_of(edition, ident), f"{ident} is mentioned nowhere in the text"


def test_locate_gives_the_line_of_each_node(edition: etree._ElementTree) -> None:
    out = ok("query", "//tei:text//tei:p[@xml:id]", "--locate").splitlines()
    paragraphs = xpath(edition, "//tei:text//tei:p[@xml:id]")
    assert len(out) == len(paragraphs) > 10
    for line, p in zip(out, paragraphs, strict=True):
        where, _, text = line.partition(": ")
        file, _, number = where.rpartition(":")
        assert Path(file).resolve() == EDITION.resolve() and int(number) == p.sourceline
        assert text == " ".join("".join(p.itertext()).split())


def test_json_nodes_carry_file_line_path_and_id(edition: etree._ElementTree) -> None:
    data = json.loads(ok("query", "//tei:persName[@ref]", "--format", "json"))
    elements = xpath(edition, "//tei:persName[@ref]")
    assert len(data) == len(elements)
    for node, el in zip(data, elements, strict=True):
        assert Path(node["file"]).resolve() == EDITION.resolve()
        assert node["line"] == el.sourceline
        assert node["kind"] == "element" and node["name"] == "tei:persName"
        assert xpath(edition, node["path"]) == [el]  # the path finds the very node
        assert node["text"] == "".join(el.itertext())
        assert node["xml:id"] == xid(el)


def test_atomic_values_maps_and_arrays_as_json() -> None:
    data = json.loads(ok("query", "count(//tei:p), 2.5, true(), '台江', "
                                  "map{'n': 1, 'names': ['卢展工', '袁荣祥']}, xs:date('2007-05-25')",
                         MINI, "--format", "json"))
    assert data == [len(xpath(parse_file(MINI), "//tei:p")), 2.5, True, "台江",
                    {"n": 1, "names": ["卢展工", "袁荣祥"]}, "2007-05-25"]


def test_csv_rows_from_xquery_maps_round_trip_chinese(edition: etree._ElementTree) -> None:
    query = ('for $p in //tei:standOff//tei:person return map{"id": string($p/@xml:id), '
             '"name": string($p/tei:persName[@xml:lang="zh-Hans"]), '
             '"pinyin": string($p/tei:persName[@xml:lang="zh-Latn-pinyin"])}')
    rows = csv_rows(ok("query", "--xquery", query, "--format", "csv"))
    expected = [{"id": xid(p),
                 "name": p.findtext("tei:persName[@xml:lang='zh-Hans']", namespaces=NS),
                 "pinyin": p.findtext("tei:persName[@xml:lang='zh-Latn-pinyin']", namespaces=NS)}
                for p in xpath(edition, "//tei:standOff//tei:person")]
    assert rows == expected
    assert any("\u4e00" <= ch <= "\u9fff" for ch in rows[0]["name"])


def test_csv_of_arrays_and_nodes() -> None:
    rows = csv_rows(ok("query", "['a', 1], ['乙', 2]", MINI, "--format", "csv"))
    assert rows == [{"1": "a", "2": "1"}, {"1": "乙", "2": "2"}]
    rows = csv_rows(ok("query", "//tei:p[@xml:id]", MINI, "--format", "csv"))
    assert [r["xml:id"] for r in rows] == [xid(p) for p in xpath(parse_file(MINI),
                                                               "//tei:p[@xml:id]")]


def test_xquery_file_with_external_variable(edition: etree._ElementTree) -> None:
    rows = csv_rows(ok("query", "-f", FIXTURES / "paragraphs-mentioning.xq",
                       "--var", "id=per-yuan-rongxiang", "--format", "csv"))
    expected = []
    for el in mentions_of(edition, "per-yuan-rongxiang"):
        p = el.xpath("ancestor::tei:p[1]", namespaces=NS)
        if p and xid(p[0]) not in expected:
            expected.append(xid(p[0]))
    assert [r["paragraph"] for r in rows] == expected
    assert {r["name"] for r in rows} == {"袁荣祥"}


def test_xml_output_is_well_formed_and_copies_the_nodes() -> None:
    out = ok("query", "//tei:choice", MINI, "--format", "xml")
    root = xmlio.parse_bytes(out.encode("utf-8"), "out.xml").getroot()
    copied = root.findall("{urn:x-tei-tools}item/tei:choice", NS)
    assert [c.findtext("tei:corr", namespaces=NS) for c in copied] == [
        c.findtext("tei:corr", namespaces=NS) for c in xpath(parse_file(MINI), "//tei:choice")]


def test_text_xml_flag_prints_markup() -> None:
    out = ok("query", "//tei:choice", MINI, "--xml").strip()
    el = xmlio.parse_bytes(out.encode("utf-8"), "choice.xml").getroot()
    assert el.tag == f"{{{NS['tei']}}}choice" and el.findtext("tei:sic", namespaces=NS) == "倍受"


def test_namespace_binding_and_xml_prefix() -> None:
    out = ok("query", "count(//t:p[@xml:id])", MINI, "--ns", f"t={NS['tei']}")
    assert out.strip() == str(len(xpath(parse_file(MINI), "//tei:p[@xml:id]")))


def test_ampersand_in_an_xpath_string_literal_is_a_character() -> None:
    assert ok("query", "string-length('a&b'), 'x&amp;y'", MINI).split() == ["3", "x&amp;y"]


def test_syntax_error_gives_position_and_exit_2() -> None:
    result = invoke("query", "//tei:p[", MINI)
    assert result.exit_code == 2
    assert result.stderr.startswith("query:1:") and "[XPST0003]" in result.stderr
    assert "Traceback" not in result.output


def test_syntax_error_line_is_the_users_line_with_variables() -> None:
    result = invoke("query", "(1,\n  2,\n  3 4)", MINI, "--var", "x=1")
    assert result.exit_code == 2
    assert result.stderr.startswith("query:3:") and "XPST0003" in result.stderr


def test_syntax_error_in_a_query_file_names_the_file() -> None:
    result = invoke("query", "-f", FIXTURES / "syntax-error.xq", MINI)
    assert result.exit_code == 2
    assert result.stderr.startswith(f"{FIXTURES / 'syntax-error.xq'}:")
    assert "[XPST0003]" in result.stderr


@pytest.mark.parametrize(("expr", "code"), [("1 div 0", "FOAR0001"),
                                            ("xs:integer('x')", "FORG0001"),
                                            ("//tei:p + 1", "XPTY0004")])
def test_dynamic_error_gives_saxon_code_and_exit_1(expr: str, code: str) -> None:
    result = invoke("query", expr, MINI)
    assert result.exit_code == 1, result.output
    assert f"[{code}]" in result.stderr and "Traceback" not in result.output
    assert str(MINI) in result.stderr


def test_unknown_variable_and_function_are_static_errors() -> None:
    for expr, code in (("$nope", "XPST0008"), ("tei:nope()", "XPST0017")):
        result = invoke("query", expr, MINI)
        assert result.exit_code == 2 and f"[{code}]" in result.stderr


def test_bad_bindings_and_paths_are_usage_errors() -> None:
    assert invoke("query", "1", MINI, "--var", "no-equals").exit_code == 2
    assert invoke("query", "1", MINI, "--ns", "9bad=x").exit_code == 2
    result = invoke("query", "1", FIXTURES / "absent.xml")
    assert result.exit_code == 2 and "absent.xml" in result.stderr


def test_non_utf8_document_reads_right_and_locates() -> None:
    out = ok("query", "//tei:p[@xml:id='p1']", LATIN1, "--locate")
    line = parse_file(LATIN1).xpath("//tei:p[@xml:id='p1']", namespaces=NS)[0].sourceline
    assert out == f"{LATIN1}:{line}: Café Renée.\n"


def test_several_files_are_evaluated_one_by_one_and_tagged() -> None:
    data = json.loads(ok("query", "count(//*)", CORPUS, MINI, "--format", "json"))
    files = [*CORPUS_FILES, MINI]
    assert [d["file"] for d in data] == [str(f) for f in files]
    for entry, path in zip(data, files, strict=True):
        assert entry["results"] == [len(parse_file(path).getroot().xpath("//*"))]
    lines = ok("query", "count(//tei:p)", MINI, EDITION).splitlines()
    assert lines == [f"{MINI}: {len(xpath(parse_file(MINI), '//tei:p'))}",
                     f"{EDITION}: {len(xpath(parse_file(EDITION), '//tei:p'))}"]


@pytest.mark.parametrize("path", CORPUS_FILES, ids=lambda p: p.name)
def test_queries_run_on_every_corpus_file(path) -> None:
    tree = parse_file(path)
    names = ok("query", "//tei:title", path, "--format", "json")
    assert [n["text"] for n in json.loads(names)] == [
        "".join(t.itertext()) for t in xpath(tree, "//tei:title")]
    paragraphs = ok("query", "--xquery", "count(//tei:text//tei:p)", path)
    assert paragraphs.strip() == str(len(xpath(tree, f"//tei:p[{IN_TEXT}]")))
    ok("query", "//tei:p", path, "--format", "csv")
    ok("query", "//tei:p", path, "--format", "xml")
    ok("query", "//tei:p", path, "--locate")


def test_stdout_is_utf8_whatever_the_locale() -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LC_", "PYTHONIO"))}
    # An ASCII locale and stdout encoding: a naive print() of Chinese would fail.
    env.update(LANG="C", LC_ALL="C", PYTHONUTF8="0", PYTHONCOERCECLOCALE="0",
               PYTHONIOENCODING="ascii")
    proc = subprocess.run([sys.executable, "-m", "tei_tools", "query",
                           "string(//tei:person[1]/tei:persName[1])", str(MINI)],
                          capture_output=True, env=env, check=False, timeout=120)
    assert proc.returncode == 0, proc.stderr.decode("utf-8", "replace")
    assert proc.stdout.decode("utf-8") == "卢展工\n"


@pytest.mark.parametrize("command", [["query"], ["entities"], ["stats"], ["export"],
                                     ["export", "network"], ["export", "timeline"]])
def test_every_command_has_help(command: list[str]) -> None:
    out = ok(*command, "--help")
    assert out.startswith("Usage: ") and len(out.splitlines()) > 4


@pytest.mark.parametrize("command", [["query", "1"], ["entities"], ["stats"],
                                     ["export", "network"], ["export", "timeline"]])
def test_malformed_input_is_one_located_line(tmp_path, command: list[str]) -> None:
    bad = tmp_path / "bad.xml"
    bad.write_text('<TEI xmlns="http://www.tei-c.org/ns/1.0">\n<p>台江</TEI>\n',
                   encoding="utf-8")
    result = invoke(*command, bad)
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert result.stderr.startswith(f"{bad}:2:") and "[XML-SYNTAX]" in result.stderr


def test_non_tei_xml_runs_and_finds_nothing_tei(tmp_path) -> None:
    plain = tmp_path / "plain.xml"
    plain.write_text("<root><p>x</p></root>", encoding="utf-8")
    assert ok("query", "count(//p), count(//tei:p)", plain).split() == ["1", "0"]
    assert json.loads(ok("entities", plain, "--format", "json")) == []
    assert json.loads(ok("stats", plain, "--format", "json"))[0]["paragraphs"] == 0


def test_documents_a_query_loads_itself_are_hardened_too(tmp_path) -> None:
    """doc() in a user's query bypasses xmlio: Saxon's own parser must refuse
    a DOCTYPE (external entities, bombs) and the network must stay closed."""
    secret = tmp_path / "secret.txt"
    secret.write_text("SECRET-CONTENT-42", encoding="utf-8")
    hostile = tmp_path / "xxe.xml"
    hostile.write_text(f'<!DOCTYPE a [<!ENTITY x SYSTEM "{secret.as_uri()}">]><a>&x;</a>',
                       encoding="utf-8")
    result = invoke("query", f"string(doc('{hostile.as_uri()}'))", MINI)
    assert result.exit_code == 1
    assert "SECRET-CONTENT-42" not in result.output
    assert "DOCTYPE is disallowed" in result.stderr and "Traceback" not in result.output
    plain = tmp_path / "plain.xml"
    plain.write_text("<a>local file</a>", encoding="utf-8")
    assert invoke("query", f"string(doc('{plain.as_uri()}'))", MINI).stdout.strip() == "local file"
    result = invoke("query", "string(doc('http://127.0.0.1:9/x.xml'))", MINI)
    assert result.exit_code == 1
    assert "FODC0005" in result.stderr and "prohibited" in result.stderr

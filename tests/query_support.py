"""Helpers shared by the query, entities, export and stats tests (issue 6).

Expected values are computed here independently of ``tei_tools.query``:
with lxml XPath on trees read by the hardened parser.
"""

from __future__ import annotations

import csv
import io

from click.testing import CliRunner, Result
from lxml import etree

from tei_tools.cli import main
from tei_tools.xmlio import TEI_NS, XML_NS, parse_file

from conftest import CORPUS, EDITION, MINI, REPO, corpus_files

NS = {"tei": TEI_NS, "xml": XML_NS}
FIXTURES = REPO / "tests" / "fixtures" / "query"
NO_REGISTER = FIXTURES / "names-without-register.xml"
LATIN1 = FIXTURES / "latin1.xml"
CORPUS_FILES = corpus_files()
IN_TEXT = "ancestor::tei:text and not(ancestor::tei:teiHeader or ancestor::tei:standOff)"

__all__ = ["CORPUS", "CORPUS_FILES", "EDITION", "FIXTURES", "IN_TEXT", "LATIN1", "MINI",
           "NO_REGISTER", "NS", "csv_rows", "invoke", "mentions_of", "ok", "parse_file",
           "register_ids", "xid", "xpath"]


def invoke(*args: object) -> Result:
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def ok(*args: object) -> str:
    """Run a command that must succeed; its stdout."""
    result = invoke(*args)
    assert result.exit_code == 0, (args, result.output)
    assert "Traceback" not in result.output
    return result.stdout


def csv_rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def xpath(tree: etree._ElementTree | etree._Element, expr: str, **variables: object) -> list:
    return tree.xpath(expr, namespaces=NS, **variables)  # type: ignore[return-value]


def xid(el: etree._Element) -> str | None:
    return el.get(f"{{{XML_NS}}}id")


def register_ids(tree: etree._ElementTree, element: str) -> list[str]:
    """The xml:ids of the register entries named ``element`` (person, org …)."""
    return [xid(e) for e in xpath(tree, f"//tei:standOff//tei:{element}[@xml:id]")]


def mentions_of(tree: etree._ElementTree, ident: str) -> list[etree._Element]:
    """Elements in the text whose @ref has the token ``#ident``."""
    return [el for el in xpath(tree, f"//*[@ref][{IN_TEXT}]")
            if f"#{ident}" in el.get("ref", "").split()]

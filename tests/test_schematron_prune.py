"""Which patterns of a big Schematron a document needs (issue 16): the names a
rule context certainly needs, read from its steps, its parenthesised head and
the ``and`` terms of its predicates; a pattern left out never changes a report."""

from __future__ import annotations

from pathlib import Path

import pytest

from tei_tools import xmlio
from tei_tools.saxon import SaxonSession
from tei_tools.validation import schematron as engine
from tei_tools.validation.locate import SourceText
from tei_tools.validation.schematron_prune import document_names, relevant_patterns

TEI = "http://www.tei-c.org/ns/1.0"

CONTEXTS = {
    "GROUP": "( tei:a | tei:b )/tei:c",
    "GROUP-PRED": "( tei:a[@x] | tei:b )/tei:c",  # @x is inside the group: not needed
    "AND": "tei:d[@m and @n]",
    "AND-NOT": "tei:d[@m and not( @n )]",
    "OR": "tei:d[@m or @n]",
    "EQ": "tei:e[ @type eq 'x']",
    "PATHS": "tei:e[tei:f and tei:g[@h]]",
    "UNION": "tei:e[tei:f | tei:g]",
    "NOT": "tei:e[not(tei:f)]",
    "NE-OR": "tei:e[@k != 'y' or @j]",
    "PARENT": "tei:e[parent::tei:q]",
    "QUOTED": "tei:e[@w = 'a and b']",
    "DEEP": "tei:e[ancestor::tei:r/@s]",
}
"""Report code → the context of its rule (the report's test: ``true()``)."""

TESTS = {
    "R-AND": ("tei:u", "report", "@a and @b"),
    "R-OR": ("tei:u", "report", "(@c or tei:h) and not(@z)"),
    "R-ANCESTOR": ("tei:v", "report", "ancestor::tei:q"),
    "A-ANCESTOR": ("tei:w", "assert", "not(ancestor::tei:q)"),
    "A-COUNT": ("tei:y", "assert", "count(ancestor::tei:q) = 0"),
    # raises an error on b="x" where @a is (reported as such, pruned or whole)
    "R-ERROR": ("tei:k", "report", "xs:integer(@b) gt 1 and @a"),
}
"""Code → the context, kind and test of a check (its own pattern)."""

FILLER = 12  # patterns enough for the schema to be pruned (more than PRUNE_MIN)


def _schema(folder: Path) -> Path:
    rules = {code: (context, "report", "true()") for code, context in CONTEXTS.items()}
    patterns = [f'<pattern><rule context="{context}"><{kind} test="{test}" id="{code}">'
                f'{code} on <name/></{kind}></rule></pattern>'
                for code, (context, kind, test) in {**rules, **TESTS}.items()]
    patterns += [f'<pattern><rule context="tei:z{i}"><report test="true()" id="Z{i}">z</report>'
                 '</rule></pattern>' for i in range(FILLER)]
    path = folder / "prune.sch"
    path.write_text(f'<schema xmlns="http://purl.oclc.org/dsdl/schematron" queryBinding="xslt2">'
                    f'<ns prefix="tei" uri="{TEI}"/>{"".join(patterns)}</schema>',
                    encoding="utf-8")
    return path


DOCUMENTS = {
    "<b><c/></b>": {"GROUP", "GROUP-PRED"},
    "<a><c/></a><d m='1'/>": {"GROUP", "AND-NOT", "OR"},
    "<d m='1' n='2'/><d n='3'/>": {"AND", "OR"},
    "<e type='x'><f/><g h='1'/></e>": {"EQ", "PATHS", "UNION"},
    "<e type='y'/><q><e k='z'/></q>": {"NOT", "NE-OR", "PARENT"},
    "<e w='a and b'/><r s='1'><e/></r>": {"NOT", "QUOTED", "DEEP"},
    "<e j='1'><g/></e>": {"UNION", "NOT", "NE-OR"},
    "<u a='1'/><u b='1' c='1'/>": {"R-OR"},
    "<u a='1' b='1' z='1'><h/></u>": {"R-AND"},
    "<u><h/></u><q/><v/>": {"R-OR"},
    "<q><v/><w/></q>": {"R-ANCESTOR", "A-ANCESTOR"},
    "<w/><q/>": set(),
    "<y/><q><y/></q>": {"A-COUNT"},
    "<k b='x'/>": set(),  # Saxon reads @a first: no error
    "<k b='x' a='1'/>": {"R-ERROR"},
    "<k b='2' a='1'/><k b='1' a='1'/>": {"R-ERROR"},
}
"""The body of a document → the codes that fire on it."""


def _document(body: str) -> bytes:
    return (f'<TEI xmlns="{TEI}"><teiHeader/><text><body>{body}</body></text></TEI>'
            ).encode()


def _check(compiled: engine.CompiledSchematron, data: bytes,
           saxon: SaxonSession) -> list[tuple[str, int | None, int | None, str]]:
    tree = xmlio.parse_bytes(data, "doc.xml")
    return [(d.code, d.line, d.column, d.message)
            for d in engine.check(compiled, tree, SourceText(data, tree), "doc.xml", saxon=saxon)]


@pytest.fixture(scope="module")
def schema(tmp_path_factory: pytest.TempPathFactory) -> engine.CompiledSchematron:
    compiled = engine.load_schematron(_schema(tmp_path_factory.mktemp("prune")))
    assert compiled.prunes
    return compiled


def test_each_document_gets_only_the_patterns_whose_names_it_has(
        schema: engine.CompiledSchematron) -> None:
    codes = [*CONTEXTS, *TESTS]
    for body, fires in DOCUMENTS.items():
        tree = xmlio.parse_bytes(_document(body), "doc.xml")
        kept = {codes[i] for i in relevant_patterns(schema.schema, document_names(tree))
                if i < len(codes)}
        assert fires <= kept, body  # never a pattern that fires
        assert "AND" not in kept or "n" in body, body  # @m and @n: both needed
        assert "PATHS" not in kept or "h=" in body, body  # tei:g[@h] needed
        assert "EQ" not in kept or "type=" in body, body
        assert "GROUP" not in kept or "<c" in body, body  # the step after the group
        assert "PARENT" not in kept or "<q" in body, body
        assert "DEEP" not in kept or "s=" in body, body
        assert "R-AND" not in kept or ("a=" in body and "b=" in body), body
        assert "R-OR" not in kept or "c=" in body or "<h" in body, body
        assert "R-ANCESTOR" not in kept or "<q" in body, body
        assert "A-ANCESTOR" not in kept or "<w" in body, body


@pytest.mark.parametrize(("body", "asked"), [
    ("<q/><v/>", False),  # the names allow ancestor::tei:q; the probe (lxml) says no
    ("<q><v/></q>", True),
    ("<q/><w/>", False),  # the assert's test, a plain path, holds: it cannot fire
    ("<q><w/></q>", True),
    ("<y/>", False),  # count(…) = 0 holds: decided in lxml (schematron_exact)
    ("<q><y/></q>", True),
    ("<k b='x' a='1'/>", True),  # xs:integer(…): not decided in lxml, Saxon is asked
])
def test_saxon_is_asked_only_when_a_pattern_left_can_fire(
        schema: engine.CompiledSchematron, body: str, asked: bool) -> None:
    tree = xmlio.parse_bytes(_document(body), "doc.xml")
    assert (schema.for_document(tree, saxon=SaxonSession()) is not None) is asked


def test_pruned_and_whole_report_the_same_and_what_the_contexts_say(
        schema: engine.CompiledSchematron) -> None:
    whole = engine.CompiledSchematron(schema.path, schema.schema, prune=False)
    grown, plain = SaxonSession(), SaxonSession()  # in ``grown`` the set grows
    for body, fires in DOCUMENTS.items():
        data = _document(body)
        expected = _check(whole, data, plain)
        assert {code for code, *_ in expected} == fires, body
        assert _check(schema, data, grown) == expected, body
        assert _check(schema, data, SaxonSession()) == expected, body

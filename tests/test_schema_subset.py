"""The project's schema is a strict subset of TEI P5 (tei_all.rng).

Three proofs: (1) structurally, every element the customisation defines exists
in tei_all, every parent → child edge and every attribute it allows is allowed
there too, and its closed value lists stay inside tei_all's closed lists;
(2) by example, every document of ours that the customisation accepts (the
edition and every valid fixture) is valid against tei_all as well; (3) by
construction, random documents drawn from our grammar (all 119 elements, order
and cardinality included) are valid against tei_all."""

from __future__ import annotations

from pathlib import Path

import pytest

from tei_tools import xmlio
from tei_tools.validation import load_relaxng, project_schema, validate
from tei_tools.validation.compiled import read_schema

from conftest import EDITION, REPO, TEI_ALL_RNG, mini_variant
from grammar_summary import Grammar, attribute_display, display_name

FIXTURES = REPO / "tests" / "fixtures"


@pytest.fixture(scope="module")
def grammars():
    ours = Grammar(read_schema(project_schema(), "schema"))
    tei = Grammar(read_schema(TEI_ALL_RNG, "schema"))
    return ours, tei


def test_every_element_exists_in_tei(grammars) -> None:
    ours, tei = grammars
    missing = sorted(display_name(n) for n in ours.elements if n not in tei.elements)
    assert missing == []
    assert all(n.startswith(f"{{{xmlio.TEI_NS}}}") for n in ours.elements)


def test_every_child_edge_is_allowed_by_tei(grammars) -> None:
    ours, tei = grammars
    extra = {display_name(n): sorted(display_name(c) for c in info.children - tei.elements[n].children)
             for n, info in ours.elements.items()}
    assert {k: v for k, v in extra.items() if v} == {}


def test_every_attribute_is_allowed_by_tei(grammars) -> None:
    ours, tei = grammars
    extra = {display_name(n): sorted(attribute_display(a) for a in set(info.attributes)
                                     - set(tei.elements[n].attributes))
             for n, info in ours.elements.items()}
    assert {k: v for k, v in extra.items() if v} == {}


def test_closed_values_stay_inside_teis_closed_lists(grammars) -> None:
    ours, tei = grammars
    outside = {}
    for n, info in ours.elements.items():
        for a, mine in info.attributes.items():
            theirs = tei.elements[n].attributes[a]
            enumerated = theirs.values and not theirs.free and not theirs.datatypes
            if enumerated and (mine.free or mine.datatypes or not mine.values <= theirs.values):
                outside[f"{display_name(n)}/@{attribute_display(a)}"] = sorted(mine.values - theirs.values)
    assert outside == {}


def our_valid_documents() -> list[Path]:
    candidates = sorted(FIXTURES.rglob("*.xml"))
    if EDITION.exists():
        candidates.insert(0, EDITION)
    report = validate(candidates, schematron=False, jobs=1)
    return [Path(f.path) for f in report.files if f.ok]


def test_our_valid_documents_are_valid_tei() -> None:
    documents = our_valid_documents()
    assert EDITION in documents, "the edition must be valid against the project schema"
    assert FIXTURES / "edition-mini.xml" in documents
    assert len(documents) >= 20
    report = validate(documents, schema=TEI_ALL_RNG, jobs=1)
    assert report.ok, [d.format() for d in report.diagnostics()]


ELEMENT_TYPOS = [
    ('<persName ref="#per-chen-wenliang">陈文亮</persName>',
     '<persname ref="#per-chen-wenliang">陈文亮</persname>'),
    ("<head>目录</head>", "<heading>目录</heading>"),
]


@pytest.mark.parametrize("anchor, typo", ELEMENT_TYPOS)
def test_an_element_typo_is_rejected_by_both(anchor: str, typo: str, tmp_path: Path) -> None:
    # (A typo in a value of ours, <div type="iten">, is caught by our closed
    # lists only: tei_all leaves div/@type open; see test_schema_rng.py.)
    path, _ = mini_variant(tmp_path, anchor, typo, "typo.xml")
    assert not validate([path], schematron=False, jobs=1).ok
    assert not validate([path], schema=TEI_ALL_RNG, jobs=1).ok


# -- (3) by construction: random documents drawn from our grammar ----------------
RNG = "{http://relaxng.org/ns/structure/1.0}"
SAMPLES = {"ID": None, "anyURI": "#x", "date": "2006-07-01", "gYearMonth": "2006-07",
           "gYear": "2006", "language": "zh-Hans", "decimal": "3", "nonNegativeInteger": "1"}


class Sampler:
    """Draws random documents from a RELAX NG grammar (XML syntax, as the ODD processor writes it):
    a random branch of each choice, 0–2 repetitions, optional parts at random; past a
    depth, nothing optional and the most element-free branch of a choice."""

    def __init__(self, grammar_path: Path, seed: int) -> None:
        import random

        from lxml import etree

        self.etree = etree
        self.random = random.Random(seed)
        root = etree.parse(str(grammar_path)).getroot()
        self.defines = {d.get("name"): d for d in root.iter(f"{RNG}define")}
        self.start = root.find(f"{RNG}start")
        self.ids = 0

    def document(self):
        holder = self.etree.Element("holder")
        self._pattern(self.start, holder, 0)
        return holder[0]

    def _children(self, node):
        # RELAX NG patterns only (the ODD processor annotates with a:documentation)
        return [c for c in node if isinstance(c.tag, str) and c.tag.startswith(RNG)]

    def _has_element(self, node, seen=frozenset()) -> bool:
        if node.tag == f"{RNG}element":
            return True
        if node.tag == f"{RNG}ref":
            name = node.get("name")
            return name not in seen and self._has_element(self.defines[name], seen | {name})
        return any(self._has_element(c, seen) for c in self._children(node))

    def _pattern(self, node, parent, depth: int) -> None:
        tag = node.tag[len(RNG):]
        deep = depth > 9
        if tag in ("start", "define", "group"):
            for child in self._children(node):
                self._pattern(child, parent, depth)
        elif tag == "ref":
            self._pattern(self.defines[node.get("name")], parent, depth)
        elif tag == "element":
            ns = "http://www.tei-c.org/ns/1.0"
            el = self.etree.SubElement(parent, f"{{{ns}}}{node.get('name')}")
            for child in self._children(node):
                self._pattern(child, el, depth + 1)
        elif tag == "attribute":
            name = node.get("name")
            if name.startswith("xml:"):
                name = "{http://www.w3.org/XML/1998/namespace}" + name[4:]
            parent.set(name, self._value(node))
        elif tag == "choice":
            branches = self._children(node)
            if deep:
                plain = [b for b in branches if not self._has_element(b)]
                branches = plain or branches
            self._pattern(self.random.choice(branches), parent, depth)
        elif tag in ("optional", "zeroOrMore", "oneOrMore"):
            low = 1 if tag == "oneOrMore" else 0
            high = low if deep else (1 if tag == "optional" else 2)
            for _ in range(self.random.randint(low, high)):
                for child in self._children(node):
                    self._pattern(child, parent, depth)
        elif tag == "text":
            if len(parent):
                parent[-1].tail = (parent[-1].tail or "") + "文"
            else:
                parent.text = (parent.text or "") + "文"
        elif tag == "empty":
            pass
        else:
            raise AssertionError(f"pattern <{tag}> not handled by the sampler")

    def _value(self, attribute) -> str:
        children = self._children(attribute)
        if not children:
            return "x"
        return self._value_of(children[0])

    def _value_of(self, node) -> str:
        tag = node.tag[len(RNG):]
        if tag == "value":
            return node.text or ""
        if tag == "data":
            kind = node.get("type")
            if kind == "ID":
                self.ids += 1
                return f"id{self.ids}"
            return SAMPLES[kind]
        if tag == "text":
            return "x"
        if tag == "choice":
            return self._value_of(self.random.choice(self._children(node)))
        if tag == "ref":
            return self._value_of(self._children(self.defines[node.get("name")])[0])
        if tag == "list":
            return " ".join(self._value_of(c) for c in self._children(node)[0]
                            if isinstance(c.tag, str)) if self._children(node)[0].tag.endswith(
                                "oneOrMore") else self._value_of(self._children(node)[0])
        raise AssertionError(f"value pattern <{tag}> not handled by the sampler")


def test_random_documents_of_our_grammar_are_valid_tei() -> None:
    # Order and cardinality too: every document our grammar generates must be
    # valid against tei_all. Sampled with a fixed seed, so the test is stable.
    from lxml import etree

    ours = load_relaxng(project_schema())
    tei = load_relaxng(TEI_ALL_RNG)
    sampler = Sampler(project_schema(), seed=20070701)
    seen_elements: set[str] = set()
    for i in range(150):
        root = sampler.document()
        tree = etree.ElementTree(root)
        assert ours.is_valid(tree), "sampler bug"
        seen_elements |= {el.tag for el in root.iter()}
        assert tei.is_valid(tree), (
            f"sample {i} is valid against tei-taijiang but not tei_all:\n"
            + etree.tostring(root, encoding="unicode")[:3000])
    assert len(seen_elements) >= 100  # the samples cover the grammar

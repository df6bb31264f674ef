"""`tei-tools export network`: co-occurrence graphs for Gephi and networkx (issue 6).

The expected graph is computed here with lxml from the definition in
docs/queries.md: at item level, registered people, organisations and places
referenced (@ref) in the same div[@type='item']; at paragraph level, in the
same p (the edition's mentions outside p — headings, contents entries — sit
in their own block).
"""

from __future__ import annotations

import io
import json
from collections import Counter
from itertools import combinations

import networkx as nx
import pytest
from lxml import etree

from tei_tools import xmlio

from query_support import CORPUS_FILES, IN_TEXT, MINI, NO_REGISTER, NS, csv_rows, ok, parse_file, xid, xpath

GRAPHML = "http://graphml.graphdrawing.org/xmlns"
BLOCKS = ("p", "ab", "head", "l", "item", "cell", "note", "quote", "bibl", "label",
          "docTitle", "byline", "dateline", "salute", "signed", "trailer", "argument",
          "epigraph")


def _registered(tree: etree._ElementTree) -> dict[str, str]:
    return {xid(e): etree.QName(e).localname
            for e in xpath(tree, "//tei:standOff//*[self::tei:person or self::tei:org "
                                 "or self::tei:place][@xml:id]")}


def _unit_paragraph(el: etree._Element) -> etree._Element | None:
    p = el.xpath("ancestor-or-self::*[self::tei:p or self::tei:ab][1]", namespaces=NS)
    if p:
        return p[0]
    test = " or ".join(f"self::tei:{b}" for b in BLOCKS)
    block = el.xpath(f"ancestor-or-self::*[{test}][1]", namespaces=NS)
    return block[0] if block else None


def _unit_item(el: etree._Element) -> etree._Element | None:
    found = el.xpath("ancestor::tei:div[@type='item'][1]", namespaces=NS)
    return found[0] if found else None


def expected_graph(tree: etree._ElementTree, unit_of) -> tuple[set[str], Counter]:
    registered = _registered(tree)
    units: dict[etree._Element, set[str]] = {}
    for el in xpath(tree, f"//*[@ref][{IN_TEXT}]"):
        idents = [t[1:] for t in el.get("ref").split() if t[1:] in registered]
        unit = unit_of(el)
        if idents and unit is not None:
            units.setdefault(unit, set()).update(idents)
    nodes = set().union(*units.values()) if units else set()
    weights: Counter = Counter()
    for members in units.values():
        for a, b in combinations(sorted(members), 2):
            weights[(a, b)] += 1
    return nodes, weights


@pytest.mark.parametrize(("level", "unit_of"), [("item", _unit_item),
                                                ("paragraph", _unit_paragraph)])
def test_graphml_loads_in_networkx_with_the_expected_graph(edition, level, unit_of) -> None:
    out = ok("export", "network", "--level", level)
    graph = nx.read_graphml(io.BytesIO(out.encode("utf-8")))
    nodes, weights = expected_graph(edition, unit_of)
    assert set(graph.nodes) == nodes and len(nodes) > 5
    assert graph.number_of_edges() == len(weights)
    for (a, b), w in weights.items():
        assert graph.edges[a, b]["weight"] == w
    names = {xid(p): p.findtext("tei:persName[@xml:lang='zh-Hans']", namespaces=NS)
             for p in xpath(edition, "//tei:standOff//tei:person")}
    for node, data in graph.nodes(data=True):
        assert data["type"] in ("person", "org", "place")
        if data["type"] == "person":
            assert data["label"] == names[node]


def test_graphml_is_standard_graphml(edition) -> None:
    out = ok("export", "network")
    root = xmlio.parse_bytes(out.encode("utf-8"), "net.graphml").getroot()
    assert root.tag == f"{{{GRAPHML}}}graphml"
    keys = {k.get("id"): (k.get("for"), k.get("attr.type"))
            for k in root.findall(f"{{{GRAPHML}}}key")}
    assert keys["weight"] == ("edge", "double") and keys["label"] == ("node", "string")
    graph = root.find(f"{{{GRAPHML}}}graph")
    assert graph.get("edgedefault") == "undirected"
    used = {d.get("key") for d in root.iter(f"{{{GRAPHML}}}data")}
    assert used <= set(keys)


def test_mini_network_counts() -> None:
    graph = nx.read_graphml(io.BytesIO(ok("export", "network", MINI).encode("utf-8")))
    nodes, weights = expected_graph(parse_file(MINI), _unit_paragraph)
    assert set(graph.nodes) == nodes
    assert {tuple(sorted(e)) for e in graph.edges} == set(weights)


def test_json_is_networkx_node_link_data(edition) -> None:
    data = json.loads(ok("export", "network", "--format", "json", "--level", "item"))
    graph = nx.node_link_graph(data, edges="edges")
    nodes, weights = expected_graph(edition, _unit_item)
    assert set(graph.nodes) == nodes and graph.number_of_edges() == len(weights)


def test_csv_edges_and_nodes_round_trip(edition) -> None:
    edges = csv_rows(ok("export", "network", "--format", "csv", "--level", "item"))
    nodes = csv_rows(ok("export", "network", "--format", "csv", "--table", "nodes",
                        "--level", "item"))
    expected_nodes, weights = expected_graph(edition, _unit_item)
    assert {(e["Source"], e["Target"]): int(e["Weight"]) for e in edges} == dict(weights)
    assert {n["Id"] for n in nodes} == expected_nodes
    labels = {n["Id"]: n["Label"] for n in nodes}
    for e in edges:
        assert e["source_label"] == labels[e["Source"]] and e["Type"] == "Undirected"
    assert any("\u4e00" <= ch <= "\u9fff" for n in nodes for ch in n["Label"])


def test_names_without_register_become_nodes() -> None:
    graph = nx.read_graphml(io.BytesIO(ok("export", "network", NO_REGISTER).encode("utf-8")))
    labels = {d["label"] for _, d in graph.nodes(data=True)}
    assert {"Ada", "Charles Babbage", "London", "Mary Somerville", "Royal Society"} <= labels
    ada = next(n for n, d in graph.nodes(data=True) if d["label"] == "Ada")
    assert graph.has_edge(ada, next(n for n, d in graph.nodes(data=True)
                                    if d["label"] == "Charles Babbage"))


def test_output_option_writes_a_file(tmp_path) -> None:
    target = tmp_path / "net.graphml"
    assert ok("export", "network", MINI, "-o", target) == ""
    assert nx.read_graphml(target).number_of_nodes() == len(
        expected_graph(parse_file(MINI), _unit_paragraph)[0])


@pytest.mark.parametrize("path", CORPUS_FILES, ids=lambda p: p.name)
def test_network_runs_on_every_corpus_file(path) -> None:
    for level in ("paragraph", "item"):
        graph = nx.read_graphml(io.BytesIO(ok("export", "network", path, "--level", level)
                                           .encode("utf-8")))
        assert all(w >= 1 for _, _, w in graph.edges(data="weight"))
    json.loads(ok("export", "network", path, "--format", "json"))
    csv_rows(ok("export", "network", path, "--format", "csv"))

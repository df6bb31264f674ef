"""Co-occurrence network of people, organisations and places.

Two entities are linked when both are mentioned in the same unit — a
paragraph or an item (the core's ``tt:paragraph-of`` and ``tt:item-of``; at item level, a
document that has ``div[@type='item']`` counts those only, so the preface
and the table of contents are no units); the weight is the
number of units they share (several mentions in one unit count once). Nodes
carry the register's attributes (type, label, pinyin, mentions). Written as
GraphML (the standard namespace and ``key`` declarations: Gephi, networkx,
yEd), as networkx's node-link JSON, or as CSV tables (edges or nodes).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import combinations
from typing import Literal

from lxml import etree

from tei_tools.query.documents import Document, iter_elements
from tei_tools.query.registers import Mention, entities, find_mentions

Level = Literal["paragraph", "item"]
NETWORK_TYPES = ("person", "org", "place")
GRAPHML_NS = "http://graphml.graphdrawing.org/xmlns"
_NODE_KEYS = (("label", "string"), ("type", "string"), ("pinyin", "string"),
              ("mentions", "int"), ("file", "string"))


@dataclass(frozen=True, slots=True)
class NetworkNode:
    id: str
    label: str
    type: str
    pinyin: str
    mentions: int
    file: str


@dataclass(frozen=True, slots=True)
class Edge:
    source: str
    target: str
    weight: int


@dataclass(frozen=True, slots=True)
class Network:
    level: Level
    nodes: list[NetworkNode]
    edges: list[Edge]


def _node_id(doc: Document, several: bool, key: str) -> str:
    return f"{doc.path.name}#{key}" if several else key


def _unit_key(m: Mention, level: Level, items_typed: bool) -> str | None:
    """The unit a mention counts in: its paragraph, or its item (the edition's
    ``div[@type='item']`` only when the document has them)."""
    if level == "paragraph":
        return m.where.paragraph_path
    if items_typed and m.where.item_type != "item":
        return None
    return m.where.item_path


def network(docs: Sequence[Document], level: Level = "paragraph") -> Network:
    """The weighted co-occurrence network of the documents' people, orgs and places."""
    several = len(docs) > 1
    nodes: dict[str, NetworkNode] = {}
    weights: Counter[tuple[str, str]] = Counter()
    for doc in docs:
        items_typed = any(d.get("type") == "item" for d in iter_elements(doc.root, "div"))
        rows = {(r.id or f"text:{r.type}:{r.name}"): r
                for r in entities(doc, NETWORK_TYPES)}
        units: dict[str, set[str]] = {}
        for m in find_mentions(doc):
            if m.type not in NETWORK_TYPES:
                continue
            unit = _unit_key(m, level, items_typed)
            if unit is None:
                continue
            node_id = _node_id(doc, several, m.key)
            units.setdefault(unit, set()).add(node_id)
            if node_id not in nodes:
                row = rows[m.key]
                nodes[node_id] = NetworkNode(node_id, row.name, row.type, row.pinyin or "",
                                             row.mentions, doc.name)
        for members in units.values():
            for a, b in combinations(sorted(members), 2):
                weights[(a, b)] += 1
    edges = [Edge(a, b, w) for (a, b), w in sorted(weights.items())]
    return Network(level, list(nodes.values()), edges)


def to_graphml(net: Network) -> str:
    g = f"{{{GRAPHML_NS}}}"
    root = etree.Element(f"{g}graphml", nsmap={None: GRAPHML_NS})
    for name, kind in _NODE_KEYS:
        etree.SubElement(root, f"{g}key", {"id": name, "for": "node", "attr.name": name,
                                           "attr.type": kind})
    etree.SubElement(root, f"{g}key", {"id": "weight", "for": "edge", "attr.name": "weight",
                                       "attr.type": "double"})
    graph = etree.SubElement(root, f"{g}graph", id=f"co-occurrence-{net.level}",
                             edgedefault="undirected")
    for node in net.nodes:
        el = etree.SubElement(graph, f"{g}node", id=node.id)
        for name, _ in _NODE_KEYS:
            etree.SubElement(el, f"{g}data", key=name).text = str(getattr(node, name))
    for i, edge in enumerate(net.edges, 1):
        el = etree.SubElement(graph, f"{g}edge", id=f"e{i}", source=edge.source,
                              target=edge.target)
        etree.SubElement(el, f"{g}data", key="weight").text = str(edge.weight)
    return etree.tostring(root, encoding="unicode", pretty_print=True,
                          doctype='<?xml version="1.0" encoding="UTF-8"?>')


def to_json(net: Network) -> dict[str, object]:
    """networkx node-link data: ``nx.node_link_graph(data, edges="edges")``."""
    return {"directed": False, "multigraph": False,
            "graph": {"name": f"co-occurrence by {net.level}", "level": net.level},
            "nodes": [{"id": n.id, "label": n.label, "type": n.type, "pinyin": n.pinyin,
                       "mentions": n.mentions, "file": n.file} for n in net.nodes],
            "edges": [{"source": e.source, "target": e.target, "weight": e.weight}
                      for e in net.edges]}


def edge_rows(net: Network) -> list[dict[str, object]]:
    """Gephi's edge table: Source, Target, Weight, Type and the two labels."""
    labels = {n.id: n.label for n in net.nodes}
    return [{"Source": e.source, "Target": e.target, "Weight": e.weight, "Type": "Undirected",
             "source_label": labels[e.source], "target_label": labels[e.target]}
            for e in net.edges]


def node_rows(net: Network) -> list[dict[str, object]]:
    """Gephi's node table: Id, Label and the register's attributes."""
    return [{"Id": n.id, "Label": n.label, "type": n.type, "pinyin": n.pinyin,
             "mentions": n.mentions, "file": n.file} for n in net.nodes]

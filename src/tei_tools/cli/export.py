"""CLI for ``tei-tools export network``, ``export timeline`` and ``export record``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

import click

from tei_tools.cli.output import OUTPUT, PATHS, emit
from tei_tools.query.results import write_csv

if TYPE_CHECKING:  # the query modules themselves are imported when a command runs
    from tei_tools.query.network import Level
    from tei_tools.query.timeline import Scope


@click.group("export")
def export() -> None:
    """Export data for other tools: a co-occurrence network, a timeline, a catalogue record."""


@export.command("network")
@PATHS
@click.option("--level", type=click.Choice(["paragraph", "item"]), default="paragraph",
              show_default=True, help="Unit of co-occurrence.")
@click.option("--format", "fmt", type=click.Choice(["graphml", "csv", "json"]),
              default="graphml", show_default=True, help="Output format.")
@click.option("--table", type=click.Choice(["edges", "nodes"]), default="edges",
              show_default=True, help="csv format: the edge table or the node table.")
@OUTPUT
def network(paths: tuple[Path, ...], level: Level, fmt: str, table: str,
            output: Path | None) -> None:
    """Co-occurrence of people, organisations and places (weighted).

    Two entities are linked when both are mentioned in the same paragraph (or
    item); the weight is the number of units they share. Node attributes
    come from the registers (label, type, pinyin, mentions).

    \b
    graphml  GraphML for Gephi, networkx (nx.read_graphml), yEd
    json     networkx node-link data: nx.node_link_graph(data, edges="edges")
    csv      Gephi spreadsheet import: edges (Source,Target,Weight,Type,labels)
             or, with --table nodes, nodes (Id,Label,type,pinyin,mentions,file)
    """
    from tei_tools.query import load_all
    from tei_tools.query import network as net

    graph = net.network(load_all(paths), level)
    if fmt == "graphml":
        emit(net.to_graphml(graph), output)
    elif fmt == "json":
        emit(json.dumps(net.to_json(graph), ensure_ascii=False, indent=2) + "\n", output)
    else:
        rows = net.edge_rows(graph) if table == "edges" else net.node_rows(graph)
        header = (["Source", "Target", "Weight", "Type", "source_label", "target_label"]
                  if table == "edges" else ["Id", "Label", "type", "pinyin", "mentions", "file"])
        emit(write_csv(rows, header), output)


@export.command("timeline")
@PATHS
@click.option("--format", "fmt", type=click.Choice(["csv", "json"]), default="csv",
              show_default=True, help="Output format.")
@click.option("--scope", type=click.Choice(["text", "all"]), default="text", show_default=True,
              help="text: dates in tei:text; all: also the header and standOff.")
@OUTPUT
def timeline(paths: tuple[Path, ...], fmt: str, scope: Scope, output: Path | None) -> None:
    """Every dated expression (date, docDate, origDate, time) with its ISO value.

    Columns: file, line, element, text, iso (@when, else start/end), start,
    end, when, from, to, notBefore, notAfter, cert, context (surrounding
    text), item and paragraph (xml:ids), part (text, teiHeader, standOff).
    """
    from tei_tools.query import load_all
    from tei_tools.query.timeline import COLUMNS, dated_expressions

    rows = [d.to_dict() for doc in load_all(paths)
            for d in dated_expressions(doc, scope)]
    if fmt == "json":
        emit(json.dumps(rows, ensure_ascii=False, indent=2) + "\n", output)
    else:
        emit(write_csv(rows, COLUMNS), output)


@export.command("record")
@click.argument("path", required=False, type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["marcxml", "mods", "dc"]), default="marcxml",
              show_default=True, help="Record format.")
@OUTPUT
def record(path: Path | None, fmt: str, output: Path | None) -> None:
    """The catalogue record of a TEI document (default: the edition), from its header.

    \b
    marcxml  MARC 21 in MARCXML (a collection of one record)
    mods     MODS 3.8
    dc       OAI Dublin Core (oai_dc:dc, the OAI-PMH default format)

    `tei-tools build` writes all three into dist/records/.
    """
    from tei_tools import paths
    from tei_tools.records import record as make_record

    rec = make_record(path if path is not None else paths.edition_file(), fmt)
    emit(rec.data.decode("utf-8"), output)


COMMANDS: list[click.Command] = [export]

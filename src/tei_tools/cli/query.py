"""CLI for ``tei-tools query``, ``tei-tools entities`` and ``tei-tools stats``.

Thin: options → :mod:`tei_tools.query` → text on stdout, always UTF-8
(whatever the locale), Chinese never escaped.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import click

from tei_tools.cli.output import OUTPUT, PATHS, emit, jobs_option, scheduler_option, table
from tei_tools.errors import UsageError
from tei_tools.query.results import write_csv

if TYPE_CHECKING:  # the query modules themselves are imported when a command runs
    from tei_tools.query.engine import Language


@click.command("query")
@click.argument("expression", required=False)
@PATHS
@click.option("--xquery", "xquery", is_flag=True,
              help="EXPRESSION is an XQuery 3.1 query (default: XPath 3.1).")
@click.option("-f", "--file", "query_file", type=click.Path(exists=True, dir_okay=False,
                                                            path_type=Path),
              help="Read an XQuery 3.1 query from this file (EXPRESSION is then a PATH).")
@click.option("--ns", "namespaces", multiple=True, metavar="PREFIX=URI",
              help="Bind a namespace prefix (tei and xml are bound already).")
@click.option("--var", "variables", multiple=True, metavar="NAME=VALUE",
              help="Set an external variable $NAME (as xs:untypedAtomic).")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "csv", "xml"]),
              default="text", show_default=True, help="Output format.")
@click.option("--xml", "as_xml", is_flag=True, help="text format: print nodes as XML.")
@click.option("--locate", is_flag=True, help="text format: start each node with file:line.")
@OUTPUT
@jobs_option()
@scheduler_option("Query")
def query(expression: str | None, paths: tuple[Path, ...], xquery: bool,
          query_file: Path | None, namespaces: tuple[str, ...], variables: tuple[str, ...],
          fmt: str, as_xml: bool, locate: bool, output: Path | None, jobs: int | None,
          scheduler: str | None) -> None:
    """Evaluate an XPath 3.1 expression (or XQuery 3.1) on TEI files.

    With no PATH, on the edition. Each document is evaluated on its own, the
    document node as context item; results are tagged by file when there are
    several. Examples:

    \b
      tei-tools query "//tei:persName[@ref='#per-chen-wenliang']/ancestor::tei:p/@xml:id"
      tei-tools query --xquery 'for $p in //tei:person return map{"id": string($p/@xml:id)}' --format csv
      tei-tools query -f who.xq --var id=per-chen-wenliang
    """
    from tei_tools.query import engine, resolve_paths, results
    from tei_tools.query.corpus import evaluate_files

    language: Language
    if query_file is not None:
        if expression is not None:
            paths = (Path(expression), *paths)
        try:
            text = query_file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise UsageError(f"{query_file}: error: cannot read the query ({exc})") from None
        language, name = "xquery", str(query_file)
    elif expression is None:
        raise UsageError("error: give an EXPRESSION or -f FILE.xq (see tei-tools query --help)")
    else:
        text, name = expression, "query"
        language = "xquery" if xquery else "xpath"
    result = evaluate_files(text, resolve_paths(paths), language=language,
                            namespaces=engine.parse_bindings(namespaces, "--ns"),
                            variables=engine.parse_bindings(variables, "--var"),
                            query_name=name, as_xml=as_xml or fmt == "xml", jobs=jobs,
                            scheduler=scheduler)
    per_doc = [(d.file, d.items) for d in result.documents]
    if fmt == "json":
        out = results.to_json(per_doc)
    elif fmt == "csv":
        out = results.to_csv(per_doc)
    elif fmt == "xml":
        out = results.to_xml(per_doc)
    else:
        out = results.to_text(per_doc, locate=locate, xml=as_xml)
    emit(out, output)


def _joined(values: Sequence[str]) -> str:
    return " ".join(values)


@click.command("entities")
@PATHS
@click.option("--type", "type_", type=click.Choice(["person", "org", "place", "date", "work",
                                                     "event"]),
              help="Only this type (default: all).")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table",
              show_default=True, help="Output format.")
@OUTPUT
def entities(paths: tuple[Path, ...], type_: str | None, fmt: str,
             output: Path | None) -> None:
    """List the registers: people, organisations, places, events, works, dates.

    For each: id, name, pinyin, roles, number of mentions in the text, the
    items and paragraphs (xml:ids) that mention it, and the first context.
    Documents without registers list their names (by @ref, @key or text).
    In CSV, items, paragraphs and roles are separated by spaces, " | " for roles.
    """
    from tei_tools.query import load_all
    from tei_tools.query.registers import entities as find_entities

    docs = load_all(paths)
    rows = [row for doc in docs for row in find_entities(doc, [type_] if type_ else None)]
    if fmt == "json":
        emit(json.dumps([r.to_dict() for r in rows], ensure_ascii=False, indent=2) + "\n",
             output)
        return
    records = [{"file": r.file, "type": r.type, "id": r.id or "", "name": r.name,
                "pinyin": r.pinyin or "", "roles": " | ".join(r.roles),
                "mentions": r.mentions, "items": _joined(r.items),
                "paragraphs": _joined(r.paragraphs), "context": r.context or "",
                "line": r.line or ""} for r in rows]
    if fmt == "csv":
        emit(write_csv(records, ENTITY_COLUMNS), output)
        return
    header = [c for c in ENTITY_COLUMNS if c not in ("file", "line", "paragraphs")]
    if len(docs) > 1:
        header.insert(0, "file")
    emit(table(header, [[rec[c] for c in header] for rec in records]), output)


ENTITY_COLUMNS = ("file", "type", "id", "name", "pinyin", "roles", "mentions", "items",
                  "paragraphs", "context", "line")


@click.command("stats")
@PATHS
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table",
              show_default=True, help="Output format.")
@OUTPUT
def stats(paths: tuple[Path, ...], fmt: str, output: Path | None) -> None:
    """Count items, paragraphs, characters, pages, entities, interventions, gaps.

    Characters are counted in the reading text of tei:text (corrected,
    notes left out), whitespace excluded.
    """
    from tei_tools.query import load_all
    from tei_tools.query.stats import stats as count

    results = [count(doc) for doc in load_all(paths)]
    if fmt == "json":
        data: object = [s.to_dict() for s in results]
        emit(json.dumps(data, ensure_ascii=False, indent=2) + "\n", output)
        return
    rows = [{"file": s.file, "group": g, "name": n, "count": c}
            for s in results for g, n, c in s.rows()]
    if fmt == "csv":
        emit(write_csv(rows), output)
        return
    header = ["file", "group", "name", "count"] if len(results) > 1 else ["group", "name",
                                                                         "count"]
    emit(table(header, [[r[c] for c in header] for r in rows]), output)


COMMANDS: list[click.Command] = [query, entities, stats]

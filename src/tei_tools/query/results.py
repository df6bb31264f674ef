"""Query results as Python values, and their text, JSON, CSV and XML forms.

A query gives, per document, a list of values: ``int``, ``float``, ``bool``,
``str`` (every other atomic type as its lexical form, e.g. an ``xs:date``),
``dict`` (an XDM map), ``list`` (an XDM array, or a sequence inside a map or
array) and :class:`Node`. The writers below never escape Chinese.

Layouts (documented in ``docs/queries.md``):

* **text**: one item per line; a node as its string value with whitespace
  collapsed (``xml=True``: its XML), a map or array as compact JSON; with
  ``locate`` a node line starts with ``file:line:`` (any other item with
  ``file:``); with several documents every line starts with the file.
* **json**: one document: an array of items; several documents: an array of
  ``{"file": …, "results": [...]}``. A node is an object ``{"file", "line",
  "path", "xml:id", "kind", "name", "text"}``.
* **csv**: one row per item, header = the union of the keys in order of first
  appearance; a map's keys are columns, an array's positions are ``1``, ``2``
  …, a node gives ``file,line,path,xml:id,text``, an atomic value ``value``.
  With several documents the first column is ``file``.
* **xml**: ``<tt:results xmlns:tt="urn:x-tei-tools">`` holding one
  ``<tt:item>`` per item (nodes copied, with ``file``, ``line``, ``path``).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TypeAlias

from lxml import etree

from tei_tools import xmlio
from tei_tools.saxon import SaxonSession

TT_NS = "urn:x-tei-tools"
_SERIALIZE = """declare variable $node external;
serialize($node, map{'method': 'xml', 'indent': false(), 'omit-xml-declaration': true()})"""


def escape_text(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def escape_attribute(text: str) -> str:
    return escape_text(text).replace('"', "&quot;")


@dataclass(slots=True)
class Node:
    """A node in a result, located in its file."""

    file: str
    line: int | None
    path: str
    xml_id: str | None
    kind: str
    name: str | None
    text: str
    saxon: object = field(default=None, repr=False, compare=False)
    session: SaxonSession | None = field(default=None, repr=False, compare=False)
    """The session whose processor built ``saxon``."""
    serialised: str | None = field(default=None, repr=False, compare=False)
    """:meth:`xml`, computed where the Saxon node was (a node sent from a worker has none)."""

    def location(self) -> str:
        return f"{self.file}:{self.line}" if self.line else self.file

    def xml(self) -> str:
        """The node serialised as XML, as in the file (an attribute as ``name="value"``)."""
        if self.serialised is not None:
            return self.serialised
        if self.kind == "attribute":
            return f'{self.name}="{escape_attribute(self.text)}"'
        if self.saxon is None or self.session is None or self.kind not in ("element", "document", "comment",
                                                     "processing-instruction"):
            return escape_text(self.text) if self.kind == "text" else self.text
        xq = self.session.processor.new_xquery_processor()
        xq.set_parameter("node", self.saxon)
        value = xq.run_query_to_value(query_text=_SERIALIZE, lang="3.1")
        return str(value.head.string_value)

    def to_dict(self) -> dict[str, object]:
        return {"file": self.file, "line": self.line, "path": self.path,
                "xml:id": self.xml_id, "kind": self.kind, "name": self.name,
                "text": self.text}


@dataclass(frozen=True, slots=True)
class FunctionItem:
    """A function item: it has no string value; shown as ``(function)``."""

    def __str__(self) -> str:
        return "(function)"


Value: TypeAlias = int | float | bool | str | dict[str, "Value"] | list["Value"] | Node | FunctionItem
Results = Sequence[tuple[str, Sequence[Value]]]
"""(file, items) per document."""


def collapse(text: str) -> str:
    return " ".join(text.split())


def plain(value: Value) -> object:
    """A JSON-ready form of one value."""
    if isinstance(value, Node):
        return value.to_dict()
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    if isinstance(value, FunctionItem):
        return str(value)
    return value


def cell(value: Value) -> str:
    """One value as a single text cell (CSV, text lines)."""
    if isinstance(value, Node):
        return collapse(value.text)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))  # as XPath writes a whole xs:double: 10, not 10.0
    if isinstance(value, (dict, list)):
        return json.dumps(plain(value), ensure_ascii=False)
    return str(value)


def to_text(results: Results, *, locate: bool = False, xml: bool = False) -> str:
    several = len(results) > 1
    lines: list[str] = []
    for file, items in results:
        for item in items:
            if isinstance(item, Node):
                body = item.xml() if xml else collapse(item.text)
                prefix = f"{item.location()}: " if locate else (f"{file}: " if several else "")
            else:
                body = cell(item)
                prefix = f"{file}: " if (several or locate) else ""
            lines.append(prefix + body)
    return "".join(line + "\n" for line in lines)


def to_json(results: Results) -> str:
    if len(results) == 1:
        data: object = [plain(v) for v in results[0][1]]
    else:
        data = [{"file": file, "results": [plain(v) for v in items]} for file, items in results]
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def _row(value: Value) -> dict[str, str]:
    if isinstance(value, dict):
        return {str(k): cell(v) for k, v in value.items()}
    if isinstance(value, list):
        return {str(i): cell(v) for i, v in enumerate(value, 1)}
    if isinstance(value, Node):
        return {"file": value.file, "line": str(value.line or ""), "path": value.path,
                "xml:id": value.xml_id or "", "text": collapse(value.text)}
    return {"value": cell(value)}


def to_csv(results: Results) -> str:
    several = len(results) > 1
    rows: list[dict[str, str]] = []
    for file, items in results:
        for item in items:
            row = _row(item)
            rows.append({"file": file, **row} if several else row)
    return write_csv(rows)


def write_csv(rows: Sequence[Mapping[str, object]], header: Sequence[str] | None = None) -> str:
    """Rows as CSV; the header is the union of keys in order of first appearance."""
    if header is None:
        seen: dict[str, None] = {}
        for row in rows:
            seen.update(dict.fromkeys(row))
        header = list(seen)
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=list(header), lineterminator="\n",
                            extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    return buf.getvalue()


_TYPE_NAMES = {bool: "boolean", int: "integer", float: "double", str: "string",
               dict: "map", list: "array", FunctionItem: "function"}


def to_xml(results: Results) -> str:
    root = etree.Element(f"{{{TT_NS}}}results", nsmap={"tt": TT_NS})
    for file, items in results:
        for item in items:
            el = etree.SubElement(root, f"{{{TT_NS}}}item", file=file)
            if isinstance(item, Node):
                if item.line:
                    el.set("line", str(item.line))
                el.set("path", item.path)
                el.set("kind", item.kind)
                if item.kind in ("element", "document"):
                    copied = xmlio.parse_bytes(item.xml().encode("utf-8"), item.location())
                    el.append(copied.getroot())
                else:
                    el.text = item.text
            else:
                el.set("type", _TYPE_NAMES.get(type(item), "string"))
                el.text = cell(item)
    return etree.tostring(root, encoding="unicode", pretty_print=True)

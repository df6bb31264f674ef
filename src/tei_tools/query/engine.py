"""XPath 3.1 and XQuery 3.1 on TEI documents, with Saxon (saxonche) in-process.

Both languages run through Saxon's XQuery 3.1 processor, one evaluation per
document with the document node as the context item: an XPath expression is
the body of a generated main module whose prolog declares the external
variables. XPath 3.1 is a subset of XQuery 3.1 except for one lexical detail,
handled here: ``&`` in an XPath string literal is a plain character, so it is
escaped before Saxon sees it. Going through XQuery gives every error its
standard code (``XPST0003``, ``XPTY0004``, ``FOAR0001`` …) and its line and
column, which Saxon's XPath API does not report.

Results come back as Python values (:mod:`tei_tools.query.results`): atomic
values as ``int``/``float``/``bool``/``str``, maps as ``dict``, arrays as
``list`` and nodes as :class:`~tei_tools.query.results.Node` (file, line,
XPath path, ``xml:id``, string value).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from tei_tools.errors import QueryError, UsageError
from tei_tools.query.documents import NS, Document
from tei_tools.query.results import FunctionItem, Node, Value

if TYPE_CHECKING:  # pragma: no cover
    import saxonche

Language = Literal["xpath", "xquery"]

_NCNAME = re.compile(r"^[A-Za-z_][\w.\-]*$")
_XS = "{http://www.w3.org/2001/XMLSchema}"
_INTEGER_TYPES = {"integer", "long", "int", "short", "byte", "nonNegativeInteger",
                  "positiveInteger", "nonPositiveInteger", "negativeInteger",
                  "unsignedLong", "unsignedInt", "unsignedShort", "unsignedByte"}
_NUMBER_TYPES = {"decimal", "double", "float"}
_LOCATION = re.compile(r"on line (\d+)(?: at)?,? column (\d+)|at char (\d+)")
_CODE = re.compile(r"(?:^|\s)(?:err:)?([A-Z]{4}\d{4})\s+(.*)", re.S)
_STATIC = ("XPST", "XQST")

# The path, xml:id and kind of a batch of nodes, in one evaluation.
_DESCRIBE = """declare variable $nodes external;
for $n in $nodes return [path($n), string($n/@xml:id)]"""


@dataclass(frozen=True, slots=True)
class DocumentResult:
    """The items one document gave."""

    file: str
    items: list[Value]


@dataclass(frozen=True, slots=True)
class QueryResult:
    language: Language
    expression: str
    documents: list[DocumentResult]

    def items(self) -> list[Value]:
        return [item for doc in self.documents for item in doc.items]


def parse_bindings(pairs: Sequence[str], what: str) -> dict[str, str]:
    """``name=value`` pairs from the command line (``--ns``, ``--var``)."""
    out: dict[str, str] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        name = name.strip().lstrip("$")
        if not sep or not _NCNAME.match(name):
            raise UsageError(f"error: {what} expects NAME=VALUE, got '{pair}'")
        out[name] = value
    return out


def escape_xpath_literals(expr: str) -> str:
    """Escape ``&`` inside string literals so an XPath reads the same in XQuery."""
    out: list[str] = []
    i, n = 0, len(expr)
    depth = 0  # nesting of (: comments :)
    quote = ""
    while i < n:
        c = expr[i]
        if quote:
            out.append("&amp;" if c == "&" else c)
            if c == quote:
                if expr[i + 1:i + 2] == quote:  # doubled quote: an escaped one
                    out.append(quote)
                    i += 1
                else:
                    quote = ""
        elif expr.startswith("(:", i):
            depth += 1
            out.append("(:")
            i += 1
        elif depth and expr.startswith(":)", i):
            depth -= 1
            out.append(":)")
            i += 1
        elif not depth and c in "'\"":
            quote = c
            out.append(c)
        else:
            out.append(c)
        i += 1
    return "".join(out)


def evaluate(expression: str, documents: Sequence[Document], *,
             language: Language = "xpath",
             namespaces: Mapping[str, str] | None = None,
             variables: Mapping[str, str] | None = None,
             query_name: str = "query") -> QueryResult:
    """Evaluate ``expression`` on each document (the document node is the context item).

    ``variables`` are bound as ``xs:untypedAtomic`` (they compare and compute
    as strings or numbers as needed); in XQuery declare them with
    ``declare variable $name external;``. Raises :class:`UsageError` (exit 2)
    for a static error in the query, :class:`QueryError` (exit 1) for a
    dynamic one, with the Saxon error code and the position in the query.
    """
    variables = dict(variables or {})
    for name in variables:
        if not _NCNAME.match(name):
            raise UsageError(f"error: '{name}' is not a variable name")
    if language == "xpath":
        prolog = "".join(f"declare variable ${name} external;\n" for name in variables)
        text = prolog + escape_xpath_literals(expression)
        offset = prolog.count("\n")
    else:
        text, offset = expression, 0

    results: list[DocumentResult] = []
    for doc in documents:
        proc = doc.saxon.processor  # the document's Saxon tree is this processor's
        xq = proc.new_xquery_processor()
        for prefix, uri in {**NS, **(namespaces or {})}.items():
            if prefix != "xml":
                xq.declare_namespace(prefix, uri)
        for name, value in variables.items():
            xq.set_parameter(name, proc.make_atomic_value("untypedAtomic", value))
        xq.set_query_base_uri(doc.path.resolve().as_uri())
        try:
            value = xq.run_query_to_value(query_text=text, input_xdm_item=doc.saxon_node(),
                                          lang="3.1", encoding="UTF-8")
        except Exception as exc:  # saxonche.PySaxonApiError
            raise _error(exc, query_name, offset, doc) from None
        results.append(DocumentResult(doc.name, _convert(value, doc)))
    return QueryResult(language, expression, results)


def _error(exc: Exception, query_name: str, offset: int, doc: Document) -> Exception:
    raw = str(exc)
    code_match = _CODE.search(raw)
    code = code_match.group(1) if code_match else ""
    message = " ".join((code_match.group(2) if code_match else raw).split()) or "query failed"
    where = query_name
    loc = _LOCATION.search(raw)
    if loc and loc.group(3):
        where += f":1:{loc.group(3)}"  # a one-line query (so no prolog was added)
    elif loc:
        line = max(int(loc.group(1)) - offset, 1)
        where += f":{line}:{loc.group(2)}"
    tag = f" [{code}]" if code else ""
    if code.startswith(_STATIC):
        return UsageError(f"{where}: error: {message}{tag}")
    return QueryError(f"{where}: error: {message}{tag} (on {doc.name})")


def _convert(value: object, doc: Document) -> list[Value]:
    """Saxon's ``PyXdmValue`` as Python values; nodes described in one batch."""
    nodes: list[tuple[Node, object]] = []
    items = _items(value, doc, nodes)
    if nodes:
        _describe(nodes, doc.saxon.processor)
    return items


def _items(value: object, doc: Document, nodes: list[tuple[Node, object]]) -> list[Value]:
    if value is None:
        return []
    return [_item(value.item_at(i), doc, nodes) for i in range(value.size)]  # type: ignore[attr-defined]


def _item(item: object, doc: Document, nodes: list[tuple[Node, object]]) -> Value:
    it = item  # saxonche.PyXdmItem
    if it.is_node:  # type: ignore[attr-defined]
        xnode = it.get_node_value()  # type: ignore[attr-defined]
        kind = xnode.node_kind_str
        node = Node(file=doc.name, line=xnode.line_number or None, path="", xml_id=None,
                    kind=kind, name=_node_name(xnode.name), text=xnode.string_value or "",
                    saxon=xnode, session=doc.saxon)
        nodes.append((node, xnode))
        return node
    if it.is_map:  # type: ignore[attr-defined]
        xmap = it.get_map_value()  # type: ignore[attr-defined]
        out: dict[str, Value] = {}
        # PyXdmMap (saxonche) is not a dict: keys() is its documented way to list the keys
        for key in xmap.keys():  # noqa: SIM118
            out[key.string_value] = _member(xmap.get(key), doc, nodes)
        return out
    if it.is_array:  # type: ignore[attr-defined]
        return [_member(m, doc, nodes) for m in it.get_array_value().as_list()]  # type: ignore[attr-defined]
    if it.is_atomic:  # type: ignore[attr-defined]
        return _atomic(it.get_atomic_value())  # type: ignore[attr-defined]
    return FunctionItem()


def _member(value: object, doc: Document, nodes: list[tuple[Node, object]]) -> Value:
    """A map entry or array member: one item as itself, a sequence as a list."""
    items = _items(value, doc, nodes)
    if len(items) == 1:
        return items[0]
    return items


def _atomic(atom: object) -> Value:
    type_name = str(atom.primitive_type_name)  # type: ignore[attr-defined]
    local = type_name.rsplit("}", 1)[-1] if type_name.startswith(("Q{", "{")) else type_name
    text = str(atom.string_value)  # type: ignore[attr-defined]
    if local == "boolean":
        return text == "true"
    if local in _INTEGER_TYPES:
        return int(text)
    if local in _NUMBER_TYPES:
        try:
            number = float(text)
        except ValueError:
            return text
        if number != number or number in (float("inf"), float("-inf")):
            return text  # NaN, INF: no JSON number for them
        return int(number) if local == "decimal" and number.is_integer() and "." not in text \
            else number
    return text


def _node_name(clark: str | None) -> str | None:
    if not clark:
        return None
    return shorten_names(clark)


def shorten_names(text: str) -> str:
    """``Q{uri}local`` → ``tei:local`` / ``xml:local`` / ``local`` for the usual namespaces."""
    text = text.replace(f"Q{{{NS['tei']}}}", "tei:").replace(f"Q{{{NS['xml']}}}", "xml:")
    return text.replace("Q{}", "")


def _describe(nodes: list[tuple[Node, object]], proc: saxonche.PySaxonProcessor) -> None:
    seq = proc.empty_sequence()
    for _, xnode in nodes:
        seq.add_xdm_item(xnode)
    xq = proc.new_xquery_processor()
    xq.set_parameter("nodes", seq)
    described = xq.run_query_to_value(query_text=_DESCRIBE, lang="3.1")
    for i, (node, _) in enumerate(nodes):
        path, ident = described.item_at(i).get_array_value().as_list()
        node.path = shorten_names(path.head.string_value)
        node.xml_id = ident.head.string_value or None

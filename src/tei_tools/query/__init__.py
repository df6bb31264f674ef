"""Querying TEI: XPath/XQuery with Saxon, registers, networks, timelines, statistics.

Library functions return dataclasses and never print; :mod:`tei_tools.cli`
formats them. XML is read only through :mod:`tei_tools.xmlio`.
"""

from tei_tools.query.documents import Document, load, load_all, resolve_paths
from tei_tools.query.engine import QueryResult, evaluate

__all__ = ["Document", "QueryResult", "evaluate", "load", "load_all", "resolve_paths"]

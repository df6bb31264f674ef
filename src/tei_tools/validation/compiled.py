"""Reading schema files for compilation, once per process per file version."""

from __future__ import annotations

from pathlib import Path

from lxml import etree

from tei_tools import xmlio
from tei_tools.errors import TeiToolsError, UsageError


def cache_key(path: Path, what: str) -> tuple[str, float]:
    """Key of a compiled schema: the resolved path and its modification time."""
    try:
        return str(path.resolve()), path.stat().st_mtime
    except OSError:
        raise UsageError(f"{path}: error: {what} not found") from None


def read_schema(path: Path, what: str) -> etree._ElementTree:
    """Parse a schema with the hardened parser; a bad one is a usage error (exit 2)."""
    try:
        return xmlio.parse_file(path)
    except TeiToolsError as exc:
        raise UsageError(f"{what}: {exc}") from None

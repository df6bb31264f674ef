"""Catalogue records of a TEI document, from its header: MARCXML, MODS 3.8, OAI Dublin Core.

::

    from tei_tools.records import record, write_records
    rec = record(Path("tei/taijiang-dangjian-2007.xml"), "marcxml")
    rec.data            # bytes of a MARCXML collection of one record
    write_records(tree, Path("dist/records"), "taijiang-dangjian-2007")

The header is read once (:func:`tei_tools.records.header.describe`); each
format module maps that :class:`~tei_tools.records.header.Description`.
``tei-tools export record --format …`` prints one record, ``tei-tools build``
writes all three into ``dist/records/``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from tei_tools import xmlio
from tei_tools.errors import TeiToolsError, UsageError
from tei_tools.records import dc, marcxml, mods
from tei_tools.records.header import Description, describe

FORMATS: dict[str, tuple[str, Callable[[Description], bytes]]] = {
    "marcxml": ("marcxml.xml", marcxml.to_bytes),
    "mods": ("mods.xml", mods.to_bytes),
    "dc": ("dc.xml", dc.to_bytes),
}
"""Format name → (file-name suffix, writer)."""


@dataclass(frozen=True, slots=True)
class Record:
    format: str
    name: str
    """File name (``{stem}.{suffix}``)."""
    data: bytes


def _tree(source: Path | etree._ElementTree) -> tuple[etree._ElementTree, str, str]:
    """(tree, file stem, name for messages)."""
    if isinstance(source, etree._ElementTree):
        return source, "document", "document"
    path = Path(source)
    if not path.is_file():
        raise UsageError(f"{path}: error: no such file")
    return xmlio.parse_file(path), path.stem, str(path)


def record(source: Path | etree._ElementTree, fmt: str, stem: str | None = None,
           name: str | None = None) -> Record:
    """The record of ``source`` (a TEI file or a parsed tree) in ``fmt``.

    ``name`` names the document in error messages (default: its path).
    """
    if fmt not in FORMATS:
        raise UsageError(f"unknown record format '{fmt}' (choose from {', '.join(FORMATS)})")
    tree, default_stem, default_name = _tree(source)
    label = name or default_name
    if not xmlio.is_tei_root(tree):
        raise TeiToolsError(f"{label}: error: the root element is "
                            f"<{etree.QName(tree.getroot()).localname}>, not a TEI document")
    if not tree.getroot().xpath("t:teiHeader", namespaces={"t": xmlio.TEI_NS}):
        raise TeiToolsError(f"{label}: error: no teiHeader: nothing to describe")
    suffix, writer = FORMATS[fmt]
    return Record(fmt, f"{stem or default_stem}.{suffix}", writer(describe(tree)))


def records(source: Path | etree._ElementTree, stem: str | None = None,
            name: str | None = None) -> list[Record]:
    """The record of ``source`` in every format."""
    return [record(source, fmt, stem, name) for fmt in FORMATS]


def write_records(tree: etree._ElementTree, out_dir: Path, stem: str,
                  name: str | None = None) -> list[Path]:
    """Write every record of ``tree`` into ``out_dir`` (created); the paths written."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for rec in records(tree, stem, name):
        path = out_dir / rec.name
        path.write_bytes(rec.data)
        written.append(path)
    return written

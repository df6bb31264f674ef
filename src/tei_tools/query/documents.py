"""The documents a query or an export works on.

A path argument is a file or a folder (every ``*.xml`` below it, sorted); no
path means the edition (:func:`tei_tools.paths.edition_file`). Each file is
read and checked by the hardened parser :mod:`tei_tools.xmlio`; Saxon gets
the same, already checked text (so its line numbers are the file's), built
once, on first use, with line numbering on.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from tei_tools import xmlio
from tei_tools.errors import UsageError, XmlInputError
from tei_tools.executor import collect_files  # the one folder expansion
from tei_tools.paths import edition_file
from tei_tools.query.facts import Facts, compute

TEI = xmlio.TEI_NS
XML = xmlio.XML_NS
NS = {"tei": TEI, "xml": XML}


def resolve_paths(paths: Sequence[str | os.PathLike[str]] = ()) -> list[Path]:
    """Files named by ``paths`` (folders: their ``*.xml``, recursively, sorted), or the
    edition's main file."""
    if not paths:
        edition = edition_file()
        if not edition.is_file():
            raise UsageError(f"{edition}: error: the edition is not there; "
                             "name a TEI file or folder")
        try:  # shown as tei/… when run from the checkout
            return [edition.relative_to(Path.cwd())]
        except ValueError:
            return [edition]
    return [f for f, _ in collect_files(paths)]


@dataclass(slots=True)
class Document:
    """One XML file: its lxml tree and, built on demand, its Saxon tree."""

    path: Path
    tree: etree._ElementTree
    text: str = field(repr=False)
    _node: object = field(default=None, repr=False, compare=False)
    _facts: Facts | None = field(default=None, repr=False, compare=False)

    @property
    def name(self) -> str:
        return str(self.path)

    @property
    def root(self) -> etree._Element:
        return self.tree.getroot()

    def saxon_node(self) -> object:
        """The document as a Saxon ``PyXdmNode`` (line numbers on), built once."""
        if self._node is None:
            from tei_tools.publish.saxon import processor

            builder = processor().new_document_builder()
            builder.set_line_numbering(True)
            builder.set_base_uri(self.path.resolve().as_uri())
            try:
                self._node = builder.parse_xml(xml_text=self.text, encoding="UTF-8")
            except Exception as exc:  # saxonche.PySaxonApiError
                raise XmlInputError(self.name, f"Saxon cannot read the document: "
                                    f"{' '.join(str(exc).split())}", code="XML-SAXON") from None
        return self._node


    def facts(self) -> Facts:
        """What the rendering core says of this document (:mod:`tei_tools.query.facts`), once."""
        if self._facts is None:
            from tei_tools.publish.saxon import Source

            self._facts = compute(Source(self.path, self.tree, self.saxon_node()))
        return self._facts


def load(path: str | os.PathLike[str]) -> Document:
    """Read one file through the hardened parser."""
    data = xmlio.read_bytes(path)
    parsed = xmlio.parse_document(data, str(path))
    tree = parsed.tree
    encoding = tree.docinfo.encoding or "UTF-8"
    if parsed.rewritten:
        # XInclude expanded, or internal entities: Saxon reads the expanded tree
        # (it refuses any DOCTYPE)
        text = etree.tostring(tree.getroot(), encoding="unicode")
    else:
        try:
            text = data.decode(encoding)
        except (LookupError, UnicodeDecodeError):
            text = etree.tostring(tree, encoding="unicode")
    return Document(Path(path), tree, text.lstrip("\ufeff"))


def load_all(paths: Sequence[str | os.PathLike[str]] = ()) -> list[Document]:
    return [load(p) for p in resolve_paths(paths)]


def iter_elements(root: etree._Element, *names: str) -> Iterable[etree._Element]:
    """TEI elements named ``names`` below ``root`` in document order."""
    return root.iter(*(f"{{{TEI}}}{n}" for n in names))


def xml_id(el: etree._Element) -> str | None:
    return el.get(f"{{{XML}}}id")

"""The documents a query or an export works on.

A path argument is a file or a folder (every ``*.xml`` below it, sorted); no
path means the edition (:func:`tei_tools.paths.edition_file`). Each file is
read and checked by the hardened parser :mod:`tei_tools.xmlio`; Saxon gets
the same, already checked text (so its line numbers are the file's), built
once, on first use, with line numbering on, by the document's
:class:`~tei_tools.saxon.SaxonSession` (the caller's, or one per :func:`load_all`).
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from tei_tools import xmlio
from tei_tools.errors import BuildError, UsageError, XmlInputError
from tei_tools.executor import collect_files  # the one folder expansion
from tei_tools.paths import edition_file
from tei_tools.query.facts import Facts, compute
from tei_tools.saxon import SaxonSession

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
    """One XML file: its lxml tree and, built on demand by its session, its Saxon tree."""

    path: Path
    tree: etree._ElementTree
    text: str = field(repr=False)
    saxon: SaxonSession = field(default_factory=SaxonSession, repr=False, compare=False)
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
            try:
                self._node = self.saxon.document_from_text(
                    self.text, self.path.resolve().as_uri(), line_numbers=True, name=self.name)
            except BuildError as exc:
                raise XmlInputError(self.name, str(exc).split(": error: ", 1)[-1],
                                    code="XML-SAXON") from None
        return self._node


    def facts(self) -> Facts:
        """What the rendering core says of this document (:mod:`tei_tools.query.facts`), once."""
        if self._facts is None:
            source = self.saxon.source_of(self.path, self.tree, self.saxon_node())
            self._facts = compute(source, saxon=self.saxon)
        return self._facts


def load(path: str | os.PathLike[str], *, saxon: SaxonSession | None = None) -> Document:
    """Read one file through the hardened parser; ``saxon``: the session that will
    build its Saxon tree (``None``: a new one)."""
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
    return Document(Path(path), tree, text.lstrip("\ufeff"), saxon or SaxonSession())


def load_all(paths: Sequence[str | os.PathLike[str]] = (), *,
             saxon: SaxonSession | None = None) -> list[Document]:
    """Every document of ``paths`` (:func:`resolve_paths`), one Saxon session for all."""
    saxon = saxon or SaxonSession()
    return [load(p, saxon=saxon) for p in resolve_paths(paths)]


def iter_elements(root: etree._Element, *names: str) -> Iterable[etree._Element]:
    """TEI elements named ``names`` below ``root`` in document order."""
    return root.iter(*(f"{{{TEI}}}{n}" for n in names))


def xml_id(el: etree._Element) -> str | None:
    return el.get(f"{{{XML}}}id")

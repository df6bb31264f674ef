"""Build each EPUB the tests look at once per session, and read it back.

The test modules ``test_epub_*.py`` share these cached builds (a session
fixture cannot be shared between modules without ``conftest.py``, which is
not ours): :func:`built` returns the same :class:`EpubResult` for the same
source however many tests ask.
"""

from __future__ import annotations

import atexit
import functools
import re
import shutil
import tempfile
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from tei_tools import xmlio
from tei_tools.publish.epub import EpubResult, write

from conftest import EDITION, MINI

XHTML = "http://www.w3.org/1999/xhtml"
EPUB_NS = "http://www.idpf.org/2007/ops"
OPF = "http://www.idpf.org/2007/opf"
DC = "http://purl.org/dc/elements/1.1/"
NS = {"h": XHTML, "epub": EPUB_NS, "opf": OPF, "dc": DC}

_ROOT = Path(tempfile.mkdtemp(prefix="tei-tools-epub-tests-"))
atexit.register(shutil.rmtree, _ROOT, True)


def editions() -> list[Path]:
    """The documents in the edition's conventions: the mini fixture, and the
    edition itself once it is in the repository."""
    return [MINI] + ([EDITION] if EDITION.exists() else [])


def main_document() -> Path:
    """The document Ace is run on: the edition, the fixture until it exists."""
    return EDITION if EDITION.exists() else MINI


@functools.cache
def built(source: Path, tag: str = "a") -> EpubResult:
    """The EPUB of ``source`` (built once per ``tag``; two tags → two builds)."""
    return write(source, _ROOT / tag / source.stem.replace(".", "_"))


@dataclass
class Opened:
    """An EPUB read back: its entries, the package and the parsed XHTML files."""

    path: Path
    names: list[str]
    data: dict[str, bytes]
    source: Path | None = None

    def xml(self, name: str) -> etree._ElementTree:
        return xmlio.parse_bytes(self.data[name], name)

    @property
    def package(self) -> etree._Element:
        return self.xml("EPUB/package.opf").getroot()

    @property
    def nav(self) -> etree._Element:
        return self.xml("EPUB/nav.xhtml").getroot()

    def spine_files(self) -> list[str]:
        manifest = {i.get("id"): "EPUB/" + i.get("href")
                    for i in self.package.iterfind(f"{{{OPF}}}manifest/{{{OPF}}}item")}
        return [manifest[r.get("idref")]
                for r in self.package.iterfind(f"{{{OPF}}}spine/{{{OPF}}}itemref")]

    def content_files(self) -> list[str]:
        return [n for n in self.spine_files() if n != "EPUB/nav.xhtml"]


@functools.cache
def opened(path: Path) -> Opened:
    with zipfile.ZipFile(path) as archive:
        names = archive.namelist()
        data = {n: archive.read(n) for n in names}
    return Opened(path, names, data)


@functools.cache
def book_of(source: Path) -> Opened:
    """The EPUB built from ``source``, opened, remembering its source."""
    book = opened(built(source).path)
    return Opened(book.path, book.names, book.data, source)


# ----- The regularised reading, computed in Python independently of the XSLT -----

T = f"{{{xmlio.TEI_NS}}}"
SKIPPED = {f"{T}note", f"{T}figDesc", f"{T}gap", f"{T}teiHeader", f"{T}standOff"}
REGULAR = (f"{T}corr", f"{T}reg", f"{T}expan", f"{T}ex", f"{T}lem")


def shown_branch(parent: etree._Element) -> etree._Element | None:
    """The branch of a choice or app in the regularised reading."""
    children = [c for c in parent if isinstance(c.tag, str)]
    regular = [c for c in children if c.tag in REGULAR]
    return (regular or children or [None])[0]


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def text_without(element: etree._Element, skip: Callable[[etree._Element], bool]) -> str:
    """The text of ``element`` leaving out the subtrees ``skip`` selects, whitespace removed."""
    parts: list[str] = []

    def walk(node: etree._Element) -> None:
        if not isinstance(node.tag, str) or skip(node):
            return
        parts.append(node.text or "")
        for child in node:
            walk(child)
            parts.append(child.tail or "")

    walk(element)
    return squeeze("".join(parts))


def not_in_reading(node: etree._Element) -> bool:
    parent = node.getparent()
    return node.tag in SKIPPED or (parent is not None and parent.tag in (f"{T}choice", f"{T}app")
                                   and node is not shown_branch(parent))


def tei_reading(element: etree._Element) -> str:
    """The regularised reading of a TEI element, whitespace removed."""
    return text_without(element, not_in_reading)


def is_apparatus(element: etree._Element) -> bool:
    """EPUB markup that is not the text: page numbers, note calls, gap labels."""
    classes = (element.get("class") or "").split()
    return (element.get(f"{{{EPUB_NS}}}type") in ("pagebreak", "noteref")
            or bool({"gap", "figdesc", "alt", "noteref", "ed-mark"} & set(classes)))


def epub_text(element: etree._Element) -> str:
    """The text of EPUB markup without its apparatus, whitespace removed."""
    return text_without(element, is_apparatus)


def spine_text(book: Opened) -> str:
    """The text of every content document of the spine, in order, apparatus removed."""
    return "".join(epub_text(book.xml(f).getroot().find(f"{{{XHTML}}}body"))
                   for f in book.content_files())


def lost_from(reading: str, text: str) -> str | None:
    """None when ``reading`` is a subsequence of ``text``, else where it is lost."""
    position = 0
    for index, char in enumerate(reading):
        position = text.find(char, position)
        if position < 0:
            return f"lost from character {index}: {reading[index:index + 40]!r}"
        position += 1
    return None

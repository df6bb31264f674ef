"""Build each EPUB the tests look at once per session, and read it back.

The test modules ``test_epub_*.py`` share these cached builds (a session
fixture cannot be shared between modules without ``conftest.py``, which is
not ours): :func:`built` returns the same :class:`EpubResult` for the same
source however many tests ask.
"""

from __future__ import annotations

import atexit
import functools
import shutil
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from conftest import EDITION, MINI
from tei_tools import xmlio
from tei_tools.publish.epub import EpubResult, write

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


@functools.lru_cache(maxsize=None)
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


@functools.lru_cache(maxsize=None)
def opened(path: Path) -> Opened:
    with zipfile.ZipFile(path) as archive:
        names = archive.namelist()
        data = {n: archive.read(n) for n in names}
    return Opened(path, names, data)


@functools.lru_cache(maxsize=None)
def book_of(source: Path) -> Opened:
    """The EPUB built from ``source``, opened, remembering its source."""
    book = opened(built(source).path)
    return Opened(book.path, book.names, book.data, source)

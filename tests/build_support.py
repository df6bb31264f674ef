"""Builds shared by the ``test_build_*``, ``test_html_*`` and ``test_text_*`` modules.

A session fixture cannot be shared between modules without ``conftest.py``
(not ours), so :func:`built` caches each build per process: the real
edition is built once per test session however many tests look at it.
Also: an HTML link/id collector (the standard library's HTMLParser, which
never fetches anything) and the edition's regularised reading computed
independently of the XSLT.
"""

from __future__ import annotations

import atexit
import functools
import hashlib
import re
import shutil
import tempfile
import unicodedata
from html.parser import HTMLParser
from pathlib import Path

from lxml import etree

from tei_tools import xmlio
from tei_tools.publish.build import BuildOptions, BuildResult, build

TEI = xmlio.TEI_NS
_ROOT = Path(tempfile.mkdtemp(prefix="tei-tools-build-tests-"))
atexit.register(shutil.rmtree, _ROOT, True)


@functools.cache
def built(source: Path, formats: tuple[str, ...] = ("html", "epub", "txt", "records"),
          validate: bool = True, reading: str = "regularised",
          page_markers: bool = False, editorial: bool = True) -> tuple[Path, BuildResult]:
    """Build ``source`` once per process; returns (dist folder, result)."""
    out = Path(tempfile.mkdtemp(dir=_ROOT)) / "dist"
    result = build(source, out, BuildOptions(formats=formats, validate=validate, reading=reading,
                                              page_markers=page_markers, editorial=editorial))
    return out, result


def tree_digest(folder: Path) -> dict[str, str]:
    """Relative path → sha256 of every file under ``folder``."""
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


class PageScan(HTMLParser):
    """The ids, links and resource references of one HTML page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: list[str] = []
        self.links: list[str] = []
        self.resources: list[str] = []
        self.lang: str | None = None
        self.attrs_seen: list[tuple[str, str, str]] = []
        self.tags: list[tuple[str, list[tuple[str, str]]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        self.tags.append((tag, list(values.items())))
        for k, v in values.items():
            self.attrs_seen.append((tag, k, v))
        if tag == "html":
            self.lang = values.get("lang")
        if "id" in values:
            self.ids.append(values["id"])
        if tag == "a" and "href" in values:
            self.links.append(values["href"])
        # a schema.DC link names a vocabulary, it is never fetched
        if tag == "link" and "href" in values and not values.get("rel", "").startswith("schema."):
            self.resources.append(values["href"])
        if tag in ("script", "img", "iframe", "source", "audio", "video") and "src" in values:
            self.resources.append(values["src"])
        if tag == "form" and "action" in values:
            self.links.append(values["action"])


@functools.cache
def scan(page: Path) -> PageScan:
    parser = PageScan()
    parser.feed(page.read_text(encoding="utf-8"))
    parser.close()
    return parser


# ----- the regularised reading, computed from the TEI with lxml -----

_SKIP = {f"{{{TEI}}}{n}" for n in ("note", "figDesc", "gap")}
_DIPLOMATIC = {f"{{{TEI}}}{n}" for n in ("sic", "orig", "abbr", "am")}
_REGULAR = {f"{{{TEI}}}{n}" for n in ("corr", "reg", "expan", "ex")}


def reading_text(el: etree._Element, reading: str = "regularised") -> str:
    """The text of ``el`` in a reading: notes, figure descriptions and gaps out;
    in a choice, the corrected/regularised branch (or the original one); in an
    apparatus, the lemma (else its first reading)."""
    hidden = _DIPLOMATIC if reading == "regularised" else _REGULAR
    out: list[str] = []

    def walk(e: etree._Element) -> None:
        if e.tag in _SKIP:
            return
        if e.text and not isinstance(e, (etree._Comment, etree._ProcessingInstruction)):
            out.append(e.text)
        # an apparatus shows its lemma, or its first reading when it has none
        shown_rdg = (next((c for c in e if isinstance(c.tag, str)), None)
                     if e.tag == f"{{{TEI}}}app" and e.find(f"{{{TEI}}}lem") is None else None)
        for child in e:
            is_choice_branch = (e.tag == f"{{{TEI}}}choice" and child.tag in hidden) or (
                e.tag == f"{{{TEI}}}app" and child.tag != f"{{{TEI}}}lem" and child is not shown_rdg)
            if isinstance(child, etree._Element) and not isinstance(
                    child, (etree._Comment, etree._ProcessingInstruction)) and not is_choice_branch:
                walk(child)
            if child.tail:
                out.append(child.tail)

    walk(el)
    return "".join(out)


def squeeze(text: str) -> str:
    """Characters only: NFC, no whitespace (layout differs, characters must not)."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFC", text))


def text_body(text: str) -> str:
    """A text output file without its metadata header (``---`` … ``---``)."""
    return re.sub(r"\A---\n.*?\n---\n\n?", "", text, count=1, flags=re.S)


def strip_editorial(text: str) -> str:
    """Remove the header and what the text output adds: 〔…〕 (source lines, gaps,
    notes and their anchors, markers) and the brackets ［］ of supplied text."""
    return re.sub(r"[［］]", "", re.sub(r"〔[^〔〕]*〕", "", text_body(text)))


def text_of(source: Path) -> etree._Element:
    return xmlio.parse_file(source).getroot().find(f"{{{TEI}}}text")

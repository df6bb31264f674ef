"""EPUB 3.3 from a TEI document: the writer called by ``tei-tools build --format epub``.

::

    from tei_tools.publish.epub import write
    result = write(Path("tei/taijiang-dangjian-2007.xml"), Path("dist/epub"))
    result.path        # dist/epub/taijiang-dangjian-2007.epub

The content documents come from ``xslt/epub/epub.xsl``, which imports the
HTML rendering (``xslt/html/``) and overrides only the page shell, link
targets and file layout; the same stylesheet writes the package document
and the navigation document (nested TOC, landmarks, page-list). This module
computes what XSLT cannot (the name-based UUID), adds the style sheet, checks
the files (:mod:`tei_tools.publish.epub_check`) and packs them into a
deterministic container (:mod:`tei_tools.publish.epub_ocf`), written
atomically: a failed build raises :class:`~tei_tools.errors.BuildError`
and leaves no broken EPUB at the output path.
"""

from __future__ import annotations

import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from tei_tools import xmlio
from tei_tools.errors import BuildError
from tei_tools.paths import xslt_dir
from tei_tools.publish.cover_cache import cover as cover_of
from tei_tools.publish.epub_check import check_package
from tei_tools.publish.epub_ocf import ocf_bytes, write_atomically
from tei_tools.records.header import UUID_NAMESPACE, describe, package_uuid
from tei_tools.saxon import SaxonSession, Source

STYLESHEET = "epub/epub.xsl"
CSS = "epub/epub.css"
PACKAGE_DIR = "EPUB"
PACKAGE_PATH = f"{PACKAGE_DIR}/package.opf"
COVER_HREF = "images/cover.png"
"""The cover image (:mod:`tei_tools.publish.epub_cover`), relative to the package document."""
__all__ = ["UUID_NAMESPACE", "EpubResult", "epub_name", "identifier_for", "write"]


@dataclass(frozen=True, slots=True)
class EpubResult:
    """What :func:`write` produced."""

    path: Path
    identifier: str
    files: tuple[str, ...]
    pages: int
    warnings: list[str] = field(default_factory=list)


def identifier_for(source: Source) -> str:
    """``urn:uuid:`` v5 of the edition's ``idno`` (of the file's content without one):
    :func:`tei_tools.records.header.package_uuid`, the identifier the catalogue
    records give the EPUB too."""
    return package_uuid(source.tree)


def epub_name(source_path: Path) -> str:
    return f"{Path(source_path).stem}.epub"


def write(source: Path | Source, out_dir: Path, *, name: str | None = None,
          saxon: SaxonSession | None = None) -> EpubResult:
    """Build the EPUB of ``source`` into ``out_dir`` (``{stem}.epub`` unless ``name``).

    Raises :class:`BuildError` (the output path untouched) when the document
    cannot be made into a sound EPUB, naming the reason. ``saxon``: the session
    that loaded ``source`` (``None``: a new one, for a path).
    """
    saxon = saxon or SaxonSession()
    if not isinstance(source, Source):
        source = saxon.load_source(Path(source))
    root = source.tree.getroot()
    if root.tag != f"{{{xmlio.TEI_NS}}}TEI":
        what = "a teiCorpus" if root.tag == f"{{{xmlio.TEI_NS}}}teiCorpus" else f"<{root.tag!s}>"
        raise BuildError(f"{source.name}: error: the root is {what}; an EPUB is built from one "
                         "TEI document (build each TEI of a corpus on its own)")
    if not root.xpath("t:text", namespaces={"t": xmlio.TEI_NS}):
        raise BuildError(f"{source.name}: error: no <text>: nothing to put in an EPUB")
    identifier = identifier_for(source)
    description = describe(source.tree)
    cover = cover_of(description)  # drawn once per header, fonts and Pillow (kept in the cache)
    with tempfile.TemporaryDirectory(prefix="tei-tools-epub-") as tmp:
        work = Path(tmp)
        run = saxon.stylesheet(STYLESHEET).run(source, work, {
            "identifier": identifier, "description": description.summary,
            "cover": COVER_HREF if cover.png else "", "cover-alt": cover.alt})
        files = {
            path.relative_to(work).as_posix(): path.read_bytes()
            for path in sorted(work.rglob("*")) if path.is_file()
        }
    warnings = list(run.warnings)
    if cover.png:
        files[f"{PACKAGE_DIR}/{COVER_HREF}"] = cover.png
    else:
        warnings.append(f"{source.name}: no cover image: {cover.missing}")
    try:
        files[f"{PACKAGE_DIR}/css/epub.css"] = (xslt_dir() / CSS).read_bytes()
    except OSError as exc:
        raise BuildError(f"{xslt_dir() / CSS}: error: cannot read the EPUB style sheet "
                         f"({exc.strerror})") from None
    # zlib gives the GIL back while it deflates: the archive is made in a thread
    # while the files are checked (0.7-0.8 s each at 10 MB), and dropped if they fail
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="tei-tools-ocf") as pool:
        archive = pool.submit(ocf_bytes, files, PACKAGE_PATH)
        problems = check_package(files, PACKAGE_PATH)
        data = archive.result()
    if problems:
        shown = "; ".join(problems[:5]) + (f"; … {len(problems) - 5} more" if len(problems) > 5 else "")
        raise BuildError(f"{source.name}: error: the EPUB would be broken, not written: {shown}")
    target = Path(out_dir) / (name or epub_name(source.path))
    try:
        write_atomically(data, target)
    except OSError as exc:
        raise BuildError(f"{target}: error: cannot write the EPUB ({exc.strerror})") from None
    pages = len(source.tree.xpath("//t:text//t:pb", namespaces={"t": xmlio.TEI_NS}))
    return EpubResult(path=target, identifier=identifier, files=tuple(sorted(files)),
                      pages=pages, warnings=warnings)

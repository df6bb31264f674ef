"""Where the HTML transform spends its time, per page kind (issue 12).

    .venv/bin/python bench/html_breakdown.py                       # 1 and 3 MB, 3 runs
    .venv/bin/python bench/html_breakdown.py --sizes 1,3 --runs 5
    .venv/bin/python bench/html_breakdown.py --xslt ../main/xslt  # another tree, same runs
    .venv/bin/python bench/html_breakdown.py --whole --sizes 3 --xslt ../main/xslt  # no probes
    .venv/bin/python bench/html_breakdown.py --parts 'item TEI files,unit pages'  # these only
    .venv/bin/python bench/html_breakdown.py --whole --without-pb   # a text without page breaks
    .venv/bin/python bench/html_breakdown.py --alone --xslt ../main/xslt   # each part alone
    .venv/bin/python bench/html_breakdown.py --serialisation --sizes 3,10  # what writing costs
    .venv/bin/python bench/html_breakdown.py --whole --median --runs 4 --pages no-search \
        --out /dev/shm --xslt /work/peer/base5/xslt   # medians, the build's second process

saxonche has no profiler (Saxon's ``-TP``), so each *probe* is a small
stylesheet that imports ``html/edition.xsl`` and empties one part: one page
kind (unit pages, registers, index, search, item TEI, about) or the mention
contexts of the register pages. A part's cost is the full transform's CPU
time minus the probe's. Every probe is compiled once and run ``--runs`` times
in this process on :func:`corpus.large_document` (no validation; the same
parameters as ``tei-tools build -f html``); the least CPU time is kept, as
the machine is shared (``--median``: the median). ``--pages`` is the
transform's ``pages`` parameter (``no-search``: what the build's second
process writes); ``--out`` the folder the files are written under (e.g.
``/dev/shm``: the disk's cost per file apart, it varies with the other
processes' I/O). With ``--xslt`` the same probes run on a second
``xslt/`` folder (e.g. main's), alternating with this tree's within each run.
With ``--serialisation`` the parts are what writing the output costs: the
same transform with the pages and item TEI files written by the text method
(their markup not serialised: the difference is the HTML and XML
serialisation), and a stylesheet writing as many one-element files (Saxon's
cost per file). Prints a Markdown table.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import corpus  # noqa: E402

OWN_XSLT = HERE.parent / "xslt"

PROBES: dict[str, str] = {
    "the whole transform": "",
    "unit pages": "<xsl:template name='tt:unit-page' as='empty-sequence()'/>",
    "register pages": ("<xsl:template name='tt:register-page' as='empty-sequence()'>"
                       "<xsl:param name='register' as='xs:string'/></xsl:template>"),
    "  of which mention contexts": ("<xsl:template name='tt:mention-context' as='element()'>"
                                    "<li/></xsl:template>"),
    "index page": "<xsl:template name='tt:index-page' as='empty-sequence()'/>",
    "item TEI files": ("<xsl:template name='tt:item-tei' as='empty-sequence()'>"
                       "<xsl:param name='unit' as='element()'/></xsl:template>"),
    "search page and index": "<xsl:template name='tt:search-page' as='empty-sequence()'/>",
    "about page": "<xsl:template name='tt:about-page' as='empty-sequence()'/>",
}
"""Part → the override that empties it ('' = nothing emptied)."""

ALONE: dict[str, str] = {
    "the whole transform": "",
    "unit pages": ("<xsl:for-each select='$tt:units'><xsl:call-template name='tt:unit-page'/>"
                   "</xsl:for-each>"),
    "register pages": ("<xsl:for-each select='$tt:registers'><xsl:call-template name='tt:register-page'>"
                       "<xsl:with-param name='register' select='.'/></xsl:call-template></xsl:for-each>"),
    "index page": "<xsl:call-template name='tt:index-page'/>",
    "item TEI files": ("<xsl:for-each select='$tt:units'><xsl:call-template name='tt:item-tei'>"
                       "<xsl:with-param name='unit' select='.'/></xsl:call-template></xsl:for-each>"),
    "search page and index": "<xsl:call-template name='tt:search-page'/>",
}
"""With ``--alone``: part → the body of a ``/`` template that writes only that part."""

PROBE_WHOLE = "the whole transform"

SERIALISATION = ("the whole transform", "serialisation of the markup (pages, item TEI)",
                 "one-element files, as many")
"""With ``--serialisation``: the parts measured."""

FILES_PROBE = ("<xsl:stylesheet version='3.0' xmlns:xsl='http://www.w3.org/1999/XSL/Transform'>"
               "<xsl:output name='page' method='html' html-version='5' encoding='UTF-8' indent='no'/>"
               "<xsl:template match='/'><xsl:for-each select='1 to {count}'>"
               "<xsl:result-document href='f{{.}}.html' format='page'><html/></xsl:result-document>"
               "</xsl:for-each></xsl:template></xsl:stylesheet>")
"""A stylesheet writing ``count`` files of one element each."""

PARAMS = {"reading": "regularised", "downloads": [], "item-texts": False}


def _probe_copy(xslt: Path, into: Path, override: str) -> Path:
    """A copy of ``xslt/`` whose ``html/edition.xsl`` holds ``override``: the site uses
    the rendering's XSLT package, so it cannot be imported; what the override replaces
    (a named template, or the ``/`` template) is renamed away in the copy instead."""
    import re

    shutil.copytree(xslt, into)
    for name in re.findall(r"<xsl:template name='([^']+)'", override):
        for sheet in (into / "html").glob("*.xsl"):
            text = sheet.read_text(encoding="utf-8")
            sheet.write_text(text.replace(f'<xsl:template name="{name}"',
                                          f'<xsl:template name="{name}-probed"'), encoding="utf-8")
    edition = into / "html" / "edition.xsl"
    text = edition.read_text(encoding="utf-8")
    if "<xsl:template match='/'" in override:
        text = text.replace('<xsl:template match="/" as="item()*">',
                            '<xsl:template match="/" mode="tt:probed" as="item()*">')
    head, _, tail = text.rpartition("</xsl:stylesheet>")
    edition.write_text(head + override + "</xsl:stylesheet>" + tail, encoding="utf-8")
    return edition


def without_page_breaks(data: bytes) -> bytes:
    """The document with every page break of its text taken out (their text kept):
    a text with no print pages, where a walk back to the last page break reaches
    the start of the document."""
    from lxml import etree

    from tei_tools import xmlio

    root = xmlio.parse_bytes(data, "large document").getroot()
    for pb in root.iterfind(f".//{{{xmlio.TEI_NS}}}text//{{{xmlio.TEI_NS}}}pb"):
        parent, prev = pb.getparent(), pb.getprevious()
        if pb.tail:
            if prev is not None:
                prev.tail = (prev.tail or "") + pb.tail
            else:
                parent.text = (parent.text or "") + pb.tail
        parent.remove(pb)
    return etree.tostring(root, encoding="UTF-8", xml_declaration=True)


def without_text_ids(data: bytes) -> bytes:
    """The document with no xml:id in its text (the registers keep theirs): every
    generated id is then scoped to the whole document."""
    from lxml import etree

    from tei_tools import xmlio

    root = xmlio.parse_bytes(data, "large document").getroot()
    for e in root.iterfind(f".//{{{xmlio.TEI_NS}}}text//*[@{{{xmlio.XML_NS}}}id]"):
        del e.attrib[f"{{{xmlio.XML_NS}}}id"]
    return etree.tostring(root, encoding="UTF-8", xml_declaration=True)


def text_method_copy(xslt: Path, into: Path) -> Path:
    """A copy of the ``xslt/`` folder whose pages and item TEI files are written by
    the text method (the same result trees, their markup not serialised)."""
    shutil.copytree(xslt, into)
    for name in ("edition.xsl", "item-tei.xsl"):
        sheet = into / "html" / name
        text = sheet.read_text(encoding="utf-8")
        for output in ('format="page"', 'format="tei"'):
            text = text.replace(output, 'method="text"')
        sheet.write_text(text, encoding="utf-8")
    return into


def _sheet_path(work: Path, label: str, xslt: Path, part: str, alone: bool, index: int,
                files: int = 0) -> Path:
    """The stylesheet timed for ``part``, written in ``work``."""
    path = work / f"{label.replace(' ', '-')}-{index}.xsl"
    if part == SERIALISATION[1]:
        return text_method_copy(xslt, work / f"xslt-text-{index}") / "html" / "edition.xsl"
    if part == SERIALISATION[2]:
        path.write_text(FILES_PROBE.format(count=files), encoding="utf-8")
        return path
    override = PROBES[part] if not alone else (
        f"<xsl:template match='/' as='item()*'>{ALONE[part]}</xsl:template>" if ALONE[part] else "")
    return _probe_copy(xslt, work / f"xslt-{label.replace(' ', '-')}-{index}", override)


def measure(sizes: list[float], runs: int, trees: dict[str, Path], parts: list[str],
            no_pb: bool = False, alone: bool = False, no_ids: bool = False,
            median: bool = False, pages: str = "all",
            out_root: Path | None = None) -> dict[tuple[float, str, str], float]:
    from tei_tools import xmlio
    from tei_tools.saxon import SaxonSession

    spent_all: dict[tuple[float, str, str], list[float]] = {}
    params = {**PARAMS, "pages": pages}
    for mb in sizes:
        with tempfile.TemporaryDirectory(prefix="tei-tools-html-breakdown-") as tmp:
            work = Path(tmp)
            doc = work / f"large-{mb:g}mb.xml"
            data = corpus.large_document(int(mb * 1_000_000))
            data = without_page_breaks(data) if no_pb else data
            doc.write_bytes(without_text_ids(data) if no_ids else data)
            session = SaxonSession()
            source = session.load_source(doc, xmlio.parse_file(doc))
            files = 0
            if SERIALISATION[2] in parts:
                # as many files as the whole transform writes (pages and item TEI files)
                first = _sheet_path(work, "count", next(iter(trees.values())), PROBE_WHOLE, alone, 0)
                session.stylesheet(str(first)).run(source, work / "out", params)
                files = sum(1 for p in (work / "out").rglob("*") if p.suffix in (".html", ".xml"))
                print(f"{mb:g} MB: {files} pages and item TEI files", file=sys.stderr)
            sheets = {}
            for label, xslt in trees.items():
                for part in parts:
                    path = _sheet_path(work, label, xslt, part, alone, len(sheets) + 1, files)
                    # an absolute name: the session compiles that file (outside xslt/)
                    sheets[(label, part)] = session.stylesheet(str(path))
            with tempfile.TemporaryDirectory(prefix="tei-tools-html-out-", dir=out_root) as written:
                out = Path(written) / "out"
                for _ in range(runs):
                    for (label, part), sheet in sheets.items():
                        shutil.rmtree(out, ignore_errors=True)
                        t = time.process_time()
                        sheet.run(source, out, params)
                        spent_all.setdefault((mb, label, part), []).append(time.process_time() - t)
            print(f"{mb:g} MB done, load {os.getloadavg()[0]:.1f}", file=sys.stderr)
    pick = statistics.median if median else min
    return {key: pick(values) for key, values in spent_all.items()}


def table(best: dict[tuple[float, str, str], float], sizes: list[float], labels: list[str],
          parts: list[str], alone: bool = False, median: bool = False) -> str:
    head = [f"{mb:g} MB {label}" for mb in sizes for label in labels]
    stat = "median" if median else "least"
    lines = [f"| part{' alone' if alone else ''} (CPU s, {stat} of the runs) | " + " | ".join(head) + " |",
             "| --- |" + " --- |" * len(head)]
    for part in parts:
        cells = []
        for mb in sizes:
            for label in labels:
                whole = best[(mb, label, "the whole transform")]
                own = best[(mb, label, part)]
                value = own if alone or part in ("the whole transform", SERIALISATION[2]) else whole - own
                cells.append(f"{value:.2f} ({100 * value / whole:.0f} %)")
        lines.append(f"| {part.strip() if not part.startswith(' ') else '… ' + part.strip()} | "
                     + " | ".join(cells) + " |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="1,3", help="megabytes, comma-separated")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--xslt", type=Path, help="a second xslt/ folder timed in the same runs")
    ap.add_argument("--own", type=Path, default=OWN_XSLT, help="the first xslt/ folder (this tree's)")
    ap.add_argument("--whole", action="store_true", help="time the whole transform only (no probes)")
    ap.add_argument("--alone", action="store_true",
                    help="time each part alone (a / template writing only it) instead of emptying it")
    ap.add_argument("--without-ids", action="store_true", help="the documents without xml:id in their text")
    ap.add_argument("--without-pb", action="store_true", help="the documents without their page breaks")
    ap.add_argument("--serialisation", action="store_true",
                    help="what writing the output costs: the markup's serialisation, Saxon's cost per file")
    ap.add_argument("--parts", help="only these probes, comma-separated, e.g. 'unit pages,item TEI files'")
    ap.add_argument("--median", action="store_true", help="the median of the runs (default: the least)")
    ap.add_argument("--pages", default="all", choices=("all", "no-search", "search"),
                    help="the transform's pages parameter (no-search: the build's second process)")
    ap.add_argument("--out", type=Path, help="write the files under this folder (default: the temporary one)")
    args = ap.parse_args(argv)
    chosen = [p for p in PROBES if p.strip() in (args.parts or "").split(",")]
    parts = ["the whole transform", *chosen] if args.whole or args.parts else list(PROBES)
    if args.alone:
        parts = [p for p in parts if p in ALONE] if args.parts or args.whole else list(ALONE)
    if args.serialisation:
        parts = list(SERIALISATION)
    sizes = [float(s) for s in args.sizes.split(",")]
    trees = {"this tree": args.own}
    if args.xslt:
        trees["other"] = args.xslt
    if args.out:
        args.out.mkdir(parents=True, exist_ok=True)
    best = measure(sizes, args.runs, trees, parts, args.without_pb, args.alone, args.without_ids,
                   args.median, args.pages, args.out)
    print(table(best, sizes, list(trees), parts, args.alone, args.median))
    return 0


if __name__ == "__main__":
    sys.exit(main())

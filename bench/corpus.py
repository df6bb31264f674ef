"""Generated TEI corpora for the scaling measurements (written to a temp folder).

Templates: the edition (or, until it exists, the miniature fixture) and every
document of ``../shared/corpus/`` that jing judged valid against tei_all. Each
generated document is a template with varied content, kept valid:

* the text of every ``p`` is rotated by a document-dependent amount (text only:
  no element or attribute changes, so validity is unchanged);
* 0–3 paragraphs that sit directly in a ``div``/``body`` are duplicated right
  after themselves, with every ``xml:id`` in the copy made unique.

:func:`large_document` repeats the edition's body to a target size, with
``xml:id`` suffixed per copy and page numbers continued.
"""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from tei_tools import paths, xmlio

TEI = xmlio.TEI_NS
XML_ID = f"{{{xmlio.XML_NS}}}id"
REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
CORPUS = SHARED / "corpus"
TEI_ALL = SHARED / "tei-p5" / "tei_all.rng"
MINI = REPO / "tests" / "fixtures" / "edition-mini.xml"
_DIV_PARENTS = {f"{{{TEI}}}{n}" for n in ("body", "div", "div1", "div2", "div3", "div4", "back", "front")}


@dataclass(frozen=True)
class Template:
    name: str
    data: bytes


def edition_path() -> Path:
    """The real edition when it has landed, else the miniature fixture."""
    real = paths.edition_file()
    return real if real.is_file() else MINI


def templates() -> list[Template]:
    out = [Template(edition_path().name, edition_path().read_bytes())]
    manifest = json.loads((CORPUS / "manifest.json").read_text(encoding="utf-8"))
    for name in sorted(manifest):
        if manifest[name].get("valid_tei_all_jing"):
            out.append(Template(name, (CORPUS / name).read_bytes()))
    return out


def _rotate(text: str | None, k: int) -> str | None:
    if not text or not text.strip():
        return text
    k %= len(text)
    return text[k:] + text[:k]


def _suffix_ids(tree_or_el: etree._Element, suffix: str) -> None:
    for el in tree_or_el.iter():
        if isinstance(el.tag, str) and el.get(XML_ID):
            el.set(XML_ID, el.get(XML_ID) + suffix)


def vary(template: Template, i: int) -> bytes:
    """Document number ``i`` made from ``template`` (deterministic)."""
    tree = xmlio.parse_bytes(template.data, template.name)
    paras = [p for p in tree.iter(f"{{{TEI}}}p")]
    for p in paras:
        p.text = _rotate(p.text, i)
        for child in p:
            child.tail = _rotate(child.tail, i + 1)
    candidates = [p for p in paras if p.getparent() is not None and p.getparent().tag in _DIV_PARENTS]
    for k in range(i % 4):
        if not candidates:
            break
        p = candidates[(i * 7 + k * 13) % len(candidates)]
        dup = copy.deepcopy(p)
        _suffix_ids(dup, f"-v{i}x{k}")
        dup.tail = p.tail
        p.addnext(dup)
    return etree.tostring(tree, xml_declaration=True, encoding="UTF-8")


def make_corpus(folder: Path, n: int) -> list[Path]:
    """Write ``n`` varied documents into ``folder``; return their paths in order."""
    folder.mkdir(parents=True, exist_ok=True)
    temps = templates()
    out = []
    for i in range(n):
        t = temps[i % len(temps)]
        path = folder / f"doc-{i:05d}.xml"
        path.write_bytes(vary(t, i))
        out.append(path)
    return out


def large_document(target_bytes: int) -> bytes:
    """The edition with its body repeated until the file reaches ``target_bytes``."""
    data = edition_path().read_bytes()
    tree = xmlio.parse_bytes(data, "edition")
    body = tree.find(f".//{{{TEI}}}body")
    originals = [copy.deepcopy(c) for c in body]
    pbs = [int(pb.get("n")) for pb in body.iter(f"{{{TEI}}}pb") if (pb.get("n") or "").isdigit()]
    page_span = (max(pbs) if pbs else 0) + 1
    size = len(data)
    copy_no = 0
    one_copy = sum(len(etree.tostring(c, encoding="UTF-8")) for c in originals) or 1
    while size < target_bytes:
        copy_no += 1
        for child in originals:
            dup = copy.deepcopy(child)
            _suffix_ids(dup, f"-r{copy_no}")
            for pb in dup.iter(f"{{{TEI}}}pb"):
                n = pb.get("n") or ""
                if n.isdigit():
                    pb.set("n", str(int(n) + copy_no * page_span))
            body.append(dup)
        size += one_copy
    return etree.tostring(tree, xml_declaration=True, encoding="UTF-8")

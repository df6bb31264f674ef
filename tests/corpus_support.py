"""A small generated corpus for the ``test_corpus_*``, ``test_executor*`` and
``test_dask_*`` modules: variants of the miniature edition, seeded, in sub-folders.

Document ``i`` is the miniature with its ``idno`` and the text of one paragraph
made its own (text only: still valid); every ``invalid_every``-th has an
attribute the grammar does not allow on a ``p``; ``malformed`` documents are
cut short.
"""

from __future__ import annotations

from pathlib import Path

from lxml import etree

from tei_tools import xmlio

from conftest import MINI

TEI = xmlio.TEI_NS


def variant(i: int, invalid: bool = False) -> bytes:
    tree = xmlio.parse_file(MINI)
    idno = tree.find(f".//{{{TEI}}}idno")
    assert idno is not None
    idno.text = f"{idno.text}-{i:04d}"
    paras = [p for p in tree.iter(f"{{{TEI}}}p") if p.text and p.text.strip()]
    target = paras[(i * 7) % len(paras)]
    target.text = f"（第{i}份）{target.text}"
    if invalid:
        target.set("bogus", f"v{i}")
    return etree.tostring(tree, xml_declaration=True, encoding="UTF-8")


def make_corpus(folder: Path, n: int, invalid_every: int = 0, malformed: int = 0) -> list[Path]:
    """``n`` documents in ``folder/part-K/doc-NNNN.xml`` (input order = sorted order)."""
    out = []
    for i in range(n):
        path = folder / f"part-{i // 10}" / f"doc-{i:04d}.xml"
        path.parent.mkdir(parents=True, exist_ok=True)
        data = variant(i, invalid=bool(invalid_every) and i % invalid_every == invalid_every - 1)
        if i >= n - malformed:
            data = data[: len(data) // 2]
        path.write_bytes(data)
        out.append(path)
    return out

"""Does a pruned tei_all give lxml the same verdicts, and how fast does it compile?

Compares, on the 16 documents of ``../shared/corpus/``, the edition, and
random mutants of all of them (elements renamed, deleted, unwrapped,
duplicated; attributes added with plausible and implausible values):

* jing against the full ``tei_all.rng`` (one process for all files);
* lxml against the full ``tei_all.rng`` (compiled once);
* lxml against ``tei_all.rng`` pruned to the names each document uses
  (:mod:`tei_tools.validation.prune`, compiled per document);
* lxml against jing's simplified grammar (``jing -s``), for its compile time.

Run alone: ``.venv/bin/python bench/prune_check.py`` (prints JSON).
"""

from __future__ import annotations

import copy
import json
import random
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from lxml import etree

sys.path.insert(0, str(Path(__file__).parent))
import corpus  # noqa: E402
from tei_tools.validation import prune as rng_prune  # noqa: E402

from tei_tools import xmlio  # noqa: E402

_NAMES = ["p", "hi", "list", "item", "head", "div", "note", "date", "persName", "bogus",
          "lg", "l", "table", "row", "cell", "ab", "seg", "title", "bibl", "figure", "pb"]
_ATTRS = [("rend", "bold"), ("type", "x"), ("n", "1"), ("when", "2020-13-45"),
          ("when", "2007-05-25"), ("bogus", "1"), ("unit", "page"), ("cert", "maybe"),
          ("cert", "high"), ("ref", "#nowhere"), ("{http://www.w3.org/XML/1998/namespace}lang", "zh")]


def _mutate(data: bytes, name: str, rng: random.Random) -> bytes:
    tree = xmlio.parse_bytes(data, name)
    els = [e for e in tree.iter() if isinstance(e.tag, str) and e.getparent() is not None]
    el = rng.choice(els)
    kind = rng.randrange(5)
    if kind == 0:
        el.tag = f"{{{xmlio.TEI_NS}}}{rng.choice(_NAMES)}"
    elif kind == 1:
        parent = el.getparent()
        if el.tail:
            prev = el.getprevious()
            if prev is not None:
                prev.tail = (prev.tail or "") + el.tail
            else:
                parent.text = (parent.text or "") + el.tail
        parent.remove(el)
    elif kind == 2:
        key, value = rng.choice(_ATTRS)
        el.set(key, value)
    elif kind == 3:
        dup = copy.deepcopy(el)
        dup.tail = None
        for d in dup.iter():
            if isinstance(d.tag, str) and d.get(corpus.XML_ID):
                d.set(corpus.XML_ID, d.get(corpus.XML_ID) + "-dup")
        el.addnext(dup)
    else:
        parent = el.getparent()
        idx = parent.index(el)
        for child in reversed(list(el)):
            parent.insert(idx + 1, child)
        parent.remove(el)
    return etree.tostring(tree, xml_declaration=True, encoding="UTF-8")


def _jing_verdicts(schema: Path, files: list[Path]) -> dict[str, bool]:
    res = subprocess.run(["jing", str(schema), *map(str, files)], capture_output=True, text=True)
    bad = set()
    for line in res.stdout.splitlines():
        m = re.match(r"(.+?):\d+:\d+: (?:error|fatal)", line)
        if m:
            bad.add(Path(m.group(1)).name)
    return {f.name: f.name not in bad for f in files}


def run(mutants_per_file: int = 10, seed: int = 7, include_simplified: bool = True) -> dict:
    rng = random.Random(seed)
    grammar = etree.parse(str(corpus.TEI_ALL))
    result: dict = {}
    t = time.perf_counter()
    full = etree.RelaxNG(grammar)
    result["compile_full_s"] = time.perf_counter() - t

    if include_simplified:
        with tempfile.TemporaryDirectory() as tmp:
            simp = Path(tmp) / "simplified.rng"
            t = time.perf_counter()
            with simp.open("wb") as fh:
                subprocess.run(["jing", "-s", str(corpus.TEI_ALL)], stdout=fh, check=True)
            result["jing_simplify_s"] = time.perf_counter() - t
            result["simplified_bytes"] = simp.stat().st_size
            sg = etree.parse(str(simp))
            t = time.perf_counter()
            etree.RelaxNG(sg)
            result["compile_simplified_s"] = time.perf_counter() - t

    sources = sorted(corpus.CORPUS.glob("*.xml")) + [corpus.edition_path()]
    if corpus.edition_path() != corpus.MINI:
        sources.append(corpus.MINI)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        files: list[tuple[Path, str]] = []
        for src in sources:
            data = src.read_bytes()
            target = folder / src.name
            target.write_bytes(data)
            files.append((target, "original"))
            for k in range(mutants_per_file):
                m = folder / f"{src.stem}__m{k:02d}.xml"
                m.write_bytes(_mutate(data, src.name, rng))
                files.append((m, "mutant"))
        jing = _jing_verdicts(corpus.TEI_ALL, [f for f, _ in files])
        rows = []
        prune_times, compile_times = [], []
        for f, kind in files:
            try:
                doc = xmlio.parse_file(f)
            except Exception as exc:  # duplicate ids etc. are parse errors in libxml2
                rows.append({"file": f.name, "kind": kind, "jing": jing[f.name], "full": False,
                             "pruned": False, "parse_error": str(exc)[:120]})
                continue
            v_full = full.validate(doc)
            t0 = time.perf_counter()
            elements, attributes = rng_prune.used_names(doc)
            pruned = rng_prune.prune(grammar, elements, attributes)
            t1 = time.perf_counter()
            schema = etree.RelaxNG(pruned)
            t2 = time.perf_counter()
            prune_times.append(t1 - t0)
            compile_times.append(t2 - t1)
            rows.append({"file": f.name, "kind": kind, "jing": jing[f.name], "full": v_full,
                         "pruned": schema.validate(doc)})
    result["documents"] = len(rows)
    result["originals"] = sum(r["kind"] == "original" for r in rows)
    result["mutants"] = sum(r["kind"] == "mutant" for r in rows)
    result["invalid_by_jing"] = sum(not r["jing"] for r in rows)
    result["pruned_eq_full"] = sum(r["pruned"] == r["full"] for r in rows)
    result["pruned_eq_jing"] = sum(r["pruned"] == r["jing"] for r in rows)
    result["full_eq_jing"] = sum(r["full"] == r["jing"] for r in rows)
    result["disagreements"] = [r for r in rows if len({r["jing"], r["full"], r["pruned"]}) > 1]
    if prune_times:
        result["prune_median_s"] = sorted(prune_times)[len(prune_times) // 2]
        result["compile_pruned_median_s"] = sorted(compile_times)[len(compile_times) // 2]
        result["compile_pruned_max_s"] = max(compile_times)
    return result


if __name__ == "__main__":
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 10
    print(json.dumps(run(n), indent=1, ensure_ascii=False))

"""Prototype validator: lxml + tei_all pruned to the names of the documents.

Shows what ``tei-tools validate --schema tei_all.rng`` can cost with the
pruning of :mod:`tei_tools.validation.prune` (verdicts only; messages are the validator's job).

    python bench/proto_validate.py [--workers K] [--batch] SCHEMA.rng FILE...

Per document (default) the grammar is pruned to that document's names and
compiled once per distinct set of names (documents made alike share it); with
``--batch`` once to the union of the names of all documents a worker gets.
Prints ``file: valid|invalid`` per file, exits 0 if all are valid, else 1.
"""

from __future__ import annotations

import argparse
import multiprocessing
import sys
from pathlib import Path

from lxml import etree

sys.path.insert(0, str(Path(__file__).parent))
from tei_tools.validation import prune as rng_prune  # noqa: E402

from tei_tools import xmlio  # noqa: E402

_GRAMMAR: etree._ElementTree | None = None


def _grammar(path: str) -> etree._ElementTree:
    global _GRAMMAR
    if _GRAMMAR is None:
        _GRAMMAR = xmlio.parse_file(path)
    return _GRAMMAR


def validate_chunk(args: tuple[str, list[str], bool]) -> list[tuple[str, bool]]:
    schema_path, files, batch = args
    grammar = _grammar(schema_path)
    if batch:  # all documents of the chunk in memory: one grammar for their union of names
        docs = [(f, _parse(f)) for f in files]
        e, a = rng_prune.union_names(d for _, d in docs if d is not None)
        schema = etree.RelaxNG(rng_prune.prune(grammar, e, a))
        return [(f, d is not None and schema.validate(d)) for f, d in docs]
    out = []
    for f in files:  # one document in memory at a time
        d = _parse(f)
        out.append((f, d is not None and _schema_for(grammar, *rng_prune.used_names(d)).validate(d)))
    return out


def _parse(path: str) -> etree._ElementTree | None:
    try:
        return xmlio.parse_file(path)
    except Exception:  # not well-formed, too large…: invalid
        return None


_CACHE: dict[tuple[frozenset, frozenset], etree.RelaxNG] = {}


def _schema_for(grammar: etree._ElementTree, elements: set, attributes: set) -> etree.RelaxNG:
    """The pruned grammar for this set of names, compiled once per process."""
    key = (frozenset(elements), frozenset(attributes))
    schema = _CACHE.get(key)
    if schema is None:
        if len(_CACHE) >= 256:
            _CACHE.clear()
        schema = _CACHE[key] = etree.RelaxNG(rng_prune.prune(grammar, elements, attributes))
    return schema


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--workers", type=int, default=1)
    ap.add_argument("--batch", action="store_true")
    ap.add_argument("schema")
    ap.add_argument("files", nargs="+")
    ns = ap.parse_args(argv)
    k = max(1, ns.workers)
    if k == 1:
        results = validate_chunk((ns.schema, ns.files, ns.batch))
    else:
        size = max(1, min(50, len(ns.files) // (k * 4) or 1))
        chunks = [ns.files[i:i + size] for i in range(0, len(ns.files), size)]
        with multiprocessing.get_context("fork").Pool(k) as pool:
            results = [r for part in pool.imap(validate_chunk, [(ns.schema, c, ns.batch) for c in chunks])
                       for r in part]
    for f, ok in results:
        print(f"{f}: {'valid' if ok else 'invalid'}")
    return 0 if all(ok for _, ok in results) else 1


if __name__ == "__main__":
    sys.exit(main())

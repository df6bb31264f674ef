"""Which grammar a TEI document asks to be validated with.

TEI documents name their schema with the W3C ``<?xml-model?>`` processing
instruction (what oXygen and the TEI Guidelines use). ``tei-tools build``
validates before publishing and picks its grammar by :func:`schema_for`:

1. a RELAX NG grammar (XML syntax) declared by ``<?xml-model?>`` that exists
   on disk, resolved against the document;
2. else, for a document of the edition folder, the project's grammar;
3. else ``tei_all`` (shipped as ``schema/tei_all.rng``): any valid TEI builds.

``tei-tools validate`` keeps its own, explicit default (the project's schema).
"""

from __future__ import annotations

import re
from pathlib import Path

from lxml import etree

from tei_tools import paths

RELAXNG_NS = "http://relaxng.org/ns/structure/1.0"
TEI_ALL = "tei_all.rng"
_PSEUDO_ATTR = re.compile(r'(\w+)\s*=\s*(?:"([^"]*)"|\'([^\']*)\')')


def declared_relaxng(tree: etree._ElementTree, document: Path) -> Path | None:
    """The first local RELAX NG grammar (XML syntax) an ``xml-model`` PI declares."""
    node = tree.getroot().getprevious()
    pis: list[etree._ProcessingInstruction] = []
    while node is not None:
        if isinstance(node, etree._ProcessingInstruction) and node.target == "xml-model":
            pis.append(node)
        node = node.getprevious()
    for pi in reversed(pis):
        attrs = {m.group(1): m.group(2) if m.group(2) is not None else m.group(3)
                 for m in _PSEUDO_ATTR.finditer(pi.text or "")}
        href = attrs.get("href", "")
        if attrs.get("schematypens") != RELAXNG_NS or not href.endswith(".rng"):
            continue
        if re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", href):  # a URL: never fetched
            continue
        candidate = (document.parent / href).resolve()
        if candidate.is_file():
            return candidate
    return None


def tei_all() -> Path:
    return paths.schema_dir() / TEI_ALL


def schema_for(tree: etree._ElementTree, document: Path) -> Path | None:
    """The grammar to validate ``document`` with; ``None`` means the project's."""
    declared = declared_relaxng(tree, document)
    if declared is not None:
        return declared
    edition = paths.edition_dir().resolve()
    if document.resolve().is_relative_to(edition):
        return None
    return tei_all()

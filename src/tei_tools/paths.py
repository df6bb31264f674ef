"""Where tei-tools finds its own resources and the edition.

``xslt/`` and ``schema/`` sit at the top of the repository; a wheel carries
them as package data under ``tei_tools/data/``. One function, one answer.
"""

from __future__ import annotations

import os
from importlib import resources
from pathlib import Path

_REPO = Path(__file__).resolve().parents[2]


def resource_dir(name: str) -> Path:
    """The folder ``xslt`` or ``schema``, installed or in a source checkout."""
    packaged = Path(str(resources.files("tei_tools"))) / "data" / name
    if packaged.is_dir():
        return packaged
    return _REPO / name


def xslt_dir() -> Path:
    return resource_dir("xslt")


def schema_dir() -> Path:
    return resource_dir("schema")


def edition_dir() -> Path:
    """The edition's TEI folder (``tei/`` of the checkout or the current folder)."""
    for candidate in (Path.cwd() / "tei", _REPO / "tei"):
        if candidate.is_dir():
            return candidate
    return Path.cwd() / "tei"


EDITION_FILE = "taijiang-dangjian-2007.xml"


def edition_file() -> Path:
    """The edition's main TEI document."""
    return edition_dir() / EDITION_FILE


def cache_dir(kind: str) -> Path:
    """The user's cache folder for ``kind`` (compiled ODDs, covers): under
    ``$TEI_TOOLS_CACHE``, else ``$XDG_CACHE_HOME/tei-tools`` or ``~/.cache/tei-tools``.
    Callers treat a cache they cannot write as no cache."""
    if os.environ.get("TEI_TOOLS_CACHE"):
        return Path(os.environ["TEI_TOOLS_CACHE"]) / kind
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "tei-tools" / kind

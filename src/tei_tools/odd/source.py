"""The TEI's compiled specification (``p5subset.xml``), indexed for customising.

An ODD customises a *source*: by default the ``p5subset.xml`` shipped in the
package (TEI P5 4.9.0a), or a local file named by ``--source`` or by
``@source`` on ``schemaSpec``/``moduleRef``/a spec. The network is never used:
an ``http:`` source is refused.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from tei_tools import paths, xmlio
from tei_tools.odd.errors import OddError
from tei_tools.odd.names import SPEC_KINDS, TEI, first, local, t

P5SUBSET = "p5subset.xml"


def default_source() -> Path:
    """The packaged ``p5subset.xml``."""
    return paths.schema_dir() / P5SUBSET


@dataclass
class Source:
    """One loaded specification: every spec by ident, and module membership."""

    path: Path
    tree: etree._ElementTree
    specs: dict[str, etree._Element] = field(default_factory=dict)
    modules: dict[str, list[etree._Element]] = field(default_factory=dict)
    default_exceptions: str = f"{TEI} teix:egXML"
    edition: str = ""

    def spec(self, ident: str) -> etree._Element | None:
        return self.specs.get(ident)


def load_source(path: str | os.PathLike[str]) -> Source:
    """Read and index a compiled TEI specification (hardened parser)."""
    p = Path(path)
    tree = xmlio.parse_file(p)
    root = tree.getroot()
    if root.tag != t("TEI"):
        raise OddError(str(p), f"not a TEI specification (root <{local(root)}>, "
                               "expected <TEI> as in p5subset.xml)", line=root.sourceline,
                       code="ODD-SOURCE")
    source = Source(p, tree)
    for el in root.iter(*(t(k) for k in SPEC_KINDS)):
        ident = el.get("ident")
        if not ident or ident in source.specs:
            continue
        source.specs[ident] = el
        source.modules.setdefault(el.get("module") or "", []).append(el)
    for att in root.iter(t("attDef")):
        if att.get("ident") == "defaultExceptions":
            att_list = att.getparent()
            spec = att_list.getparent() if att_list is not None else None
            value = first(att, "defaultVal")
            if spec is not None and spec.get("ident") == "schemaSpec" and value is not None:
                source.default_exceptions = " ".join((value.text or "").split())
    edition = root.find(f"{t('teiHeader')}/{t('fileDesc')}/{t('editionStmt')}/{t('edition')}")
    if edition is not None:
        source.edition = " ".join("".join(edition.itertext()).split())
    return source


def resolve_source(value: str, base: Path, file: str, line: int | None) -> Path:
    """The local file a ``@source`` names (relative to the ODD); never the network."""
    if value.startswith(("http:", "https:", "tei:")):
        raise OddError(file, f'@source="{value}" names a remote specification; only a local '
                             "file is read (never the network): use --source FILE",
                       line=line, code="ODD-SOURCE")
    target = value[len("file://"):] if value.startswith("file://") else value
    path = Path(target) if Path(target).is_absolute() else (base.parent / target)
    if not path.is_file():
        raise OddError(file, f'@source="{value}": no such file {path}', line=line,
                       code="ODD-SOURCE")
    return path

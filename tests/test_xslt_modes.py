"""Every mode the XSLT uses is declared (issue #15; the house style: declared modes).

Each stylesheet run on its own (a module no other module imports, includes
or uses as a package: found from the files, not listed) is read with its whole
import tree (the packages it uses included, found through
``xslt/packages.xml``). Every mode a template is in (``xsl:template/@mode``, the unnamed mode
for a matching template without one) and every mode an
``xsl:apply-templates`` switches to must have an ``xsl:mode`` in that tree;
each module declares its modes at its top, before its first template or
function.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

from conftest import REPO

XSL = "http://www.w3.org/1999/XSL/Transform"
XSLT = REPO / "xslt"
UNNAMED = "#unnamed"


def read(path: Path) -> etree._Element:
    return etree.parse(str(path), etree.XMLParser(resolve_entities=False, no_network=True)).getroot()


def packages() -> dict[str, Path]:
    """Package name → its module, from the Saxon configuration the session uses."""
    config = XSLT / "packages.xml"
    return {e.get("name"): (config.parent / e.get("sourceLocation")).resolve()
            for e in read(config).iter("{http://saxon.sf.net/ns/configuration}package")}


def references(path: Path) -> list[Path]:
    """The modules ``path`` imports, includes or uses as a package."""
    found = [(path.parent / e.get("href")).resolve()
             for e in read(path) if e.tag in (f"{{{XSL}}}import", f"{{{XSL}}}include")]
    return found + [packages()[e.get("name")] for e in read(path)
                    if e.tag == f"{{{XSL}}}use-package"]


def tree(entry: Path) -> list[Path]:
    """``entry`` and every module it reaches through xsl:import/xsl:include."""
    seen: list[Path] = []
    todo = [entry.resolve()]
    while todo:
        path = todo.pop()
        if path not in seen:
            seen.append(path)
            todo.extend(references(path))
    return seen


def entries() -> list[Path]:
    modules = sorted(p.resolve() for p in XSLT.rglob("*.xsl"))
    referenced = {r for m in modules for r in references(m)}
    return [m for m in modules if m not in referenced]


def qualified(token: str, nsmap: dict[str | None, str]) -> str:
    """A mode's name in Clark notation ({uri}local), the unnamed mode as #unnamed."""
    if token in ("#default", "#unnamed"):
        return UNNAMED
    if ":" in token:
        prefix, local = token.split(":", 1)
        return f"{{{nsmap[prefix]}}}{local}"
    return token


def used_modes(element: etree._Element) -> set[str]:
    """The modes a template is in or an apply-templates switches to (a missing
    @mode: the unnamed mode, no module setting default-mode)."""
    value = element.get("mode")
    if value is None:
        matching = etree.QName(element).localname == "apply-templates" or element.get("match")
        return {UNNAMED} if matching else set()
    return {qualified(t, element.nsmap) for t in value.split() if t not in ("#all", "#current")}


def modes_in(path: Path) -> tuple[set[str], set[str]]:
    """(declared, used) modes of one module."""
    declared: set[str] = set()
    used: set[str] = set()
    for element in read(path).iter(f"{{{XSL}}}mode", f"{{{XSL}}}template", f"{{{XSL}}}apply-templates"):
        if element.tag == f"{{{XSL}}}mode":
            declared.add(qualified(element.get("name") or UNNAMED, element.nsmap))
        else:
            used |= used_modes(element)
    return declared, used


def test_the_stylesheets_are_found_from_the_files() -> None:
    names = {p.relative_to(XSLT.resolve()).as_posix() for p in entries()}
    assert {"html/edition.xsl", "epub/epub.xsl", "text/text.xsl", "query/facts.xsl"} <= names
    assert "core/core.xsl" not in names and "html/render.xsl" not in names
    assert {"core/core.xsl", "html/render.xsl"} == {
        p.relative_to(XSLT.resolve()).as_posix() for p in packages().values()}


@pytest.mark.parametrize("entry", entries(), ids=lambda p: p.relative_to(XSLT.resolve()).as_posix())
def test_every_mode_used_is_declared(entry: Path) -> None:
    declared: set[str] = set()
    used: dict[str, set[str]] = {}
    for module in tree(entry):
        d, u = modes_in(module)
        declared |= d
        for mode in u:
            used.setdefault(mode, set()).add(module.name)
    missing = {mode: sorted(where) for mode, where in used.items() if mode not in declared}
    assert not missing, f"modes used but never declared with xsl:mode: {missing}"


@pytest.mark.parametrize("module", sorted(XSLT.rglob("*.xsl")), ids=lambda p: p.relative_to(XSLT).as_posix())
def test_modes_are_declared_at_the_top_of_their_module(module: Path) -> None:
    kids = [e for e in read(module) if isinstance(e.tag, str)]
    first_code = next((i for i, e in enumerate(kids)
                       if e.tag in (f"{{{XSL}}}template", f"{{{XSL}}}function")), len(kids))
    late = [e.get("name") or UNNAMED for e in kids[first_code:] if e.tag == f"{{{XSL}}}mode"]
    assert not late, f"xsl:mode after the first template or function: {late}"


def test_the_check_sees_an_undeclared_mode(tmp_path: Path) -> None:
    """The check itself: a template in a mode nobody declares, in an included module."""
    (tmp_path / "part.xsl").write_text(
        f'<xsl:stylesheet version="3.0" xmlns:xsl="{XSL}" xmlns:tt="urn:x-tei-tools">'
        '<xsl:template match="*" mode="tt:lost" as="empty-sequence()"/></xsl:stylesheet>')
    (tmp_path / "main.xsl").write_text(
        f'<xsl:stylesheet version="3.0" xmlns:xsl="{XSL}" xmlns:t="urn:x-tei-tools">'
        '<xsl:include href="part.xsl"/><xsl:mode name="t:found"/>'
        '<xsl:template match="/" as="empty-sequence()"><xsl:apply-templates mode="t:found"/></xsl:template>'
        '</xsl:stylesheet>')
    declared: set[str] = set()
    used: set[str] = set()
    for module in tree(tmp_path / "main.xsl"):
        d, u = modes_in(module)
        declared |= d
        used |= u
    assert "{urn:x-tei-tools}found" in declared
    assert used - declared == {"{urn:x-tei-tools}lost", UNNAMED}

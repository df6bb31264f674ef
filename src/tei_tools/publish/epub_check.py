"""Structural checks of an EPUB's files, run by the writer before it writes.

Not a replacement for EPUBCheck (which the test suite runs on every EPUB it
builds, Java being a test-only dependency): these are the checks that catch
what a bug in our XSLT or an unusual TEI document could break, so that
:func:`tei_tools.publish.epub.write` refuses to write an EPUB instead of
writing a broken one:

* every file is well-formed XML (parsed by :func:`_parse`: these are our
  own stylesheets' output, so the checks :mod:`tei_tools.xmlio` makes of a
  user's file are not repeated; entities, DTDs and the network stay off);
* the package document has its unique identifier, title, language and
  ``dcterms:modified``; every manifest item exists, every file is in the
  manifest, every spine ``idref`` names a manifest item;
* every content document is XHTML with ``lang`` = ``xml:lang``, a
  non-empty ``<title>``, unique ids;
* every local link and page-list entry resolves to a file of the manifest and
  to an id in it; nothing refers outside the container but ``http(s):`` and
  ``mailto:`` hyperlinks (no remote images, scripts or style sheets);
* the navigation document has exactly one ``toc`` nav.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Mapping
from urllib.parse import unquote, urlsplit

from lxml import etree

from tei_tools.errors import XmlInputError

OPF = "http://www.idpf.org/2007/opf"
DC = "http://purl.org/dc/elements/1.1/"
XHTML = "http://www.w3.org/1999/xhtml"
EPUB_NS = "http://www.idpf.org/2007/ops"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_MODIFIED = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")
_EXTERNAL = re.compile(r"^(https?|mailto):", re.IGNORECASE)
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:")
_LINKS = ("href", "src", "poster", "data")
_LINKING = "//*[" + " or ".join(f"@{a}" for a in _LINKS) + "]"
"""The elements that carry a reference (document order, as ``iter()``)."""
_NO_IDS: frozenset[str] = frozenset()
_H = {"h": XHTML}
_ID_VALUES = etree.XPath("//@id", smart_strings=False)
_EXTERNAL_OK = etree.XPath("//h:a/@href | //h:area/@href", namespaces=_H, smart_strings=False)
"""The references that may be ``http(s):`` or ``mailto:`` hyperlinks."""
_CONTAINED = etree.XPath("//@href[not(parent::h:a or parent::h:area)] | //@src | //@poster | //@data",
                         namespaces=_H, smart_strings=False)
"""The references that must stay inside the container."""


_UNPLAIN = re.compile(r"[?\t\r\n]|^//")
"""What only ``urlsplit`` splits right (a query, an authority, characters it strips)."""
_NOT_PLAIN = re.compile(r"[:%]|" + _UNPLAIN.pattern)
"""A reference that is not a plain ``file#id`` or ``#id`` (a scheme, an escape, or
what only ``urlsplit`` splits right): judged alone by ``verdict``."""


def _parse(data: bytes, name: str) -> etree._ElementTree:
    """A member's tree; :class:`XmlInputError` (file:line:col) when it is not
    well-formed. libxml2 as :mod:`tei_tools.xmlio` sets it up (no entity
    expansion, no DTD, no network, deep trees), without its prescan."""
    parser = etree.XMLParser(resolve_entities=False, load_dtd=False, no_network=True,
                             huge_tree=True, collect_ids=False)
    try:
        return etree.fromstring(data, parser, base_url=name).getroottree()
    except etree.XMLSyntaxError as exc:
        line, column = exc.position if exc.position else (None, None)
        message = (exc.msg or "not well-formed").strip().split(", line ")[0]
        raise XmlInputError(name, f"not well-formed XML: {message}", line=line, column=column,
                            code="XML-SYNTAX") from None


def _split(value: str) -> tuple[str, str]:
    """(path, fragment) of a reference without a scheme, as ``urlsplit`` gives
    them; the plain ``file#id`` and ``#id`` of our own links without it."""
    if _UNPLAIN.search(value):
        parts = urlsplit(value)
        return parts.path, parts.fragment
    path, _, fragment = value.partition("#")
    return path, fragment


def check_package(files: Mapping[str, bytes], package_path: str) -> list[str]:
    """Problems found in ``files`` (container path → bytes); empty when sound."""
    problems: list[str] = []
    trees: dict[str, etree._ElementTree] = {}
    for name, data in files.items():
        if name.endswith((".opf", ".xhtml", ".xml")):
            try:
                trees[name] = _parse(data, name)
            except XmlInputError as exc:
                problems.append(exc.located())
    if package_path not in trees:
        return [*problems, f"{package_path}: the package document is missing or unreadable"]
    opf = trees[package_path].getroot()

    resolved: dict[tuple[str, str], str] = {}

    def resolve(from_file: str, href: str) -> str:
        # tens of thousands of links in a large book name a few hundred files
        key = (from_file, href)
        found = resolved.get(key)
        if found is None:
            found = resolved[key] = posixpath.normpath(
                posixpath.join(posixpath.dirname(from_file), unquote(href)))
        return found

    ns = {"opf": OPF, "dc": DC}
    uid = opf.get("unique-identifier")
    if not uid or not opf.xpath("opf:metadata/dc:identifier[@id=$u]", namespaces=ns, u=uid or ""):
        problems.append(f"{package_path}: no dc:identifier is the unique-identifier")
    for what in ("dc:title", "dc:language"):
        if not [e for e in opf.xpath(f"opf:metadata/{what}", namespaces=ns) if (e.text or "").strip()]:
            problems.append(f"{package_path}: no {what}")
    modified = opf.xpath("opf:metadata/opf:meta[@property='dcterms:modified']", namespaces=ns)
    if len(modified) != 1 or not _MODIFIED.match((modified[0].text or "").strip()):
        problems.append(f"{package_path}: dcterms:modified missing or not CCYY-MM-DDThh:mm:ssZ")

    manifest: dict[str, str] = {}
    media: dict[str, str] = {}
    nav_files: list[str] = []
    for item in opf.xpath("opf:manifest/opf:item", namespaces=ns):
        path = resolve(package_path, item.get("href", ""))
        manifest[item.get("id", "")] = path
        media[path] = item.get("media-type", "")
        if "nav" in (item.get("properties") or "").split():
            nav_files.append(path)
        if path not in files:
            problems.append(f"{package_path}: manifest item {item.get('href')} is not in the container")
    for name in files:
        if name != package_path and name not in media:
            problems.append(f"{name}: in the container but not in the manifest")
    spine = opf.xpath("opf:spine/opf:itemref/@idref", namespaces=ns)
    if not spine:
        problems.append(f"{package_path}: empty spine")
    for idref in spine:
        if idref not in manifest:
            problems.append(f"{package_path}: spine itemref {idref} names no manifest item")
    if len(nav_files) != 1:
        problems.append(f"{package_path}: {len(nav_files)} navigation documents (need exactly one)")

    ids: dict[str, set[str]] = {}
    for name, tree in trees.items():
        if media.get(name) != "application/xhtml+xml":
            continue
        root = tree.getroot()
        if root.tag != f"{{{XHTML}}}html":
            problems.append(f"{name}: root is not an XHTML html element")
            continue
        lang, xml_lang = root.get("lang"), root.get(XML_LANG)
        if not lang or lang != xml_lang:
            problems.append(f"{name}: lang and xml:lang must both be set and equal")
        titles = root.xpath("h:head/h:title", namespaces={"h": XHTML})
        if not titles or not "".join(titles[0].itertext()).strip():
            problems.append(f"{name}: empty or missing <title>")
        values = _ID_VALUES(root)
        seen: set[str] = set(values)
        if len(seen) != len(values):  # found again, element by element, to name the lines
            seen = set()
            for element in root.xpath("//*[@id]"):
                value = element.get("id")
                if value in seen:
                    problems.append(f"{name}:{element.sourceline}: duplicate id {value!r}")
                seen.add(value)
        ids[name] = seen
        for element in root.iter(f"{{{XHTML}}}script"):
            problems.append(f"{name}:{element.sourceline}: script in a content document")

    def verdict(name: str, attribute: str, value: str, external_ok: bool) -> str | None:
        """What is wrong with one reference of ``name`` (None: nothing)."""
        value = value.strip()
        if _SCHEME.match(value):
            if external_ok and _EXTERNAL.match(value):
                return None
            return f"reference outside the container: {value}"
        path, fragment = _split(value)
        target = resolve(name, path) if path else name
        if target not in media:
            return f"{attribute}={value!r} names no file of the manifest"
        if fragment and unquote(fragment) not in ids.get(target, _NO_IDS):
            return f"{attribute}={value!r}: no id {unquote(fragment)!r} in {target}"
        return None

    def sound(name: str, values: set[str], external_ok: bool) -> bool:
        """Whether every reference in ``values`` is sound. The plain ones
        (``file#id``, ``#id``: nearly all) are grouped by file, so each file is
        resolved once and its fragments are looked up as one set (37,000
        distinct links of a 10 MB book, 0.12 s one by one); the others, and
        any group with a fault, go through ``verdict``."""
        fragments: dict[str, set[str]] = {}
        for value in values:
            plain = value.strip()
            if _NOT_PLAIN.search(plain):
                if verdict(name, "", value, external_ok) is not None:
                    return False
                continue
            path, _, fragment = plain.partition("#")
            fragments.setdefault(path, set()).add(fragment)
        for path, wanted in fragments.items():
            target = resolve(name, path) if path else name
            if target not in media:
                return False
            wanted.discard("")
            if not wanted <= ids.get(target, _NO_IDS):
                return False
        return True

    for name, tree in trees.items():
        if name not in ids:
            continue
        root = tree.getroot()
        # each distinct reference judged once (a large book repeats its links);
        # element by element, to name the lines, only where one is wrong
        if sound(name, set(_EXTERNAL_OK(root)), True) and sound(name, set(_CONTAINED(root)), False):
            continue
        for element in root.xpath(_LINKING):
            for attribute in _LINKS:
                value = element.get(attribute)
                if value is None:
                    continue
                wrong = verdict(name, attribute, value, attribute == "href" and element.tag in (
                    f"{{{XHTML}}}a", f"{{{XHTML}}}area"))
                if wrong:
                    problems.append(f"{name}:{element.sourceline}: {wrong}")

    for nav in nav_files:
        if nav not in trees:
            continue
        tocs = trees[nav].getroot().xpath(
            "//h:nav[contains(concat(' ', @epub:type, ' '), ' toc ')]",
            namespaces={"h": XHTML, "epub": EPUB_NS})
        if len(tocs) != 1:
            problems.append(f"{nav}: {len(tocs)} toc nav elements (need exactly one)")
    return problems

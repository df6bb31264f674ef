"""Hardened XML input: the only place tei-tools turns bytes into a tree.

Every command (validate, build, query, export) reads XML through
:func:`parse_file` or :func:`parse_bytes`, so all of them refuse the same
hostile input:

* no DTD is loaded and no entity is resolved from outside the document;
* no network access, ever (``no_network``);
* a DOCTYPE whose internal subset declares only internal entities (older
  TEI: ``<!ENTITY % TEI.prose "INCLUDE">``, ``<!ENTITY mdash "&#x2014;">``) is
  read and its entities expanded within bounds (:mod:`tei_tools.dtdsubset`);
  an external entity (``SYSTEM "file:///etc/passwd"``), an expansion bomb
  ("billion laughs"), a parameter-entity reference or any other declaration
  is refused before anything is expanded, with the rule it breaks;
* a DOCTYPE that points to an external DTD is refused (it is never fetched);
* ``xi:include`` of local files inside the document's folder (or the
  ``xinclude`` root given) is expanded (:mod:`tei_tools.xinclude`); never the
  network; :func:`parse_document` says which file each line comes from;
* files larger than :data:`MAX_BYTES` are refused without being read whole;
* binary (NUL bytes) and empty files get a clear message, not a parser trace;
* elements may nest up to :data:`MAX_DEPTH` levels (libxml2's default of 256
  is raised: libxml2 never sees an entity declaration, so nothing can be
  expanded by it, and the size is bounded); deeper is refused as such
  (``XML-DEPTH``), not as "not well-formed".

Errors are raised as :class:`~tei_tools.errors.XmlInputError` with the line and
column libxml2 reports (the column only when it is known). The DOCTYPE is
inspected *before* libxml2 sees the document, so a refused declaration is
reported at its own line (``XML-ENTITY``, ``XML-DTD``) and never expanded, and
a DOCTYPE pointing to a DTD is reported at the DOCTYPE's line (``XML-DTD``).

A document that repeats an ``xml:id`` is still parsed (libxml2 refuses it when
it collects ids); :func:`duplicate_ids` lists the repeats for the validator.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from lxml import etree

from tei_tools.errors import UsageError, XmlInputError
from tei_tools.xinclude import Expansion, Part, XIncludePolicy
from tei_tools.xinclude import expand as expand_xincludes

if TYPE_CHECKING:  # imported where a DOCTYPE is read: its patterns take ~40 ms to compile
    from tei_tools import dtdsubset

TEI_NS = "http://www.tei-c.org/ns/1.0"
XML_NS = "http://www.w3.org/XML/1998/namespace"
MAX_BYTES = 64 * 1024 * 1024
"""Largest file accepted (64 MiB); larger files are refused unread."""
MAX_DEPTH = 2048
"""Deepest element nesting read (libxml2's limit with XML_PARSE_HUGE)."""
XINCLUDE = XIncludePolicy()
"""The default: expand ``xi:include`` from the document's own folder tree."""


def _parser(collect_ids: bool = True) -> etree.XMLParser:
    # XML_PARSE_HUGE lifts the depth limit to 2048 (and libxml2's entity-amplification
    # guard, which has nothing to guard: the documents it parses declare no entity).
    return etree.XMLParser(
        resolve_entities=False,
        load_dtd=False,
        dtd_validation=False,
        no_network=True,
        huge_tree=True,
        remove_blank_text=False,
        remove_comments=False,
        collect_ids=collect_ids,
    )


def read_bytes(path: str | os.PathLike[str], max_bytes: int = MAX_BYTES) -> bytes:
    """Read a file for parsing, refusing what cannot be XML before parsing it."""
    p = Path(path)
    name = str(path)
    try:
        size = p.stat().st_size
    except FileNotFoundError:
        raise UsageError(f"{name}: error: no such file") from None
    except OSError as exc:
        raise UsageError(f"{name}: error: cannot read ({exc.strerror})") from None
    if p.is_dir():
        raise UsageError(f"{name}: error: is a folder, not a file")
    if not p.is_file():
        # a device or a pipe (/dev/zero, /dev/stdin) could be endless: refused
        raise UsageError(f"{name}: error: not a regular file")
    if size > max_bytes:
        raise XmlInputError(
            name,
            f"file is {size / 1048576:.1f} MiB, larger than the limit of "
            f"{max_bytes / 1048576:.0f} MiB; refused unread",
            code="XML-TOO-LARGE",
        )
    try:
        with p.open("rb") as f:
            data = f.read(max_bytes + 1)  # never more, even if the file grew
    except OSError as exc:
        raise UsageError(f"{name}: error: cannot read ({exc.strerror})") from None
    if len(data) > max_bytes:
        raise XmlInputError(name, f"file is larger than the limit of "
                            f"{max_bytes / 1048576:.0f} MiB; refused", code="XML-TOO-LARGE")
    return data


@dataclass(frozen=True)
class ParsedXml:
    """A parsed document and the files it was expanded from (XInclude)."""

    tree: etree._ElementTree
    expansion: Expansion
    doctype: bool = False
    """The document had a DOCTYPE (its entities are expanded in the tree)."""

    @property
    def included(self) -> bool:
        return self.expansion.included

    @property
    def rewritten(self) -> bool:
        """The tree is not what the file's bytes say as such (XInclude, entities):
        whoever reads the document again must read the tree, serialised."""
        return self.included or self.doctype

    def text(self) -> str:
        """The source text the tree's lines refer to (all files when expanded)."""
        return self.expansion.text()

    def where(self, line: int | None) -> tuple[str, int | None]:
        """(file, line) of a line of the tree (see :class:`tei_tools.xinclude.Part`)."""
        return self.expansion.where(line)


def parse_document(data: bytes, name: str, xinclude: XIncludePolicy = XINCLUDE,
                   max_bytes: int = MAX_BYTES) -> ParsedXml:
    """Parse ``data`` (named ``name``) with the hardened parser, then expand its
    ``xi:include`` (unless ``xinclude.enabled`` is false)."""
    tree, doctype = _parse_checked(data, name)
    text = _decode(data, tree)
    if not xinclude.enabled:
        return ParsedXml(tree, Expansion([Part(name, 0, text.count("\n") + 1, text)]), doctype)
    return ParsedXml(tree, expand_xincludes(tree, name, text, xinclude, _parse_one,
                                            lambda path: read_bytes(path, max_bytes), max_bytes),
                     doctype)


def parse_bytes(data: bytes, name: str,
                xinclude: XIncludePolicy = XINCLUDE) -> etree._ElementTree:
    """Parse ``data`` (named ``name`` in messages) with the hardened parser."""
    return parse_document(data, name, xinclude).tree


def _decode(data: bytes, tree: etree._ElementTree) -> str:
    try:
        return data.decode(tree.docinfo.encoding or "utf-8", errors="replace").lstrip("\ufeff")
    except LookupError:
        return data.decode("utf-8", errors="replace")


def _parse_one(data: bytes, name: str) -> etree._ElementTree:
    """One file, no XInclude: the checks of the module docstring."""
    return _parse_checked(data, name)[0]


def _parse_checked(data: bytes, name: str) -> tuple[etree._ElementTree, bool]:
    """The tree, and whether the document had a DOCTYPE (removed, entities expanded)."""
    if not data.strip():
        raise XmlInputError(name, "file is empty", code="XML-EMPTY")
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise XmlInputError(name, "binary content (NUL bytes): not an XML file",
                            line=1, code="XML-BINARY")
    doctype = _prescan_prolog(data, name)
    if doctype is not None:
        data = _without_doctype(data, name, doctype)
    try:
        tree = _parse(data, name, collect_ids=True)
    except etree.XMLSyntaxError as exc:
        if "already defined" not in (exc.msg or "") and "is not an NCName" not in (exc.msg or ""):
            raise _syntax_error(exc, data, name) from None
        # A repeated xml:id, or one that is not an XML name: parse without
        # collecting ids; the RELAX NG validator checks them as the grammar types
        # them (TT-ID-01; inside TEI's egXML examples they are not IDs).
        try:
            tree = _parse(data, name, collect_ids=False)
        except etree.XMLSyntaxError as exc2:
            raise _syntax_error(exc2, data, name) from None
    _refuse_hostile_doctype(tree, name)
    return tree, doctype is not None


def _parse(data: bytes, name: str, collect_ids: bool) -> etree._ElementTree:
    return etree.fromstring(data, _parser(collect_ids), base_url=name).getroottree()


def _syntax_error(exc: etree.XMLSyntaxError, data: bytes, name: str) -> XmlInputError:
    line, column = exc.position if exc.position else (None, None)
    message = (exc.msg or "not well-formed").strip()
    # libxml2 appends ", line N, column M" to some messages: the location
    # is printed in front already.
    message = message.split(", line ")[0]
    declared = _declared_encoding(data)
    if "Invalid bytes in character encoding" in message or "Input is not proper UTF-8" in message:
        enc = declared or "UTF-8 (the default)"
        return XmlInputError(
            name, f"bytes that are not valid {enc}: the file is saved in another encoding "
            "than its XML declaration says (convert it to UTF-8 or fix encoding=\"…\")",
            line=line or None, column=column or None, code="XML-ENCODING")
    bad_id = re.match(r"xml:id : attribute value (.*) is not an NCName", message)
    if bad_id:
        return XmlInputError(
            name, f'xml:id "{bad_id.group(1)}" is not an XML name (a letter or _ first, then '
            'letters, digits, ".", "-" or "_"; no spaces or colons)',
            line=line or None, column=column or None, code="XML-ID")
    if message.startswith("Unsupported encoding"):
        return XmlInputError(
            name, f"unknown encoding '{declared or message.split(':', 1)[-1].strip()}' "
            "in the XML declaration", line=1, code="XML-ENCODING")
    depth = re.match(r"Excessive depth in document: (\d+)", message)
    if depth:
        limit = int(depth.group(1))
        return XmlInputError(
            name, f"elements nested deeper than {limit} levels: the document is well-formed "
            "as far as read, but tei-tools reads up to that depth", line=line or None,
            column=column or None, code="XML-DEPTH")
    if "amplification" in message or ("entity" in message.lower() and "loop" in message.lower()):
        return XmlInputError(
            name, "entity expansion refused (an entity-expansion bomb?)",
            line=line or None, column=column or None, code="XML-ENTITY")
    return XmlInputError(name, f"not well-formed XML: {message}",
                         line=line or None, column=column or None, code="XML-SYNTAX")


_DECL = re.compile(rb"""^<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._-]+)["']""")
_UTF16 = ("utf-16", "utf16", "utf-16le", "utf-16be", "ucs-2", "iso-10646-ucs-2")


def _declared_encoding(data: bytes) -> str | None:
    """The encoding named by an ASCII-compatible XML declaration, if any."""
    match = _DECL.match(data[:200].lstrip(b"\xef\xbb\xbf"))
    return match.group(1).decode("ascii") if match else None


def _strip_comments(text: str) -> str:
    # Blank out comments but keep offsets, so positions stay true.
    return re.sub(r"<!--.*?-->", lambda m: " " * len(m.group(0)), text, flags=re.S)


def _line_col(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


@dataclass(frozen=True)
class _Doctype:
    """An accepted DOCTYPE: where it is in ``text`` (the decoded document)."""

    start: int
    end: int
    subset: dtdsubset.Subset | None
    text: str
    encoding: str


def _prescan_prolog(data: bytes, name: str) -> _Doctype | None:
    """Refuse a hostile DOCTYPE before libxml2 parses (and expands) anything;
    the accepted one, if the document has a DOCTYPE."""
    declared = (_declared_encoding(data) or "").lower()
    if declared in _UTF16 and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise XmlInputError(
            name, f"the XML declaration says encoding=\"{_declared_encoding(data)}\" but the "
            "file is not UTF-16 (no byte-order mark; it reads as ASCII/UTF-8): "
            "fix the declaration", line=1, code="XML-ENCODING")
    if b"<!DOCTYPE" not in data[:1024 * 1024] and b"<\x00!\x00D\x00" not in data[:2097152] \
            and b"\x00<\x00!\x00D" not in data[:2097152]:
        return None
    encoding, head = _document_text(data, name)
    scan = _strip_comments(head)
    doctype = scan.find("<!DOCTYPE")
    root = re.search(r"<[^?!/\s]", scan)
    if doctype < 0 or (root is not None and root.start() < doctype):
        return None
    external = re.match(r"<!DOCTYPE\s+[^\s\[>]+\s+(SYSTEM|PUBLIC)\s+([\"'])([^\"']*)\2"
                        r"(?:\s+([\"'])([^\"']*)\4)?", scan[doctype:])
    if external:
        line, col = _line_col(head, doctype)
        url = external.group(5) or external.group(3)
        raise XmlInputError(
            name, f"DOCTYPE points to an external DTD ({url}); DTDs are never loaded or "
            "fetched: remove the DOCTYPE", line=line, column=col, code="XML-DTD")
    from tei_tools import dtdsubset

    opening = re.compile(r"<!DOCTYPE\s+[^\s\[>]+\s*(\[)?").match(scan, doctype)
    if not opening:
        line, col = _line_col(head, doctype)
        raise XmlInputError(name, "DOCTYPE without a root element name", line=line,
                            column=col, code="XML-DTD")
    subset = None
    end = opening.end()
    try:
        if opening.group(1):
            subset = dtdsubset.read_subset(scan, opening.end())
            end = subset.end
            if subset.general:
                dtdsubset.check_expansion(subset, scan[end:])
    except dtdsubset.SubsetError as exc:
        line, col = _line_col(head, exc.offset)
        raise XmlInputError(name, exc.message, line=line, column=col, code=exc.code) from None
    close = re.compile(r"\s*>").match(scan, end)
    if not close:
        line, col = _line_col(head, doctype)
        raise XmlInputError(name, "the DOCTYPE is not closed with >", line=line, column=col,
                            code="XML-DTD")
    return _Doctype(doctype, close.end(), subset, head, encoding)


def _document_text(data: bytes, name: str) -> tuple[str, str]:
    """(encoding, text) of a whole document, decoded to scan its DOCTYPE."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        encoding = "utf-16"
    else:
        encoding = _declared_encoding(data) or "utf-8"
    try:
        return encoding, data.decode(encoding, errors="replace")
    except LookupError:
        raise XmlInputError(name, f"unknown encoding '{encoding}' in the XML declaration",
                            line=1, code="XML-ENCODING") from None


def _without_doctype(data: bytes, name: str, doctype: _Doctype) -> bytes:
    """The document libxml2 parses: the DOCTYPE blanked (its lines kept) and the
    references to the entities it declared expanded (:mod:`tei_tools.dtdsubset`)."""
    from tei_tools import dtdsubset

    text = doctype.text
    body = text[doctype.end:]
    if doctype.subset is not None and doctype.subset.general:
        try:
            body = dtdsubset.expand_references(
                body, dtdsubset.replacement_texts(doctype.subset))
        except dtdsubset.SubsetError as exc:
            raise XmlInputError(name, exc.message, code=exc.code) from None
    blank = "\n" * text.count("\n", doctype.start, doctype.end)
    made = text[:doctype.start] + blank + body
    return made.encode(doctype.encoding, errors="xmlcharrefreplace")


def parse_file(path: str | os.PathLike[str], max_bytes: int = MAX_BYTES,
               xinclude: XIncludePolicy = XINCLUDE) -> etree._ElementTree:
    """Read and parse one file; see the module docstring for what is refused."""
    return parse_document(read_bytes(path, max_bytes), str(path), xinclude, max_bytes).tree


def _refuse_hostile_doctype(tree: etree._ElementTree, name: str) -> None:
    """After parsing: libxml2 must have seen no DOCTYPE with entities (a second
    line of defence: the prescan removes every accepted DOCTYPE)."""
    docinfo = tree.docinfo
    dtd = docinfo.internalDTD
    if dtd is not None:
        entities = list(dtd.iterentities())
        if entities:
            kinds = "external" if any(e.system_url for e in entities) else "internal"
            raise XmlInputError(
                name,
                f"DOCTYPE declares {len(entities)} {kinds} entit"
                f"{'y' if len(entities) == 1 else 'ies'} (first: '{entities[0].name}'); "
                "entity declarations are refused (external-entity and expansion attacks)",
                line=1, code="XML-ENTITY")
    if docinfo.system_url or docinfo.public_id:
        raise XmlInputError(
            name,
            f"DOCTYPE points to an external DTD ({docinfo.system_url or docinfo.public_id}); "
            "DTDs are never loaded or fetched: remove the DOCTYPE",
            line=1, code="XML-DTD")


def duplicate_ids(tree: etree._ElementTree) -> list[tuple[str, list[etree._Element]]]:
    """Each ``xml:id`` used more than once, with its elements in document order."""
    seen: dict[str, list[etree._Element]] = {}
    for el in tree.iter():
        value = el.get(_XML_ID) if isinstance(el.tag, str) else None
        if value is not None:
            seen.setdefault(value, []).append(el)
    return [(value, els) for value, els in seen.items() if len(els) > 1]


_XML_ID = f"{{{XML_NS}}}id"


def is_tei_root(tree: etree._ElementTree) -> bool:
    root = tree.getroot()
    return root.tag in (f"{{{TEI_NS}}}TEI", f"{{{TEI_NS}}}teiCorpus")

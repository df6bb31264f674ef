"""Hardened XML input: the only place tei-tools turns bytes into a tree.

Every command (validate, build, query, export) reads XML through
:func:`parse_file` or :func:`parse_bytes`, so all of them refuse the same
hostile input:

* no DTD is loaded and no entity is resolved from outside the document;
* no network access, ever (``no_network``);
* a DOCTYPE that declares entities (the vector of "billion laughs" and of
  ``SYSTEM "file:///etc/passwd"``) is refused before anything is expanded;
* a DOCTYPE that points to an external DTD is refused (it is never fetched);
* files larger than :data:`MAX_BYTES` are refused without being read whole;
* binary (NUL bytes) and empty files get a clear message, not a parser trace.

Errors are raised as :class:`~tei_tools.errors.XmlInputError` with the line and
column libxml2 reports (the column only when it is known). The DOCTYPE is
inspected *before* libxml2 sees the document, so an entity declaration is
reported at its own line (``XML-ENTITY``) and never expanded, and a DOCTYPE
pointing to a DTD is reported at the DOCTYPE's line (``XML-DTD``).

A document that repeats an ``xml:id`` is still parsed (libxml2 refuses it when
it collects ids); :func:`duplicate_ids` lists the repeats for the validator.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from lxml import etree

from tei_tools.errors import UsageError, XmlInputError

TEI_NS = "http://www.tei-c.org/ns/1.0"
XML_NS = "http://www.w3.org/XML/1998/namespace"
MAX_BYTES = 64 * 1024 * 1024
"""Largest file accepted (64 MiB); larger files are refused unread."""


def _parser(collect_ids: bool = True) -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False,
        load_dtd=False,
        dtd_validation=False,
        no_network=True,
        huge_tree=False,
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


def parse_bytes(data: bytes, name: str) -> etree._ElementTree:
    """Parse ``data`` (named ``name`` in messages) with the hardened parser."""
    if not data.strip():
        raise XmlInputError(name, "file is empty", code="XML-EMPTY")
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise XmlInputError(name, "binary content (NUL bytes): not an XML file",
                            line=1, code="XML-BINARY")
    _prescan_prolog(data, name)
    try:
        tree = _parse(data, name, collect_ids=True)
    except etree.XMLSyntaxError as exc:
        if "already defined" not in (exc.msg or ""):
            raise _syntax_error(exc, data, name) from None
        # A repeated xml:id: parse without collecting ids; the validator
        # reports each repeat (duplicate_ids) as a located TT-ID-01 error.
        try:
            tree = _parse(data, name, collect_ids=False)
        except etree.XMLSyntaxError as exc2:
            raise _syntax_error(exc2, data, name) from None
    _refuse_hostile_doctype(tree, name)
    return tree


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


def _prolog_text(data: bytes) -> str:
    """The text before the root element, decoded well enough to scan it."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        head = data[: 2 * 1024 * 1024].decode("utf-16", errors="replace")
    else:
        head = data[: 1024 * 1024].decode("utf-8", errors="replace")
    # The root start tag is the first "<" followed by a name character.
    root = re.search(r"<[^?!/\s]", _strip_comments(head))
    return head[: root.start()] if root else head


def _strip_comments(text: str) -> str:
    # Blank out comments but keep offsets, so positions stay true.
    return re.sub(r"<!--.*?-->", lambda m: " " * len(m.group(0)), text, flags=re.S)


def _line_col(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def _prescan_prolog(data: bytes, name: str) -> None:
    """Refuse a hostile DOCTYPE before libxml2 parses (and expands) anything."""
    declared = (_declared_encoding(data) or "").lower()
    if declared in _UTF16 and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise XmlInputError(
            name, f"the XML declaration says encoding=\"{_declared_encoding(data)}\" but the "
            "file is not UTF-16 (no byte-order mark; it reads as ASCII/UTF-8): "
            "fix the declaration", line=1, code="XML-ENCODING")
    prolog = _prolog_text(data)
    scan = _strip_comments(prolog)
    doctype = scan.find("<!DOCTYPE")
    if doctype < 0:
        return
    entity = re.search(r"<!ENTITY\s+(%\s+)?([^\s\"'>]+)\s*(SYSTEM|PUBLIC)?", scan[doctype:])
    if entity:
        line, col = _line_col(prolog, doctype + entity.start())
        kind = "external" if entity.group(3) else ("parameter" if entity.group(1) else "internal")
        raise XmlInputError(
            name, f"DOCTYPE declares an {kind} entity '{entity.group(2)}'; entity "
            "declarations are refused unread (external-entity and expansion attacks)",
            line=line, column=col, code="XML-ENTITY")
    external = re.match(r"<!DOCTYPE\s+[^\s\[>]+\s+(SYSTEM|PUBLIC)\s+([\"'])([^\"']*)\2"
                        r"(?:\s+([\"'])([^\"']*)\4)?", scan[doctype:])
    if external:
        line, col = _line_col(prolog, doctype)
        url = external.group(5) or external.group(3)
        raise XmlInputError(
            name, f"DOCTYPE points to an external DTD ({url}); DTDs are never loaded or "
            "fetched: remove the DOCTYPE", line=line, column=col, code="XML-DTD")


def parse_file(path: str | os.PathLike[str], max_bytes: int = MAX_BYTES) -> etree._ElementTree:
    """Read and parse one file; see the module docstring for what is refused."""
    return parse_bytes(read_bytes(path, max_bytes), str(path))


def _refuse_hostile_doctype(tree: etree._ElementTree, name: str) -> None:
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

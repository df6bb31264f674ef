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
column libxml2 reports (the column only when it is known).
"""

from __future__ import annotations

import os
from pathlib import Path

from lxml import etree

from tei_tools.errors import UsageError, XmlInputError

TEI_NS = "http://www.tei-c.org/ns/1.0"
XML_NS = "http://www.w3.org/XML/1998/namespace"
MAX_BYTES = 64 * 1024 * 1024
"""Largest file accepted (64 MiB); larger files are refused unread."""


def _parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False,
        load_dtd=False,
        dtd_validation=False,
        no_network=True,
        huge_tree=False,
        remove_blank_text=False,
        remove_comments=False,
        collect_ids=True,
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
    if size > max_bytes:
        raise XmlInputError(
            name,
            f"file is {size / 1048576:.1f} MiB, larger than the limit of "
            f"{max_bytes / 1048576:.0f} MiB; refused unread",
            code="XML-TOO-LARGE",
        )
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise UsageError(f"{name}: error: cannot read ({exc.strerror})") from None
    return data


def parse_bytes(data: bytes, name: str) -> etree._ElementTree:
    """Parse ``data`` (named ``name`` in messages) with the hardened parser."""
    if not data.strip():
        raise XmlInputError(name, "file is empty", code="XML-EMPTY")
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise XmlInputError(name, "binary content (NUL bytes): not an XML file",
                            line=1, code="XML-BINARY")
    parser = _parser()
    try:
        tree = etree.fromstring(data, parser, base_url=name).getroottree()
    except etree.XMLSyntaxError as exc:
        line, column = exc.position if exc.position else (None, None)
        message = (exc.msg or "not well-formed").strip()
        # libxml2 appends ", line N, column M" to some messages: the location
        # is printed in front already.
        message = message.split(", line ")[0]
        raise XmlInputError(name, f"not well-formed XML: {message}",
                            line=line or None, column=column or None,
                            code="XML-SYNTAX") from None
    _refuse_hostile_doctype(tree, name)
    return tree


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


def is_tei_root(tree: etree._ElementTree) -> bool:
    root = tree.getroot()
    return root.tag in (f"{{{TEI_NS}}}TEI", f"{{{TEI_NS}}}teiCorpus")

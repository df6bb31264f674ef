"""XInclude of local files, done by tei-tools itself (never by libxml2).

``<xi:include href="chapter1.xml"/>`` is replaced by the root element of that
file (or the element an ``xpointer`` names: an id, ``element(id)``,
``element(id/1/2)`` or ``element(/1/3)``); ``parse="text"`` inserts the file's
text (``encoding``, default UTF-8). Included files are read by the hardened
parser and their own includes expanded in turn. ``xi:fallback`` replaces an
include whose file does not exist.

What may be read: only regular files inside the *root* folder — the folder
of the document that was opened, or the one given (``--xinclude-root``) —
after resolving ``..`` and symbolic links; never a URL other than ``file:``
(no network). ``/etc/passwd`` therefore cannot be included, by path, by
``../``, by ``file://`` or through a symbolic link. A loop, more than
:data:`MAX_DEPTH` nested levels or more than :data:`MAX_INCLUSIONS` inclusions,
or more than :data:`~tei_tools.xmlio.MAX_BYTES` read in all, is refused.
Every refusal is an :class:`~tei_tools.errors.XmlInputError` located at the
``xi:include`` (``XML-XINCLUDE``).

Locations: the elements of an included file keep that file's lines. So that
every check (which knows a node's line from libxml2 and finds its column in
the source text) can name the included file, each included file's lines are
shifted past those of the files before it, and :class:`Part` tells which file
a shifted line belongs to (:meth:`Expansion.where`). xml:base and xml:lang
fix-up (XInclude §4.5) is not done: relative URIs in included files are not
rewritten.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlparse

from lxml import etree

from tei_tools.errors import TeiToolsError, UsageError, XmlInputError

XI_NS = "http://www.w3.org/2001/XInclude"
XI_OLD_NS = "http://www.w3.org/2003/XInclude"
MAX_DEPTH = 32
MAX_INCLUSIONS = 10_000
MAX_LINE = 65535
"""libxml2 keeps an element's line in 16 bits: shifted lines stay below this."""

Parse = Callable[[bytes, str], etree._ElementTree]
Read = Callable[[str], bytes]


@dataclass(frozen=True)
class XIncludePolicy:
    """Whether and from where ``xi:include`` may read."""

    enabled: bool = True
    root: Path | None = None
    """Folder the included files must be in (``None``: the document's folder)."""


@dataclass(frozen=True)
class Part:
    """One file of an expanded document: its lines are ``offset + 1 …
    offset + lines`` of the whole."""

    file: str
    offset: int
    lines: int
    text: str = field(repr=False)


@dataclass
class Expansion:
    """The files an expanded document is made of (the document itself first)."""

    parts: list[Part]
    read: int = 0
    inclusions: int = 0

    @property
    def included(self) -> bool:
        return len(self.parts) > 1

    def text(self) -> str:
        """The texts of all parts, one after the other (shifted lines match)."""
        return "".join(p.text if p.text.endswith("\n") else p.text + "\n" for p in self.parts)

    def where(self, line: int | None) -> tuple[str, int | None]:
        """(file, line in that file) of a shifted line."""
        if line is None:
            return self.parts[0].file, None
        for part in reversed(self.parts):
            if line > part.offset:
                return part.file, line - part.offset
        return self.parts[0].file, line


def _lines(text: str) -> int:
    return text.count("\n") + (0 if text.endswith("\n") else 1)


def expand(tree: etree._ElementTree, name: str, text: str, policy: XIncludePolicy,
           parse: Parse, read: Read, max_bytes: int) -> Expansion:
    """Expand every ``xi:include`` of ``tree`` (read from ``name``) in place."""
    expansion = Expansion([Part(name, 0, _lines(text), text)])
    if not _has_includes(tree.getroot()):
        return expansion
    root = (policy.root or Path(name).resolve().parent).resolve()
    if not root.is_dir():
        raise UsageError(f"{root}: error: the XInclude root is not a folder")
    _expand_tree(tree, Path(name), text, root, (Path(name).resolve(),), expansion, parse, read,
                 max_bytes)
    return expansion


def _has_includes(root: etree._Element) -> bool:
    return next(root.iter(f"{{{XI_NS}}}include", f"{{{XI_OLD_NS}}}include"), None) is not None


def _expand_tree(tree: etree._ElementTree, path: Path, text: str, root: Path,
                 stack: tuple[Path, ...], expansion: Expansion, parse: Parse, read: Read,
                 max_bytes: int) -> None:
    for inc in list(tree.getroot().iter(f"{{{XI_NS}}}include", f"{{{XI_OLD_NS}}}include")):
        if _inside_fallback(inc):
            continue
        try:
            made = _include(inc, path, text, root, stack, expansion, parse, read, max_bytes)
        except _Missing as missing:
            fallback = inc.find(f"{{{etree.QName(inc).namespace}}}fallback")
            if fallback is None:
                raise _error(inc, path, text, missing.message) from None
            made = [fallback.text or ""]
            for child in list(fallback):
                made += [child, child.tail or ""]
        _replace(tree, inc, made)


class _Missing(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _inside_fallback(el: etree._Element) -> bool:
    parent = el.getparent()
    while parent is not None:
        if parent.tag in (f"{{{XI_NS}}}fallback", f"{{{XI_OLD_NS}}}fallback"):
            return True
        parent = parent.getparent()
    return False


def _error(inc: etree._Element, path: Path, text: str, message: str) -> XmlInputError:
    line = inc.sourceline or None
    column = None
    if line:
        lines = text.splitlines()
        if line <= len(lines):
            tag = f"<{inc.prefix}:include" if inc.prefix else "<include"
            found = lines[line - 1].find(tag)
            column = found + 1 if found >= 0 else None
    return XmlInputError(str(path), message, line=line, column=column, code="XML-XINCLUDE")


def _include(inc: etree._Element, path: Path, text: str, root: Path, stack: tuple[Path, ...],
             expansion: Expansion, parse: Parse, read: Read,
             max_bytes: int) -> list[etree._Element | str]:
    href = inc.get("href") or ""
    mode = inc.get("parse") or "xml"
    if mode not in ("xml", "text"):
        raise _error(inc, path, text, f'xi:include parse="{mode}": only "xml" and "text" exist')
    if not href:
        raise _error(inc, path, text, "xi:include without href (a reference into the same "
                     "document) is not supported")
    target = _resolve(inc, href, path, text, root)
    if len(stack) > MAX_DEPTH:
        raise _error(inc, path, text, f"xi:include nested more than {MAX_DEPTH} levels deep")
    expansion.inclusions += 1
    if expansion.inclusions > MAX_INCLUSIONS:
        raise _error(inc, path, text, f"more than {MAX_INCLUSIONS} inclusions (an inclusion "
                     "bomb?); refused")
    if mode == "xml" and target in stack:
        raise _error(inc, path, text, f"xi:include of {href} makes a loop "
                     f"({' → '.join(p.name for p in (*stack, target))})")
    if not target.exists():
        raise _Missing(f"xi:include: no such file {href} (looked for {target})")
    try:
        data = read(str(target))
    except (XmlInputError, UsageError) as exc:
        raise _error(inc, path, text, f"xi:include of {href}: "
                     f"{str(exc).split(': error: ', 1)[-1]}") from None
    expansion.read += len(data)
    if expansion.read > max_bytes:
        raise _error(inc, path, text, f"the included files exceed {max_bytes // 1048576} MiB "
                     "in all; refused")
    if mode == "text":
        encoding = inc.get("encoding") or "utf-8"
        try:
            return [data.decode(encoding)]
        except (LookupError, UnicodeDecodeError):
            raise _error(inc, path, text, f"xi:include of {href} (parse=\"text\"): not readable "
                         f"as {encoding}") from None
    shown = _shown(target, expansion.parts[0].file)
    included = parse(data, shown)  # an XmlInputError names the included file
    included_text = _decode(data, included)
    own = list(included.getroot().iter())
    offset = _reserve(included_text, shown, expansion)
    _expand_tree(included, target, included_text, root, (*stack, target), expansion, parse,
                 read, max_bytes)
    if offset is not None:
        for el in own:
            if el.sourceline:
                el.sourceline = el.sourceline + offset  # type: ignore[misc]  # types-lxml: read-only; lxml sets it
    pointer = inc.get("xpointer")
    if pointer:
        return [_xpointer(inc, path, text, included, pointer)]
    return [included.getroot()]


def _resolve(inc: etree._Element, href: str, path: Path, text: str, root: Path) -> Path:
    scheme = urlparse(href).scheme
    if scheme and len(scheme) > 1 and scheme != "file":  # (a one-letter "scheme" is a drive)
        raise _error(inc, path, text, f"xi:include of {href}: only local files are read, never "
                     "the network")
    local = unquote(urlparse(href).path) if scheme == "file" else unquote(href.split("#")[0])
    candidate = Path(local)
    if not candidate.is_absolute():
        candidate = path.resolve().parent / candidate
    target = Path(os.path.realpath(candidate))
    if not target.is_relative_to(root):
        raise _error(inc, path, text, f"xi:include of {href}: {target} is outside {root}, the "
                     "folder whose files may be included (--xinclude-root names another); "
                     "refused unread")
    return target


def _shown(target: Path, document: str) -> str:
    """An included file's name in messages: relative when the document's is."""
    if Path(document).is_absolute():
        return str(target)
    try:
        return os.path.relpath(target)
    except ValueError:  # another drive
        return str(target)


def _decode(data: bytes, tree: etree._ElementTree) -> str:
    try:
        return data.decode(tree.docinfo.encoding or "utf-8", errors="replace")
    except LookupError:
        return data.decode("utf-8", errors="replace")


def _reserve(text: str, name: str, expansion: Expansion) -> int | None:
    """The line offset of an included file, past the lines already in the
    expansion; ``None`` if libxml2 could not hold the shifted lines (the
    file's elements then keep their own lines)."""
    last = expansion.parts[-1]
    offset = last.offset + last.lines
    lines = _lines(text)
    if offset + lines >= MAX_LINE:
        return None
    expansion.parts.append(Part(name, offset, lines, text))
    return offset


def _xpointer(inc: etree._Element, path: Path, text: str, included: etree._ElementTree,
              pointer: str) -> etree._Element:
    match = re.fullmatch(r"\s*(?:element\(\s*([^)]*)\s*\)|([A-Za-z_][\w.\-]*))\s*", pointer)
    if not match:
        raise _error(inc, path, text, f"xi:include xpointer=\"{pointer}\": only an id, "
                     "element(id), element(id/1/2) or element(/1/2) are supported")
    spec = match.group(1) if match.group(1) is not None else match.group(2)
    first, *steps = spec.split("/")
    el: etree._Element | None
    if first:
        el = next((e for e in included.getroot().iter()
                   if e.get("{http://www.w3.org/XML/1998/namespace}id") == first), None)
    else:
        el = None
        steps = steps[1:] if steps and steps[0] == "1" else ["0"]  # /1 is the root element
        el = included.getroot()
    for step in steps:
        if el is None or not step.isdigit():
            el = None
            break
        children = [c for c in el if isinstance(c.tag, str)]
        n = int(step)
        el = children[n - 1] if 0 < n <= len(children) else None
    if el is None:
        raise _error(inc, path, text, f"xi:include xpointer=\"{pointer}\": no such element in "
                     f"{inc.get('href')}")
    return el


def _replace(tree: etree._ElementTree, inc: etree._Element,
             made: list[etree._Element | str]) -> None:
    """Put ``made`` (text and elements) where ``inc`` is, keeping its tail."""
    parent = inc.getparent()
    if parent is None:
        elements = [m for m in made if isinstance(m, etree._Element)]
        if len(elements) != 1:
            raise TeiToolsError("xi:include as the root element must include one element")
        tree._setroot(elements[0])
        return
    tail = inc.tail or ""
    index = parent.index(inc)
    previous = parent[index - 1] if index > 0 else None
    parent.remove(inc)
    last: etree._Element | None = previous
    for item in made:
        if isinstance(item, str):
            if last is None:
                parent.text = (parent.text or "") + item
            else:
                last.tail = (last.tail or "") + item
            continue
        item.tail = None
        parent.insert(index, item)
        index += 1
        last = item
    if last is None:
        parent.text = (parent.text or "") + tail
    else:
        last.tail = (last.tail or "") + tail

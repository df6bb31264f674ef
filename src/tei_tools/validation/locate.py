"""Real columns for elements and attributes, found in the source text.

libxml2 knows the line of an element but not its column (lxml reports 0).
We look the start tag up on its line: ``<name`` (with the prefix the source
uses), the n-th one when several elements of that name start on that line.
Columns are 1-based and count characters, not bytes; when the tag cannot be
found the column stays unknown (``None``) and is not printed.
"""

from __future__ import annotations

import re

from lxml import etree

XML_NS = "http://www.w3.org/XML/1998/namespace"
_ATTR = re.compile(r"""\s+([^\s=/>]+)\s*=\s*("[^"]*"|'[^']*')""")


class SourceText:
    """The decoded text of one document and its parsed tree, for locating nodes."""

    def __init__(self, data: bytes, tree: etree._ElementTree) -> None:
        # decoded on first use: a valid document is never located
        self._data = data
        self._text: str | None = None
        self._line_starts: list[int] | None = None
        self._by_line: dict[int, list[etree._Element]] | None = None
        self._tree = tree

    @classmethod
    def from_text(cls, text: str, tree: etree._ElementTree) -> SourceText:
        """From text already decoded (a document expanded from several files by
        XInclude: the files' texts one after the other, as the tree's lines count)."""
        made = cls(b"", tree)
        made._text = text
        return made

    @property
    def text(self) -> str:
        if self._text is None:
            encoding = self._tree.docinfo.encoding or "utf-8"
            try:
                self._text = self._data.decode(encoding, errors="replace")
            except LookupError:
                self._text = self._data.decode("utf-8", errors="replace")
        return self._text

    @property
    def line_starts(self) -> list[int]:
        if self._line_starts is None:
            self._line_starts = [0] + [m.end() for m in re.finditer("\n", self.text)]
        return self._line_starts

    def _line(self, n: int) -> str:
        if n < 1 or n > len(self.line_starts):
            return ""
        start = self.line_starts[n - 1]
        end = self.line_starts[n] if n < len(self.line_starts) else len(self.text)
        return self.text[start:end]

    def _elements_on(self, line: int) -> list[etree._Element]:
        if self._by_line is None:
            self._by_line = {}
            for el in self._tree.iter():
                if isinstance(el.tag, str) and el.sourceline:
                    self._by_line.setdefault(el.sourceline, []).append(el)
        return self._by_line.get(line, [])

    def elements_on_line(self, line: int) -> list[etree._Element]:
        return list(self._elements_on(line))

    def tag_offset(self, el: etree._Element) -> int | None:
        """Offset in :attr:`text` of the ``<`` of ``el``'s start tag."""
        line = el.sourceline
        if not line:
            return None
        qname = etree.QName(el).localname
        if el.prefix:
            qname = f"{el.prefix}:{qname}"
        same = [e for e in self._elements_on(line) if e.tag == el.tag and e.prefix == el.prefix]
        index = next((i for i, e in enumerate(same) if e is el), 0)
        pattern = re.compile(r"<" + re.escape(qname) + r"(?=[\s/>])")
        # libxml2's line is where the start tag *ends*: a tag spread over several
        # lines starts earlier. Search a window ending with that line; the last
        # len(same) matches are the start tags of the elements of that line.
        first = max(1, line - 40)
        start = self.line_starts[first - 1]
        end = self.line_starts[line] if line < len(self.line_starts) else len(self.text)
        matches = list(pattern.finditer(self.text, start, end))
        pick = len(matches) - len(same) + index
        if not matches or pick < 0 or pick >= len(matches):
            return None
        return matches[pick].start()

    def position(self, offset: int) -> tuple[int, int]:
        """(line, column), both 1-based, of a text offset."""
        lo, hi = 0, len(self.line_starts) - 1
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if self.line_starts[mid] <= offset:
                lo = mid
            else:
                hi = mid - 1
        return lo + 1, offset - self.line_starts[lo] + 1

    def element(self, el: etree._Element) -> tuple[int | None, int | None]:
        offset = self.tag_offset(el)
        if offset is None:
            return (el.sourceline or None), None
        return self.position(offset)

    def attribute(self, el: etree._Element, name: str) -> tuple[int | None, int | None]:
        """Position of attribute ``name`` (as written: ``xml:id``, ``type``) in the start tag."""
        offset = self.tag_offset(el)
        if offset is None:
            return (el.sourceline or None), None
        tag_name = re.match(r"<[^\s/>]+", self.text[offset:])
        pos = offset + (tag_name.end() if tag_name else 1)
        while True:
            match = _ATTR.match(self.text, pos)
            if not match:
                break
            if match.group(1) == name:
                return self.position(match.start(1))
            pos = match.end()
        return self.position(offset)


def written_name(el: etree._Element, clark: str) -> str:
    """An attribute's name as written in the source (``xml:id``, ``type``, ``xlink:href``)."""
    qname = etree.QName(clark)
    if qname.namespace == XML_NS:
        return f"xml:{qname.localname}"
    if qname.namespace:
        for prefix, uri in el.nsmap.items():
            if uri == qname.namespace and prefix:
                return f"{prefix}:{qname.localname}"
    return qname.localname

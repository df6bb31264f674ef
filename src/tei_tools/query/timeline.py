"""Every dated expression of a document, with its ISO value and where it is.

A dated expression is a ``date``, ``docDate``, ``origDate`` or ``time``
element. Its ISO values come from ``@when``, ``@from``/``@to``,
``@notBefore``/``@notAfter`` (or their ``-iso`` forms); ``iso`` is ``@when``,
else an ISO 8601 interval ``start/end`` (``..`` for an open end); ``start``
and ``end`` are the earliest and latest dates it allows, so "everything in
2007" is ``start <= "2007-12-31" and end >= "2007"`` on the strings.
By default only ``tei:text`` is read (``scope="all"``: the header and
``standOff`` too, e.g. the publication dates of the sources).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from lxml import etree

from tei_tools.query.documents import Document
from tei_tools.query.facts import Where

Scope = Literal["text", "all"]


@dataclass(slots=True)
class DatedExpression:
    file: str
    line: int | None
    element_name: str
    text: str
    when: str | None
    from_: str | None
    to: str | None
    not_before: str | None
    not_after: str | None
    iso: str | None
    start: str | None
    end: str | None
    cert: str | None
    context: str
    item: str | None
    paragraph: str | None
    part: str
    element: etree._Element = field(repr=False, compare=False)
    where: Where = field(repr=False, compare=False)

    def to_dict(self) -> dict[str, object]:
        return {"file": self.file, "line": self.line, "element": self.element_name,
                "text": self.text, "iso": self.iso, "start": self.start, "end": self.end,
                "when": self.when, "from": self.from_, "to": self.to,
                "notBefore": self.not_before, "notAfter": self.not_after,
                "cert": self.cert, "context": self.context, "item": self.item,
                "paragraph": self.paragraph, "part": self.part}


COLUMNS = ("file", "line", "element", "text", "iso", "start", "end", "when", "from", "to",
           "notBefore", "notAfter", "cert", "context", "item", "paragraph", "part")


def dated_expressions(doc: Document, scope: Scope = "text") -> list[DatedExpression]:
    out: list[DatedExpression] = []
    for d in doc.facts().dates:
        if scope == "text" and d.part != "text":
            continue
        when, frm, to = (d.attributes.get(n) for n in ("when", "from", "to"))
        nb, na = d.attributes.get("notBefore"), d.attributes.get("notAfter")
        start = when or frm or nb
        end = when or to or na
        if when:
            iso = when
        elif start or end:
            iso = f"{start or '..'}/{end or '..'}"
        else:
            iso = None
        out.append(DatedExpression(
            doc.name, d.element.sourceline, d.element_name, d.text, when, frm, to, nb, na,
            iso, start, end, d.cert, d.context, d.where.item, d.where.paragraph, d.part,
            d.element, d.where))
    return out

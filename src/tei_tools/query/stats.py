"""Counts that describe a TEI document, as the rendering core counts them.

* ``items``: ``div[@type='item']``; ``divisions``: every ``div``/``div1``…;
  ``paragraphs``: ``p`` in ``tei:text``; ``pages``: ``pb`` (``pages_numbered``:
  distinct ``@n``);
* ``characters``: characters, whitespace excluded, of the reading text of
  ``tei:text`` — the core's ``tt:plain``, the reading the text output, the HTML
  and the EPUB show (corrected; notes, gaps and figure descriptions left out);
* ``register``: entries by type; ``mentions``: mentions in the text by type;
* ``interventions``: editorial interventions in ``tei:text`` by kind — ``choice`` pairs
  (``sic/corr``, ``orig/reg``, ``abbr/expan``), ``corr`` and ``sic`` alone,
  ``supplied``, ``unclear``, ``add``, ``del``, ``surplus``, ``note`` by
  ``@type`` (``note[type=correction]`` …, ``note`` without a type);
* ``gaps``: ``gap`` elements in ``tei:text``, by ``@reason``;
* ``units``: the units the publications give a page or a file each (the
  edition's items and preface), with the characters of their reading.

All of it comes from ``xslt/query/facts.xsl`` (:mod:`tei_tools.query.facts`).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass, field

from tei_tools.query.documents import Document


@dataclass(slots=True)
class Stats:
    file: str
    items: int
    divisions: int
    paragraphs: int
    characters: int
    pages: int
    pages_numbered: int
    register: dict[str, int] = field(default_factory=dict)
    mentions: dict[str, int] = field(default_factory=dict)
    interventions: dict[str, int] = field(default_factory=dict)
    gaps: dict[str, int] = field(default_factory=dict)
    units: list[dict[str, object]] = field(default_factory=list)

    def to_dict(self) -> dict[str, object]:
        return asdict(self)

    def rows(self) -> list[tuple[str, str, int]]:
        """``(group, name, count)`` rows for tables and CSV."""
        out = [("text", name, getattr(self, name)) for name in
               ("items", "divisions", "paragraphs", "characters", "pages", "pages_numbered")]
        for group in ("register", "mentions", "interventions", "gaps"):
            out.extend((group, k, v) for k, v in getattr(self, group).items())
        out.extend(("unit characters", str(u["file"]), int(str(u["characters"])))
                   for u in self.units)
        return out


def stats(doc: Document) -> Stats:
    facts = doc.facts()
    text = facts.counts.get("text", {})
    return Stats(
        file=doc.name,
        items=text.get("items", 0),
        divisions=text.get("divisions", 0),
        paragraphs=text.get("paragraphs", 0),
        characters=text.get("characters", 0),
        pages=text.get("pages", 0),
        pages_numbered=text.get("pages_numbered", 0),
        register=dict(Counter(e.type for e in facts.entries)),
        mentions=dict(Counter(m.type for m in facts.mentions)),
        interventions=dict(sorted(facts.counts.get("interventions", {}).items())),
        gaps=dict(sorted(facts.counts.get("gaps", {}).items())),
        units=[{"id": u.id, "file": u.file, "title": u.title, "characters": u.characters}
               for u in facts.units],
    )

"""Counts that describe a TEI document.

* ``items``: ``div[@type='item']``; ``divisions``: every ``div``/``div1``…;
  ``paragraphs``: ``p`` in ``tei:text``; ``pages``: ``pb`` (``pages_numbered``:
  distinct ``@n``);
* ``characters``: characters, whitespace excluded, of the reading text of
  ``tei:text`` (see :mod:`tei_tools.query.reading`: corrected, notes left out);
* ``register``: entries by type; ``mentions``: mentions in the text by type;
* ``interventions``: editorial interventions in ``tei:text`` by kind — ``choice`` pairs
  (``sic/corr``, ``orig/reg``, ``abbr/expan``), ``corr`` and ``sic`` alone,
  ``supplied``, ``unclear``, ``add``, ``del``, ``surplus``, ``note`` by
  ``@type`` (``note[type=correction]`` …, ``note`` without a type);
* ``gaps``: ``gap`` elements in ``tei:text``, by ``@reason``.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass, field

from lxml import etree

from tei_tools.query.documents import TEI, Document
from tei_tools.query.reading import in_text, reading
from tei_tools.query.registers import find_mentions, read_register

_T = f"{{{TEI}}}"
_SINGLE = ("supplied", "unclear", "add", "del", "surplus", "corr", "sic")


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

    def to_dict(self) -> dict[str, object]:
        return asdict(self)

    def rows(self) -> list[tuple[str, str, int]]:
        """``(group, name, count)`` rows for tables and CSV."""
        out = [("text", name, getattr(self, name)) for name in
               ("items", "divisions", "paragraphs", "characters", "pages", "pages_numbered")]
        for group in ("register", "mentions", "interventions", "gaps"):
            out.extend((group, k, v) for k, v in getattr(self, group).items())
        return out


def _choice_kind(choice: object) -> str:
    names = sorted({el.tag.split("}")[-1] for el in choice  # type: ignore[attr-defined]
                    if isinstance(el.tag, str)})
    return "choice " + "/".join(names) if names else "choice (empty)"


def _in_text(root: etree._Element, name: str) -> list[etree._Element]:
    return [el for el in root.iter(f"{_T}{name}") if in_text(el)]


def stats(doc: Document) -> Stats:
    root = doc.root
    texts = [t for t in root.iter(f"{_T}text") if not any(
        a.tag == f"{_T}text" for a in t.iterancestors())]
    characters = sum(len("".join(reading(t)[0].split())) for t in texts)
    pbs = list(root.iter(f"{_T}pb"))
    register = read_register(doc)
    interventions: Counter[str] = Counter()
    for choice in _in_text(root, "choice"):
        interventions[_choice_kind(choice)] += 1
    for name in _SINGLE:
        for el in _in_text(root, name):
            parent = el.getparent()
            if name in ("corr", "sic") and parent is not None and parent.tag == f"{_T}choice":
                continue
            interventions[name if name not in ("corr", "sic") else f"{name} (alone)"] += 1
    for note in _in_text(root, "note"):
        interventions[f"note {note.get('type') or '(no type)'}"] += 1
    gaps = Counter(g.get("reason") or "(no reason)" for g in _in_text(root, "gap"))
    return Stats(
        file=doc.name,
        items=sum(1 for d in root.iter(f"{_T}div") if d.get("type") == "item"),
        divisions=sum(1 for _ in root.iter(f"{_T}div", *(f"{_T}div{i}" for i in range(1, 8)))),
        paragraphs=len(_in_text(root, "p")),
        characters=characters,
        pages=len(pbs),
        pages_numbered=len({pb.get("n") for pb in pbs if pb.get("n")}),
        register=dict(Counter(e.type for e in register.values())),
        mentions=dict(Counter(m.type for m in find_mentions(doc, register))),
        interventions=dict(sorted(interventions.items())),
        gaps=dict(sorted(gaps.items())),
    )

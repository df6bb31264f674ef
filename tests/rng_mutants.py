"""Seeded mutants of real TEI, for the differential test against jing.

:func:`mutants` derives documents from the corpus (``../shared/corpus/``)
by one or two edits each, chosen by a seeded generator: attribute values
from the classes where validators disagree (URIs, tokens with invisible or
private-use characters, date/time edge values, doubles, language tags,
ids), added attributes, renamed, moved, deleted and duplicated elements,
duplicated ids (also with surrounding spaces), text where only elements
belong, and ``egXML`` examples holding what would be wrong outside them.
The same seed gives the same documents, byte for byte.
"""

from __future__ import annotations

import copy
import random
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

TEI = "http://www.tei-c.org/ns/1.0"
EX = "http://www.tei-c.org/ns/Examples"
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

EDGE_VALUES = {
    "uri": ["http:", "http://", "a b", "%zz", "#x y", "x y:z", "1a:b", ":x", "a[1]", "x#y#z",
            "urn:x", "mailto:a@b", "http://example.org/ä", "", "#", "a\u00a0b", "//", "a|b",
            "http://[::1]/", "file:///x"],
    "token": ["a\u00adb", "a\u200bb", "\ufeffa", "a\ue000", "a\U000e0041", "a b", "a\u00a0b",
              "\u2028", "a\u3000b", "x", "", "\U0001F600"],
    "date": ["2000-01-01T24:00:00", "2000-01-01T23:59:60", "2000-01-01T10:00:00.Z",
             "2000-02-30", "2000-02-29", "1999-02-29", "0000", "-0044-03-15", "2000-13",
             "2000-01-01T00:00:00-13:30", "2000-01-01T00:00:00+14:30", "--12-25", "---31",
             "2000-01-01T00:00", "12:00:00", "24:00:00", "10000", "02000", "2000-01-01Z",
             "1850-06", "1850"],
    "number": ["1e", "1e5", "+INF", "INF", "NaN", ".5", "1.", ".", "-0", "01", "1.0", "-1",
               "1,5", " 3 ", "0x1", "2/3", "1/2"],
    "lang": ["zh-Hans", "zh Hans", "en-", "x-foo", "toolongtag", "en_US", "", "i-klingon", "de-1901"],
    "id": ["1abc", " a ", "a b", "a:b", "_x", "x\u00b7y", "é", "-x", "x."],
    "bool": ["true", "1", "yes", "TRUE", "false "],
}
ATTRIBUTES = [  # (attribute, value class) added to or set on random elements
    ("when", "date"), ("notBefore", "date"), ("from", "date"), ("to", "date"),
    ("target", "uri"), ("ref", "uri"), ("corresp", "uri"), ("facs", "uri"), ("source", "uri"),
    ("url", "uri"), ("n", "token"), ("rend", "token"), ("type", "token"), ("subtype", "token"),
    ("quantity", "number"), ("extent", "token"), ("cert", "token"), ("unit", "token"),
    ("xml:lang", "lang"), ("xml:id", "id"), ("full", "token"), ("status", "token"),
    ("scale", "number"), ("atLeast", "number"), ("max", "number"), ("instant", "bool"),
    ("default", "bool"), ("precision", "token"), ("dur-iso", "date"), ("calendar", "uri"),
]
RENAMES = ["p", "div", "head", "note", "hi", "list", "item", "title", "name", "persName",
           "date", "ref", "bibl", "lb", "pb", "seg", "table", "row", "cell", "figure",
           "lg", "l", "sp", "quote", "q", "TEI", "text", "body", "teiHeader", "fileDesc",
           "titleStmt", "publicationStmt", "sourceDesc", "Paragraph", "notaTEIelement"]
EGXML = [
    '<egXML xmlns="{ex}"><p xml:id="dup">a</p><p xml:id="dup">b</p></egXML>',
    '<egXML xmlns="{ex}"><p xml:id="1abc">x</p></egXML>',
    '<egXML xmlns="{ex}"><foo bar="http:"><p when="2000-01-01T24:00:00"/></foo></egXML>',
    '<egXML xmlns="{ex}" xml:id="1bad">text</egXML>',
    '<egXML xmlns="{ex}"><title xml:id=" sp "/><title xml:id="sp"/></egXML>',
]


_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, collect_ids=False)


@dataclass(frozen=True)
class Mutant:
    name: str
    data: bytes
    how: str


def _named(tree: etree._ElementTree) -> list[etree._Element]:
    return [e for e in tree.iter() if isinstance(e.tag, str)]


def _set_attribute(rng: random.Random, el: etree._Element, name: str, value: str) -> None:
    clark = {"xml:id": XML_ID, "xml:lang": XML_LANG}.get(name, name)
    el.set(clark, value)


def _mutate(rng: random.Random, tree: etree._ElementTree) -> str:
    elements = _named(tree)
    root = tree.getroot()
    body = [e for e in elements if e is not root]
    kind = rng.choice(["value", "value", "value", "existing", "rename", "move", "delete",
                       "duplicate", "dup-id", "egxml", "text", "value"])
    el = rng.choice(body)
    if kind == "value":
        name, cls = rng.choice(ATTRIBUTES)
        value = rng.choice(EDGE_VALUES[cls])
        _set_attribute(rng, el, name, value)
        return f"@{name}={value!r} on {etree.QName(el).localname}"
    if kind == "existing":
        having = [e for e in body if e.attrib]
        if not having:
            return _mutate(rng, tree)
        el = rng.choice(having)
        attr = rng.choice(sorted(el.attrib))
        cls = rng.choice(sorted(EDGE_VALUES))
        el.set(attr, rng.choice(EDGE_VALUES[cls]))
        return f"existing @{attr} on {etree.QName(el).localname} := {el.get(attr)!r}"
    if kind == "rename":
        new = rng.choice(RENAMES)
        ns = etree.QName(el).namespace
        el.tag = f"{{{ns}}}{new}" if ns else new
        return f"rename to {new}"
    if kind == "move":
        target = rng.choice(body)
        if el in target.iterancestors() or target is el:
            return _mutate(rng, tree)
        tail = el.tail
        parent = el.getparent()
        parent.remove(el)
        el.tail = tail
        target.insert(rng.randrange(len(target) + 1), el)
        return f"move {etree.QName(el).localname} into {etree.QName(target).localname}"
    if kind == "delete":
        parent = el.getparent()
        parent.remove(el)
        return f"delete {etree.QName(el).localname}"
    if kind == "duplicate":
        twin = copy.deepcopy(el)
        for e in twin.iter():
            if isinstance(e.tag, str) and XML_ID in e.attrib:
                del e.attrib[XML_ID]
        el.addnext(twin)
        return f"duplicate {etree.QName(el).localname}"
    if kind == "dup-id":
        with_id = [e for e in body if XML_ID in e.attrib]
        other = rng.choice(body)
        if with_id:
            value = rng.choice(with_id).get(XML_ID)
        else:
            value = "shared"
            el.set(XML_ID, value)
        spaced = rng.random() < 0.5
        other.set(XML_ID, f" {value} " if spaced else value)
        return f"id {value!r} repeated{' with spaces' if spaced else ''}"
    if kind == "egxml":
        fragment = etree.fromstring(rng.choice(EGXML).format(ex=EX), _PARSER)
        hosts = [e for e in body if etree.QName(e).localname in ("p", "div", "note", "item", "body")]
        host = rng.choice(hosts) if hosts else el
        host.insert(rng.randrange(len(host) + 1), fragment)
        return f"egXML into {etree.QName(host).localname}"
    # text where elements may or may not be allowed
    el.insert(0, etree.Comment("m"))
    el[0].tail = "stray text"
    return f"text into {etree.QName(el).localname}"


def mutants(corpus: Path, count: int, seed: int = 10) -> Iterator[Mutant]:
    """``count`` mutants of the corpus documents, round robin, reproducibly."""
    rng = random.Random(seed)
    files = sorted(corpus.glob("*.xml"))
    sources = [(f, f.read_bytes()) for f in files]
    for i in range(count):
        path, data = sources[i % len(sources)]
        tree = etree.ElementTree(etree.fromstring(data, _PARSER))
        edits = [_mutate(rng, tree) for _ in range(rng.choice((1, 1, 2)))]
        out = etree.tostring(tree, encoding="utf-8", xml_declaration=True)
        yield Mutant(f"m{i:04d}_{path.stem}.xml", out, "; ".join(edits))


def jing_verdicts(schema: Path, files: list[Path]) -> dict[str, bool]:
    """One jing run over all ``files``: file name → valid (no ``file:line:col: error:``)."""
    import subprocess

    proc = subprocess.run(["jing", str(schema), *map(str, files)], capture_output=True,
                          text=True, check=False, timeout=600)
    invalid = set()
    for line in proc.stdout.splitlines():
        head = line.split(": error:", 1)[0] if ": error:" in line else (
            line.split(": fatal:", 1)[0] if ": fatal:" in line else None)
        if head:
            invalid.add(Path(head.rsplit(":", 2)[0]).name)
    return {f.name: f.name not in invalid for f in files}

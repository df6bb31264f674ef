"""A mention's context (``tt:context``, core/mentions.xsl) collapses and cuts each
side from the characters next to the mention only when that gives the same
string as collapsing the whole side (#12): checked here against the rule itself
(whitespace runs to one space, the space away from the mention dropped, 40
characters kept next to the mention, "…" where cut) on seeded random sides of
every length around the thresholds, with whitespace runs across the cut.
"""

from __future__ import annotations

import random
import re
from pathlib import Path

from tei_tools.saxon import SaxonSession

REPO = Path(__file__).resolve().parents[1]
WIDTH = 40  # $tt:context-width
SEP = "\u241e"  # not in the generated sides


def _probe(select: str) -> str:
    """A stylesheet using the core's package whose one template returns ``select``."""
    return ("""<xsl:stylesheet version="3.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:tt="urn:x-tei-tools" exclude-result-prefixes="#all">
  <xsl:use-package name="urn:x-tei-tools:core" package-version="1.0">
    <xsl:override><xsl:variable name="tt:root" as="document-node()" select="/"/></xsl:override>
  </xsl:use-package>
  <xsl:output method="text"/>
  <xsl:template match="/" as="xs:string">
""" + select + """  </xsl:template>
</xsl:stylesheet>""")


PROBE = _probe(f"""    <xsl:sequence select="string-join(/sides/s ! (tt:context-side(string(.), true()),
                                                  tt:context-side(string(.), false())), '{SEP}')"/>
""")


def _rule(raw: str, before: bool) -> str:
    side = re.sub(r"[ \t\n\r]+", " ", raw)
    side = re.sub(r"^ ", "", side) if before else re.sub(r" $", "", side)
    if len(side) <= WIDTH:
        return side
    return "…" + side[-WIDTH:] if before else side[:WIDTH] + "…"


def _sides() -> list[str]:
    rng = random.Random(12)
    out = []
    for n in [*range(4 * WIDTH + 12), 200, 400, 1000]:
        for _ in range(3):
            chars = [rng.choice(["甲", "乙", "a", " ", "\n", "\t", "  \n  "]) for _ in range(n)]
            out.append("".join(chars))
    # a long run of whitespace straddling the 4 × width cut on either side
    out += ["甲" * 100 + " " * 150 + "乙" * 30, "乙" * 30 + " \n" * 90 + "甲" * 100,
            " " * 400, "甲" * 42 + " " * 300 + "乙" * 42]
    # a side all whitespace but for width - 1 … width + 1 characters next to
    # the mention: the whole side decides whether it is cut
    out += [s for k in (WIDTH - 1, WIDTH, WIDTH + 1, WIDTH + 2)
            for s in (" " * 300 + "甲" * k, "甲" * k + " " * 300)]
    return out


def test_the_context_sides_follow_the_rule(tmp_path: Path) -> None:
    sides = _sides()
    doc = tmp_path / "sides.xml"
    body = "".join(f"<s>{s}</s>" for s in sides)
    doc.write_text(f"<sides>{body}</sides>", encoding="utf-8")
    probe = tmp_path / "probe.xsl"
    probe.write_text(PROBE, encoding="utf-8")
    session = SaxonSession()
    got = session.stylesheet(str(probe)).run(session.load_source(doc), tmp_path / "out").principal
    expected = [r for s in sides for r in (_rule(s, True), _rule(s, False))]
    # the principal result is stripped at its ends: compare it the same way
    assert got.split(SEP) == SEP.join(expected).strip().split(SEP)


COLLAPSED = _probe(f"""    <xsl:sequence select="'[' || string-join(/sides/s ! (
        for $lead in (true(), false()), $trail in (true(), false())
        return tt:collapsed(string(.), $lead, $trail)), '{SEP}') || ']'"/>
""")


def test_collapsed_is_the_regular_expression_it_replaces(tmp_path: Path) -> None:
    """tt:collapsed (no regular expression) gives what replace($s, '\\s+', ' ') gave,
    with the space at each end dropped where asked: empty, all-whitespace, and
    seeded strings with whitespace (space, tab, newline, CR) at either end."""
    rng = random.Random(7)
    sides = ["", " ", "\t\n", "甲", " 甲", "甲 ", "\r甲\r", " \n 甲  乙\t"]
    sides += ["".join(rng.choice(["甲", "a", " ", "\n", "\t", "\r", "  "]) for _ in range(rng.randrange(12)))
              for _ in range(200)]
    doc = tmp_path / "sides.xml"
    # a CR kept as a character reference (a literal one would be read as a newline)
    doc.write_text("<sides>" + "".join(f"<s>{s.replace(chr(13), '&#13;')}</s>" for s in sides) + "</sides>",
                   encoding="utf-8")
    probe = tmp_path / "collapsed.xsl"
    probe.write_text(COLLAPSED, encoding="utf-8")
    session = SaxonSession()
    got = session.stylesheet(str(probe)).run(session.load_source(doc), tmp_path / "out").principal

    def rule(s: str, lead: bool, trail: bool) -> str:
        c = re.sub(r"[ \t\n\r]+", " ", s)
        c = c if lead else re.sub(r"^ ", "", c)
        return c if trail else re.sub(r" $", "", c)

    expected = [rule(s, lead, trail) for s in sides for lead in (True, False) for trail in (True, False)]
    assert got == "[" + SEP.join(expected) + "]"

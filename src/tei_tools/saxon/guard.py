"""Saxon's errors as one located line, without redirecting standard error.

What saxonche gives (13.1, measured):

* a **static error** (compiling a stylesheet) raises ``PySaxonApiError`` whose
  text names the place: ``Error in {…} at char 5 in x/@a on line 3 column 15
  of bad.xsl: XPST0003 …`` — nothing is written to standard error;
* a **dynamic error** or ``xsl:message terminate="yes"`` raises an error whose
  text is the bare description (``Cannot convert string "abc" to an
  integer``: no code, no line) and Saxon writes its multi-line report, with
  the place, to file descriptor 2; the exception has no other attribute;
* a document Saxon's parser refuses: the exception says why (no line), and
  Saxon reports it on file descriptor 2 too. Saxon only ever parses what
  :mod:`tei_tools.xmlio` accepted, so this does not happen in practice.

So each project stylesheet is compiled inside a small wrapper (:func:`wrapper`)
that includes it (a layer using XSLT packages cannot be imported) and, as the
initial mode (its ``default-mode``, with the layer's accumulators), applies
the layer's unnamed mode to the document in ``xsl:try``: a dynamic error is caught in
XSLT, where ``$err:code``, ``$err:line-number`` and ``$err:module`` say where,
and comes back as a last ``xsl:message`` (:func:`split`); Saxon reports
nothing. The wrapper adds no template of its own to the layer's modes and no
output declaration: the outputs are byte-identical. Left: an error while
evaluating a *global* variable cannot be caught by ``xsl:try`` (XSLT 3.0
§8.3); it still raises, with its description only, and Saxon's report of it
reaches standard error.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

MARK = "tei-tools-guard"
_TAB = "\t"

_WRAPPER = """<xsl:stylesheet version="3.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:err="http://www.w3.org/2005/xqt-errors" xmlns:g="urn:x-tei-tools:guard"
    default-mode="g:guard" exclude-result-prefixes="#all">
  <xsl:include href="{href}"/>
  <xsl:mode name="g:guard" on-no-match="fail" use-accumulators="#all"/>
  <xsl:template match="/" mode="g:guard">
    <xsl:try rollback-output="no">
      <xsl:apply-templates select="." mode="#unnamed"/>
      <xsl:catch>
        <xsl:message select="string-join(('{mark}', string($err:code),
            string($err:line-number), string($err:column-number), string($err:module),
            normalize-space($err:description)), '&#9;')"/>
      </xsl:catch>
    </xsl:try>
  </xsl:template>
</xsl:stylesheet>
"""


def wrapper(path: Path) -> str:
    """The guard stylesheet that imports ``path`` and catches its dynamic errors."""
    href = path.resolve().as_uri().replace("&", "&amp;").replace('"', "&quot;")
    return _WRAPPER.format(href=href, mark=MARK)


def wrapper_uri(path: Path) -> str:
    """The wrapper's base URI: beside the stylesheet it imports."""
    return path.resolve().with_name(path.stem + ".guard.xsl").as_uri()


@dataclass(frozen=True, slots=True)
class CaughtError:
    """A dynamic error the guard caught."""

    code: str
    """``XTMM9000`` (``xsl:message terminate="yes"``), ``FORG0001`` …"""
    line: int | None
    column: int | None
    module: str
    """The stylesheet module's URI."""
    description: str

    @property
    def terminated(self) -> bool:
        return self.code == "XTMM9000"

    @property
    def where(self) -> str:
        """``xpath.xsl:1:190`` (file name, line, column), or empty."""
        if self.line is None:
            return ""
        name = self.module.rstrip("/").rsplit("/", 1)[-1] or self.module
        return f"{name}:{self.line}" + (f":{self.column}" if self.column else "")


def split(messages: list[str]) -> tuple[list[str], CaughtError | None]:
    """The stylesheet's own messages, and the error the guard caught (if any)."""
    if not messages or not messages[-1].startswith(MARK + _TAB):
        return messages, None
    parts = messages[-1].split(_TAB, 5) + [""] * 6
    _, code, line, column, module, description = parts[:6]
    caught = CaughtError(code.rsplit(":", 1)[-1], _int(line), _int(column), module,
                         description or "dynamic error")
    return messages[:-1], caught


def _int(text: str) -> int | None:
    return int(text) if text.isdigit() else None


def clean(exc: BaseException | None) -> str:
    """An exception's text on one line."""
    if exc is None:
        return "failed"
    text = " ".join(str(exc).split())
    return text or type(exc).__name__


"""What a build is asked to do, and what each format writer gets."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from tei_tools.publish.memory import DEFAULT_MAX_MEMORY
from tei_tools.saxon import SaxonSession, Source

READINGS = ("regularised", "diplomatic")


@dataclass(frozen=True, slots=True)
class BuildOptions:
    formats: tuple[str, ...] = ("html", "epub", "txt", "records")
    reading: str = "regularised"
    page_markers: bool = False
    editorial: bool = True
    """Editorial matter in the text output (``False``: ``--no-editorial``)."""
    validate: bool = True
    schema: Path | None = None
    """RELAX NG grammar to validate with (``None``: the project's)."""
    schema_odd: Path | None = None
    """The ODD the grammar is compiled from, for the site's schema pages (``None``:
    the ``.odd`` beside the grammar, if there is one)."""
    max_memory: int | None = DEFAULT_MAX_MEMORY
    """Bytes a build may need (:mod:`tei_tools.publish.memory`); a document whose
    estimate is more is refused before any work. ``None``: no limit."""
    concurrent: bool | None = None
    """Write the HTML in a second process while this one validates and writes the
    other formats (:mod:`tei_tools.publish.aside`; only where it is safe: no
    Saxon started in this process, no session given by the caller). ``None``: when
    a core is idle; ``True``: whenever safe; ``False``: every format one after the
    other in this process. The files are the same."""


@dataclass(frozen=True, slots=True)
class WriteContext:
    """Handed to every format writer: where to write and what else is built."""

    source: Source
    out_dir: Path
    """The writer's own folder (``<tmp>/html``)."""
    root: Path
    """The temporary build root holding every format's folder."""
    options: BuildOptions
    basename: str
    """File stem of the outputs (the TEI file's stem)."""
    saxon: SaxonSession
    """The build's Saxon session (``source`` was loaded by it)."""


@dataclass(slots=True)
class WriterOutput:
    files: list[Path] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


Writer = Callable[[WriteContext], WriterOutput]
Finisher = Callable[[WriteContext], None]
"""A format's step after every format is written (:data:`tei_tools.publish.formats.FINISHERS`)."""

"""The format registry: one writer per output format, in build order.

Writers are imported when used, so one format's dependencies never stop
another from building. A writer reads nothing another writer wrote: a format
that offers other formats' files (the HTML's downloads) copies them in its
finishing step (:data:`FINISHERS`), run once every other format is written (it
writes into its own format's folder, never a file its writer writes); so the
formats can be written in any order, or side by side
(:mod:`tei_tools.publish.aside`).
"""

from __future__ import annotations

import importlib
from typing import Any

from tei_tools.errors import UsageError
from tei_tools.publish.options import Finisher, WriteContext, Writer, WriterOutput


def _epub(ctx: WriteContext) -> WriterOutput:
    from tei_tools.publish import epub

    result = epub.write(ctx.source, ctx.out_dir, saxon=ctx.saxon)
    return WriterOutput([result.path], list(getattr(result, "warnings", []) or []))


WRITERS: dict[str, Writer | str] = {
    "txt": "tei_tools.publish.text:write",
    "epub": _epub,
    "records": "tei_tools.records.writer:write",
    "html": "tei_tools.publish.html:write",
}
"""Format name → writer (or ``"module:function"``, imported on first use), in build order."""

FINISHERS: dict[str, Finisher | str] = {
    "html": "tei_tools.publish.html:add_downloads",
}
"""Format name → its finishing step, run in the build's process after every other writer
(the HTML's: while the HTML is still being written in a second process, if it can)."""


def check(name: str) -> None:
    """A :class:`UsageError` for a format that does not exist (nothing imported)."""
    if name not in WRITERS:
        raise UsageError(f"unknown format '{name}' (choose from {', '.join(WRITERS)})")


def writer(name: str) -> Writer:
    check(name)
    found: Writer = _resolve(WRITERS[name])  # each entry names a Writer
    return found


def finisher(name: str) -> Finisher | None:
    """The finishing step of format ``name`` (``None``: it has none)."""
    entry = FINISHERS.get(name)
    if entry is None:
        return None
    found: Finisher = _resolve(entry)  # each entry names a Finisher
    return found


def _resolve(entry: object) -> Any:
    if isinstance(entry, str):
        module, _, func = entry.partition(":")
        return getattr(importlib.import_module(module), func)
    return entry


def parse_formats(spec: str | None) -> tuple[str, ...]:
    """``"html,txt"`` → ``("txt", "html")`` in build order; ``None`` → all."""
    if not spec:
        return tuple(WRITERS)
    asked = [f.strip().lower() for f in spec.split(",") if f.strip()]
    for f in asked:
        if f not in WRITERS:
            raise UsageError(f"unknown format '{f}' (choose from {', '.join(WRITERS)})")
    return tuple(f for f in WRITERS if f in asked)

"""What every command shares to write its results: the ``PATHS`` argument, the
``-o/--output`` option, UTF-8 output whatever the locale, aligned tables; and the
options that spread the work (``-j/--jobs``, ``--scheduler``)."""

from __future__ import annotations

import sys
import unicodedata
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

import click

from tei_tools.errors import UsageError
from tei_tools.executor import SCHEDULER_ENV

F = TypeVar("F", bound=Callable[..., Any])

PATHS = click.argument("paths", nargs=-1, type=click.Path(path_type=Path))


def emit(text: str, output: Path | None = None) -> None:
    """Write ``text`` as UTF-8 to ``output`` or to stdout, never through the locale."""
    data = text.encode("utf-8")
    if output is not None:
        try:
            output.write_bytes(data)
        except OSError as exc:
            raise UsageError(f"{output}: error: cannot write ({exc.strerror})") from None
        return
    stream = getattr(sys.stdout, "buffer", None)
    if stream is None:  # a text-only stdout: it must take UTF-8 itself
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    sys.stdout.flush()
    stream.write(data)
    stream.flush()


def jobs_option(what: str = "many files") -> Callable[[F], F]:
    return click.option("-j", "--jobs", type=click.IntRange(min=1), default=None,
                        help=f"Worker processes for {what} [default: all cores].")


def scheduler_option(verb: str) -> Callable[[F], F]:
    return click.option("--scheduler", metavar="tcp://HOST:PORT",
                        help=f"{verb} on a Dask cluster (pip install \"tei-tools[dask]\"); "
                             f"default ${SCHEDULER_ENV} when set.")


OUTPUT = click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
                      help="Write to this file instead of stdout.")


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def table(header: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """An aligned plain-text table (CJK characters count two columns)."""
    cells = [[str(h) for h in header]] + [["" if c is None else str(c) for c in r] for r in rows]
    widths = [max(_width(row[i]) for row in cells) for i in range(len(header))]
    lines = []
    for row in cells:
        padded = [c + " " * (w - _width(c)) for c, w in zip(row, widths, strict=True)]
        lines.append("  ".join(padded).rstrip())
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines) + "\n"

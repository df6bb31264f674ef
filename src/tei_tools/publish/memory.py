"""How much memory a build needs, estimated before any work (``--max-memory``).

A build holds the document three times (lxml's tree, Saxon's tree, the
validators' state) and every output's temporary trees; measured peak RSS of a
cold build of all formats grows with the input (BENCHMARKS.md,
"Memory and ``--max-memory``"): about :data:`BASE` for the interpreter, Saxon
and the compiled stylesheets, :data:`VALIDATION` more when the document is
validated first, plus at most :data:`PER_BYTE` times the file's size.
The estimate errs high: a document that passes fits; one refused near the
limit might have fitted (raise ``--max-memory`` for it).

The default limit, :data:`DEFAULT_MAX_MEMORY` (2 GiB), is a fixed number so a
build passes or is refused the same way on every machine and in CI; it admits
documents up to about 24 MB validated (every one-volume TEI, the 1–10 MB of issue #12,
with margin) and refuses the 60 MB document that was still building after
300 s at 1.1 GB.
"""

from __future__ import annotations

import re

from tei_tools.errors import UsageError

MIB = 1024 * 1024
BASE = 200 * MIB
"""Peak RSS of a build of a tiny document (interpreter, lxml, Saxon, stylesheets)."""
VALIDATION = 100 * MIB
"""Added by validating first: the grammar and the validator's state (with
``tei_all.rng``: +84 MiB at 1 MB, +7 MiB at 3 MB; the edition with the
project's grammar: +5 MiB)."""
PER_BYTE = 75
"""Peak RSS added per byte of input: measured 75 from 1 to 3 MB and 27 from 3 to
10 MB (Saxon's collector works harder as its heap grows); the steeper is taken,
so the estimate is an upper bound (10 MB: 576 MiB measured, 926 MiB estimated)."""
DEFAULT_LIMIT = "2G"
"""The default of ``--max-memory``, as the option reads it."""
DEFAULT_MAX_MEMORY = 2048 * MIB

_UNITS = {"": MIB, "k": 1024, "m": MIB, "g": 1024 * MIB}
_SIZE = re.compile(r"\s*(\d+(?:\.\d+)?)\s*([kmg]?)(?:i?b)?\s*", re.IGNORECASE)


def parse_size(text: str) -> int | None:
    """``"512M"``, ``"2G"``, ``"1.5GiB"``, ``"800"`` (MiB) → bytes; ``"0"`` or
    ``"none"`` → ``None`` (no limit). Anything else is a :class:`UsageError`."""
    if text.strip().lower() in ("0", "none"):
        return None
    match = _SIZE.fullmatch(text)
    if match is None:
        raise UsageError(f"--max-memory: error: '{text}' is not a size "
                         "(e.g. 512M, 2G, 1.5GiB; a plain number is MiB; 0 or none: no limit)")
    value = int(float(match.group(1)) * _UNITS[match.group(2).lower()])
    if value <= 0:
        raise UsageError(f"--max-memory: error: '{text}' is not a positive size")
    return value


def estimate(input_bytes: int, validate: bool = True) -> int:
    """Bytes of memory a build of a document of ``input_bytes`` needs, about
    (``validate``: validated first)."""
    return BASE + (VALIDATION if validate else 0) + PER_BYTE * input_bytes


def mib(value: int) -> str:
    return f"{value / MIB:.0f} MiB"

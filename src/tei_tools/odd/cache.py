"""Compiled ODDs for ``validate --odd``, cached by content hash across runs.

The key is the SHA-256 of the ODD's bytes, of its source's bytes and of the
processor's own code, so an edited ODD, another ``p5subset.xml`` or a new
version of this package compiles afresh; an unchanged one is read back in
milliseconds. The cache lives under the user's cache folder
(``$XDG_CACHE_HOME/tei-tools/odd`` or ``~/.cache/tei-tools/odd``; override with
``TEI_TOOLS_CACHE``); a cache that cannot be written is not an error, the
compiled files then go to a temporary folder for this run.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from tei_tools.diagnostics import Diagnostic
from tei_tools.errors import UsageError
from tei_tools.odd.source import default_source


@dataclass(frozen=True)
class OddSchemas:
    """The grammar and Schematron compiled from an ODD, as files."""

    ident: str
    rng: Path
    sch: Path
    cached: bool
    warnings: tuple[Diagnostic, ...] = field(default_factory=tuple)


def cache_root() -> Path:
    if os.environ.get("TEI_TOOLS_CACHE"):
        return Path(os.environ["TEI_TOOLS_CACHE"]) / "odd"
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "tei-tools" / "odd"


def _processor_digest() -> bytes:
    h = hashlib.sha256()
    for f in sorted(Path(__file__).parent.glob("*.py")):
        h.update(f.name.encode())
        h.update(f.read_bytes())
    return h.digest()


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise UsageError(f"{path}: error: no such file") from None
    except OSError as exc:
        raise UsageError(f"{path}: error: cannot read ({exc.strerror})") from None


def odd_schemas(odd: str | os.PathLike[str],
                source: str | os.PathLike[str] | None = None) -> OddSchemas:
    """The ODD compiled (or found in the cache): paths of its ``.rng`` and ``.sch``."""
    from tei_tools.odd import compile_odd, write_compiled

    odd_path = Path(odd)
    src = Path(source) if source is not None else default_source()
    key = hashlib.sha256()
    for part in (_read(odd_path), _read(src), _processor_digest()):
        key.update(hashlib.sha256(part).digest())
    digest = key.hexdigest()[:32]
    folder = cache_root() / digest
    done = folder / "ident"
    if done.is_file():
        ident = done.read_text(encoding="utf-8").strip()
        rng, sch = folder / f"{ident}.rng", folder / f"{ident}.sch"
        if rng.is_file() and sch.is_file():
            return OddSchemas(ident, rng, sch, cached=True)
    result = compile_odd(odd_path, source=src)
    try:
        write_compiled(result, folder)
        done.write_text(result.ident + "\n", encoding="utf-8")
    except (UsageError, OSError):
        folder = Path(tempfile.mkdtemp(prefix="tei-tools-odd-"))
        write_compiled(result, folder)
    return OddSchemas(result.ident, folder / f"{result.ident}.rng",
                      folder / f"{result.ident}.sch", cached=False, warnings=result.warnings)

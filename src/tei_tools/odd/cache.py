"""Compiled ODDs for ``validate --odd`` and the pages of ``odd doc`` for the
site of ``tei-tools build``, cached by content hash across runs.

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
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from tei_tools.diagnostics import Diagnostic
from tei_tools.errors import UsageError
from tei_tools.odd.source import default_source
from tei_tools.paths import cache_dir


@dataclass(frozen=True)
class OddSchemas:
    """The grammar and Schematron compiled from an ODD, as files."""

    ident: str
    rng: Path
    sch: Path
    cached: bool
    warnings: tuple[Diagnostic, ...] = field(default_factory=tuple)


def cache_root() -> Path:
    return cache_dir("odd")


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


def _key(odd: Path, source: Path) -> str:
    key = hashlib.sha256()
    for part in (_read(odd), _read(source), _processor_digest()):
        key.update(hashlib.sha256(part).digest())
    return key.hexdigest()[:32]


def odd_schemas(odd: str | os.PathLike[str],
                source: str | os.PathLike[str] | None = None) -> OddSchemas:
    """The ODD compiled (or found in the cache): paths of its ``.rng`` and ``.sch``."""
    from tei_tools.odd import compile_odd, write_compiled

    odd_path = Path(odd)
    src = Path(source) if source is not None else default_source()
    folder = cache_root() / _key(odd_path, src)
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


PAGES = "doc"
"""The folder of a cache entry that holds the documentation pages."""


def documentation_pages(odd: str | os.PathLike[str],
                        source: str | os.PathLike[str] | None = None) -> dict[str, bytes]:
    """The pages of ``tei-tools odd doc`` for ``odd``, by file name: rendered once,
    then read back from the cache (a build of the site does not parse
    ``p5subset.xml`` again for an unchanged ODD). An entry appears whole or not at
    all (written aside, then renamed); a cache that cannot be written is not an
    error."""
    from tei_tools.odd.customise import customise
    from tei_tools.odd.doc import render
    from tei_tools.odd.source import load_source

    odd_path = Path(odd)
    src = Path(source) if source is not None else default_source()
    entry = cache_root() / _key(odd_path, src)
    folder = entry / PAGES
    if folder.is_dir():
        return {f.name: f.read_bytes() for f in sorted(folder.iterdir())}
    pages = render(customise(odd_path, load_source(src)))
    aside: Path | None = None
    try:
        entry.mkdir(parents=True, exist_ok=True)
        aside = Path(tempfile.mkdtemp(dir=entry, prefix=f".{PAGES}."))
        for name, data in pages.items():
            (aside / name).write_bytes(data)
        os.replace(aside, folder)
    except OSError:  # read-only cache, or another process was first: both fine
        if aside is not None:
            shutil.rmtree(aside, ignore_errors=True)
    return pages

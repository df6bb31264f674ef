"""The project's own ODD processor: TEI customisations compiled without Java.

``compile_odd(path)`` reads an ODD, applies its ``schemaSpec`` to the TEI's
compiled specification (``p5subset.xml``, shipped) and returns a
:class:`CompiledOdd`: RELAX NG (XML syntax), ISO Schematron
(``queryBinding="xslt2"``) and the compiled ODD, all as bytes, with the
warnings met on the way. Nothing here prints or touches the network.

Modules: :mod:`.source` (p5subset), :mod:`.customise` (modules, specs and
their modes), :mod:`.merge` (``mode="change"``), :mod:`.simplify` (the TEI's
content-model rewrites), :mod:`.classes` (attribute classes), :mod:`.rng`,
:mod:`.schematron`, :mod:`.compiled`, :mod:`.doc` (HTML documentation),
:mod:`.cache` (compiled grammars for ``validate --odd``).
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from tei_tools.diagnostics import Diagnostic
from tei_tools.errors import UsageError
from tei_tools.odd import compiled, rng, schematron
from tei_tools.odd.customise import Customisation, customise
from tei_tools.odd.errors import OddError
from tei_tools.odd.source import Source, default_source, load_source

__all__ = [
    "CompiledOdd",
    "Customisation",
    "OddError",
    "Source",
    "compile_odd",
    "customise",
    "default_source",
    "load_source",
    "write_compiled",
]


@dataclass(frozen=True)
class CompiledOdd:
    """What ``odd compile`` writes, in memory."""

    ident: str
    rng: bytes
    sch: bytes
    compiled_odd: bytes
    warnings: tuple[Diagnostic, ...] = field(default_factory=tuple)

    def files(self) -> dict[str, bytes]:
        return {f"{self.ident}.rng": self.rng, f"{self.ident}.sch": self.sch,
                f"{self.ident}.compiled.odd": self.compiled_odd}


def compile_odd(odd: str | os.PathLike[str], *, source: str | os.PathLike[str] | Source | None
                = None, schema_ident: str | None = None) -> CompiledOdd:
    """Compile one ODD customisation (``source``: another ``p5subset.xml``)."""
    src = source if isinstance(source, Source) or source is None else load_source(source)
    custom = customise(odd, src, schema_ident=schema_ident)
    grammar = rng.serialize(rng.build_grammar(custom))
    rules = schematron.serialize(schematron.build_schematron(custom))
    return CompiledOdd(
        ident=custom.ident, rng=grammar, sch=rules,
        compiled_odd=compiled.serialize(compiled.compiled_odd(custom, consume=True)),
        warnings=tuple(custom.warnings))


def write_compiled(result: CompiledOdd, out_dir: str | os.PathLike[str]) -> list[Path]:
    """Write the three files into ``out_dir``, each atomically (never half-written)."""
    out = Path(out_dir)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UsageError(f"{out}: error: cannot create the folder ({exc.strerror})") from None
    written = []
    for name, data in result.files().items():
        target = out / name
        try:
            fd, tmp = tempfile.mkstemp(dir=out, prefix=f".{name}.", suffix=".tmp")
            with os.fdopen(fd, "wb") as f:
                f.write(data)
            os.chmod(tmp, 0o644)
            os.replace(tmp, target)
        except OSError as exc:
            raise UsageError(f"{target}: error: cannot write ({exc.strerror})") from None
        written.append(target)
    return written

"""Golden comparison for performance work: every output byte-identical.

    .venv/bin/python bench/golden.py record DIR    # build, write DIR/manifest.json
    .venv/bin/python bench/golden.py check DIR     # build again, compare with it

Builds the edition and the ~1 MB document of :func:`bench.corpus.large_document`
(all formats, the 1 MB one without validation; then the text and HTML with
page markers, the diplomatic reading, no editorial matter: ``VARIANTS``) into a temporary folder and
compares the SHA-256 of every file (EPUB members compared one by one, so a
difference names the member). Exit 1 and a list of what differs on a mismatch.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import corpus

REPO = Path(__file__).resolve().parents[1]
TEI_TOOLS = Path(sys.executable).parent / "tei-tools"


VARIANTS: dict[str, list[str]] = {
    "": [],
    "-markers": ["-f", "txt", "--page-markers"],
    "-diplomatic": ["-f", "txt,html", "--reading", "diplomatic", "--page-markers"],
    "-plain": ["-f", "txt", "--no-editorial"],
}
"""Output folder suffix → build options (all formats, then the text options)."""


def _build(src: Path, out: Path, validate: bool, extra: list[str]) -> None:
    cmd = [str(TEI_TOOLS), "build", str(src), "-o", str(out), "-q", *extra]
    if not validate:
        cmd.append("--no-validate")
    subprocess.run(cmd, check=True)


def _digest(folder: Path) -> dict[str, str]:
    out: dict[str, str] = {}
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        rel = path.relative_to(folder).as_posix()
        out[rel] = hashlib.sha256(path.read_bytes()).hexdigest()
        if path.suffix == ".epub":
            with zipfile.ZipFile(path) as z:
                for info in z.infolist():
                    out[f"{rel}!{info.filename}"] = hashlib.sha256(z.read(info)).hexdigest()
    return out


def digests(keep: Path | None = None) -> dict[str, str]:
    with tempfile.TemporaryDirectory(prefix="tei-tools-golden-") as tmp:
        work = keep or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        big = work / "large-1mb.xml"
        big.write_bytes(corpus.large_document(1_000_000))
        result: dict[str, str] = {}
        for label, src, validate in (("edition", corpus.edition_path(), True),
                                     ("1mb", big, False)):
            for suffix, extra in VARIANTS.items():
                out = work / f"out-{label}{suffix}"
                if out.exists():
                    shutil.rmtree(out)
                _build(src, out, validate, extra)
                result.update({f"{label}{suffix}/{k}": v for k, v in _digest(out).items()})
        return result


def main(argv: list[str]) -> int:
    if len(argv) != 2 or argv[0] not in ("record", "check"):
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    folder = Path(argv[1])
    folder.mkdir(parents=True, exist_ok=True)
    manifest = folder / "manifest.json"
    # each run builds into a folder of its own (two checks at once must not share one),
    # kept only when something differs, to look at
    last = Path(tempfile.mkdtemp(prefix="last-", dir=folder))
    got = digests(last)
    if argv[0] == "record":
        manifest.write_text(json.dumps(got, indent=1, sort_keys=True), encoding="utf-8")
        print(f"recorded {len(got)} files in {manifest}")
        shutil.rmtree(last)
        return 0
    want = json.loads(manifest.read_text(encoding="utf-8"))
    bad = sorted(k for k in set(want) | set(got) if want.get(k) != got.get(k))
    for k in bad[:40]:
        print(f"differs: {k} ({'missing' if k not in got else 'new' if k not in want else 'changed'})")
    print(f"{len(got)} files, {len(bad)} differ" + (f"; the outputs are in {last}" if bad else ""))
    if not bad:
        shutil.rmtree(last)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

"""The EPUB's cover image, kept across builds by content (issue 12).

Drawing the cover (:func:`tei_tools.publish.epub_cover.render_cover`) is
~0.15 s of a cold build — Pillow imported, a CJK font read, a 1000×1500 PNG
compressed — and gives the same bytes for the same header, fonts, Pillow and
drawing code. :func:`cover` keys the PNG by exactly those (the header's
:class:`~tei_tools.records.header.Description`, the font files' paths, sizes
and times, Pillow's version, the drawing module's source) and keeps it in the
user's cache (:func:`tei_tools.paths.cache_dir` ``("cover")``), written aside
then renamed; a cache that cannot be read or written is no cache. Without
Pillow or a CJK font it draws nothing and says why, as ``render_cover`` does.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

from tei_tools.paths import cache_dir
from tei_tools.publish import epub_cover
from tei_tools.publish.epub_cover import Cover, alt_text, render_cover
from tei_tools.records.header import Description

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def cover(d: Description) -> Cover:
    """The cover of ``d``: from the cache, else drawn (and kept)."""
    key = _key(d)
    if key is None:
        return render_cover(d)
    path = cache_dir("cover") / f"{key}.png"
    try:
        kept = path.read_bytes()
    except OSError:
        kept = b""
    if kept.startswith(PNG_SIGNATURE):
        return Cover(kept, alt_text(d))
    drawn = render_cover(d)
    if drawn.png:
        _keep(path, drawn.png)
    return drawn


def _key(d: Description) -> str | None:
    """What the image depends on, hashed; ``None`` without Pillow or the fonts."""
    try:
        import PIL  # the package alone (its version), not the imaging library
    except ImportError:
        return None
    h = hashlib.sha256()
    for weight in ("bold", "regular"):
        font = epub_cover.font_file(weight)
        if font is None:
            return None
        try:
            stat = os.stat(font)
        except OSError:
            return None
        h.update(f"{font}\0{stat.st_size}\0{stat.st_mtime_ns}\0".encode())
    h.update(f"{PIL.__version__}\0{d!r}\0".encode())
    h.update(Path(epub_cover.__file__).read_bytes())
    return h.hexdigest()[:32]


def _keep(path: Path, png: bytes) -> None:
    aside: str | None = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, aside = tempfile.mkstemp(dir=path.parent, prefix=".cover-")
        with os.fdopen(fd, "wb") as out:
            out.write(png)
        os.replace(aside, path)
    except OSError:  # a read-only cache, a full disk: the next build draws it again
        if aside is not None and os.path.exists(aside):
            os.unlink(aside)

"""The EPUB's cover: a PNG drawn at build time from the header (Pillow, Noto CJK).

::

    cover = render_cover(describe(tree))
    cover.png      # bytes, the same for the same header, fonts and Pillow
    cover.alt      # the text of the cover, for the alt attribute

The image carries the title (the part before the first "（" or "：" large,
the rest smaller), the creators, the publisher and the date. The font is the
system's Noto Serif CJK (Debian ``fonts-noto-cjk``, installed by
scripts/install-system-deps.sh), at Debian's path or found by fontconfig
(``fc-match``). Without Pillow or a CJK font there is no cover: the EPUB is
still built, and :func:`render_cover` says why in :attr:`Cover.missing`.

Deterministic: no clock, no randomness; PNG written without time chunks.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from tei_tools.records.header import Description

if TYPE_CHECKING:  # Pillow itself is imported where a cover is drawn
    from PIL.ImageFont import FreeTypeFont

WIDTH, HEIGHT = 1000, 1500
SCALE = WIDTH / 1200
"""Sizes below are drawn for 1200 px and scaled."""
BACKGROUND = (128, 24, 24)
INK = (255, 248, 235)
RULE = (214, 178, 94)
DEBIAN_FONTS = Path("/usr/share/fonts/opentype/noto")
FACE_BY_LANGUAGE = {"zh-hant": "TC", "zh-tw": "TC", "zh-hk": "HK", "ja": "JP", "ko": "KR"}


@dataclass(frozen=True, slots=True)
class Cover:
    png: bytes | None
    alt: str
    missing: str = ""
    """Why there is no image (empty when there is one)."""


def _face_suffix(language: str) -> str:
    tag = language.lower()
    for prefix, suffix in FACE_BY_LANGUAGE.items():
        if tag == prefix or tag.startswith(prefix + "-"):
            return suffix
    return "SC"


@lru_cache(maxsize=8)
def font_file(weight: str) -> str | None:
    """Debian's file, else what fontconfig finds (a subprocess: only when needed)."""
    candidate = DEBIAN_FONTS / f"NotoSerifCJK-{'Bold' if weight == 'bold' else 'Regular'}.ttc"
    if candidate.is_file():
        return str(candidate)
    fc = shutil.which("fc-match")
    if fc:
        try:
            found = subprocess.run([fc, "-f", "%{file}", f"Noto Serif CJK SC:{weight}"],
                                   capture_output=True, text=True, timeout=20).stdout.strip()
        except (OSError, subprocess.SubprocessError):
            found = ""
        if found and "CJK" in found and Path(found).is_file():
            return found
    return None


@lru_cache(maxsize=16)
def _font(weight: str, size: int, suffix: str) -> FreeTypeFont | None:
    from PIL import ImageFont

    path = font_file(weight)
    if path is None:
        return None
    for index in range(10):
        try:
            font = ImageFont.truetype(path, size, index=index)
        except OSError:
            break
        if (font.getname()[0] or "").endswith(" " + suffix):
            return font
    return ImageFont.truetype(path, size, index=0)


_NO_LINE_START = "，。、；：？！）》」』〕］”’·…—"


def _wrap(text: str, font: FreeTypeFont, width: int) -> list[str]:
    """Lines no wider than ``width``: CJK breaks between characters, Latin at
    spaces; closing punctuation never starts a line."""
    tokens = re.findall(r"[A-Za-z0-9][A-Za-z0-9.,'’:;()\-]*\s*|\s+|.", text)
    lines, line = [], ""
    for token in tokens:
        if line and font.getlength(line + token.rstrip()) > width and token[0] not in _NO_LINE_START:
            lines.append(line.rstrip())
            line = token.lstrip()
        else:
            line += token
    if line.strip():
        lines.append(line.rstrip())
    return lines


def alt_text(d: Description) -> str:
    creators = "、".join(n.text for n in d.names if n.creator)
    parts = [f"封面：{d.title}"] + [s for s in d.subtitles]
    if creators:
        parts.append(creators)
    if d.publisher:
        parts.append(d.publisher)
    return "。".join(p.rstrip("。") for p in parts) + "。"


def _px(size: int) -> int:
    return max(1, round(size * SCALE))


def render_cover(d: Description) -> Cover:
    alt = alt_text(d)
    try:
        from PIL import Image, ImageDraw
    except ImportError:
        return Cover(None, alt, "Pillow is not installed")
    suffix = _face_suffix(d.language)
    big, small = _font("bold", _px(92), suffix), _font("regular", _px(46), suffix)
    credit = _font("regular", _px(40), suffix)
    if big is None or small is None or credit is None:
        return Cover(None, alt, "no Noto CJK font found (Debian fonts-noto-cjk)")
    image = Image.new("RGB", (WIDTH, HEIGHT), BACKGROUND)
    draw = ImageDraw.Draw(image)
    margin = _px(110)
    draw.rectangle([_px(60), _px(60), WIDTH - _px(60) - 1, HEIGHT - _px(60) - 1], outline=RULE, width=_px(6))
    draw.rectangle([_px(80), _px(80), WIDTH - _px(80) - 1, HEIGHT - _px(80) - 1], outline=RULE, width=_px(2))
    match = re.match(r"^(.+?)([（(：:].*)$", d.title)
    head, rest = (match.group(1), match.group(2).lstrip("：:")) if match else (d.title, "")
    y = _px(330)
    for line in _wrap(head, big, WIDTH - 2 * margin):
        draw.text((WIDTH / 2, y), line, font=big, fill=INK, anchor="ma")
        y += _px(130)
    y += _px(30)
    draw.line([(WIDTH / 2 - _px(160), y), (WIDTH / 2 + _px(160), y)], fill=RULE, width=_px(4))
    y += _px(70)
    for piece in [p for p in re.split(r"[：:]", rest) if p.strip()] + list(d.subtitles):
        for line in _wrap(piece, small, WIDTH - 2 * margin):
            draw.text((WIDTH / 2, y), line, font=small, fill=INK, anchor="ma")
            y += _px(72)
    bottom = [n.text for n in d.names if n.creator] + ([d.publisher] if d.publisher else [])
    bottom += [d.date[:4]] if d.date[:4].isdigit() else []
    y = HEIGHT - _px(200) - _px(64) * len(bottom)
    for line in bottom:
        draw.text((WIDTH / 2, y), line, font=credit, fill=INK, anchor="ma")
        y += _px(64)
    out = io.BytesIO()
    image.save(out, format="PNG", compress_level=3)
    return Cover(out.getvalue(), alt)

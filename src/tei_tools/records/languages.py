"""BCP 47 language tags → the MARC / ISO 639-2 bibliographic codes records use."""

from __future__ import annotations

ISO639_2B = {
    "ar": "ara", "bo": "tib", "cs": "cze", "cy": "wel", "da": "dan", "de": "ger", "el": "gre",
    "en": "eng", "es": "spa", "fa": "per", "fi": "fin", "fr": "fre", "ga": "gle", "grc": "grc",
    "he": "heb", "hi": "hin", "hu": "hun", "it": "ita", "ja": "jpn", "ko": "kor", "la": "lat",
    "mn": "mon", "nl": "dut", "no": "nor", "pl": "pol", "pt": "por", "ro": "rum", "ru": "rus",
    "sa": "san", "sv": "swe", "tr": "tur", "uk": "ukr", "ug": "uig", "vi": "vie", "zh": "chi",
    "lzh": "chi", "yue": "chi", "enm": "enm", "ang": "ang", "fro": "fro", "frm": "frm",
    "gmh": "gmh", "goh": "goh", "sga": "sga", "non": "non",
}
"""Primary subtag → MARC language code (the common ones; anything else is ``und``)."""


def marc_code(tag: str) -> str:
    """``zh-Hans`` → ``chi``; a three-letter primary subtag is kept; else ``und``."""
    primary = tag.split("-")[0].lower()
    if primary in ISO639_2B:
        return ISO639_2B[primary]
    return primary if len(primary) == 3 and primary.isalpha() else "und"


def marc_codes(tags: tuple[str, ...]) -> list[str]:
    """The distinct codes of ``tags``, in order, without ``und`` unless it is the only one."""
    codes = list(dict.fromkeys(marc_code(t) for t in tags))
    known = [c for c in codes if c != "und"]
    return known or ["und"]

"""What calibre, a common reading and library app, reads from the EPUB (issue #14).

Runs Debian's calibre (``ebook-meta`` and ``calibre-debug``, installed by
scripts/install-system-deps.sh): the compiler shows as the book's author,
the title is the Chinese main title alone, both identifiers survive, the
description is the header's.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tei_tools import xmlio
from tei_tools.records.header import describe

from conftest import EDITION
from epub_support import built

pytestmark = pytest.mark.slow


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise AssertionError(f"{name} not found: run scripts/install-system-deps.sh (Debian calibre)")
    return path


def _ebook_meta(epub: Path) -> dict[str, str]:
    run = subprocess.run([_tool("ebook-meta"), str(epub)], capture_output=True, text=True,
                         timeout=180, env={"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8",
                                           "QT_QPA_PLATFORM": "offscreen", "HOME": str(epub.parent)})
    assert run.returncode == 0, run.stderr
    fields = {}
    for line in run.stdout.splitlines():
        match = re.match(r"^(\S[^:]*?)\s*: (.*)$", line)
        if match:
            fields[match.group(1)] = match.group(2)
    return fields


@pytest.fixture(scope="module")
def shown() -> dict[str, str]:
    return _ebook_meta(built(EDITION).path)


def test_calibre_shows_the_compiler_as_author(shown) -> None:
    # ebook-meta prints "name [sort form]"
    assert shown["Author(s)"] == "中共台江区委组织部 [Zhōnggòng Táijiāng Qūwěi Zǔzhībù]"


def test_calibre_shows_the_chinese_main_title_alone(shown) -> None:
    title = describe(xmlio.parse_file(EDITION)).title
    assert shown["Title"] == title
    assert "TEI P5 edition" not in shown["Title"]


def test_calibre_keeps_the_edition_idno_and_the_description(shown) -> None:
    assert shown["Identifiers"] == "local:taijiang-dangjian-2007"
    assert shown["Comments"].startswith("本版为 tei-tools 项目的学术数字版")
    assert shown["Languages"] == "zho"


def test_calibre_reads_the_package_uuid(tmp_path: Path) -> None:
    epub = built(EDITION).path
    code = ("import sys\nfrom calibre.ebooks.metadata.epub import get_metadata\n"
            f"mi = get_metadata(open({str(epub)!r}, 'rb'), extract_cover=False)\n"
            "print(mi.uuid); print(mi.author_sort)\n")
    run = subprocess.run([_tool("calibre-debug"), "-c", code], capture_output=True, text=True,
                         timeout=180, env={"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8",
                                           "HOME": str(tmp_path)})
    assert run.returncode == 0, run.stderr
    uuid, author_sort = run.stdout.split("\n")[-3:-1]
    assert "urn:uuid:" + uuid == built(EDITION).identifier
    assert author_sort == "Zhōnggòng Táijiāng Qūwěi Zǔzhībù", "the creator's file-as, not 'Unknown'"

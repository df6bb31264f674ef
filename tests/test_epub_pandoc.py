"""What a client that reads the spine in order sees (issue #14): pandoc
(Debian's, installed by scripts/install-system-deps.sh) turns the EPUB into
plain text; the navigation document is not read as content — no second
contents list (目次) before the book's own (目录), no landmarks, no page list."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from conftest import EDITION
from epub_support import built

pytestmark = pytest.mark.slow


def test_pandoc_reads_the_book_not_the_navigation() -> None:
    pandoc = shutil.which("pandoc")
    assert pandoc, "pandoc not found: run scripts/install-system-deps.sh"
    run = subprocess.run([pandoc, str(built(EDITION).path), "-f", "epub", "-t", "plain", "--wrap=none"],
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    text = run.stdout
    assert "目次" not in text and "导航标志" not in text
    assert "页码（" not in text, "the page list is not read as text"
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    assert "1.  1" not in lines and "1. 1" not in lines
    assert text.index("目录") < text.index("序言") < text.index("版本说明")
    assert "加强城市基层党建工作" in text

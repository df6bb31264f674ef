"""``--max-memory``: a document too large for the memory allowed is refused
before any work, in one line, the previous output intact (issue 12)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tei_tools.errors import BuildError, UsageError
from tei_tools.publish import memory
from tei_tools.publish.build import BuildOptions, build

from build_support import tree_digest
from conftest import MINI


@pytest.mark.parametrize(("text", "expected"), [
    ("512M", 512 * memory.MIB), ("2G", 2048 * memory.MIB), ("1.5GiB", 1536 * memory.MIB),
    ("800", 800 * memory.MIB), ("64k", 64 * 1024), ("3 gb", 3072 * memory.MIB),
    ("0", None), ("none", None), ("NONE", None),
])
def test_sizes_are_read_in_binary_units(text: str, expected: int | None) -> None:
    assert memory.parse_size(text) == expected


@pytest.mark.parametrize("text", ["", "2x", "-5M", "G", "1e9", "0.0001k"])
def test_a_bad_size_is_a_usage_error(text: str) -> None:
    with pytest.raises(UsageError, match="--max-memory"):
        memory.parse_size(text)


def test_the_default_admits_ten_megabytes_and_refuses_sixty() -> None:
    assert memory.parse_size(memory.DEFAULT_LIMIT) == memory.DEFAULT_MAX_MEMORY
    assert BuildOptions().max_memory == memory.DEFAULT_MAX_MEMORY
    assert memory.estimate(10_000_000) < memory.DEFAULT_MAX_MEMORY < memory.estimate(60_000_000)
    assert memory.estimate(2_000_000) - memory.estimate(1_000_000) == memory.PER_BYTE * 1_000_000
    assert memory.estimate(1_000_000) - memory.estimate(1_000_000, validate=False) \
        == memory.VALIDATION


def test_refused_before_anything_is_written(tmp_path: Path) -> None:
    out = tmp_path / "dist"
    build(MINI, out, BuildOptions(formats=("txt",), validate=False))
    before = tree_digest(out)
    needed = memory.estimate(MINI.stat().st_size, validate=False)
    with pytest.raises(BuildError) as caught:
        build(MINI, out, BuildOptions(formats=("txt", "records"), validate=False,
                                       max_memory=needed - 1))
    message = str(caught.value)
    assert message.startswith(f"{MINI}: error: ")
    assert f"needs about {memory.mib(needed)}, more than --max-memory {memory.mib(needed - 1)}" \
        in message
    assert "\n" not in message
    assert tree_digest(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dist"]  # no temporary folder left


def test_the_estimate_itself_passes(tmp_path: Path) -> None:
    needed = memory.estimate(MINI.stat().st_size, validate=False)
    result = build(MINI, tmp_path / "dist", BuildOptions(formats=("records",), validate=False,
                                                          max_memory=needed))
    assert [f.name for f in result.formats] == ["records"]


def test_the_command_line_refuses_in_one_line(tmp_path: Path) -> None:
    out = tmp_path / "dist"
    tei_tools = [sys.executable, "-m", "tei_tools", "build", str(MINI), "-o", str(out), "-q",
                 "--no-validate", "-f", "records"]
    refused = subprocess.run([*tei_tools, "--max-memory", "100M"], capture_output=True, text=True)
    assert refused.returncode == 1
    assert refused.stderr.count("\n") == 1 and "more than --max-memory 100 MiB" in refused.stderr
    assert not out.exists()
    bad = subprocess.run([*tei_tools, "--max-memory", "lots"], capture_output=True, text=True)
    assert bad.returncode == 2 and "'lots' is not a size" in bad.stderr
    assert not out.exists()
    unlimited = subprocess.run([*tei_tools, "--max-memory", "none"], capture_output=True, text=True)
    assert unlimited.returncode == 0, unlimited.stderr
    assert (out / "records").is_dir()


def test_validating_first_needs_more(tmp_path: Path) -> None:
    lean = memory.estimate(MINI.stat().st_size, validate=False)
    with pytest.raises(BuildError, match="needs about"):
        build(MINI, tmp_path / "dist", BuildOptions(formats=("records",), max_memory=lean))
    assert not (tmp_path / "dist").exists()

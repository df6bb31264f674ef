"""The lowest versions ``pyproject.toml`` allows really work (issue 15).

A fresh venv gets exactly each runtime dependency's lower bound (``>=X`` →
``==X``, binary wheels only, as most users get them), then the wheel of the
checkout without resolving again. There the tool validates the edition,
builds every format and answers a query, and what it writes is byte for byte
what the development environment (``requirements.lock``) writes. A bound that
fails here is to be raised to the version that passes, not left as a hope.
Run alone with ``make test-min``.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from lxml import etree
from packaging.version import Version

from build_support import built, tree_digest
from conftest import EDITION
from wheel_support import build_wheel, run_tool, runtime_requirements, venv_with

pytestmark = pytest.mark.slow


def minimums() -> dict[str, str]:
    """Each runtime dependency's lower bound (a dependency without one fails the test)."""
    out = {}
    for name, requirement in runtime_requirements().items():
        bound = re.search(r">=\s*([\w.]+)", requirement)
        assert bound, f"{requirement!r} in pyproject.toml states no lower bound"
        out[name] = bound.group(1)
    return out


@pytest.fixture(scope="module")
def oldest(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("min-versions")
    pins = [f"{name}=={version}" for name, version in minimums().items()]
    return venv_with(root / "venv", *pins, wheel=build_wheel(root / "wheels"), only_binary=True)


@pytest.fixture(scope="module")
def work(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("elsewhere")
    (folder / "tei").mkdir()
    shutil.copy(EDITION, folder / "tei" / EDITION.name)
    return folder


def test_the_venv_holds_exactly_the_minimums(oldest: Path) -> None:
    listed = subprocess.run([str(oldest / "bin" / "pip"), "list", "--format", "json"],
                            capture_output=True, text=True, check=True).stdout
    installed = {p["name"].lower(): Version(p["version"]) for p in json.loads(listed)}
    wanted = {name: Version(version) for name, version in minimums().items()}
    assert {name: installed.get(name) for name in wanted} == wanted


def test_validate_at_the_minimums(oldest: Path, work: Path) -> None:
    result = run_tool(oldest, work, "validate")
    assert (result.returncode, result.stdout) == (0, "")
    assert result.stderr == "1 file, 0 errors, 0 warnings: valid\n"


def test_build_at_the_minimums_writes_what_the_locked_versions_write(oldest: Path,
                                                                      work: Path) -> None:
    out = work / "out"
    result = run_tool(oldest, work, "build", "-f", "html,epub,txt,records", "--out", str(out))
    assert result.returncode == 0, result.stderr
    lines = result.stderr.splitlines()  # progress only: no warning of a dependency
    assert all(line.startswith("tei-tools build: ") for line in lines), result.stderr
    assert lines[-1].startswith("tei-tools build: built txt, epub, records, html into ")
    expected, _ = built(EDITION)
    assert tree_digest(out) == tree_digest(expected)


def test_query_at_the_minimums(oldest: Path, work: Path, tei: etree._Element) -> None:
    expected = len(tei.xpath("//t:persName", namespaces={"t": "http://www.tei-c.org/ns/1.0"}))
    result = run_tool(oldest, work, "query", "count(//tei:persName)")
    assert (result.returncode, result.stdout, result.stderr) == (0, f"{expected}\n", "")

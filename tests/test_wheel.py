"""The package as users install it: a wheel in a fresh virtual environment (issue 15).

The source checkout's ``xslt/`` and ``schema/`` are never on that path: the
wheel carries them as package data (``tei_tools/data/``), and this is the
only test that runs them from there. The venv gets the wheel and the runtime
dependencies at the versions of ``requirements.lock`` (from pip's cache when
it has them), nothing of the checkout.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from conftest import CORPUS, EDITION, REPO
from wheel_support import build_wheel, run_tool, runtime_requirements, site_packages, venv_with

pytestmark = pytest.mark.slow


def _pins() -> list[str]:
    """The runtime dependencies at the versions of ``requirements.lock``."""
    lock = (REPO / "requirements.lock").read_text(encoding="utf-8")
    pins = {name.lower(): version for name, version in
            re.findall(r"^([A-Za-z0-9_.-]+)==(\S+)", lock, re.M)}
    return [f"{name}=={pins[name]}" for name in runtime_requirements()]


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("wheel")
    return venv_with(root / "venv", *_pins(), wheel=build_wheel(root / "wheels"))


def test_the_wheel_carries_its_stylesheets_and_schemas(installed: Path) -> None:
    site = site_packages(installed)
    data = site / "tei_tools" / "data"
    assert (data / "xslt" / "core" / "core.xsl").is_file()
    assert (data / "xslt" / "query" / "facts.xsl").is_file()
    assert (data / "schema" / "tei_all.rng").is_file()
    assert (site / "tei_tools" / "schemas" / "validate.schema.json").is_file()
    assert (site / "tei_tools" / "py.typed").is_file()


def test_installed_tool_validates_builds_and_queries_from_anywhere(installed: Path,
                                                                   tmp_path: Path) -> None:
    work = tmp_path / "elsewhere"
    (work / "tei").mkdir(parents=True)
    shutil.copy(EDITION, work / "tei" / EDITION.name)
    version = run_tool(installed, work, "--version")
    assert version.returncode == 0 and "tei-tools, version" in version.stdout
    checked = run_tool(installed, work, "validate")
    assert checked.returncode == 0, checked.stderr
    assert "tei-taijiang.rng" in run_tool(installed, work, "validate", "--format", "json").stdout
    foreign = run_tool(installed, work, "validate", str(CORPUS / "p5test__testnames.xml"),
                   "--schema", str(site_schema(installed) / "tei_all.rng"))
    assert foreign.returncode in (0, 1) and "Traceback" not in foreign.stderr
    built = run_tool(installed, work, "build", "--out", str(work / "out"))
    assert built.returncode == 0, built.stderr
    for part in ("html/index.html", "txt/taijiang-dangjian-2007.txt"):
        assert (work / "out" / part).is_file(), part
    assert list((work / "out" / "epub").glob("*.epub"))
    stats = run_tool(installed, work, "stats", "--format", "json")
    assert stats.returncode == 0 and '"characters"' in stats.stdout


def test_installed_tool_without_an_edition_says_so(installed: Path, tmp_path: Path) -> None:
    result = run_tool(installed, tmp_path, "validate")
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "error:" in result.stderr
    assert "Traceback" not in result.stderr


def site_schema(venv: Path) -> Path:
    return site_packages(venv) / "tei_tools" / "data" / "schema"

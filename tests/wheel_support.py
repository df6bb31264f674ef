"""The package as users install it: a wheel of the checkout in a fresh virtual
environment (``test_wheel.py`` with the locked versions of the dependencies,
``test_min_versions.py`` with the lowest that ``pyproject.toml`` allows)."""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from pathlib import Path

from conftest import REPO


def runtime_requirements() -> dict[str, str]:
    """The runtime dependencies of ``pyproject.toml``: normalised name → the
    requirement as written (``"lxml>=5.2"``)."""
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    return {re.split(r"[<>=!~ \[;]", req, maxsplit=1)[0].lower(): req
            for req in project["dependencies"]}


def build_wheel(folder: Path) -> Path:
    """A wheel of the checkout (without its dependencies), written into ``folder`` by
    ``make wheel`` (whose default, build/wheels, keeps wheels out of the edition's dist/)."""
    subprocess.run(["make", "-s", "-C", str(REPO), "wheel", f"PYTHON={sys.executable}",
                    f"WHEELS={folder}"], check=True, capture_output=True)
    return next(folder.glob("tei_tools-*.whl"))


def venv_with(folder: Path, *requirements: str, wheel: Path, only_binary: bool = False) -> Path:
    """A new venv in ``folder`` holding ``requirements`` and then ``wheel`` installed
    without resolving again (so exactly the given versions are there)."""
    subprocess.run([sys.executable, "-m", "venv", str(folder)], check=True)
    pip = [str(folder / "bin" / "pip"), "install", "-q"]
    binary = ["--only-binary", ":all:"] if only_binary else []
    subprocess.run([*pip, *binary, *requirements], check=True, capture_output=True)
    subprocess.run([*pip, "--no-deps", str(wheel)], check=True, capture_output=True)
    return folder


def run_tool(venv: Path, cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """``tei-tools ARGS`` of ``venv``, run in ``cwd``."""
    return subprocess.run([str(venv / "bin" / "tei-tools"), *args], cwd=cwd,
                          capture_output=True, text=True, timeout=300)


def site_packages(venv: Path) -> Path:
    return next((venv / "lib").glob("python3*/site-packages"))

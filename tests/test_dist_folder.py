"""``dist/`` is the edition's output; Python packages are built into ``build/wheels``
(issue 15): ``python -m build`` also defaults to ``dist/``, where a wheel would make
``tei-tools build`` refuse the folder (it replaces the whole folder on each build)."""

from __future__ import annotations

import subprocess
from pathlib import Path

from click.testing import CliRunner

from tei_tools.cli import main

from conftest import MINI, REPO


def _build(out: Path) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["build", str(MINI), "--out", str(out), "--format", "txt"])
    return result.exit_code, result.stderr


def test_make_wheel_writes_to_build_wheels() -> None:
    dry = subprocess.run(["make", "-n", "-s", "-C", str(REPO), "wheel"], capture_output=True,
                         text=True, check=True).stdout.split()
    assert dry[dry.index("-w") + 1] == "build/wheels"


def test_the_edition_builds_beside_a_wheel_and_refuses_one_inside_dist(tmp_path: Path) -> None:
    wheels = tmp_path / "build" / "wheels"
    wheels.mkdir(parents=True)
    (wheels / "tei_tools-0.1.0-py3-none-any.whl").write_bytes(b"PK")
    assert _build(tmp_path / "dist")[0] == 0
    assert sorted(p.name for p in (tmp_path / "dist").iterdir()) == ["txt"]
    wheel = tmp_path / "dist" / "tei_tools-0.1.0-py3-none-any.whl"
    wheel.write_bytes(b"PK")
    code, err = _build(tmp_path / "dist")
    assert code == 2
    assert f"holds files a build did not write ({wheel.name})" in err
    assert wheel.read_bytes() == b"PK" and (tmp_path / "dist" / "txt").is_dir()

"""The command line's contract with people and machines (issue 15).

* every command and sub-command explains itself (found by walking the click
  group, so a new command cannot be forgotten);
* ``--version`` reports the one version of the package;
* every ``--format json`` output is valid against the JSON Schema shipped in
  ``tei_tools/schemas/`` (for any program reading it);
* Ctrl-C gives exit 130 and one line, no traceback, from a real process.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from importlib import metadata, resources
from pathlib import Path

import click
import jsonschema
import pytest
from click.testing import CliRunner
from process_support import interrupt

import tei_tools
from tei_tools.cli import main

from conftest import CORPUS, EDITION, MINI

SCHEMAS = resources.files("tei_tools") / "schemas"


def _commands(group: click.Group, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    found: list[tuple[str, ...]] = []
    for name, command in sorted(group.commands.items()):
        path = (*prefix, name)
        found.append(path)
        if isinstance(command, click.Group):
            found.extend(_commands(command, path))
    return found


COMMANDS = _commands(main)


def test_the_walk_finds_the_known_commands() -> None:
    top = {path[0] for path in COMMANDS}
    assert {"validate", "build", "query", "entities", "export", "stats"} <= top
    assert ("export", "network") in COMMANDS


@pytest.mark.parametrize("path", COMMANDS, ids=" ".join)
def test_every_command_has_help(path: tuple[str, ...]) -> None:
    result = CliRunner().invoke(main, [*path, "--help"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"Usage: main {' '.join(path)}") or "Usage:" in result.output
    command: click.Command = main
    for name in path:
        assert isinstance(command, click.Group)
        command = command.commands[name]
    assert (command.help or "").strip(), f"{' '.join(path)} has no help text"
    for param in command.params:
        if isinstance(param, click.Option) and not param.hidden:
            assert (param.help or "").strip(), f"{' '.join(path)} {param.opts[0]} has no help"


def test_version_is_the_package_version() -> None:
    result = CliRunner().invoke(main, ["--version"], catch_exceptions=False)
    assert result.exit_code == 0
    assert result.output.strip() == f"tei-tools, version {tei_tools.__version__}"
    assert metadata.version("tei-tools") == tei_tools.__version__


def _schema(name: str) -> dict:
    return json.loads((SCHEMAS / f"{name}.schema.json").read_text(encoding="utf-8"))


def _check(name: str, args: list[str]) -> object:
    result = CliRunner().invoke(main, args, catch_exceptions=False)
    assert result.exit_code in (0, 1), result.output
    data = json.loads(result.stdout)
    schema = _schema(name)
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.validate(data, schema, cls=jsonschema.Draft202012Validator)
    return data


SOME_CORPUS = [str(CORPUS / n) for n in ("p5test__testnames.xml", "p5test__testbibl.xml",
                                        "sstest__test20.xml")]
JSON_OUTPUTS = [
    ("validate", ["validate", "--format", "json", str(MINI)]),
    ("validate", ["validate", "--format", "json", "--schema", "schema/tei_all.rng", *SOME_CORPUS]),
    ("query", ["query", "//tei:pb/@n | //tei:head[1]", "--format", "json", str(EDITION)]),
    ("query", ["query", "count(//tei:p), map{'a': [1, 2]}", "--format", "json", str(MINI),
               str(EDITION)]),
    ("entities", ["entities", "--format", "json", str(EDITION)]),
    ("entities", ["entities", "--format", "json", *SOME_CORPUS]),
    ("stats", ["stats", "--format", "json", str(EDITION), str(MINI), *SOME_CORPUS]),
    ("timeline", ["export", "timeline", "--format", "json", str(EDITION)]),
    ("network", ["export", "network", "--format", "json", str(EDITION)]),
    ("network", ["export", "network", "--level", "item", "--format", "json", *SOME_CORPUS]),
]


@pytest.mark.parametrize(("name", "args"), JSON_OUTPUTS, ids=[" ".join(a[:2]) for _, a in JSON_OUTPUTS])
def test_json_outputs_follow_their_schema(name: str, args: list[str],
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(Path(__file__).resolve().parents[1])
    data = _check(name, args)
    assert data  # a schema check on an empty answer would prove little


def test_a_usage_error_still_gives_json_on_stdout(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["validate", "--format", "json", str(tmp_path / "none.xml")],
                                catch_exceptions=False)
    assert result.exit_code == 2
    data = json.loads(result.stdout)
    jsonschema.validate(data, _schema("validate"), cls=jsonschema.Draft202012Validator)
    assert data["valid"] is False and "none.xml" in data["error"]["message"]
    assert result.stderr.count("\n") == 1 and "error:" in result.stderr


def test_a_schema_rejects_what_it_should() -> None:
    schema = _schema("stats")
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate([{"file": "x.xml", "items": -1}], schema)


def _session_processes(session: int) -> list[int]:
    """The processes of a session (Linux ``/proc``: the sixth field of ``stat``)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:  # the process ended meanwhile
            continue
        if int(fields[3]) == session:
            found.append(int(stat.parent.name))
    return found


def test_interrupt_exits_130_with_one_line(tmp_path: Path) -> None:
    """Ctrl-C in a terminal signals the whole process group: the command stops
    with exit 130 and one line on stderr, its workers too, no traceback."""
    folder = tmp_path / "many"
    folder.mkdir()
    source = CORPUS / "p5test__torture.xml"
    for i in range(2000):  # ~10 s of work on two cores: more than the run needs to start
        shutil.copy(source, folder / f"copy-{i:04}.xml")
    proc = subprocess.Popen(
        [sys.executable, "-m", "tei_tools", "validate", "--schema", "schema/tei_all.rng",
         "--no-schematron", str(folder)],
        cwd=Path(__file__).resolve().parents[1], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        start_new_session=True, env={**os.environ, "PYTHONUNBUFFERED": "1"})
    # interrupt once the workers are at work: the client and the two workers it forks
    # (one process on a single core)
    want = 3 if len(os.sched_getaffinity(0)) >= 2 else 1
    deadline = time.monotonic() + 120
    while len(_session_processes(proc.pid)) < want and proc.poll() is None:
        assert time.monotonic() < deadline, "the workers did not start within 120 s"
        time.sleep(0.05)
    assert proc.poll() is None, "the run ended before it could be interrupted"
    interrupt(proc)

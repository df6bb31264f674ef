"""The command line imports only the command it runs (issue 12).

``tei-tools build`` must not pay for the query, export or ODD code; the group
still lists every command (``--help``, the contract tests' walk), and the
table naming each command's module cannot drift from the modules themselves.
"""

from __future__ import annotations

import importlib
import subprocess
import sys

from click.testing import CliRunner

from tei_tools.cli import COMMAND_MODULES, LazyCommands, main


def test_the_table_names_exactly_the_commands_each_module_defines() -> None:
    defined = {}
    for module in sorted(set(COMMAND_MODULES.values())):
        for command in importlib.import_module(f"tei_tools.cli.{module}").COMMANDS:
            defined[command.name] = module
    assert defined == COMMAND_MODULES


def test_help_lists_every_command() -> None:
    result = CliRunner().invoke(main, ["--help"])
    assert result.exit_code == 0
    listed = {line.split()[0] for line in result.output.split("Commands:")[1].splitlines()
              if line.strip()}
    assert listed == set(COMMAND_MODULES)


def test_an_unknown_command_is_a_usage_error() -> None:
    result = CliRunner().invoke(main, ["bulid"])
    assert result.exit_code == 2
    assert "No such command 'bulid'" in result.output


def test_a_command_imports_its_module_only() -> None:
    commands = LazyCommands(COMMAND_MODULES)
    assert commands.loaded() == []
    assert sorted(commands) == sorted(COMMAND_MODULES)  # listing imports nothing
    assert commands.loaded() == []
    assert commands["stats"].name == "stats"
    assert commands.loaded() == ["entities", "query", "stats"]  # one module, three commands
    assert commands.get("nope") is None


def test_build_without_validation_loads_neither_other_commands_nor_validators() -> None:
    code = ("import sys, tei_tools.cli as c; c.main.commands['build'];"
            "print(' '.join(sorted(m for m in sys.modules if m.startswith('tei_tools'))))")
    loaded = set(subprocess.run([sys.executable, "-c", code], check=True, capture_output=True,
                                text=True).stdout.split())
    assert "tei_tools.cli.build" in loaded
    for absent in ("tei_tools.cli.query", "tei_tools.cli.export", "tei_tools.cli.odd",
                   "tei_tools.cli.validate", "tei_tools.query", "tei_tools.odd",
                   "tei_tools.validation"):
        assert absent not in loaded, absent

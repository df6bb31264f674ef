"""The command line imports only the command it runs (issue 12).

``tei-tools build`` must not pay for the query, export or ODD code; the group
still lists every command (``--help``, the contract tests' walk), and the
table naming each command's module cannot drift from the modules themselves.
"""

from __future__ import annotations

import importlib
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from tei_tools.cli import COMMAND_MODULES, LazyCommands, main

from conftest import TEI_ALL_RNG


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


def test_building_one_document_imports_no_executor_and_no_dtd_code(tmp_path) -> None:
    """Several documents need the executor (multiprocessing), a DOCTYPE the DTD
    subset reader: one edition's build needs neither (#12). (Validation still
    imports the executor: ``tei_tools.validation.runner``.)"""
    code = ("import sys\nfrom tei_tools.cli import main\n"
            "try:\n    main(sys.argv[1:], standalone_mode=False)\nfinally:\n"
            "    print(' '.join(sorted(sys.modules)))")
    done = subprocess.run([sys.executable, "-c", code, "build", "tests/fixtures/edition-mini.xml",
                           "-f", "txt,records", "--no-validate", "-o", str(tmp_path / "d"), "-q"],
                          check=True, capture_output=True, text=True)
    loaded = set(done.stdout.split())
    assert "tei_tools.publish.build" in loaded and "tei_tools.records" in loaded
    for absent in ("tei_tools.executor", "multiprocessing", "concurrent.futures",
                   "tei_tools.dtdsubset"):
        assert absent not in loaded, absent


def test_the_build_commands_scheduler_variable_is_the_executors() -> None:
    from tei_tools import executor
    from tei_tools.cli import build

    assert build.SCHEDULER_ENV == executor.SCHEDULER_ENV


def test_a_valid_document_does_not_load_the_wording_of_errors(tmp_path: Path) -> None:
    """The RELAX NG messages are imported only to word an error (#12: a cold
    single-document validation does not pay for them)."""
    good = tmp_path / "good.xml"
    good.write_text('<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc><titleStmt>'
                    "<title>t</title></titleStmt><publicationStmt><p>p</p></publicationStmt>"
                    "<sourceDesc><p>s</p></sourceDesc></fileDesc></teiHeader><text><body><p>x</p>"
                    "</body></text></TEI>", encoding="utf-8")
    bad = tmp_path / "bad.xml"
    bad.write_text(good.read_text(encoding="utf-8").replace("<p>x</p>", "<x/>"), encoding="utf-8")
    code = ("import sys; from tei_tools.validation import validate;"
            f"r = validate([sys.argv[1]], schema={str(TEI_ALL_RNG)!r}, schematron=False, jobs=1);"
            "print(r.ok, 'tei_tools.validation.rng.messages' in sys.modules)")
    for path, expected in ((good, "True False"), (bad, "False True")):
        out = subprocess.run([sys.executable, "-c", code, str(path)], check=True,
                             capture_output=True, text=True).stdout.strip()
        assert out == expected, path.name

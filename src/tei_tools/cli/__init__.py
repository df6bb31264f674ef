"""The ``tei-tools`` command line: a thin layer over the library.

Each sub-command lives in its own module of this package and only parses
options, calls the library and formats its typed results. Errors of the
:class:`~tei_tools.errors.TeiToolsError` family become one line on stderr and
their exit code (1 invalid input or failed build, 2 usage or I/O error); no
traceback reaches the user.

The command modules are imported when their command is asked for (``tei-tools
build`` never loads the query or ODD code; ``--help`` and a walk of the group
load them all): :data:`COMMAND_MODULES` names the module of each command.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Iterator, MutableMapping

import click

from tei_tools import __version__
from tei_tools.errors import TeiToolsError

COMMAND_MODULES: dict[str, str] = {
    "validate": "validate",
    "build": "build",
    "query": "query",
    "entities": "query",
    "stats": "query",
    "export": "export",
    "odd": "odd",
}
"""Command name → module of this package whose ``COMMANDS`` holds it, in help order."""


class LazyCommands(MutableMapping[str, click.Command]):
    """A click group's ``commands``: each module imported on first access to one
    of its commands; iterating lists every name without importing anything."""

    def __init__(self, modules: dict[str, str]) -> None:
        self._modules = dict(modules)
        self._loaded: dict[str, click.Command] = {}

    def __getitem__(self, name: str) -> click.Command:
        if name not in self._loaded:
            module = self._modules[name]  # KeyError: no such command
            for command in importlib.import_module(f"tei_tools.cli.{module}").COMMANDS:
                self._loaded.setdefault(command.name or "", command)
            if name not in self._loaded:
                raise LookupError(f"tei_tools.cli.{module} has no command {name!r}")
        return self._loaded[name]

    def __setitem__(self, name: str, command: click.Command) -> None:
        self._loaded[name] = command
        self._modules.setdefault(name, "")

    def __delitem__(self, name: str) -> None:
        self._loaded.pop(name, None)
        del self._modules[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._modules)

    def __len__(self) -> int:
        return len(self._modules)

    def loaded(self) -> list[str]:
        """Names whose module has been imported (for tests)."""
        return sorted(self._loaded)


class _Group(click.Group):
    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except TeiToolsError as exc:
            click.echo(str(exc), err=True)
            ctx.exit(exc.exit_code)
        except KeyboardInterrupt:
            click.echo("tei-tools: interrupted", err=True)
            ctx.exit(130)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="tei-tools")
def main() -> None:
    """Validate, publish and query TEI P5 documents.

    With no path, commands work on the edition of 台江党建报道荟萃 under tei/.
    """


main.commands = LazyCommands(COMMAND_MODULES)

if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())

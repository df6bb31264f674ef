"""The ``tei-tools`` command line: a thin layer over the library.

Each sub-command lives in its own module of this package and only parses
options, calls the library and formats its typed results. Errors of the
:class:`~tei_tools.errors.TeiToolsError` family become one line on stderr and
their exit code (1 invalid input or failed build, 2 usage or I/O error); no
traceback reaches the user.

The command modules are imported when their command is asked for (``tei-tools
build`` never loads the query or ODD code; ``--help`` and a walk of the group
load them all): :data:`COMMAND_MODULES` names the module of each command.

The program (``tei-tools``, :func:`run`) ends without the interpreter's teardown
once the command has returned, its streams are flushed and the ``atexit`` hooks
have run (:func:`end`): freeing every lxml and Saxon object one by one cost a
build of the edition ~0.08 s CPU and ~0.2 s wall after its work was done
(BENCHMARKS.md, #12).
"""

from __future__ import annotations

import atexit
import importlib
import os
import sys
import threading
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

def run() -> None:
    """The ``tei-tools`` program: :data:`main` with its exit status, then :func:`end`."""
    try:
        main()
    except SystemExit as exc:
        end(exc.code)
        raise


def end(code: object) -> None:
    """End the process with ``code`` (a ``SystemExit`` code) without tearing the
    interpreter down: the standard streams flushed, the ``atexit`` hooks run (temporary
    folders' finalisers, worker pools'); nothing is done (the caller exits as usual)
    while another Python thread runs, as the interpreter would wait for it, or under a
    profiler or tracer (``python -m cProfile``, a debugger), which reports as the
    interpreter exits."""
    if threading.active_count() != 1 or sys.getprofile() is not None or sys.gettrace() is not None:
        return
    status = 0 if code is None else code if isinstance(code, int) else 1
    if isinstance(code, str):
        print(code, file=sys.stderr)
    atexit._run_exitfuncs()
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):  # a closed or broken pipe: let the interpreter say so
        return
    os._exit(status)


if __name__ == "__main__":  # pragma: no cover
    run()

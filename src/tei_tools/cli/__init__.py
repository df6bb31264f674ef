"""The ``tei-tools`` command line: a thin layer over the library.

Each sub-command lives in its own module of this package and only parses
options, calls the library and formats its typed results. Errors of the
:class:`~tei_tools.errors.TeiToolsError` family become one line on stderr and
their exit code (1 invalid input or failed build, 2 usage or I/O error); no
traceback reaches the user.
"""

from __future__ import annotations

import sys

import click

from tei_tools import __version__
from tei_tools.errors import TeiToolsError


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


def _register() -> None:
    from tei_tools.cli import build, export, odd, query, validate

    for module in (validate, build, query, export, odd):
        for command in module.COMMANDS:
            main.add_command(command)


_register()

if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())

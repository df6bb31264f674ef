"""The documentation of the document's schema, in the HTML site (``html/schema/``).

A document validated with a grammar compiled from an ODD that sits beside it
(``X.rng`` and ``X.odd``: the edition's ``schema/tei-taijiang.rng``, compiled
from ``schema/tei-taijiang.odd``) gets that ODD's documentation
(``tei-tools odd doc``) in the site, linked from the about page. A document
validated with another grammar (``tei_all``, a grammar of its own) gets none.
"""

from __future__ import annotations

from pathlib import Path

from tei_tools.errors import UsageError
from tei_tools.odd.cache import documentation_pages
from tei_tools.publish.options import WriteContext
from tei_tools.validation import project_schema, schema_choice

FOLDER = "schema"
INDEX = f"{FOLDER}/index.html"


def schema_odd(ctx: WriteContext) -> Path | None:
    """The ODD the document's grammar is compiled from: the one the options name, or
    the one beside the grammar, if there is one."""
    if ctx.options.schema_odd is not None:
        return ctx.options.schema_odd
    grammar = ctx.options.schema or schema_choice.schema_for(ctx.source.tree, ctx.source.path) \
        or project_schema()
    odd = Path(grammar).with_suffix(".odd")
    return odd if odd.is_file() else None


def write(ctx: WriteContext) -> str | None:
    """Write the pages into ``<html>/schema/``; the href of their index, or ``None``."""
    odd = schema_odd(ctx)
    if odd is None:
        return None
    out = ctx.out_dir / FOLDER
    try:
        out.mkdir(parents=True, exist_ok=True)
        for name, data in documentation_pages(odd).items():
            (out / name).write_bytes(data)
    except OSError as exc:
        raise UsageError(f"{out}: error: cannot write ({exc.strerror})") from None
    return INDEX

"""The ``records`` format of ``tei-tools build``: every catalogue record into ``dist/records/``."""

from __future__ import annotations

from tei_tools.errors import BuildError, TeiToolsError
from tei_tools.publish.options import WriteContext, WriterOutput
from tei_tools.records import write_records


def write(ctx: WriteContext) -> WriterOutput:
    try:
        return WriterOutput(write_records(ctx.source.tree, ctx.out_dir, ctx.basename,
                                          str(ctx.source.path)))
    except TeiToolsError as exc:
        raise BuildError(f"{exc} (build without records: --format html,epub,txt)") from None

"""The ``records`` format of ``tei-tools build``: every catalogue record into ``dist/records/``."""

from __future__ import annotations

from tei_tools.publish.options import WriteContext, WriterOutput
from tei_tools.records import write_records


def write(ctx: WriteContext) -> WriterOutput:
    return WriterOutput(write_records(ctx.source.tree, ctx.out_dir, ctx.basename))

"""Where a cold ``tei-tools build`` spends its time (one fresh process per call).

Prints one JSON object: seconds to import the CLI, to start Saxon, to compile
each format's stylesheet, and to validate the edition with the project schema
(RELAX NG + Schematron, compiled in this process). Run by ``bench/run.py``
several times; it reports the medians.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

STYLESHEET_MODULES = {"html": "tei_tools.publish.html", "epub": "tei_tools.publish.epub",
                      "txt": "tei_tools.publish.text"}


def main(edition: str) -> dict[str, float]:
    out: dict[str, float] = {}
    t = time.perf_counter()
    import tei_tools.cli

    out["import tei_tools.cli (all commands)"] = time.perf_counter() - t
    import importlib

    from tei_tools.saxon import SaxonSession

    t = time.perf_counter()
    saxon = SaxonSession()
    saxon.processor  # noqa: B018 - starts it
    out["start the Saxon processor"] = time.perf_counter() - t
    for fmt, module in STYLESHEET_MODULES.items():
        name = importlib.import_module(module).STYLESHEET
        t = time.perf_counter()
        saxon.stylesheet(name)
        out[f"compile {name} ({fmt})"] = time.perf_counter() - t
    from click.testing import CliRunner

    t = time.perf_counter()
    CliRunner().invoke(tei_tools.cli.main, ["validate", edition])
    out["validate the edition, first call (project RNG + Schematron)"] = time.perf_counter() - t
    return out


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1] if len(sys.argv) > 1 else str(Path("tei/taijiang-dangjian-2007.xml")))))

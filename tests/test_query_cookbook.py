"""docs/queries.md shows real outputs: every command in it is run again here.

Each ```console block (``$ tei-tools …``) is followed by a ```text block with
its output (stdout and stderr, as a terminal shows them). A text block whose
last line is ``…`` holds the beginning of the output only. After a deliberate
change to the edition, regenerate the outputs with
``TEI_TOOLS_REGENERATE_COOKBOOK=1 pytest tests/test_query_cookbook.py``.
"""

from __future__ import annotations

import os
import re
import shlex

import pytest

from conftest import EDITION, REPO
from query_support import invoke

COOKBOOK = REPO / "docs" / "queries.md"
BLOCK = re.compile(r"```console\n\$ (?P<command>.*?)\n```\n\n```text\n(?P<output>.*?)```",
                   re.S)
REGENERATE = os.environ.get("TEI_TOOLS_REGENERATE_COOKBOOK") == "1"
PREFIX_LINES = 12  # a "…" block that is still empty gets this many lines


def run(command: str) -> str:
    args = shlex.split(command)
    assert args[0] == "tei-tools", command
    return invoke(*args[1:]).output


def expected_lines(output: str) -> tuple[list[str], bool]:
    lines = output.splitlines()
    if lines and lines[-1] == "…":
        return lines[:-1], True
    return lines, False


def regenerate() -> None:
    text = COOKBOOK.read_text(encoding="utf-8")

    def fill(match: re.Match[str]) -> str:
        old, partial = expected_lines(match["output"])
        new = run(match["command"]).splitlines()
        if partial:
            new = [*new[:len(old) or PREFIX_LINES], "…"]
        body = "".join(line + "\n" for line in new)
        return f"```console\n$ {match['command']}\n```\n\n```text\n{body}```"

    COOKBOOK.write_text(BLOCK.sub(fill, text), encoding="utf-8")


def examples() -> list[tuple[str, str]]:
    return [(m["command"], m["output"])
            for m in BLOCK.finditer(COOKBOOK.read_text(encoding="utf-8"))]


def test_the_cookbook_has_the_five_questions_and_more() -> None:
    text = COOKBOOK.read_text(encoding="utf-8")
    for title in ("Who is mentioned in which article", "organisation a person is linked to",
                  "dated events in 2007", "editorial correction with its reason",
                  "sources by periodical"):
        assert title in text
    assert len(examples()) >= 12


@pytest.mark.parametrize(("command", "output"), examples(),
                         ids=lambda v: " ".join(v.split()[:4])[:50] if " " in v else "out")
def test_cookbook_output_is_real(command: str, output: str, monkeypatch) -> None:
    assert EDITION.is_file(), f"the edition is missing: {EDITION}"
    monkeypatch.chdir(REPO)
    if REGENERATE:
        regenerate()
        output = dict(examples())[command]
    want, partial = expected_lines(output)
    got = run(command).splitlines()
    assert want, f"no output pasted for: {command}"
    if partial:
        got = got[:len(want)]
    assert got == want, command

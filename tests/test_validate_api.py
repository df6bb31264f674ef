"""The library API other commands use: ``validate()`` and ``validate_bytes()``."""

from __future__ import annotations

import pickle
import shutil
from pathlib import Path

import pytest

from tei_tools.errors import UsageError
from tei_tools.validation import (
    FileResult,
    ValidationReport,
    project_schema,
    project_schematron,
    validate,
    validate_bytes,
)

from conftest import MINI, TEI_ALL_RNG

SCHEMATRON_FIXTURES = Path(__file__).parent / "fixtures" / "schematron"


def test_parallel_results_equal_serial_results_in_input_order() -> None:
    files = sorted(SCHEMATRON_FIXTURES.glob("*.xml"), reverse=True)
    serial = validate(files, jobs=1)
    parallel = validate(files, jobs=2)
    assert [f.path for f in parallel.files] == [str(f) for f in files]
    assert parallel.files == serial.files
    assert not parallel.ok
    assert parallel.error_count == serial.error_count > 0


def test_progress_callback_counts_every_file() -> None:
    files = sorted(SCHEMATRON_FIXTURES.glob("TT-P*.xml"))
    calls: list[tuple[int, int]] = []
    validate(files, jobs=2, progress=lambda done, total, path: calls.append((done, total)))
    assert calls == [(i, len(files)) for i in range(1, len(files) + 1)]


def test_project_rules_run_only_with_the_project_grammar() -> None:
    fail = SCHEMATRON_FIXTURES / "TT-PB-01-fail.xml"
    default = validate([fail])
    assert default.schema == str(project_schema())
    assert default.schematron == str(project_schematron())
    assert default.files[0].codes() == {"TT-PB-01"}
    other = validate([fail], schema=TEI_ALL_RNG)
    assert other.schematron is None and other.ok
    asked = validate([fail], schema=TEI_ALL_RNG, schematron=True, embedded_schematron=False)
    assert asked.files[0].codes() == {"TT-PB-01"}
    assert validate([fail], schematron=False).ok


def test_validate_bytes_for_in_memory_documents() -> None:
    data = MINI.read_bytes()
    assert validate_bytes(data, "mini").ok
    broken = validate_bytes(data.replace(b'<pb n="20"', b'<pb'), "mini")
    assert not broken.ok
    assert broken.diagnostics[0].file == "mini"


def test_results_are_typed_and_picklable() -> None:
    report = validate([SCHEMATRON_FIXTURES / "TT-REG-01-fail.xml"])
    assert isinstance(report, ValidationReport)
    (result,) = report.files
    assert isinstance(result, FileResult)
    assert result.ok and result.warnings == 1 and result.errors == 0
    assert pickle.loads(pickle.dumps(result)) == result
    assert report.summary() == "1 file, 0 errors, 1 warning: valid"
    data = report.to_dict()
    assert data["files"][0]["diagnostics"][0]["code"] == "TT-REG-01"


def test_usage_errors_raise(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="no such file or folder"):
        validate([tmp_path / "missing.xml"])
    with pytest.raises(UsageError, match=r"folder holds no \.xml file"):
        validate([tmp_path])
    bad = tmp_path / "bad.rng"
    bad.write_text("<grammar xmlns='http://relaxng.org/ns/structure/1.0'/>", encoding="utf-8")
    with pytest.raises(UsageError, match="not a usable RELAX NG grammar"):
        validate([MINI], schema=bad)


def test_same_file_twice_is_validated_once(tmp_path: Path) -> None:
    copy = tmp_path / "m.xml"
    shutil.copy(MINI, copy)
    report = validate([copy, tmp_path, copy])
    assert [f.path for f in report.files] == [str(copy)]


def test_naming_the_project_grammar_keeps_the_project_rules() -> None:
    fail = SCHEMATRON_FIXTURES / "TT-PB-01-fail.xml"
    report = validate([fail], schema=project_schema())
    assert report.schematron == str(project_schematron())
    assert report.files[0].codes() == {"TT-PB-01"}

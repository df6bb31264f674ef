"""Saxon's room (issues 15 and 12): one session per owner, nothing shared; bounded workers."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from executor_work import SaxonCounter

from tei_tools import executor as ex
from tei_tools.errors import BuildError
from tei_tools.saxon import HARDENING, SaxonSession, guard

from conftest import MINI

TEXT = "text/text.xsl"


def _run_text(saxon: SaxonSession, out: Path) -> str:
    return saxon.stylesheet(TEXT).run(saxon.load_source(MINI), out, {"basename": "m"}).principal


def test_two_sessions_share_no_processor_cache_or_tree(tmp_path: Path) -> None:
    a, b = SaxonSession(), SaxonSession()
    assert a.processor is not b.processor
    sheet = a.stylesheet(TEXT)
    assert a.stylesheet(TEXT) is sheet  # compiled once in its session
    assert b.compiled() == ()  # …and not in the other one
    assert b.stylesheet(TEXT) is not sheet
    source = a.load_source(MINI)
    with pytest.raises(BuildError, match="loaded by another Saxon session"):
        b.stylesheet(TEXT).run(source, tmp_path / "b")
    # the same work in either session gives the same bytes
    assert _run_text(a, tmp_path / "a1") == _run_text(b, tmp_path / "b1") != ""
    assert sorted(p.name for p in (tmp_path / "a1").iterdir()) == \
        sorted(p.name for p in (tmp_path / "b1").iterdir())


def test_hardening_applies_to_every_session(tmp_path: Path) -> None:
    hostile = tmp_path / "hostile.xml"
    hostile.write_text('<!DOCTYPE r [<!ENTITY e "boom">]><r>&e;</r>', encoding="utf-8")
    plain = tmp_path / "plain.xml"
    plain.write_text("<r>local</r>", encoding="utf-8")
    assert len(HARDENING) == 3
    for saxon in (SaxonSession(), SaxonSession()):
        xq = saxon.processor.new_xquery_processor()
        assert xq.run_query_to_value(query_text=f"string(doc('{plain.as_uri()}'))").head \
            .string_value == "local"
        for uri in (hostile.as_uri(), "http://127.0.0.1:9/x.xml"):
            with pytest.raises(Exception, match=r"DOCTYPE|doctype|protocol|not allowed|FODC"):
                saxon.processor.new_xquery_processor().run_query_to_value(
                    query_text=f"string(doc('{uri}'))")


def test_in_process_executor_uses_the_callers_session() -> None:
    saxon = SaxonSession()
    got = list(ex.InProcess(saxon).map(SaxonCounter(), [0, 1, 2]))
    assert {g[2] for g in got} == {id(saxon)}
    assert [g[3] for g in got] == [()] * 3  # in-process: no prepare, nothing compiled yet


def test_each_worker_process_has_its_own_session_kept_across_batches() -> None:
    with ex.LocalPool(2) as pool:
        got = list(pool.map(SaxonCounter(), list(range(24))))
    assert [g[0] for g in got] == list(range(24))
    sessions: dict[int, set[int]] = {}
    for g in got:
        sessions.setdefault(g[1], set()).add(g[2])
        assert g[3] == (TEXT,)  # prepared with its own session, in the worker
    assert all(len(ids) == 1 for ids in sessions.values())  # one session per process


def test_a_bounded_worker_process_is_replaced_after_its_documents() -> None:
    """``documents_per_worker``: after 2 workers × 3 documents a fresh pool (new
    processes, new sessions, prepared again) takes the next ones; nothing is lost."""
    work = SaxonCounter(documents_per_worker=3)
    with ex.LocalPool(2) as pool:
        got = list(pool.map(work, list(range(24))))
    assert [g[0] for g in got] == list(range(24))
    pools: dict[int, set[int]] = {}
    sessions: dict[int, set[int]] = {}
    for g in got:
        pools.setdefault(g[1], set()).add(g[0] // 6)
        sessions.setdefault(g[1], set()).add(g[2])
        assert g[3] == (TEXT,)  # prepared in that process
    assert all(len(p) == 1 for p in pools.values())  # a process serves one pool's 6 items
    assert sorted({p for ps in pools.values() for p in ps}) == [0, 1, 2, 3]
    assert all(len(ids) == 1 for ids in sessions.values())  # one session per process


def test_errors_stay_one_located_line_without_touching_stderr(
        tmp_path: Path, capfd: pytest.CaptureFixture[str]) -> None:
    saxon = SaxonSession()
    bad = ('<xsl:stylesheet version="3.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">'
           '<xsl:template match="/"><x a="{1 +}"/></xsl:template></xsl:stylesheet>')
    with pytest.raises(BuildError, match=r"^file:///x/bad.xsl: error: .*at char \d+.*XPST0003"):
        saxon.compile_text(bad, "file:///x/bad.xsl")
    good = saxon.compile_text(bad.replace("{1 +}", "{1 + 1}"), "file:///x/good.xsl")
    assert saxon.compile_text(bad.replace("{1 +}", "{1 + 1}"), "file:///x/good.xsl") is good
    node = saxon.document_from_text("<r/>", "file:///x/in.xml")
    assert 'a="2"' in saxon.run_to_string(good, node, "good")
    assert capfd.readouterr().err == ""
    # Saxon's parser only ever sees what the hardened parser accepted; should it
    # still fail, the error is one line too (its own report goes to stderr: guard.py)
    with pytest.raises(BuildError, match=r"^in.xml: error: Saxon cannot read the document: .*"
                                         r"must be terminated"):
        saxon.document_from_text("<r><a></r>", "file:///x/in.xml", name="in.xml")


def test_the_guard_changes_no_output_byte(tmp_path: Path) -> None:
    """The wrapper a stylesheet is compiled in adds nothing to what it writes."""
    saxon = SaxonSession()
    wrapped = _run_text(saxon, tmp_path / "wrapped")
    plain = saxon.processor.new_xslt30_processor().compile_stylesheet(
        stylesheet_file=str(saxon.stylesheet(TEXT).path))
    plain.set_parameter("basename", saxon.processor.make_string_value("m"))
    plain.set_base_output_uri((tmp_path / "plain").as_uri() + "/")
    (tmp_path / "plain").mkdir()
    direct = plain.transform_to_string(xdm_node=saxon.load_source(MINI).node) or ""
    assert wrapped == direct.split("?>", 1)[-1].strip()
    for f in sorted((tmp_path / "plain").rglob("*")):
        if f.is_file():
            assert (tmp_path / "wrapped" / f.relative_to(tmp_path / "plain")).read_bytes() \
                == f.read_bytes()


def test_the_guard_reads_its_own_message_only() -> None:
    own = ["warning: x", "done"]
    assert guard.split(own) == (own, None)
    messages, caught = guard.split([*own, f"{guard.MARK}\terr:FORG0001\t4\t9\tfile:///a/b.xsl\tbad"])
    assert messages == own and caught is not None
    assert (caught.code, caught.where, caught.description, caught.terminated) == \
        ("FORG0001", "b.xsl:4:9", "bad", False)


_LAYER = """<xsl:stylesheet version="3.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:tt="urn:x-tei-tools">
  <xsl:use-package name="urn:x-tei-tools:core" package-version="1.0">
    <xsl:override><xsl:variable name="tt:root" as="document-node()" select="/"/></xsl:override>
  </xsl:use-package>
  <xsl:template match="/" as="xs:string">
    <xsl:sequence select="'{name}:' || $tt:edition-title"/>
  </xsl:template>
</xsl:stylesheet>"""


def test_the_core_package_is_compiled_once_per_processor(tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """Two layers using the core in one session: the second uses the core compiled for
    the first (it still compiles once the core's file is broken); a new session
    compiles the core again (and so fails on the broken file, in one line; Saxon also
    reports a broken package on standard error: a bug of an installation, not of input)."""
    from conftest import REPO

    xslt = tmp_path / "xslt"
    shutil.copytree(REPO / "xslt", xslt)
    for name in ("a", "b"):
        (xslt / f"{name}.xsl").write_text(_LAYER.replace("{name}", name), encoding="utf-8")
    monkeypatch.setattr("tei_tools.saxon.session.xslt_dir", lambda: xslt)
    saxon = SaxonSession()
    source = saxon.load_source(MINI)
    assert saxon.stylesheet("a.xsl").run(source, tmp_path / "a").principal.startswith("a:")
    (xslt / "core" / "core.xsl").write_text("<broken", encoding="utf-8")
    assert saxon.stylesheet("b.xsl").run(source, tmp_path / "b").principal == \
        "b:" + saxon.stylesheet("a.xsl").run(source, tmp_path / "a").principal[2:]
    with pytest.raises(BuildError, match=r"b.xsl: error: the stylesheet does not compile: SXXP0003"):
        SaxonSession().stylesheet("b.xsl")

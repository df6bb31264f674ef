"""A query over many files on an executor: one document at a time, in any worker.

:func:`evaluate_files` is :func:`tei_tools.query.engine.evaluate` for files
given by path: each worker reads one document (hardened parser), evaluates the
query on it and sends back plain Python values, so memory holds one document
per worker, not the corpus. Results come in input order; the first document
(in input order) whose reading or query fails stops the run with its error,
as in a run in-process.
"""

from __future__ import annotations

import dataclasses
import os
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from tei_tools.errors import QueryError, TeiToolsError, UsageError
from tei_tools.executor import DocumentRef, Executor, open_executor
from tei_tools.query import documents
from tei_tools.query.engine import DocumentResult, Language, QueryResult, evaluate
from tei_tools.query.results import Node, Value
from tei_tools.saxon import SaxonSession


@dataclass(frozen=True, slots=True)
class Failure:
    """A document's error, carried back from the worker (exit code and one line)."""

    exit_code: int
    message: str

    def error(self) -> TeiToolsError:
        return UsageError(self.message) if self.exit_code == 2 else QueryError(self.message)


@dataclass(frozen=True, slots=True)
class QueryWork:
    """One query, evaluated on one document (runs in a worker; picklable)."""

    text: str
    language: Language
    namespaces: tuple[tuple[str, str], ...] = ()
    variables: tuple[tuple[str, str], ...] = ()
    query_name: str = "query"
    as_xml: bool = False
    """Serialise result nodes here (for ``--xml``, ``--format xml``): the Saxon node stays."""
    uses_saxon = True

    def __call__(self, document: DocumentRef, *, saxon: SaxonSession) -> DocumentResult | Failure:
        try:
            doc = self._load(document, saxon)
            result = evaluate(self.text, [doc], language=self.language,
                              namespaces=dict(self.namespaces), variables=dict(self.variables),
                              query_name=self.query_name)
            found = result.documents[0]
            return DocumentResult(found.file, [self._portable(v) for v in found.items])
        except TeiToolsError as exc:
            return Failure(exc.exit_code, str(exc))

    def _portable(self, value: Value) -> Value:
        """The value without Saxon objects (they cannot leave the process)."""
        if isinstance(value, Node):
            return dataclasses.replace(value, saxon=None, session=None,
                                       serialised=value.xml() if self.as_xml else None)
        if isinstance(value, list):
            return [self._portable(v) for v in value]
        if isinstance(value, dict):
            return {k: self._portable(v) for k, v in value.items()}
        return value

    @staticmethod
    def _load(document: DocumentRef, saxon: SaxonSession) -> documents.Document:
        if document.data is None:
            doc = documents.load(document.location, saxon=saxon)
        else:  # sent by bytes: read from a private copy, named as the client named it
            with tempfile.TemporaryDirectory(prefix="tei-tools-query-") as tmp:
                copy = Path(tmp) / Path(document.path).name
                copy.write_bytes(document.data)
                doc = documents.load(copy, saxon=saxon)
        return dataclasses.replace(doc, path=Path(document.path))


def evaluate_files(text: str, files: Sequence[str | os.PathLike[str]], *,
                   language: Language = "xpath", namespaces: Mapping[str, str] | None = None,
                   variables: Mapping[str, str] | None = None, query_name: str = "query",
                   as_xml: bool = False, jobs: int | None = None, scheduler: str | None = None,
                   executor: Executor | None = None,
                   saxon: SaxonSession | None = None) -> QueryResult:
    """Evaluate ``text`` on each file (see :func:`tei_tools.query.engine.evaluate`);
    ``as_xml``: result nodes will be shown as XML (:meth:`Node.xml`). ``saxon``:
    the caller's session for documents read in this process."""
    work = QueryWork(text, language, tuple((namespaces or {}).items()),
                     tuple((variables or {}).items()), query_name, as_xml)
    refs = [DocumentRef(str(f)) for f in files]

    def run(ex: Executor) -> QueryResult:
        results: list[DocumentResult] = []
        for outcome in ex.map(work, refs):
            if isinstance(outcome, Failure):
                raise outcome.error()
            results.append(outcome)
        return QueryResult(language, text, results)

    if executor is not None:
        return run(executor)
    with open_executor(jobs, scheduler, items=len(refs), saxon=saxon) as own:
        return run(own)

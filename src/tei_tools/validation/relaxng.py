"""RELAX NG validation with jing's verdicts and messages a person can act on.

The project validates with its own RELAX NG validator (:mod:`.rng`: James
Clark's derivative algorithm over the simplified grammar, XML Schema
datatypes as jing implements them), not libxml2's: libxml2 disagrees with
jing on whole classes of documents (``anyURI``, tokens holding invisible or
private-use characters, date/time edge values, ids inside ``egXML``) and
words its errors badly. The grammar is read once per process per file
version (``tei_all.rng``: ~0.2 s; elements are built when a document first
reaches them). Each error is worded from the derivative at the point it was
found (:mod:`.rng.messages`, imported only when a document has an error): the
elements or attributes allowed there, the missing required element or attribute,
the allowed values and datatypes.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from tei_tools.diagnostics import Diagnostic
from tei_tools.errors import UsageError
from tei_tools.validation.compiled import cache_key
from tei_tools.validation.locate import SourceText
from tei_tools.validation.rng.simplify import Grammar as RngGrammar
from tei_tools.validation.rng.simplify import GrammarError, read_grammar
from tei_tools.validation.rng.validator import Outcome, Validator


@dataclass
class CompiledRelaxNG:
    """A grammar read for validation."""

    path: Path
    rng: RngGrammar
    validator: Validator

    def is_valid(self, tree: etree._ElementTree | etree._Element) -> bool:
        root = tree.getroot() if isinstance(tree, etree._ElementTree) else tree
        return self.validator.validate(root, first_error_only=True).valid


_CACHE: dict[tuple[str, float], CompiledRelaxNG] = {}


def load_relaxng(path: str | os.PathLike[str]) -> CompiledRelaxNG:
    """Read a RELAX NG grammar (XML syntax), once per process per file version.

    A grammar that cannot be used (not RELAX NG, a reference to an undefined
    pattern, an unknown datatype, a bad ``pattern`` facet…) is a
    :class:`UsageError` naming the file and line.
    """
    p = Path(path)
    key = cache_key(p, "schema")
    if key in _CACHE:
        return _CACHE[key]
    if p.suffix == ".rnc":
        raise UsageError(f"{p}: error: compact-syntax RELAX NG is not read directly; "
                         f"convert it first: trang {p} {p.with_suffix('.rng')}")
    try:
        grammar = read_grammar(p)
    except GrammarError as exc:
        raise UsageError(f"{p}: error: not a usable RELAX NG grammar: {exc}") from None
    result = CompiledRelaxNG(p, grammar, Validator(grammar))
    _CACHE[key] = result
    return result


@dataclass(frozen=True)
class Checked:
    """What :func:`check_document` found: the diagnostics, and the document's element
    and attribute names (Clark notation) read by the same walk (``None``: the walk
    stopped early, at :data:`~.rng.validator.MAX_ERRORS`)."""

    diagnostics: list[Diagnostic]
    names: tuple[frozenset[str], frozenset[str]] | None


def check(compiled: CompiledRelaxNG, tree: etree._ElementTree, source: SourceText,
          file: str) -> list[Diagnostic]:
    """Validate ``tree``; every error located and worded, with its full expected list
    (empty when valid)."""
    return check_document(compiled, tree, source, file, names=False).diagnostics


def check_document(compiled: CompiledRelaxNG, tree: etree._ElementTree, source: SourceText,
                   file: str, names: bool = True) -> Checked:
    """:func:`check`, and (``names``) the names of the elements and attributes the walk
    met: what the Schematron's pruning needs, without walking the tree again."""
    try:
        outcome = compiled.validator.validate(tree.getroot(), collect_names=names)
    except GrammarError as exc:  # a part of the grammar only a document reaches
        raise UsageError(f"{compiled.path}: error: not a usable RELAX NG grammar: {exc}") from None
    return Checked(_worded(compiled, outcome, source, file), outcome.names)


def _worded(compiled: CompiledRelaxNG, outcome: Outcome, source: SourceText,
            file: str) -> list[Diagnostic]:
    if outcome.valid:
        return []
    from tei_tools.validation.rng.messages import Wording  # only to word errors (#12)

    wording = Wording(source, file, compiled.rng.element_names(), compiled.validator.children,
                      compiled.validator.attributes_of)
    # an element ending too early because a child was out of place: one error is enough
    # (the dict keeps the parents' proxies alive, so their ids stay theirs)
    misplaced = {id(parent): parent for e in outcome.errors if e.kind == "element"
                 if (parent := e.element.getparent()) is not None}
    keep = [e for e in outcome.errors if not (e.kind == "incomplete" and id(e.element) in misplaced)]
    unique: dict[tuple[object, ...], Diagnostic] = {}
    for d in (wording.explain(e) for e in keep):
        unique.setdefault((d.line, d.column, d.message), d)
    return list(unique.values())

"""The validator's caches across documents (#16): a worker validates thousands of
documents with one :class:`Validator`, whose caches (start tags, start tags that
differ only by their ``xml:id``, elements without children, texts) fill with the
first documents. Whatever they hold, a document's errors must be those a fresh
validator finds: here 120 seeded mutants (bad values, duplicated and malformed
ids, moved and renamed elements, stray text), each validated warm, after all
the others, and cold, by a validator of its own."""

from __future__ import annotations

from lxml import etree
from rng_mutants import mutants

from tei_tools.validation import relaxng
from tei_tools.validation.rng.validator import RngError, Validator

from conftest import CORPUS, TEI_ALL_RNG

_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, collect_ids=False)


def _said(errors: list[RngError]) -> list[tuple[object, ...]]:
    return [(e.kind, e.element.sourceline, e.name, e.value, e.expected, e.attributes,
             e.end_allowed, e.datatypes, e.values,
             e.first.sourceline if e.first is not None else None) for e in errors]


def test_warm_caches_find_what_a_fresh_validator_finds() -> None:
    compiled = relaxng.load_relaxng(TEI_ALL_RNG)
    trees = [etree.fromstring(m.data, _PARSER) for m in mutants(CORPUS, 120, seed=16)]
    warm = Validator(compiled.rng)
    for root in trees:  # fill the caches with every document first
        warm.validate(root)
    invalid = 0
    for root in trees:
        cold = _said(Validator(compiled.rng).validate(root).errors)
        assert _said(warm.validate(root).errors) == cold
        invalid += bool(cold)
    assert invalid >= 60  # the mutants do break the grammar, so errors were compared


def test_an_id_seen_in_a_cached_start_tag_is_still_checked() -> None:
    """Two start tags alike but for their xml:id: the second comes from the cache and
    its id is still recorded (a repeat is reported) and typed (a bad one is an error)."""
    compiled = relaxng.load_relaxng(TEI_ALL_RNG)
    validator = Validator(compiled.rng)
    template = ('<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc><titleStmt>'
                '<title>t</title></titleStmt><publicationStmt><p>p</p></publicationStmt>'
                '<sourceDesc><p>s</p></sourceDesc></fileDesc></teiHeader><text><body>'
                '<p xml:id="{a}" n="1">a</p><p xml:id="{b}" n="1">b</p></body></text></TEI>')

    def kinds(a: str, b: str) -> list[tuple[str, str | None]]:
        root = etree.fromstring(template.format(a=a, b=b).encode(), _PARSER)
        return [(e.kind, e.value) for e in validator.validate(root).errors]

    assert kinds("x1", "x2") == []
    assert kinds("x3", "x3") == [("duplicate-id", "x3")]
    assert [k for k, _ in kinds("x4", "1bad")] == ["value"]
    assert kinds("x5", "x6") == []

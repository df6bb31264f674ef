"""Which patterns of a Schematron can fire on a document, from its names alone.

A rule's context is an XSLT match pattern; every name test in its path
(``tei:facsimile//tei:line`` → the elements ``facsimile`` and ``line``,
``tei:rt/@target`` → the element ``rt`` and the attribute ``target``) and every
predicate that is only an attribute test (``tei:*[@when]`` → ``@when``) must
match some node of the document for the rule to match any. A pattern whose
rules all need a name the document lacks cannot fire: it need not be
compiled for that document. Anything this reading does not understand
(functions, variables, parentheses) needs nothing, so the answer is
conservative: a pattern is dropped only when it certainly cannot fire.

Used for big schemas (``tei_all.rng`` embeds 90 patterns; a document
usually meets a dozen): compiling only those is what makes a cold run fast.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from lxml import etree

from tei_tools.validation.schematron_schema import (
    Rule,
    SchematronSchema,
    split_predicates,
    split_top_level,
)

Name = tuple[str, str]
"""(``"e"`` or ``"a"``, Clark name): an element or an attribute."""

_NAME_TEST = re.compile(r"^(?:(?P<axis>@|attribute::|child::|descendant::|self::)?\s*)"
                        r"(?P<name>(?:[A-Za-z_][\w.\-]*:)?[A-Za-z_][\w.\-]*)$")
_ATTRIBUTE_PREDICATE = re.compile(r"^\s*@((?:[A-Za-z_][\w.\-]*:)?[A-Za-z_][\w.\-]*)\s*$")


Needs = tuple[tuple[frozenset[Name], ...], ...]
"""Per pattern, the names each alternative of each of its rules' contexts needs."""


def document_names(tree: etree._ElementTree) -> frozenset[Name]:
    """Every element and attribute name of a document (Clark notation)."""
    elements: set[str] = set()
    attributes: set[str] = set()
    for el in tree.iter(etree.Element):
        elements.add(str(el.tag))
        attributes.update(el.keys())
    return frozenset([*(("e", e) for e in elements), *(("a", a) for a in attributes)])


def pattern_needs(schema: SchematronSchema) -> Needs:
    """What each pattern of ``schema`` needs to fire: read once per schema."""
    ns = dict(schema.namespaces)
    return tuple(tuple(frozenset(need) for rule in pattern.rules for need in _alternatives(rule, ns))
                 for pattern in schema.patterns)


def relevant_patterns(schema: SchematronSchema, names: frozenset[Name],
                      needs: Needs | None = None) -> tuple[int, ...]:
    """Indices (0-based) of the patterns that may fire on a document with ``names``
    (``needs``: :func:`pattern_needs` of ``schema``, if the caller keeps it):
    some rule of the pattern has an alternative whose needs the document meets."""
    needs = needs if needs is not None else pattern_needs(schema)
    return tuple(i for i, alternatives in enumerate(needs)
                 if any(need <= names for need in alternatives))


def _alternatives(rule: Rule, ns: dict[str, str]) -> list[set[Name]]:
    """For each ``|`` alternative of the rule's context, the names it needs."""
    scope = {**rule.namespaces, **ns}
    out = []
    for alt in split_top_level(rule.context):
        out.append(set(_needs(alt.strip(), scope)))
    return out


def _needs(alt: str, scope: dict[str, str]) -> Iterable[Name]:
    path, predicates = split_predicates(alt)
    for predicate in predicates:
        match = _ATTRIBUTE_PREDICATE.match(predicate)
        if match:
            name = _clark(match.group(1), scope, attribute=True)
            if name:
                yield ("a", name)
    if "(" in path or "$" in path:
        return  # a function, a kind test or a variable: nothing certain
    for step in re.split(r"//?", path):
        step = step.strip()
        if not step:
            continue
        match = _NAME_TEST.match(step)
        if not match:
            continue  # *, prefix:*, an axis this reading does not know
        attribute = match.group("axis") in ("@", "attribute::")
        name = _clark(match.group("name"), scope, attribute)
        if name:
            yield ("a" if attribute else "e", name)


def _clark(qname: str, scope: dict[str, str], attribute: bool) -> str | None:
    if ":" not in qname:
        return qname  # no namespace (XPath: no default element namespace here)
    prefix, local = qname.split(":", 1)
    uri = scope.get(prefix)
    return f"{{{uri}}}{local}" if uri else None



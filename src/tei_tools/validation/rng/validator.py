"""Walking a document through the derivatives: the verdict and the raw errors.

:func:`validate` takes each start tag, attribute, text and end tag of an
lxml tree in document order (iteratively: any depth) and keeps one pattern,
the derivative so far. When a derivative is ``notAllowed`` the event is an
error; the error records what the pattern expected at that point, then the
walk recovers as jing does (an element not allowed is checked against its
own definitions and skipped; an attribute not allowed is ignored; an
incomplete element is closed) so that one document yields all its errors.

ID, IDREF and IDREFS attributes get RELAX NG DTD-compatibility checks:
IDs are unique (after whitespace collapsing), IDREFs name an ID.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from lxml import etree

from tei_tools.validation.rng.datatypes import collapse, xml_tokens
from tei_tools.validation.rng.derivative import MEMO_TEXT_MAX, XML_SPACE, Derivatives, is_whitespace
from tei_tools.validation.rng.patterns import (
    AFTER,
    ATTRIBUTE,
    CHOICE,
    DATA,
    ELEMENT,
    GROUP,
    INTERLEAVE,
    NOT_ALLOWED,
    ONE_OR_MORE,
    TEXT,
    VALUE,
    NameClass,
    Pattern,
    QName,
    names_of,
    operands,
    reachable,
)
from tei_tools.validation.rng.simplify import Grammar

MAX_ERRORS = 1000
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"
_XML_ID_Q: QName = ("http://www.w3.org/XML/1998/namespace", "id")
MEMO_MAX = 200_000
"""Start tags cached per validator at most (then the cache starts again)."""


@dataclass(frozen=True)
class RngError:
    """One error, with what the grammar expected where it was found.

    ``kind``: ``element`` (not allowed here), ``attribute`` (not allowed),
    ``value`` (bad attribute value), ``missing-attribute``, ``incomplete``
    (the element ends too early), ``text`` (text not allowed), ``content``
    (bad text or data content), ``duplicate-id``, ``idref``.
    """

    kind: str
    element: etree._Element
    name: QName | None = None
    value: str | None = None
    expected: tuple[NameClass, ...] = ()
    """Element name classes allowed at that point."""
    attributes: tuple[QName, ...] = ()
    """Attributes: required and missing (``missing-attribute``)."""
    end_allowed: bool = False
    """Whether the end of the element was allowed at that point."""
    datatypes: tuple[str, ...] = ()
    values: tuple[str, ...] = ()
    """For a bad value: the datatypes and the literal values allowed."""
    first: etree._Element | None = None
    """For a duplicate ID: the element holding the first."""


@dataclass
class Outcome:
    errors: list[RngError] = field(default_factory=list)
    names: tuple[frozenset[str], frozenset[str]] | None = None
    """With ``collect_names``: the document's element and attribute names (Clark
    notation) as the walk read them; ``None`` when the walk stopped early."""

    @property
    def valid(self) -> bool:
        return not self.errors


def _id_type(candidates: tuple[Pattern, ...], matched: frozenset[int]) -> str:
    """``ID``, ``IDREF``, ``IDREFS`` when a matched attribute pattern is so typed."""
    for c in candidates:
        if c.n in matched and c.b.kind == DATA and c.b.a.id_type:
            return str(c.b.a.id_type)
    return ""


def qname(tag: str) -> QName:
    if tag[:1] == "{":
        ns, _, local = tag[1:].partition("}")
        return ns, local
    return "", tag


class Validator:
    """Validates documents against one grammar; the caches live as long as it does."""

    def __init__(self, grammar: Grammar) -> None:
        self.grammar = grammar
        self.P = grammar.patterns
        self.d = Derivatives(grammar.patterns)
        self._qnames: dict[str, QName] = {}
        # (state, tag, attributes) → state after the start tag (no ID-typed attribute)
        self._plain_memo: dict[tuple[object, ...], Pattern] = {}
        # the same for a start tag with IDREF-typed attributes (no ID): (state after, them)
        self._start_memo: dict[tuple[object, ...], tuple[Pattern, tuple[tuple[QName, str, str], ...]]] = {}
        # (state, text or whether it is blank) → state after an element without children
        self._leaf_memo: dict[tuple[int, str | bool], Pattern] = {}
        # the same for a start tag with an xml:id, keyed without its value: (state after,
        # ID-typed attributes (the xml:id's value None), xml:id's candidates, matched)
        self._id_memo: dict[tuple[object, ...], tuple[Pattern, tuple[tuple[QName, str | None, str], ...],
                                                      tuple[Pattern, ...], frozenset[int]]] = {}

    def _q(self, tag: str) -> QName:
        q = self._qnames.get(tag)
        if q is None:
            q = self._qnames[tag] = qname(tag)
        return q

    # -- the walk ------------------------------------------------------------------
    def validate(self, root: etree._Element, first_error_only: bool = False,
                 collect_names: bool = False) -> Outcome:
        """The verdict on ``root``'s tree; ``collect_names``: also the names of its
        elements and attributes (:attr:`Outcome.names`), read on the way (what a
        second walk over the tree would cost ~0.7 ms for 44 kB)."""
        out = Outcome()
        tags: set[str] = set()
        attribute_lists: list[tuple[tuple[str, str], ...]] = []
        tags_add, attributes_add = tags.add, attribute_lists.append
        walked = True
        ids: dict[str, etree._Element] = {}
        refs: list[tuple[etree._Element, QName, str]] = []
        p = self.grammar.start
        # one frame per open element: (resume state or None, has element children)
        stack: list[tuple[Pattern | None, bool]] = []
        push, pop = stack.append, stack.pop
        text = ""  # the innermost open element's text since its start tag or last child
        has_elements = False
        skipping = 0  # depth inside an unknown element, whose content is not checked
        errors = out.errors
        start, content, end = self._start, self._text, self._end
        start_memo, leaf_memo, end_tag = self._plain_memo, self._leaf_memo, self.d.end_tag
        text_memo, end_memo = self.d.text_memo, self.d.end_memo
        for event, node in etree.iterwalk(root, events=("start", "end", "comment", "pi")):
            if skipping:
                if event == "start":
                    skipping += 1
                    if collect_names:
                        tags_add(node.tag)  # type: ignore[arg-type]
                        attributes_add(tuple(node.items()))
                elif event == "end":
                    skipping -= 1
                    if not skipping:
                        skipped_from = pop()[0]  # the state before the unknown element
                        p = skipped_from if skipped_from is not None else p
                        text, has_elements = node.tail or "", True
                continue
            if event == "start":
                if stack:
                    if text and text.strip(XML_SPACE):  # text between elements
                        mixed = None if p.reads else text_memo.get((p.n, ""))
                        if mixed is not None and mixed.kind != NOT_ALLOWED:
                            p = mixed
                        else:
                            parent = node.getparent()
                            p = content(parent if parent is not None else node, p, text, True,
                                        out, final=False)
                    has_elements = True
                if errors and (first_error_only or len(errors) >= MAX_ERRORS):
                    walked = False
                    break
                tag, items = node.tag, tuple(node.items())
                if collect_names:
                    tags_add(tag)  # type: ignore[arg-type]
                    if items:
                        attributes_add(items)
                tag_key = (p.n, tag, items)
                after = start_memo.get(tag_key)
                if after is not None:  # a start tag seen before, no ID-typed value
                    push((None, has_elements))
                    p = after
                else:
                    p, resume, skipped = start(node, p, tag_key, out, ids,  # type: ignore[arg-type]
                                               refs)
                    push((resume, has_elements))
                    if skipped:
                        skipping = 1
                text, has_elements = node.text or "", False
            elif event == "end":
                resume, parent_has_elements = pop()
                if has_elements:
                    if text and text.strip(XML_SPACE):
                        mixed = None if p.reads else text_memo.get((p.n, ""))
                        if mixed is not None and mixed.kind != NOT_ALLOWED:
                            p = mixed
                        else:
                            p = content(node, p, text, True, out, final=True)
                    after = end_memo.get(p.n)
                    if after is None:
                        after = end_tag(p)
                    p = end(node, p, resume, out) if after.kind == NOT_ALLOWED else (
                        after if resume is None else resume)
                elif p.ctx:  # no child element, text read with the namespace context
                    p = end(node, content(node, p, text, False, out, final=True), resume, out)
                else:  # no child element: its text and its end, cached together
                    key = (p.n, text if p.reads else not text.strip(XML_SPACE))
                    cached = leaf_memo.get(key)
                    if cached is None:
                        errors_before = len(errors)
                        q = p
                        p = end(node, content(node, p, text, False, out, final=True), None, out)
                        if len(errors) == errors_before and (not q.reads or len(text) <= MEMO_TEXT_MAX):
                            if len(leaf_memo) >= MEMO_MAX:
                                leaf_memo.clear()
                            leaf_memo[key] = p
                        if resume is not None:
                            p = resume
                    else:
                        p = cached if resume is None else resume
                has_elements = parent_has_elements
                text = node.tail or ""
            elif stack:  # a comment or processing instruction: its tail is text
                text += node.tail or ""
        for el, name, value in refs:
            for token in xml_tokens(value):
                if token not in ids:
                    out.errors.append(RngError("idref", el, name, token))
        if collect_names and walked:
            out.names = (frozenset(tags), frozenset([k for a in attribute_lists for k, _ in a]))
        return out

    def _start(self, el: etree._Element, p: Pattern, key: tuple[int, str, tuple[tuple[str, str], ...]],
               out: Outcome, ids: dict[str, etree._Element],
               refs: list[tuple[etree._Element, QName, str]]) -> tuple[Pattern, Pattern | None, bool]:
        """The state after ``el``'s start tag, the state to resume after it (when it
        was not allowed) and whether its content is skipped (unknown element).
        ``key``: (``p``'s number, the tag, the attributes), as the walk read them."""
        _, tag, items = key
        hit = self._start_memo.get(key)
        if hit is not None:
            closed, recorded = hit
            for attribute, text, id_kind in recorded:
                self._record_id(el, attribute, text, id_kind, ids, refs, out)
            return closed, None, False
        id_value = el.get(XML_ID) if items else None
        shape: tuple[object, ...] = ()
        if id_value is not None:
            # the same start tag but for its xml:id (never seen twice): the same state
            # if the new value matches the same attribute patterns as the one before
            shape = (p.n, tag, tuple([(n, None if n == XML_ID else v) for n, v in items]))
            seen = self._id_memo.get(shape)
            if seen is not None:
                after, template, candidates, matched = seen
                matches = self.d.value_matches
                if frozenset([c.n for c in candidates if matches(c.b, id_value, {})]) == matched:
                    for attribute, given, id_kind in template:
                        self._record_id(el, attribute, id_value if given is None else given,
                                        id_kind, ids, refs, out)
                    return after, None, False
        d, P = self.d, self.P
        q = self._q(tag)
        resume: Pattern | None = None
        errors_before = len(out.errors)
        opened = d.start_tag_open(p, q)
        if opened.kind == NOT_ALLOWED:
            out.errors.append(RngError("element", el, q, expected=tuple(self.expected(p)),
                                       end_allowed=self.end_allowed(p)))
            resume = p
            definition = self.definition(q)
            if definition is None:  # unknown here and everywhere: skip its content
                return p, resume, True
            opened = P.after(definition, P.empty)
        state = opened
        typed: list[tuple[QName, str, str]] = []
        id_match: tuple[tuple[Pattern, ...], frozenset[int]] | None = None
        for name, value in items:
            aq = self._q(str(name))
            candidates = d.attribute_candidates(state, aq)
            context = any(c.ctx for c in candidates)
            ctx = el.nsmap if context else {}
            matched = frozenset(c.n for c in candidates if d.value_matches(c.b, value, ctx))
            if name == XML_ID and not context:
                id_match = (candidates, matched)
            if matched:
                state = d.attribute(state, aq, matched)
                kind = _id_type(candidates, matched)
                if kind:
                    typed.append((aq, value, kind))
                    self._record_id(el, aq, value, kind, ids, refs, out)
                continue
            if candidates:
                out.errors.append(RngError("value", el, aq, value,
                                           datatypes=self._datatypes(candidates),
                                           values=self._values(candidates)))
                # recover: as if the value were right
                state = d.attribute(state, aq, frozenset(c.n for c in candidates))
                continue
            out.errors.append(RngError("attribute", el, aq, value,
                                       attributes=tuple(self.attribute_names(opened))))
            # recover: as if the attribute were not there
        closed = d.start_tag_close(state)
        if closed.kind == NOT_ALLOWED:
            missing = self.required_attributes(state)
            out.errors.append(RngError("missing-attribute", el, q, attributes=tuple(missing)))
            closed = d.start_tag_close(state, lenient=True)
        if len(out.errors) == errors_before:
            # a start tag without errors is cached; one holding an ID by its other
            # attributes (bounded memory: only speed depends on these caches)
            if not typed:
                if len(self._plain_memo) >= MEMO_MAX:
                    self._plain_memo.clear()
                self._plain_memo[key] = closed
            elif not any(k == "ID" for _, _, k in typed):
                if len(self._start_memo) >= MEMO_MAX:
                    self._start_memo.clear()
                self._start_memo[key] = (closed, tuple(typed))
            elif id_match is not None and shape and sum(k == "ID" for _, _, k in typed) == 1:
                if len(self._id_memo) >= MEMO_MAX:
                    self._id_memo.clear()
                blanked = tuple((a, None if a == _XML_ID_Q else v, k) for a, v, k in typed)
                self._id_memo[shape] = (closed, blanked, *id_match)
        return closed, resume, False

    def _text(self, el: etree._Element, p: Pattern, text: str, has_elements: bool,
              out: Outcome, final: bool) -> Pattern:
        d, P = self.d, self.P
        if has_elements:
            if is_whitespace(text):
                return p
            after = d.text(p, text, el.nsmap if p.ctx else {})
            if after.kind == NOT_ALLOWED:
                out.errors.append(RngError("text", el, self._q(str(el.tag)), text,
                                           expected=tuple(self.expected(p))))
                return p
            return after
        if not final:
            return p
        # no child element: the whole content is one text (possibly empty)
        after = d.text(p, text, el.nsmap if p.ctx else {})
        if is_whitespace(text):
            after = P.choice(p, after)
        if after.kind == NOT_ALLOWED:
            kind = "content" if self._data_like(p) else "text"
            out.errors.append(RngError(kind, el, self._q(str(el.tag)), text,
                                       expected=tuple(self.expected(p)),
                                       datatypes=self._content_datatypes(p),
                                       values=self._content_values(p)))
            return self._drop_text(p)
        return after

    def _end(self, el: etree._Element, p: Pattern, resume: Pattern | None, out: Outcome) -> Pattern:
        d = self.d
        after = d.end_tag(p)
        if after.kind == NOT_ALLOWED:
            out.errors.append(RngError("incomplete", el, self._q(str(el.tag)),
                                       expected=tuple(self.expected(p))))
            after = d.end_tag(p, lenient=True)
        return resume if resume is not None else after

    def _drop_text(self, p: Pattern) -> Pattern:
        """After bad text content: the state as if the content were right."""
        P = self.P
        if p.kind == AFTER:
            return P.after(P.empty, p.b)
        if p.kind == CHOICE:
            return P.choices([self._drop_text(m) for m in p.members])
        return p

    # -- IDs -------------------------------------------------------------------------
    def _record_id(self, el: etree._Element, name: QName, value: str, kind: str,
                   ids: dict[str, etree._Element],
                   refs: list[tuple[etree._Element, QName, str]], out: Outcome) -> None:
        token = collapse(value)
        if kind == "ID":
            if token in ids:
                out.errors.append(RngError("duplicate-id", el, name, token, first=ids[token]))
            else:
                ids[token] = el
        else:
            refs.append((el, name, token))

    # -- what was expected -----------------------------------------------------------
    def expected(self, p: Pattern) -> list[NameClass]:
        """The element name classes a start tag could match in state ``p``."""
        found: dict[int, NameClass] = {}
        for x in reachable(p, _start_tag_operands):
            if x.kind == ELEMENT:
                found.setdefault(id(x.a), x.a)
        return list(found.values())

    def attribute_names(self, p: Pattern) -> list[QName]:
        """The attribute names (literal ones) the start tag in state ``p`` may carry."""
        found: set[QName] = set()
        for x in reachable(p):
            if x.kind == ATTRIBUTE:
                found.update((n.ns, n.local) for n in names_of(x.a) or [])
        return sorted(found)

    def attributes_of(self, q: QName) -> list[QName]:
        """The attributes element ``q`` may carry wherever the grammar defines it."""
        content = self.definition(q)
        return self.attribute_names(content) if content is not None else []

    def children(self, q: QName) -> list[NameClass]:
        """The element name classes the content of element ``q`` may hold, in any order."""
        content = self.definition(q)
        if content is None:
            return []
        found: dict[int, NameClass] = {}
        for x in reachable(content):
            if x.kind == ELEMENT:
                found.setdefault(id(x.a), x.a)
        return list(found.values())

    def end_allowed(self, p: Pattern) -> bool:
        return self.d.end_tag(p).kind != NOT_ALLOWED

    def required_attributes(self, p: Pattern) -> list[QName]:
        def req(x: Pattern) -> set[QName] | None:
            k = x.kind
            if k == ATTRIBUTE:
                names = names_of(x.a)
                return {(n.ns, n.local) for n in names} if names else set()
            if k in (GROUP, INTERLEAVE):
                a, b = req(x.a), req(x.b)
                return (a or set()) | (b or set())
            if k == CHOICE:
                parts = [req(m) for m in x.members]
                if any(not part for part in parts):
                    return set()
                common = set.intersection(*parts)  # type: ignore[arg-type]
                return common or set.union(*parts)  # type: ignore[arg-type]
            if k in (ONE_OR_MORE, AFTER):
                return req(x.a)
            return set()

        return sorted(req(p) or set())

    def _datatypes(self, candidates: tuple[Pattern, ...]) -> tuple[str, ...]:
        return tuple(dict.fromkeys(t for c in candidates for t in _leaf_types(c.b)))

    def _values(self, candidates: tuple[Pattern, ...]) -> tuple[str, ...]:
        return tuple(dict.fromkeys(v for c in candidates for v in _leaf_values(c.b)))

    def _content_values(self, p: Pattern) -> tuple[str, ...]:
        return tuple(dict.fromkeys(_leaf_values(p)))

    def _content_datatypes(self, p: Pattern) -> tuple[str, ...]:
        return tuple(dict.fromkeys(_leaf_types(p)))

    def _data_like(self, p: Pattern) -> bool:
        return bool(_leaf_values(p)) or any(t != "text" for t in _leaf_types(p))

    # -- the grammar's elements ------------------------------------------------------
    def definition(self, q: QName) -> Pattern | None:
        """The content of element ``q`` wherever the grammar defines it."""
        return self.grammar.definition(q)


def _start_tag_operands(x: Pattern) -> Sequence[Pattern]:
    """What a start tag in state ``x`` can match in: a group's second part only when
    its first may be empty."""
    if x.kind == GROUP and not x.a.nullable:
        return (x.a,)
    return operands(x)


def _leaf_types(p: Pattern) -> list[str]:
    """The datatypes (and ``text``) of the text ``p`` accepts, in the grammar's order."""
    return [x.a.describe() if x.kind == DATA else "text"
            for x in reachable(p) if x.kind in (DATA, TEXT)]


def _leaf_values(p: Pattern) -> list[str]:
    """The literal values ``p`` accepts, in the grammar's order."""
    return [str(x.extra) for x in reachable(p) if x.kind == VALUE]

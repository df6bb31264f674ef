"""What a catalogue record says about a TEI document, read once from its header.

::

    from tei_tools.records.header import describe
    description = describe(xmlio.parse_file(path))
    description.title, description.names[0].roles   # '台江党建…', ('aut', 'com')

:func:`describe` is the one reading of the ``teiHeader`` the record writers
(:mod:`~tei_tools.records.marcxml`, :mod:`~tei_tools.records.mods`,
:mod:`~tei_tools.records.dc`) share: each writer only maps the same
:class:`Description` to its format. The EPUB takes its ``urn:uuid``
(:func:`package_uuid`) and its ``dc:description`` from here too, so the
package and the records never disagree.

Where the header is silent the field is empty and the writers leave it out;
nothing is invented (no place of publication, no ISBN).
"""

from __future__ import annotations

import hashlib
import re
import uuid
from dataclasses import dataclass, field

from lxml import etree

from tei_tools.xmlio import TEI_NS, XML_NS

NS = {"t": TEI_NS}
UUID_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "urn:x-tei-tools:epub")
"""Namespace of the name-based (v5) identifiers of what tei-tools publishes."""

_XML_LANG = f"{{{XML_NS}}}lang"
_ENCODERS = re.compile(r"编码|encod|mark-?up|transcri", re.I)
_RELATOR_URI = re.compile(r"https?://id\.loc\.gov/vocabulary/relators/([a-z]{3})")


@dataclass(frozen=True, slots=True)
class Name:
    """A person or body responsible for the document."""

    text: str
    corporate: bool | None
    """True for a body, False for a person, None when the header does not say."""
    roles: tuple[str, ...]
    """MARC relator codes, the main one first (``aut``, ``com``, ``edt``, ``mrk``, ``ctb``)."""
    creator: bool
    """A creator (titleStmt/author) rather than a contributor."""


@dataclass(frozen=True, slots=True)
class Identifier:
    value: str
    scheme: str
    """Lower-case: ``local``, ``doi``, ``isbn``, ``urn``, ``uri``, ``uuid`` … (the idno's type)."""


@dataclass(frozen=True, slots=True)
class Related:
    """A related bibliographic item: the printed original, a host, a series."""

    title: str
    names: tuple[str, ...] = ()
    date: str = ""
    """ISO 8601 (``2007-07``), or empty."""
    date_text: str = ""
    publisher: str = ""
    part: str = ""
    """Issue, volume or pages in the host."""
    note: str = ""


@dataclass(frozen=True, slots=True)
class Description:
    title: str
    subtitles: tuple[str, ...]
    parallel_titles: tuple[tuple[str, str], ...]
    """Titles in another language than the document's: (text, language)."""
    names: tuple[Name, ...]
    language: str
    """BCP 47 of the document (``zh-Hans``)."""
    languages: tuple[str, ...]
    """Every language the header declares (``langUsage``), the document's first."""
    publisher: str
    place: str
    date: str
    """ISO 8601 date of this publication (publicationStmt/date), or empty."""
    date_text: str
    identifiers: tuple[Identifier, ...]
    urls: tuple[str, ...]
    subjects: tuple[tuple[str, str], ...]
    """(term, scheme): scheme empty for uncontrolled keywords."""
    summary: str
    rights: str
    licence_url: str
    notes: tuple[str, ...]
    original: Related | None
    """The source the document transcribes (sourceDesc), when it is one item."""
    host: Related | None
    """The periodical or book the source appeared in (an analytic sourceDesc)."""
    package_uuid: str
    """The ``urn:uuid:`` the EPUB of the document carries (:func:`package_uuid`)."""
    language_note: str
    """The header's own words on its languages (langUsage), or empty."""
    series: tuple[str, ...] = field(default=())
    edition: str = ""


def plain(element: etree._Element | None) -> str:
    """The text of a header element, normalised: notes skipped, a choice read
    as its regularised/corrected/expanded branch."""
    if element is None:
        return ""
    parts: list[str] = []
    _collect(element, parts)
    return " ".join("".join(parts).split())


def _collect(element: etree._Element, parts: list[str]) -> None:
    if not isinstance(element.tag, str):
        return
    if etree.QName(element).localname == "choice":
        branches = [c for c in element if isinstance(c.tag, str)]
        preferred = [c for c in branches if etree.QName(c).localname in ("reg", "corr", "expan")]
        chosen = (preferred or branches)[:1]
        for c in chosen:
            _collect(c, parts)
        if element.tail:
            parts.append(element.tail)
        return
    if element.text:
        parts.append(element.text)
    for child in element:
        if isinstance(child.tag, str) and etree.QName(child).localname != "note":
            _collect(child, parts)
        if child.tail:
            parts.append(child.tail)


def _first(tree: etree._ElementTree | etree._Element, xpath: str) -> etree._Element | None:
    found = tree.xpath(xpath, namespaces=NS)
    return found[0] if found else None


def _iso(value: str | None) -> str:
    value = (value or "").strip()
    return value if re.fullmatch(r"-?\d{4}(-\d\d(-\d\d)?)?", value) else ""


def _date_of(element: etree._Element | None) -> tuple[str, str]:
    """(ISO value, text) of a date element; ISO from @when, @when-iso or @from."""
    if element is None:
        return "", ""
    iso = next((v for v in (_iso(element.get(a)) for a in ("when", "when-iso", "from",
                                                            "notBefore")) if v), "")
    return iso, plain(element)


def package_uuid(tree: etree._ElementTree) -> str:
    """``urn:uuid:`` v5 of the document's first ``idno`` (of its content without one).

    The same document gives the same identifier on every build and machine;
    a new version of the edition keeps it as long as its ``idno`` is kept.
    """
    idno = _first(tree, "/*/t:teiHeader/t:fileDesc/t:publicationStmt/t:idno[normalize-space()]")
    if idno is not None:
        name = f"idno:{idno.get('type', '')}:{' '.join(''.join(idno.itertext()).split())}"
    else:
        digest = hashlib.sha256(etree.tostring(tree, method="c14n")).hexdigest()
        name = f"sha256:{digest}"
    return f"urn:uuid:{uuid.uuid5(UUID_NAMESPACE, name)}"


def _lang_of(element: etree._Element) -> str:
    node: etree._Element | None = element
    while node is not None:
        lang = node.get(_XML_LANG)
        if lang:
            return lang
        node = node.getparent()
    return ""


def _document_language(root: etree._Element) -> str:
    candidates = [root.get(_XML_LANG) or ""] + [
        lang.get("ident", "") for lang in root.xpath(
            "t:teiHeader/t:profileDesc/t:langUsage/t:language", namespaces=NS)] + [
        text.get(_XML_LANG, "") for text in root.xpath("t:text[@xml:lang]", namespaces=NS)]
    return next((c for c in candidates if re.fullmatch(r"[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*", c)),
                "und")


def _is_corporate(name: etree._Element, tree: etree._ElementTree) -> bool | None:
    """An orgName (or a pointer to an org entry) is a body, a persName (or a
    pointer to a person) a person; a bare name or author says neither."""
    local = etree.QName(name).localname
    if local == "orgName" or name.xpath("t:orgName", namespaces=NS):
        return True
    if local == "persName" or name.xpath("t:persName|t:forename|t:surname", namespaces=NS):
        return False
    kind = (name.get("type") or "").lower()
    if kind in ("org", "organisation", "organization", "corporate"):
        return True
    if kind in ("person", "personal"):
        return False
    ref = (name.get("ref") or "").split()
    if ref and ref[0].startswith("#"):
        target = tree.xpath("//*[@xml:id=$id]", id=ref[0][1:])
        if target:
            kind = etree.QName(target[0]).localname
            return True if kind in ("org", "orgName") else False if kind in ("person", "persName") else None
    return None


def _resp_role(resp: etree._Element | None) -> str:
    """The relator of a ``resp``: its MARC relator URI (``@ref``) if it has one,
    else ``mrk`` for encoding work, else ``ctb``."""
    relator = _RELATOR_URI.fullmatch((resp.get("ref") or "").strip()) if resp is not None else None
    if relator:
        return relator.group(1)
    return "mrk" if _ENCODERS.search(plain(resp)) else "ctb"


def _names(tree: etree._ElementTree, title_stmt: etree._Element | None,
           source: etree._Element | None) -> tuple[Name, ...]:
    if title_stmt is None:
        return ()
    compilers = source.xpath(".//t:editor[@role='compiler']", namespaces=NS) if source is not None else []
    names: list[Name] = []
    for author in title_stmt.xpath("t:author", namespaces=NS):
        text = plain(author)
        if not text:
            continue
        compiler = any(plain(c) == text or (c.get("ref") and c.get("ref") == author.get("ref"))
                       for c in compilers)
        names.append(Name(text, _is_corporate(author, tree), ("aut", "com") if compiler else ("aut",),
                          True))
    for editor in title_stmt.xpath("t:editor", namespaces=NS):
        if plain(editor):
            names.append(Name(plain(editor), _is_corporate(editor, tree), ("edt",), False))
    for resp_stmt in title_stmt.xpath("t:respStmt", namespaces=NS):
        role = _resp_role(_first(resp_stmt, "t:resp"))
        for n in resp_stmt.xpath("t:name|t:persName|t:orgName", namespaces=NS):
            if plain(n):
                names.append(Name(plain(n), _is_corporate(n, tree), (role,), False))
    seen: set[tuple[str, str]] = set()
    unique = []
    for n in names:
        if (n.text, n.roles[0]) not in seen:
            seen.add((n.text, n.roles[0]))
            unique.append(n)
    return tuple(unique)


def _identifiers(pub: etree._Element | None) -> tuple[tuple[Identifier, ...], tuple[str, ...]]:
    if pub is None:
        return (), ()
    identifiers, urls = [], []
    for idno in pub.xpath("t:idno", namespaces=NS):
        value = "".join(plain(idno).split())
        if not value:
            continue
        scheme = (idno.get("type") or "local").strip().lower()
        if re.match(r"https?://", value):
            urls.append(value)
            scheme = "uri"
        identifiers.append(Identifier(value, scheme))
    for pointer in pub.xpath(".//t:ptr/@target | .//t:ref/@target", namespaces=NS):
        for target in str(pointer).split():
            if re.match(r"https?://", target) and target not in urls:
                urls.append(target)
    return tuple(identifiers), tuple(urls)


def _source_item(source_desc: etree._Element | None) -> tuple[Related | None, Related | None]:
    """The transcribed original (a bibl/biblStruct) and, for an analytic, its host."""
    if source_desc is None:
        return None, None
    bibl = _first(source_desc, "t:bibl | t:biblStruct | t:biblFull")
    if bibl is None:
        return None, None
    local = etree.QName(bibl).localname
    if local == "biblStruct":
        analytic = _first(bibl, "t:analytic")
        monogr = _first(bibl, "t:monogr")
        host = None
        if monogr is not None:
            date, date_text = _date_of(_first(monogr, "t:imprint/t:date"))
            parts = [plain(s) for s in monogr.xpath("t:imprint/t:biblScope | t:biblScope",
                                                     namespaces=NS)]
            host = Related(plain(_first(monogr, "t:title")),
                           tuple(plain(a) for a in monogr.xpath("t:author|t:editor", namespaces=NS)),
                           date, date_text, plain(_first(monogr, "t:imprint/t:publisher")),
                           "; ".join(p for p in parts if p))
        if analytic is not None:
            original = Related(plain(_first(analytic, "t:title")),
                               tuple(plain(a) for a in analytic.xpath("t:author|t:editor",
                                                                      namespaces=NS)),
                               host.date if host else "", host.date_text if host else "",
                               note=plain(_first(bibl, "t:note")))
            return original, host
        return host, None
    if local == "biblFull":
        title = plain(_first(bibl, "t:titleStmt/t:title"))
        date, date_text = _date_of(_first(bibl, "t:publicationStmt/t:date"))
        return Related(title, date=date, date_text=date_text,
                       publisher=plain(_first(bibl, "t:publicationStmt/t:publisher"))), None
    title_el = _first(bibl, "t:title[@level='m'] | t:title[not(@level)] | t:title")
    date, date_text = _date_of(_first(bibl, "t:date"))
    names = tuple(plain(n) for n in bibl.xpath("t:author | t:editor", namespaces=NS) if plain(n))
    host_title = _first(bibl, "t:title[@level='j' or @level='s']")
    host = Related(plain(host_title)) if host_title is not None and host_title is not title_el else None
    title = plain(title_el) if title_el is not None else ""
    if not title:
        return None, None
    return Related(title, names, date, date_text, plain(_first(bibl, "t:publisher")),
                   note=plain(_first(bibl, "t:note"))), host


def describe(tree: etree._ElementTree) -> Description:
    """The :class:`Description` of a TEI document (or of a teiCorpus, from its own header)."""
    root = tree.getroot()
    header = _first(root, "t:teiHeader")
    title_stmt = _first(root, "t:teiHeader/t:fileDesc/t:titleStmt")
    pub = _first(root, "t:teiHeader/t:fileDesc/t:publicationStmt")
    source_desc = _first(root, "t:teiHeader/t:fileDesc/t:sourceDesc")
    language = _document_language(root)
    main, subtitles, parallel = _titles(title_stmt, language)
    original, host = _source_item(source_desc)
    date, date_text = _date_of(_first(pub, "t:date") if pub is not None else None)
    identifiers, urls = _identifiers(pub)
    availability = _first(pub, "t:availability") if pub is not None else None
    languages = [language] + [lang.get("ident", "") for lang in root.xpath(
        "t:teiHeader/t:profileDesc/t:langUsage/t:language", namespaces=NS)]
    notes = tuple(n for n in (
        [original.note] if original is not None and original.note else []) if n)
    return Description(
        title=plain(main) or ("[无题]" if language.startswith("zh") else "[Untitled]"),
        subtitles=subtitles,
        parallel_titles=parallel,
        names=_names(tree, title_stmt, source_desc),
        language=language,
        languages=tuple(dict.fromkeys(lang for lang in languages if lang)),
        publisher=plain(_first(pub, "t:publisher | t:distributor | t:authority"))
        if pub is not None else "",
        place=plain(_first(pub, "t:pubPlace")) if pub is not None else "",
        date=date,
        date_text=date_text,
        identifiers=identifiers,
        urls=urls,
        subjects=_subjects(root),
        summary=_summary(root),
        rights=plain(availability),
        licence_url=_licence_url(availability),
        notes=notes,
        original=original,
        host=host,
        package_uuid=package_uuid(tree),
        language_note="；".join(plain(lang) for lang in root.xpath(
            "t:teiHeader/t:profileDesc/t:langUsage/t:language", namespaces=NS) if plain(lang)),
        series=tuple(plain(s) for s in root.xpath(
            "t:teiHeader/t:fileDesc/t:seriesStmt/t:title", namespaces=NS) if plain(s)),
        edition=plain(_first(root, "t:teiHeader/t:fileDesc/t:editionStmt/t:edition"))
        if header is not None else "",
    )


def _titles(title_stmt: etree._Element | None, language: str,
            ) -> tuple[etree._Element | None, tuple[str, ...], tuple[tuple[str, str], ...]]:
    """The main title (``@type="main"``, else the first that is not a subtitle), the
    subtitles, and the titles in another language than the document's (with it)."""
    titles = title_stmt.xpath("t:title", namespaces=NS) if title_stmt is not None else []
    main = next((t for t in titles if t.get("type") == "main"), None)
    if main is None:
        main = next((t for t in titles if t.get("type") != "sub" and plain(t)), None)
    subtitles, parallel = [], []
    for t in titles:
        if t is main or not plain(t):
            continue
        lang = _lang_of(t)
        if lang and lang != language:
            parallel.append((plain(t), lang))
        elif t.get("type") == "sub":
            subtitles.append(plain(t))
    return main, tuple(subtitles), tuple(parallel)


def _licence_url(availability: etree._Element | None) -> str:
    """The first http(s) target of the availability's ``licence``, or ``""``."""
    licence = _first(availability, ".//t:licence") if availability is not None else None
    targets = licence.get("target", "").split() if licence is not None else []
    return next((t for t in targets if re.match(r"https?://", t)), "")


def _subjects(root: etree._Element) -> tuple[tuple[str, str], ...]:
    """The keywords' terms with their scheme (``""``: uncontrolled)."""
    subjects = []
    for keywords in root.xpath("t:teiHeader/t:profileDesc/t:textClass/t:keywords", namespaces=NS):
        # a scheme inside the document ("#keywords") is the project's own list: uncontrolled
        scheme = "" if keywords.get("scheme", "").startswith("#") else keywords.get("scheme", "")
        for term in keywords.xpath(".//t:term", namespaces=NS):
            if plain(term):
                subjects.append((plain(term), scheme))
    return tuple(subjects)


def _summary(root: etree._Element) -> str:
    """The project description's paragraphs and the abstracts, in one line."""
    parts = [plain(p) for p in root.xpath("t:teiHeader/t:encodingDesc/t:projectDesc/t:p",
                                          namespaces=NS)]
    parts += [plain(a) for a in root.xpath("t:teiHeader/t:profileDesc/t:abstract", namespaces=NS)]
    return " ".join(p for p in parts if p)

"""The datatype libraries a RELAX NG grammar may use, as jing implements them.

* the built-in library (``""``): ``string`` and ``token``;
* XML Schema datatypes (``http://www.w3.org/2001/XMLSchema-datatypes``):
  strings and tokens, names (``Name``, ``NCName``, ``QName``, ``NMTOKEN(S)``,
  ``ID``, ``IDREF(S)``, ``ENTITY``, ``ENTITIES``, ``language``), ``anyURI``,
  ``boolean``, ``decimal`` and the integer types, ``double``/``float``, the
  date/time family and ``duration``, ``hexBinary``/``base64Binary``; facets
  ``pattern`` (:mod:`.xsdregex`), ``length``/``minLength``/``maxLength``,
  ``min``/``maxInclusive``/``Exclusive``, ``totalDigits``/``fractionDigits``.

Lexical rules follow jing (and so XML Schema 1.0 as jing reads it), where
they differ from libxml2's: ``anyURI`` is what ``java.net.URI`` accepts once
spaces and delimiters are escaped (``http:`` is not), ``24:00:00`` is not a
time but the leap second ``23:59:60`` is, a fraction may have no digit
(``10:00:00.Z``), ``1e`` is not a double, ``+INF`` is not.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from tei_tools.validation.rng.xsdregex import RegexError, compile_regex

XSD = "http://www.w3.org/2001/XMLSchema-datatypes"

PRESERVE, REPLACE, COLLAPSE = range(3)


class DatatypeError(ValueError):
    """An unknown datatype or a bad parameter (the grammar is unusable)."""


Parser = Callable[[str, Any], object]
"""The value of a (whitespace-normalised) lexical form, or ``None`` when not allowed."""

_XML_SPACES = re.compile(r"[ \t\n\r]+")
_NOT_COLLAPSED = re.compile(r"[\t\n\r]|^ | $|  ")
"""What whitespace collapsing would change (most values hold none of it)."""


def xml_tokens(s: str) -> list[str]:
    """``s`` split at XML whitespace only (not at U+00A0 or U+3000, as ``str.split`` would)."""
    return [t for t in _XML_SPACES.split(s) if t]


def collapse(s: str) -> str:
    """``s`` with XML whitespace collapsed (runs to one space, none at either end)."""
    if _NOT_COLLAPSED.search(s) is None:
        return s
    return " ".join(xml_tokens(s))


def _replace(s: str) -> str:
    return s.replace("\t", " ").replace("\n", " ").replace("\r", " ")


# -- names ---------------------------------------------------------------------
def _name_start(c: str) -> bool:
    if c in "_" or ("a" <= c <= "z") or ("A" <= c <= "Z"):
        return True
    o = ord(c)
    if o < 0xC0 or o >= 0x10000 or 0x3400 <= o <= 0x4DFF or 0x9FA6 <= o <= 0x9FFF:
        return False
    return unicodedata.category(c) in ("Ll", "Lu", "Lo", "Lt", "Nl")


def _name_char(c: str) -> bool:
    if _name_start(c) or c in "-.0123456789\u00b7":
        return True
    o = ord(c)
    if o < 0x80 or o >= 0x10000:
        return False
    return unicodedata.category(c) in ("Mc", "Me", "Mn", "Lm", "Nd")


# the same rules for ASCII strings (most names), answered by a regular expression
_ASCII_NCNAME = re.compile(r"[A-Za-z_][A-Za-z0-9_.\-]*")
_ASCII_NAME = re.compile(r"[A-Za-z_:][A-Za-z0-9_.:\-]*")
_ASCII_NMTOKEN = re.compile(r"[A-Za-z0-9_.:\-]+")


def is_ncname(s: str) -> bool:
    if s.isascii():
        return _ASCII_NCNAME.fullmatch(s) is not None
    return bool(s) and _name_start(s[0]) and all(_name_char(c) for c in s[1:])


def is_name(s: str) -> bool:
    if s.isascii():
        return _ASCII_NAME.fullmatch(s) is not None
    return bool(s) and (_name_start(s[0]) or s[0] == ":") and all(
        c == ":" or _name_char(c) for c in s[1:])


def is_nmtoken(s: str) -> bool:
    if s.isascii():
        return _ASCII_NMTOKEN.fullmatch(s) is not None
    return bool(s) and all(c == ":" or _name_char(c) for c in s)


def is_qname(s: str) -> bool:
    prefix, colon, local = s.partition(":")
    return is_ncname(prefix) and (not colon or is_ncname(local))


# -- URIs (java.net.URI after jing's escaping) ------------------------------------
_ALNUM = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
_MARK = set("-_.!~*'()")
_UNRESERVED = _ALNUM | _MARK
_RESERVED = set(";/?:@&=+$,[]")
_URIC = _RESERVED | _UNRESERVED
_PCHAR = _UNRESERVED | set(":@&=+$,")
_PATH = _PCHAR | set(";/")
_REG_NAME = _UNRESERVED | set("$,;:@&=+")
_USERINFO = _UNRESERVED | set(";:&=+$,")
_SERVER = _USERINFO | _ALNUM | set("-.:@[]")
_SCHEME = _ALNUM | set("+-.")
_HEX = set("0123456789abcdefABCDEF")


def _escape_for_java(s: str) -> str:
    out: list[str] = []
    for c in s:
        o = ord(c)
        if (o < 0x20 or c in " <>\"{}|\\^`" or 0x7F <= o <= 0x9F
                or (o > 0x7F and unicodedata.category(c) in ("Zs", "Zl", "Zp"))):
            out.extend(f"%{b:02X}" for b in c.encode("utf-8"))
        else:
            out.append(c)
    return "".join(out)


def _scan_ok(s: str, allowed: set[str], escaped: bool = True) -> bool:
    """Whether every character of ``s`` is allowed (``%XX`` and non-ASCII "other"
    characters too, when ``escaped``)."""
    i, n = 0, len(s)
    while i < n:
        c = s[i]
        if c in allowed:
            i += 1
        elif escaped and c == "%":
            if i + 2 < n + 0 and s[i + 1] in _HEX and s[i + 2] in _HEX:
                i += 3
            else:
                return False
        elif escaped and ord(c) > 128 and not c.isspace() and unicodedata.category(c) != "Cc":
            i += 1
        else:
            return False
    return True


def _authority_ok(a: str) -> bool:
    server = _scan_ok(a, _SERVER)
    registry = _scan_ok(a, _REG_NAME)
    if server and _server_ok(a):
        return True
    return registry


def _server_ok(a: str) -> bool:
    if "@" in a:
        user, _, a = a.rpartition("@")
        if not _scan_ok(user, _USERINFO):
            return False
    if a.startswith("["):
        end = a.find("]")
        if end < 0 or not re.fullmatch(r"[0-9A-Fa-f:.]+", a[1:end]) or ":" not in a[1:end]:
            return False
        rest = a[end + 1:]
        return rest == "" or ((rest.startswith(":") and rest[1:].isdigit()) or rest == ":")
    host, colon, port = a.rpartition(":") if ":" in a else (a, "", "")
    if colon and port and not port.isascii():
        return False
    if colon and port and not port.isdigit():
        return False
    if not host:
        return False
    labels = host.split(".")
    if labels and labels[-1] == "":
        labels = labels[:-1]
    return all(lab and lab[0].isalnum() and lab[-1].isalnum() and lab.isascii()
               and all(c.isalnum() or c == "-" for c in lab) for lab in labels)


def is_java_uri(value: str) -> bool:
    """Whether ``java.net.URI`` accepts ``value`` after jing's escaping of spaces,
    controls and delimiters (jing's ``anyURI`` test)."""
    s = _escape_for_java(value)
    body, hash_, fragment = s.partition("#")
    if hash_ and not _scan_ok(fragment, _URIC):
        return False
    m = re.match(r"[^/?#]*?:", body)
    if m:  # a scheme
        scheme = body[:m.end() - 1]
        if not scheme or not ("a" <= scheme[0].lower() <= "z") or not all(c in _SCHEME for c in scheme):
            return False
        ssp = body[m.end():]
        if not ssp.startswith("/"):
            return bool(ssp) and ssp[0] != "#" and _scan_ok(ssp, _URIC)
        return _hierarchical_ok(ssp)
    return _hierarchical_ok(body)


def _hierarchical_ok(s: str) -> bool:
    path, q, query = s.partition("?")
    if q and not _scan_ok(query, _URIC):
        return False
    if path.startswith("//"):
        rest = path[2:]
        slash = rest.find("/")
        authority, path = (rest, "") if slash < 0 else (rest[:slash], rest[slash:])
        if authority:
            if not _authority_ok(authority):
                return False
        elif not path and not q and not query:
            return False  # "//" with nothing after it
    return _scan_ok(path, _PATH)


# -- the datatypes ----------------------------------------------------------------
@dataclass(frozen=True)
class Datatype:
    """One datatype with its facets; hashable (patterns are interned by it)."""

    library: str
    name: str
    params: tuple[tuple[str, str], ...] = ()
    base: str = field(default="", compare=False)
    whitespace: int = field(default=COLLAPSE, compare=False)
    id_type: str = field(default="", compare=False)
    """``"ID"``, ``"IDREF"``, ``"IDREFS"`` or ``""`` (DTD compatibility)."""
    needs_context: bool = field(default=False, compare=False)

    def normalize(self, s: str) -> str:
        if self.whitespace == COLLAPSE:
            return collapse(s)
        if self.whitespace == REPLACE:
            return _replace(s)
        return s

    def value(self, s: str, ctx: dict[str | None, str] | None = None) -> object:
        """The value of ``s`` (compared with ``==``), or ``None`` when not allowed."""
        n = self.normalize(s)
        v = _VALUE[self.base](n, ctx)
        if v is None:
            return None
        for name, arg in self.params:
            if not _facet_ok(self, name, arg, n, v):
                return None
        return v

    def allows(self, s: str, ctx: dict[str | None, str] | None = None) -> bool:
        return self.value(s, ctx) is not None

    def describe(self) -> str:
        """``xsd:token`` or, with facets, ``xsd:token matching [^\\p{C}\\p{Z}]+``."""
        prefix = "xsd:" if self.library == XSD else ""
        facets = [f"matching {arg}" if name == "pattern" else f"{name} {arg}"
                  for name, arg in self.params]
        return prefix + self.name + (" " + ", ".join(facets) if facets else "")


def _facet_ok(dt: Datatype, name: str, arg: str, lexical: str, v: object) -> bool:
    if name == "pattern":
        return compile_regex(arg).matches(lexical)
    if name in ("length", "minLength", "maxLength"):
        size = _length(dt, lexical, v)
        limit = int(Decimal(arg.strip()))
        return (size == limit if name == "length" else
                size >= limit if name == "minLength" else size <= limit)
    if name in ("minInclusive", "maxInclusive", "minExclusive", "maxExclusive"):
        bound: Any = _VALUE[dt.base](collapse(arg), None)
        value: Any = v
        try:
            # as jing: inclusive bounds hold when strictly beyond or the same value
            if name == "minInclusive":
                return bool(bound < value or value == bound)
            if name == "maxInclusive":
                return bool(value < bound or value == bound)
            if name == "minExclusive":
                return bool(bound < value)
            return bool(value < bound)
        except TypeError:
            return False
    if name == "totalDigits":  # jing: the precision of the BigDecimal
        return len(Decimal(lexical).as_tuple().digits) <= int(arg.strip())
    if name == "fractionDigits":  # jing: its scale
        exponent = Decimal(lexical).as_tuple().exponent
        return max(0, -int(exponent)) <= int(arg.strip())
    return True


def _length(dt: Datatype, lexical: str, v: object) -> int:
    if dt.base in ("NMTOKENS", "IDREFS", "ENTITIES"):
        return len(xml_tokens(lexical))
    if dt.base == "hexBinary":
        return len(lexical) // 2
    if dt.base == "base64Binary":
        return len(v)  # type: ignore[arg-type]
    if dt.base in ("Name", "NCName", "NMTOKEN", "ID", "IDREF", "ENTITY", "language"):
        return len(lexical.encode("utf-16-le")) // 2  # jing counts UTF-16 units there
    return len(lexical)


# -- lexical spaces and values ------------------------------------------------------
def _string(s: str, ctx: object) -> object:
    return s


def _decimal(s: str, ctx: object) -> object:
    if not re.fullmatch(r"[+-]?(\d+\.?\d*|\.\d+)", s, re.ASCII):
        return None
    return Decimal(s)


def _integer(s: str, ctx: object) -> object:
    if not re.fullmatch(r"[+-]?\d+", s, re.ASCII):
        return None
    return Decimal(s)


def _bounded(low: int | None, high: int | None) -> Parser:
    def parse(s: str, ctx: object) -> object:
        v: Any = _integer(s, ctx)
        if v is None or (low is not None and v < low) or (high is not None and v > high):
            return None
        return v
    return parse


def _double(s: str, ctx: object) -> object:
    if s == "INF":
        return float("inf")
    if s == "-INF":
        return float("-inf")
    if s == "NaN":
        return _NAN
    if not re.fullmatch(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?", s, re.ASCII):
        return None
    try:
        return float(s)
    except ValueError:
        return None


class _NaN:
    """NaN equals itself as a value (jing's ``sameValue``) and is not ordered."""

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _NaN)

    def __hash__(self) -> int:
        return 0

    def __lt__(self, other: object) -> bool:
        return False

    def __gt__(self, other: object) -> bool:
        return False


_NAN = _NaN()


def _float(s: str, ctx: object) -> object:
    v = _double(s, ctx)
    if isinstance(v, float):
        import struct
        try:
            return struct.unpack("f", struct.pack("f", v))[0]
        except OverflowError:
            return float("inf") if v > 0 else float("-inf")
    return v


def _boolean(s: str, ctx: object) -> object:
    return {"true": True, "1": True, "false": False, "0": False}.get(s)


def _checked(test: Callable[[str], bool]) -> Parser:
    def parse(s: str, ctx: object) -> object:
        return s if test(s) else None
    return parse


def _list_of(test: Callable[[str], bool]) -> Parser:
    def parse(s: str, ctx: object) -> object:
        items = xml_tokens(s)
        return tuple(items) if items and all(test(t) for t in items) else None
    return parse


def _qname_value(s: str, ctx: Any) -> object:
    if not is_qname(s):
        return None
    prefix, colon, local = s.partition(":")
    ctx = ctx or {}
    if not colon:
        return (ctx.get(None) or "", s)
    ns = ctx.get(prefix) if prefix != "xml" else "http://www.w3.org/XML/1998/namespace"
    return None if ns is None else (ns, local)


_LANGUAGE = re.compile(r"[a-zA-Z]{1,8}(-[a-zA-Z0-9]{1,8})*")


def _hex(s: str, ctx: object) -> object:
    return bytes.fromhex(s) if re.fullmatch(r"([0-9a-fA-F]{2})*", s) else None


def _base64(s: str, ctx: object) -> object:
    import base64
    import binascii
    compact = s.replace(" ", "")
    if not re.fullmatch(r"[A-Za-z0-9+/]*={0,2}", compact) or len(compact) % 4:
        return None
    try:
        return base64.b64decode(compact, validate=True)
    except binascii.Error:
        return None


# dates: jing's templates and its calendar checks
_Y = r"(-?)(\d*\d{4})"
_TIME = r"(\d{2}):(\d{2}):(\d{2})(\.\d*)?"
_TZ = r"(Z|[+-]\d\d:[0-5]\d)?"
_TEMPLATES = {
    "dateTime": re.compile(_Y + r"-(\d{2})-(\d{2})T" + _TIME + _TZ, re.ASCII),
    "date": re.compile(_Y + r"-(\d{2})-(\d{2})" + _TZ, re.ASCII),
    "time": re.compile(_TIME + _TZ, re.ASCII),
    "gYearMonth": re.compile(_Y + r"-(\d{2})" + _TZ, re.ASCII),
    "gYear": re.compile(_Y + _TZ, re.ASCII),
    "gMonthDay": re.compile(r"--(\d{2})-(\d{2})" + _TZ, re.ASCII),
    "gDay": re.compile(r"---(\d{2})" + _TZ, re.ASCII),
    "gMonth": re.compile(r"--(\d{2})" + _TZ, re.ASCII),
}
_MAX_YEAR = 292278994  # the last year java.util.GregorianCalendar knows


def _date_value(kind: str) -> Parser:
    template = _TEMPLATES[kind]

    def parse(s: str, ctx: object) -> object:
        m = template.fullmatch(s)
        if not m:
            return None
        g = list(m.groups())
        negative, year, month, day = False, 2000, 1, 1
        hours = minutes = seconds = 0
        fraction = Decimal(0)
        if kind in ("dateTime", "date", "gYearMonth", "gYear"):
            negative = g.pop(0) == "-"
            text = g.pop(0)
            if len(text) > 4 and text[0] == "0":
                return None
            year = int(text)
            if year == 0 or year > _MAX_YEAR or (negative and year > _MAX_YEAR - 2):
                return None
        if kind in ("dateTime", "date", "gYearMonth", "gMonthDay", "gMonth"):
            month = int(g.pop(0))
        if kind in ("dateTime", "date", "gMonthDay", "gDay"):
            day = int(g.pop(0))
        if kind in ("dateTime", "time"):
            hours, minutes, seconds = int(g.pop(0)), int(g.pop(0)), int(g.pop(0))
            frac = g.pop(0)
            fraction = Decimal("0" + frac) if frac and frac != "." else Decimal(0)
        tz = g.pop(0)
        if not (1 <= month <= 12) or day < 1 or hours > 23 or minutes > 59 or seconds > 60:
            return None
        leap_year = _leap(-(year - 1) if negative else year)
        if day > _days_in(month, leap_year):
            return None
        offset = 0
        if tz and tz != "Z":
            offset = (int(tz[1:3]) * 60 + int(tz[4:6])) * (-1 if tz[0] == "-" else 1)
            if offset > 14 * 60 or offset < -13 * 60:  # java.util.Calendar's ZONE_OFFSET range
                return None
        millis = int((fraction * 1000).to_integral_value(rounding="ROUND_DOWN")) if fraction else 0
        leap = 0
        if seconds == 60:
            leap, seconds, millis = millis + 1, 59, 999
        signed_year = -(year - 1) if negative else year
        instant = ((((_days_from_civil(signed_year, month, day) * 24 + hours) * 60 + minutes)
                    - offset) * 60 + seconds) * 1000 + millis
        return _DateValue(instant, leap, bool(tz))

    return parse


def _leap(y: int) -> bool:
    return y % 4 == 0 and (y % 100 != 0 or y % 400 == 0)


def _days_in(month: int, leap: bool) -> int:
    return 29 if month == 2 and leap else (28 if month == 2 else
                                           30 if month in (4, 6, 9, 11) else 31)


def _days_from_civil(y: int, m: int, d: int) -> int:
    y -= m <= 2
    era = (y if y >= 0 else y - 399) // 400
    yoe = y - era * 400
    doy = (153 * (m + (-3 if m > 2 else 9)) + 2) // 5 + d - 1
    doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
    return era * 146097 + doe


_TZ_MAX = 14 * 60 * 60 * 1000


@dataclass(frozen=True)
class _DateValue:
    instant: int
    leap: int
    zoned: bool

    def __lt__(self, other: _DateValue) -> bool:
        a, b = self.instant, other.instant
        if self.zoned != other.zoned:
            if not other.zoned:
                b -= _TZ_MAX
            else:
                a += _TZ_MAX
        return a < b or (a == b and self.leap < other.leap)


_DURATION = re.compile(r"-?P(\d+Y)?(\d+M)?(\d+D)?(T(\d+H)?(\d+M)?((\d+(\.\d*)?|\.\d+)S)?)?",
                       re.ASCII)


def _duration(s: str, ctx: object) -> object:
    m = _DURATION.fullmatch(s)
    if not m or s[-1] in "PT":
        return None
    sign = -1 if s.startswith("-") else 1

    def num(g: str | None) -> Decimal:
        return Decimal(g[:-1]) * sign if g else Decimal(0)

    return (num(m.group(1)), num(m.group(2)), num(m.group(3)), num(m.group(5)),
            num(m.group(6)), num(m.group(7)))


_VALUE = {
    "string": _string, "token": _string, "normalizedString": _string,
    "boolean": _boolean, "decimal": _decimal, "integer": _integer,
    "nonPositiveInteger": _bounded(None, 0), "negativeInteger": _bounded(None, -1),
    "long": _bounded(-2**63, 2**63 - 1), "int": _bounded(-2**31, 2**31 - 1),
    "short": _bounded(-2**15, 2**15 - 1), "byte": _bounded(-128, 127),
    "nonNegativeInteger": _bounded(0, None), "unsignedLong": _bounded(0, 2**64 - 1),
    "unsignedInt": _bounded(0, 2**32 - 1), "unsignedShort": _bounded(0, 65535),
    "unsignedByte": _bounded(0, 255), "positiveInteger": _bounded(1, None),
    "double": _double, "float": _float,
    "Name": _checked(is_name), "NCName": _checked(is_ncname), "ID": _checked(is_ncname),
    "IDREF": _checked(is_ncname), "ENTITY": _checked(is_ncname),
    "NMTOKEN": _checked(is_nmtoken), "NMTOKENS": _list_of(is_nmtoken),
    "IDREFS": _list_of(is_ncname), "ENTITIES": _list_of(is_ncname),
    "QName": _qname_value, "NOTATION": _qname_value,
    "anyURI": _checked(is_java_uri), "language": _checked(lambda s: bool(_LANGUAGE.fullmatch(s))),
    "hexBinary": _hex, "base64Binary": _base64, "duration": _duration,
    **{k: _date_value(k) for k in _TEMPLATES},
    "untypedAtomic": _string, "anyAtomicType": _string,
}
_ORDERED = {"decimal", "integer", "nonPositiveInteger", "negativeInteger", "long", "int", "short",
            "byte", "nonNegativeInteger", "unsignedLong", "unsignedInt", "unsignedShort",
            "unsignedByte", "positiveInteger", "double", "float", *_TEMPLATES}
_DECIMALS = _ORDERED - {"double", "float", *_TEMPLATES}
_NO_LENGTH = _ORDERED | {"boolean", "QName", "NOTATION", "duration"}
_FACETS = {"pattern", "length", "minLength", "maxLength", "minInclusive", "maxInclusive",
           "minExclusive", "maxExclusive", "totalDigits", "fractionDigits"}


def lookup(library: str, name: str, params: tuple[tuple[str, str], ...]) -> Datatype:
    """The datatype ``name`` of ``library`` with ``params``; :class:`DatatypeError`
    for an unknown one or a parameter it does not take."""
    if library == "":
        if name not in ("string", "token"):
            raise DatatypeError(f"the built-in datatype library has no type \"{name}\"")
        if params:
            raise DatatypeError("built-in datatypes take no parameters")
        return Datatype("", name, (), name, PRESERVE if name == "string" else COLLAPSE)
    if library != XSD:
        raise DatatypeError(f"datatype library {library} is not supported")
    if name not in _VALUE:
        raise DatatypeError(f"XML Schema has no datatype \"{name}\"")
    for pname, arg in params:
        if pname not in _FACETS:
            raise DatatypeError(f"\"{pname}\" is not a parameter of {name}")
        if pname == "pattern":
            try:
                compile_regex(arg)
            except RegexError as exc:
                raise DatatypeError(f"bad pattern \"{arg}\": {exc}") from None
        elif pname.startswith(("min", "max")) and pname not in ("minLength", "maxLength"):
            if name not in _ORDERED:
                raise DatatypeError(f"{name} is not ordered: no {pname}")
            if _VALUE[name](collapse(arg), None) is None:
                raise DatatypeError(f"{pname} \"{arg}\" is not a {name}")
        elif pname in ("totalDigits", "fractionDigits"):
            if name not in _DECIMALS:
                raise DatatypeError(f"{pname} applies to decimal types only")
        elif name in _NO_LENGTH:
            raise DatatypeError(f"{name} has no length")
    whitespace = PRESERVE if name == "string" else REPLACE if name == "normalizedString" else COLLAPSE
    id_type = name if name in ("ID", "IDREF", "IDREFS") else ""
    return Datatype(XSD, name, params, name, whitespace, id_type, name in ("QName", "NOTATION"))

"""What a record's search items are: pure functions of its object type and its stored form.

- One item per value of each indexed property (`PropertyDef.indexed`; a list property has one per element):
  `X#<object>#<property>` / `<value key>\\0<record id>`.
- One for its `updated_at` (every record has one: sorting and ranges by it never scan).
- One per token of its identifying text, for `query`: `XQ#<object>` / `<token>\\0<record id>`.
- None while the record is archived.

Value keys sort as the values do, so an index partition read in key order is the property's order:

- text (and enumerations, emails, domains, ids) NFC-normalised and case-folded, as conditions compare text,
  and cut at MAX_TEXT_KEY characters (a sort key holds at most 1 KB: 200 characters of up to 4 UTF-8 bytes,
  the separator and a 26-character id fit);
- numbers as fixed-point text: scaled to 6 decimals, offset so every value is positive, 28 digits
  (records hold numbers below 1e21 with at most 6 decimals, so this is exact);
- dates as YYYY-MM-DD; date-times in UTC to the microsecond, fixed width; booleans as false < true.

A key may stand for several values (text differing only in case, or beyond the cut). That is safe because
every search evaluates its filters on the records it reads: an index only has to be complete, never exact."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import ROUND_FLOOR, Decimal, InvalidOperation
from typing import Any

from contacts.schema import (
    Boolean,
    Choice,
    Currency,
    DateTime,
    Day,
    Domain,
    Email,
    MultiChoice,
    Number,
    ObjectType,
    Phone,
    PropertyType,
    Reference,
    References,
    Text,
    Url,
)
from crm import keys

SEP = "\x00"  # ends a value key: it sorts below every character, so "ab" < "abc" holds for keys too
TOP = "\U0010ffff"  # sorts above every character: where a record without the sorted property stands
MAX_TEXT_KEY = 200
MAX_TOKENS = 5  # per value: the whole value and what follows each of its first four word breaks
MAX_TOKEN_KEY = 100
UPDATED_AT = "updated_at"  # a record field every record has, indexed for every object type

_NUMBER_SCALE = 6
_NUMBER_OFFSET = 10**27  # records hold numbers below 1e21: scaled by 1e6 they stay below 1e27
_NUMBER_DIGITS = 28
_MOMENT_FORMAT = "%Y-%m-%dT%H:%M:%S.%fZ"
_WORD_BREAK = re.compile(r"[\s@]+")  # words of a name, and the domain of an email
_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*://(www\.)?")

INDEX = keys.prefix(keys.SEARCH_INDEX)
TOKENS = keys.prefix(keys.SEARCH_TOKEN)
PENDING = keys.prefix(keys.SEARCH_PENDING)


@dataclass(frozen=True, order=True)
class Entry:
    """One search item: its partition (after `T#<tenant>`), its sort key and the record it leads to."""

    partition: tuple[str, ...]
    sort: str
    record_id: str


# --- value keys -------------------------------------------------------------------------------------


def fold(text: str) -> str:
    """Text as searches compare it (crm.conditions: NFC, case-folded), without the separator."""
    return unicodedata.normalize("NFC", text).casefold().replace(SEP, "")


def index_kind(kind: PropertyType) -> str | None:
    """How a property's values are keyed: text, number, date, datetime or boolean (a list: its elements'
    kind), or None for a type no index serves (per-currency amounts, named moments)."""
    if isinstance(kind, Number):
        return "number"
    if isinstance(kind, Day):
        return "date"
    if isinstance(kind, DateTime):
        return "datetime"
    if isinstance(kind, Boolean):
        return "boolean"
    if isinstance(kind, Text | Email | Phone | Url | Domain | Choice | Currency | Reference | References):
        return "text"  # MultiChoice is a Choice: its elements are option values
    return None


def is_list(kind: PropertyType) -> bool:
    return isinstance(kind, MultiChoice | References)


def value_key(kind: str, value: Any) -> str | None:
    """The sortable key of one value of this kind, or None when it is not one (never raises)."""
    if kind == "number":
        return number_key(value)
    if kind == "datetime":
        return moment_key(value)
    if kind == "date":
        return value[:10] if isinstance(value, str) and re.match(r"^\d{4}-\d{2}-\d{2}", value) else None
    if kind == "boolean":
        return ("true" if value else "false") if isinstance(value, bool) else None
    return fold(value)[:MAX_TEXT_KEY] if isinstance(value, str) and value else None


def number_key(value: Any) -> str | None:
    if isinstance(value, bool) or not isinstance(value, int | Decimal | float | str):
        return None
    try:
        scaled = Decimal(str(value)).scaleb(_NUMBER_SCALE).to_integral_value(rounding=ROUND_FLOOR)
    except (InvalidOperation, ValueError):
        return None
    if not scaled.is_finite():
        return None
    shifted = min(max(int(scaled) + _NUMBER_OFFSET, 0), 2 * _NUMBER_OFFSET - 1)  # bounds a lookup may exceed
    return str(shifted).zfill(_NUMBER_DIGITS)


def moment_key(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).strftime(_MOMENT_FORMAT)


# --- which properties, which items ---------------------------------------------------------------------


def indexed(object_type: ObjectType) -> dict[str, str]:
    """Indexed property -> the kind of its keys: what the tenant's schema marks indexed, of a type an index
    serves, and complete (searches may rely on it)."""
    return {name: kind for name, kind in written(object_type).items() if not object_type.properties[name].index_pending}


def written(object_type: ObjectType) -> dict[str, str]:
    """The indexes a write keeps: the complete ones, and those being built for existing records."""
    found = {}
    for name, spec in object_type.properties.items():
        kind = index_kind(spec.type) if spec.indexed else None
        if kind is not None:
            found[name] = kind
    return found


def key_kind(object_type: ObjectType, prop: str) -> str | None:
    """The key kind of an index this object type has: an indexed property's, or updated_at's."""
    return "datetime" if prop == UPDATED_AT else indexed(object_type).get(prop)


def searchable(object_type: ObjectType) -> tuple[str, ...]:
    """The properties `query` matches: the identifying ones (for a type without any, e.g. deals, the required
    ones) that hold text, names, emails, domains or URLs."""
    names = object_type.identifying or object_type.required
    specs = object_type.properties
    return tuple(n for n in names if n in specs and isinstance(specs[n].type, Text | Email | Domain | Url))


def tokens(object_type: ObjectType, properties: dict[str, Any]) -> set[str]:
    """What `query` matches the start of: each searchable value, folded, and what follows each of its first
    word breaks (a space, an email's @), e.g. "ada@acme.com" gives "ada@acme.com" and "acme.com"; a URL
    without its scheme and www."""
    found: set[str] = set()
    for name in searchable(object_type):
        value = properties.get(name)
        if not isinstance(value, str):
            continue
        text = fold(value)
        if isinstance(object_type.properties[name].type, Url):
            text = _SCHEME.sub("", text)
        starts = [0, *(match.end() for match in _WORD_BREAK.finditer(text))][:MAX_TOKENS]
        found.update(text[start:] for start in starts if text[start:])
    return found


def query_key(query: str) -> str:
    """A query as token keys are cut: a prefix of every token it is a prefix of."""
    return fold(query.strip())[:MAX_TOKEN_KEY]


def entries(object_type: ObjectType, record: dict[str, Any] | None) -> set[Entry]:
    """Every search item the record should have now (none for no record or an archived one)."""
    if record is None or record.get("archived_at"):
        return set()
    record_id, properties, name = record["id"], record["properties"], object_type.name
    found = set()
    updated = moment_key(record["updated_at"])
    if updated is not None:
        found.add(Entry((INDEX, name, UPDATED_AT), updated + SEP + record_id, record_id))
    for prop, kind in written(object_type).items():
        found |= property_entries(name, prop, kind, record)
    for token in tokens(object_type, properties):
        found.add(Entry((TOKENS, name), token[:MAX_TOKEN_KEY] + SEP + record_id, record_id))
    return found


def property_entries(object_name: str, prop: str, kind: str, record: dict[str, Any]) -> set[Entry]:
    """The items of one indexed property of an active record: one per value (per element of a list)."""
    value, record_id = record["properties"].get(prop), record["id"]
    found = set()
    for element in value if isinstance(value, list) else [value]:
        key = value_key(kind, element)
        if key is not None:
            found.add(Entry((INDEX, object_name, prop), key + SEP + record_id, record_id))
    return found


def position(object_type: ObjectType, order_property: str | None, record: dict[str, Any]) -> str:
    """Where a record stands in a search's order: its id (id order, i.e. creation), else its key of the
    sorted property and its id, exactly the index item's sort key; TOP if it has no value (last ascending,
    first descending)."""
    if order_property is None:
        return str(record["id"])
    kind = key_kind(object_type, order_property)
    value = record["updated_at"] if order_property == UPDATED_AT else record["properties"].get(order_property)
    key = value_key(kind, value) if kind is not None else None
    return (TOP if key is None else key) + SEP + str(record["id"])


def record_id_of(sort_key: str) -> str:
    """The record id at the end of an index item's sort key."""
    return sort_key.rsplit(SEP, 1)[-1]

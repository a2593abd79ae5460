"""The one condition language: workflow triggers and branches, lead scoring and (later) search filters.

A condition is JSON: groups `{"all": [...]}`, `{"any": [...]}`, `{"not": {...}}` over comparisons
`{"property": "email", "op": "ends_with", "value": "@acme.com"}`. `parse` checks a whole tree against a
description of the object's properties (an `Operand` per property, supplied by the caller, so the platform
knows no object type) and returns an immutable `Condition` that evaluates a record and serialises back.

Semantics, decided once for every user of the language:

- Not set: a property that is missing, None, "" or [] is not set. Every comparison against a value that
  is not set, or that cannot be compared (a stored value of the wrong type), is False. That includes
  `neq` and `not_in`: they mean "set, and different". Say "differs or is empty" with
  `{"any": [{..."neq"...}, {..."is_not_set"}]}`.
- Values are normalised exactly as a write would (through the operand), so `eq "ANA@X.IO"` on an email
  matches the stored "ana@x.io". `eq`/`neq`/`in`/`not_in` then compare exactly: where case does not
  matter the write already folded it (emails, enumerations, domains, ids), and exact equality is what an
  index can serve. `contains`/`starts_with`/`ends_with` compare case-insensitively (Unicode casefold)
  and take a fragment as typed (only NFC-normalised), since "@acme.com" is no valid email to normalise.
- Numbers compare exactly (int/Decimal; a stored float or numeric string is read exactly too), dates as
  calendar days, date-times as instants (any ISO 8601 offset; a naive one is UTC).
- List properties (`kind == "list"`, e.g. a list of ids): comparison values are single elements; `eq`,
  `contains` and `in` match if any element matches; `neq` and `not_in` if no element does (and the
  list is not empty). `contains` on a list is membership, compared exactly.
- `changed` is true when the event's `changes` (the `crm.outbox.diff` shape, `{"prop": {"old": ..., "new":
  ...}}`) has the property. `changed_to` is true when the new value matches `eq value` and the old one did
  not: for a scalar that is "became value"; for a list, "value was added".
- `evaluate` never raises: a record or changes of any shape yields True or False.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal
from types import MappingProxyType
from typing import Any, Protocol

from crm.errors import FieldError, ValidationFailed

MAX_DEPTH = 10  # nodes from the root to the deepest comparison, both counted
MAX_COMPARISONS = 100
MAX_LIST_VALUES = 100  # values of one in / not_in
MAX_FRAGMENT = 1_000  # characters of a contains / starts_with / ends_with value
MAX_ERRORS = 100  # a pathological tree is refused with this many faults, not a million

KINDS = ("text", "number", "date", "datetime", "boolean", "enum", "list")

_EQUALITY = ("eq", "neq", "in", "not_in")
_ORDER = ("gt", "gte", "lt", "lte")
_TEXT = ("contains", "starts_with", "ends_with")
_PRESENCE = ("is_set", "is_not_set")
_CHANGE = ("changed", "changed_to")

OPERATORS: tuple[str, ...] = ("eq", "neq", *_ORDER, "in", "not_in", *_TEXT, *_PRESENCE, *_CHANGE)

# Which operators apply to which kind of property (for validation, and for docs / OpenAPI to list).
OPERATORS_BY_KIND: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        "text": (*_EQUALITY, *_TEXT, *_PRESENCE, *_CHANGE),
        "number": (*_EQUALITY, *_ORDER, *_PRESENCE, *_CHANGE),
        "date": (*_EQUALITY, *_ORDER, *_PRESENCE, *_CHANGE),
        "datetime": (*_EQUALITY, *_ORDER, *_PRESENCE, *_CHANGE),
        "boolean": ("eq", "neq", *_PRESENCE, *_CHANGE),
        "enum": (*_EQUALITY, *_PRESENCE, *_CHANGE),
        "list": (*_EQUALITY, "contains", *_PRESENCE, *_CHANGE),
    }
)

NO_VALUE_OPERATORS = frozenset({*_PRESENCE, "changed"})
LIST_VALUE_OPERATORS = frozenset({"in", "not_in"})


class Operand(Protocol):
    """What the language needs to know about one property of the object a condition is about."""

    @property
    def kind(self) -> str: ...  # one of KINDS

    @property
    def options(self) -> tuple[str, ...]: ...  # the allowed values of an enum (may be empty)

    def normalise(self, value: Any) -> Any:
        """A comparison value exactly as a write would store it (for a list: one element).
        Raises ValueError with a message for the client when the value is not valid."""
        ...


# --- the tree -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AllOf:
    conditions: tuple[Condition, ...]

    def evaluate(self, record: Mapping[str, Any], changes: Mapping[str, Any] | None = None) -> bool:
        return all(c.evaluate(record, changes) for c in self.conditions)

    def to_json(self) -> dict[str, Any]:
        return {"all": [c.to_json() for c in self.conditions]}


@dataclass(frozen=True)
class AnyOf:
    conditions: tuple[Condition, ...]

    def evaluate(self, record: Mapping[str, Any], changes: Mapping[str, Any] | None = None) -> bool:
        return any(c.evaluate(record, changes) for c in self.conditions)

    def to_json(self) -> dict[str, Any]:
        return {"any": [c.to_json() for c in self.conditions]}


@dataclass(frozen=True)
class Not:
    condition: Condition

    def evaluate(self, record: Mapping[str, Any], changes: Mapping[str, Any] | None = None) -> bool:
        return not self.condition.evaluate(record, changes)

    def to_json(self) -> dict[str, Any]:
        return {"not": self.condition.to_json()}


@dataclass(frozen=True)
class Compare:
    """One comparison. `value` is normalised: a tuple for in / not_in, None for operators without one."""

    property: str
    op: str
    value: Any
    kind: str
    _target: Any = field(init=False, repr=False, compare=False, hash=False)

    def __post_init__(self) -> None:
        # The comparison value in the form evaluation compares, worked out once.
        if self.op in LIST_VALUE_OPERATORS:
            key: Any = tuple(_key(self.kind, v) for v in self.value)
        elif self.op in _TEXT and self.kind != "list":
            key = _fold(self.value) if isinstance(self.value, str) else _INVALID
        else:
            key = _key(self.kind, self.value)
        object.__setattr__(self, "_target", key)

    def to_json(self) -> dict[str, Any]:
        raw: dict[str, Any] = {"property": self.property, "op": self.op}
        if self.op in LIST_VALUE_OPERATORS:
            raw["value"] = list(self.value)
        elif self.op not in NO_VALUE_OPERATORS:
            raw["value"] = self.value
        return raw

    def evaluate(self, record: Mapping[str, Any], changes: Mapping[str, Any] | None = None) -> bool:
        try:
            return self._evaluate(record, changes)
        except (TypeError, ValueError, ArithmeticError, RecursionError):  # a last guard: evaluation never raises
            return False

    def _evaluate(self, record: Mapping[str, Any], changes: Mapping[str, Any] | None) -> bool:
        if self.op in _CHANGE:
            change = changes.get(self.property) if isinstance(changes, Mapping) else None
            if not (isinstance(change, Mapping) and "old" in change and "new" in change):
                return False
            if self.op == "changed":
                return True
            return self._matches("eq", change["new"]) and not self._matches("eq", change["old"])
        current = _lookup(record, self.property)
        if self.op == "is_set":
            return _is_set(current)
        if self.op == "is_not_set":
            return not _is_set(current)
        return self._matches(self.op, current)

    def _matches(self, op: str, stored: Any) -> bool:
        if not _is_set(stored) or self._target is _INVALID:
            return False
        if self.kind == "list":
            elements = stored if isinstance(stored, list | tuple) else [stored]
            keys = [k for k in (_key("list", e) for e in elements) if k is not _INVALID]
            if op in ("eq", "contains"):
                return self._target in keys
            if op == "neq":
                return bool(keys) and self._target not in keys
            if op == "in":
                return any(k in self._target for k in keys)
            if op == "not_in":
                return bool(keys) and not any(k in self._target for k in keys)
            return False
        current = _key(self.kind, stored)
        if current is _INVALID:
            return False
        if op in _TEXT:
            text = _fold(current)
            if op == "contains":
                return self._target in text
            return text.startswith(self._target) if op == "starts_with" else text.endswith(self._target)
        return _SCALAR[op](current, self._target)


Condition = AllOf | AnyOf | Not | Compare

_SCALAR: dict[str, Any] = {
    "eq": lambda a, b: a == b,
    "neq": lambda a, b: a != b,
    "gt": lambda a, b: a > b,
    "gte": lambda a, b: a >= b,
    "lt": lambda a, b: a < b,
    "lte": lambda a, b: a <= b,
    "in": lambda a, b: a in b,
    "not_in": lambda a, b: a not in b,
}


def fields(condition: Condition) -> frozenset[str]:
    """Every property a condition reads (so a workflow or scoring rule knows what can change its outcome)."""
    return frozenset(c.property for c in _comparisons(condition))


def _comparisons(condition: Condition) -> Iterator[Compare]:
    stack: list[Condition] = [condition]
    while stack:
        node = stack.pop()
        if isinstance(node, Compare):
            yield node
        elif isinstance(node, Not):
            stack.append(node.condition)
        else:
            stack.extend(node.conditions)


# --- comparable forms of stored values ---------------------------------------------------------------


class _Invalid:
    def __repr__(self) -> str:
        return "<invalid>"


_INVALID: Any = _Invalid()  # a value that cannot be compared: every comparison with it is False
_NUMBER_TEXT = re.compile(r"^\s*[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d{1,4})?\s*$")
_DAY = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _key(kind: str, value: Any) -> Any:
    """The value in the form comparisons of this kind use, or _INVALID. Total: never raises."""
    if kind in ("text", "enum"):
        return value if isinstance(value, str) else _INVALID
    if kind == "number":
        return _number(value)
    if kind == "date":
        return _day(value)
    if kind == "datetime":
        return _moment(value)
    if kind == "boolean":
        return value if isinstance(value, bool) else _INVALID
    if kind == "list":  # one element: ids and option values are strings, but numbers compare exactly too
        return value if isinstance(value, str | bool) else _number(value)
    return _INVALID


def _number(value: Any) -> Any:
    if isinstance(value, bool):
        return _INVALID
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        value = Decimal(repr(value))
    elif isinstance(value, str):
        if len(value) > 100 or not _NUMBER_TEXT.match(value):
            return _INVALID
        value = Decimal(value.strip())
    if not isinstance(value, Decimal) or not value.is_finite():
        return _INVALID
    return value


def _day(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if not isinstance(value, str) or not _DAY.match(value):
        return _INVALID
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return _INVALID


def _moment(value: Any) -> Any:
    if isinstance(value, str):
        if len(value) > 64:
            return _INVALID
        try:
            value = datetime.fromisoformat(value.strip())
        except ValueError:
            return _INVALID
    if isinstance(value, date) and not isinstance(value, datetime):
        value = datetime(value.year, value.month, value.day)
    if not isinstance(value, datetime):
        return _INVALID
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def _fold(text: str) -> str:
    return unicodedata.normalize("NFC", text).casefold()


def _is_set(value: Any) -> bool:
    return value is not None and value != "" and not (isinstance(value, list | tuple) and not value)


def _lookup(record: Any, name: str) -> Any:
    """The property's value: the key itself, else a dotted path through nested objects
    ("company.industry" in {"company": {"industry": ...}})."""
    if not isinstance(record, Mapping):
        return None
    if name in record:
        return record[name]
    current: Any = record
    for part in name.split("."):
        if not isinstance(current, Mapping):
            return None
        current = current.get(part)
    return current


# --- parsing ------------------------------------------------------------------------------------------


def parse(raw: Any, properties: Mapping[str, Operand], *, pointer: str = "") -> Condition:
    """The condition `raw` describes, checked whole against `properties` (name -> Operand; dotted names
    such as "company.industry" are accepted only when listed). Raises ValidationFailed with one FieldError
    per fault, each pointing into the request body below `pointer`."""
    parser = _Parser(properties)
    condition = parser.node(raw, pointer, depth=1)
    if parser.comparisons > MAX_COMPARISONS:
        parser.fail(pointer, f"has more than {MAX_COMPARISONS} comparisons")
    if parser.errors:
        raise ValidationFailed("The condition is invalid.", errors=parser.errors[:MAX_ERRORS])
    assert condition is not None  # no errors means every node parsed
    return condition


_GROUPS = ("all", "any", "not")
_LEAF_KEYS = ("property", "op", "value")


class _Parser:
    def __init__(self, properties: Mapping[str, Operand]) -> None:
        self.properties = properties
        self.errors: list[FieldError] = []
        self.comparisons = 0

    def fail(self, pointer: str, detail: str) -> None:
        self.errors.append(FieldError(pointer, detail))

    @property
    def exhausted(self) -> bool:
        return len(self.errors) >= MAX_ERRORS or self.comparisons > MAX_COMPARISONS

    def node(self, raw: Any, pointer: str, depth: int) -> Condition | None:
        if self.exhausted:
            return None
        if not isinstance(raw, dict):
            self.comparisons += 1  # counts toward the limit, so a list of a million scalars stops early
            self.fail(pointer, 'must be an object: {"all": [...]}, {"any": [...]}, {"not": {...}} or a comparison')
            return None
        if depth > MAX_DEPTH:
            self.fail(pointer, f"nests more than {MAX_DEPTH} levels deep")
            return None
        groups = [key for key in _GROUPS if key in raw]
        if "property" in raw or not groups:
            if groups:
                self.fail(pointer, f"must be either a comparison or a group, not both (found {groups[0]})")
                return None
            if not raw.keys() & set(_LEAF_KEYS):
                self.fail(pointer, "must have one of the keys all, any, not or property")
                return None
            return self.comparison(raw, pointer)
        if len(groups) > 1:
            self.fail(pointer, f"must have exactly one of all, any, not (found {', '.join(groups)})")
            return None
        group = groups[0]
        self.unknown_keys(raw, pointer, allowed=(group,))
        inner = raw[group]
        here = f"{pointer}/{group}"
        if group == "not":
            child = self.node(inner, here, depth + 1)
            return Not(child) if child is not None else None
        if not isinstance(inner, list):
            self.fail(here, "must be a list of conditions")
            return None
        if not inner:
            self.fail(here, "must list at least one condition")
            return None
        children = [self.node(item, f"{here}/{i}", depth + 1) for i, item in enumerate(inner)]
        if any(c is None for c in children):
            return None
        parts = tuple(c for c in children if c is not None)
        return AllOf(parts) if group == "all" else AnyOf(parts)

    def unknown_keys(self, raw: dict[str, Any], pointer: str, allowed: tuple[str, ...]) -> None:
        for key in raw:
            if key not in allowed:
                self.fail(f"{pointer}/{_escape(str(key))}", f"is not a known key here; allowed: {', '.join(allowed)}")

    def comparison(self, raw: dict[str, Any], pointer: str) -> Compare | None:
        self.comparisons += 1
        before = len(self.errors)
        self.unknown_keys(raw, pointer, allowed=_LEAF_KEYS)
        name, op = raw.get("property"), raw.get("op")
        operand = None
        if not isinstance(name, str):
            self.fail(f"{pointer}/property", "is required" if name is None else "must be a string")
        else:
            operand = self.properties.get(name)
            if operand is None:
                self.fail(f"{pointer}/property", f"unknown property; known: {_listing(self.properties)}")
        if not isinstance(op, str):
            self.fail(f"{pointer}/op", "is required" if op is None else "must be a string")
            return None
        if op not in OPERATORS:
            self.fail(f"{pointer}/op", f"unknown operator; one of: {', '.join(OPERATORS)}")
            return None
        if operand is None or not isinstance(name, str):
            return None
        kind = operand.kind
        allowed = OPERATORS_BY_KIND.get(kind, ())
        if op not in allowed:
            self.fail(f"{pointer}/op", f"{op} does not apply to {name} ({kind}); use one of: {', '.join(allowed)}")
            return None
        value = self.value(raw, pointer, name, op, operand)
        if len(self.errors) > before:
            return None
        return Compare(name, op, value, kind)

    def value(self, raw: dict[str, Any], pointer: str, name: str, op: str, operand: Operand) -> Any:
        here = f"{pointer}/value"
        if op in NO_VALUE_OPERATORS:
            if "value" in raw:
                self.fail(here, f"{op} takes no value")
            return None
        if "value" not in raw:
            self.fail(here, f"is required for {op}")
            return None
        value = raw["value"]
        if op in LIST_VALUE_OPERATORS:
            if not isinstance(value, list):
                self.fail(here, f"{op} takes a list of values")
                return None
            if not value:
                self.fail(here, "must list at least one value")
                return None
            if len(value) > MAX_LIST_VALUES:
                self.fail(here, f"may list at most {MAX_LIST_VALUES} values")
                return None
            found = [self.scalar(v, f"{here}/{i}", name, operand) for i, v in enumerate(value)]
            return tuple(dict.fromkeys(found))  # repeats add nothing; keep the order given
        if isinstance(value, list | dict):
            hint = " (use in for one of several values)" if isinstance(value, list) else ""
            self.fail(here, f"{op} takes a single value{hint}")
            return None
        if op in _TEXT and operand.kind != "list":
            return self.fragment(value, here)
        return self.scalar(value, here, name, operand)

    def scalar(self, value: Any, pointer: str, name: str, operand: Operand) -> Any:
        if value is None:
            self.fail(pointer, "must not be null (to test for no value use is_not_set)")
            return None
        try:
            normal = operand.normalise(value)
        except ValueError as error:
            self.fail(pointer, f"{name} {error}")
            return None
        if operand.kind == "enum" and operand.options and normal not in operand.options:
            self.fail(pointer, f"{name} must be one of: {', '.join(operand.options)}")
            return None
        return normal

    def fragment(self, value: Any, pointer: str) -> str | None:
        if not isinstance(value, str) or not value:
            self.fail(pointer, "must be a non-empty string")
            return None
        text = unicodedata.normalize("NFC", value)
        if len(text) > MAX_FRAGMENT:
            self.fail(pointer, f"must be at most {MAX_FRAGMENT} characters")
            return None
        return text


def _listing(properties: Mapping[str, Any], limit: int = 50) -> str:
    names = list(properties)
    shown = ", ".join(names[:limit])
    return f"{shown}, … ({len(names) - limit} more)" if len(names) > limit else shown


def _escape(segment: str) -> str:
    return segment.replace("~", "~0").replace("/", "~1")

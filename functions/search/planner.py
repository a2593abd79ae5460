"""A search request, checked against the tenant's object type and planned.

Filters are the condition language's comparisons (crm.conditions), validated per filter so every fault
points into the request (`/filter_groups/0/filters/1/value`). A filter may reach an associated record's
property through a reference property: `company.industry` on contacts follows `company_id`. The rule: a
reference property named `<x>_id` (or `<x>_ids`, a list) is reached as `<x>`, any other reference property
(a tenant's `referrer`) by its own name; the match is "some associated, active record matches".

The plan: in each AND group, the most selective filter an index serves drives, in this order:
`id` eq/in, eq (or `contains` on a list), in (fewer values first), an associated-record filter whose own
filter an index serves, starts_with or `query` (longer first), a range (gt, gte, lt, lte), is_set; ties go
to the filter written first. Everything else (neq, not_in, contains on text, ends_with, is_not_set, and
properties without an index) is evaluated on the records the driver reads. A group without a driver makes
the search read the whole collection (search.service)."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from contacts.registry import SchemaRegistry
from contacts.schema import ObjectType, Reference, References, ValidationContext, condition_values, operands
from crm import conditions, jsonio
from crm.conditions import Compare, Operand
from crm.errors import FieldError, NotFound, ValidationFailed
from search.index import (
    INDEX,
    SEP,
    TOKENS,
    TOP,
    UPDATED_AT,
    fold,
    indexed,
    is_list,
    key_kind,
    query_key,
    searchable,
    tokens,
    value_key,
)

MAX_GROUPS = 5
MAX_FILTERS = 10  # per group
SORTABLE_FIELDS = ("created_at", UPDATED_AT)
OPERATORS = ("eq", "neq", "lt", "lte", "gt", "gte", "in", "not_in", "contains", "starts_with", "ends_with")
OPERATORS += ("is_set", "is_not_set")  # the condition language's, but for changes (which need an event)


class InvalidSearch(ValidationFailed):
    """A search that does not fit the tenant's object type (a property it lacks, an operator or value the
    property's type does not take): a fault the request's schema cannot express."""

    slug = "invalid-search"


@dataclass(frozen=True)
class Association:
    name: str  # company
    via: str  # the reference property: company_id
    target: ObjectType


@dataclass(frozen=True)
class Term:
    """One filter: a comparison on the record, or on the records it refers to through `association`."""

    compare: Compare
    association: Association | None = None

    def holds(self, record: Mapping[str, Any], associated: Mapping[str, Mapping[str, Any]]) -> bool:
        if self.association is None:
            return self.compare.evaluate(condition_values(record))
        found = [associated[i] for i in references(self, record) if i in associated]
        return any(self.compare.evaluate(condition_values(target)) for target in found)


def references(term: Term, record: Mapping[str, Any]) -> list[str]:
    """The ids an associated-record term follows from this record (its reference property's value)."""
    assert term.association is not None
    value = record["properties"].get(term.association.via)
    return [v for v in (value if isinstance(value, list) else [value]) if isinstance(v, str)]


@dataclass(frozen=True)
class KeyRange:
    """Part of an index partition: one prefix, an inclusive range, or (both None) all of it."""

    prefix: str | None = None
    between: tuple[str, str] | None = None

    def bounds(self) -> tuple[str, str]:
        """The lowest and highest sort keys it may hold."""
        if self.prefix is not None:
            return self.prefix, self.prefix + TOP
        return self.between or (SEP, TOP)


@dataclass(frozen=True)
class IndexAccess:
    """Candidates from an index partition: the records its ranges hold."""

    partition: tuple[str, ...]
    ranges: tuple[KeyRange, ...]
    property: str | None  # whose order the partition holds (None: query tokens, in no useful order)
    exact: bool  # every range is one value (eq, in): within it, items are in record id order


@dataclass(frozen=True)
class IdsAccess:
    ids: tuple[str, ...]


@dataclass(frozen=True)
class AssociatedAccess:
    """Candidates through a reference index, once the associated records matching `term` are known."""

    term: Term
    target_access: IndexAccess


Access = IndexAccess | IdsAccess | AssociatedAccess


@dataclass(frozen=True)
class Order:
    property: str | None  # None: record id order, which is creation order (created_at)
    descending: bool


@dataclass(frozen=True)
class Group:
    terms: tuple[Term, ...]
    accesses: tuple[Access, ...]  # the ways to read its candidates, most selective first


@dataclass(frozen=True)
class Search:
    object_type: ObjectType
    groups: tuple[Group, ...]  # OR of ANDs; none: every record
    query: str | None  # folded, as tokens are
    order: Order
    limit: int
    fingerprint: str  # what a cursor is bound to, besides the tenant

    def matches(self, record: Mapping[str, Any], associated: Mapping[str, Mapping[str, Any]]) -> bool:
        if self.query is not None and not self._matches_query(record):
            return False
        return not self.groups or any(all(t.holds(record, associated) for t in g.terms) for g in self.groups)

    def _matches_query(self, record: Mapping[str, Any]) -> bool:
        assert self.query is not None
        return any(token.startswith(self.query) for token in tokens(self.object_type, record["properties"]))

    def associated_terms(self) -> Iterator[Term]:
        return (t for g in self.groups for t in g.terms if t.association is not None)


def plan(
    object_type: ObjectType,
    request: Mapping[str, Any],
    context: ValidationContext,
    registry: SchemaRegistry,
) -> Search:
    """The search a validated request body describes (filter_groups, sorts, query, limit), or InvalidSearch
    naming every fault at its JSON pointer. `registry`: the tenant's object types (associations reach them)."""
    links = associations(object_type, registry)
    names = _SearchOperands(operands(object_type, context), links, context)
    errors: list[FieldError] = []
    groups: list[tuple[Term, ...]] = []
    for g, raw_group in enumerate(request.get("filter_groups") or ()):
        terms = []
        for f, raw in enumerate(raw_group["filters"]):
            pointer = f"/filter_groups/{g}/filters/{f}"
            try:
                compare = conditions.parse(raw, names, pointer=pointer)
            except ValidationFailed as failed:
                errors += [_for_search(e) for e in failed.errors]
                continue
            assert isinstance(compare, Compare)  # the request model admits comparisons only
            terms.append(_term(compare, links))
        groups.append(tuple(terms))
    query = _query(object_type, request.get("query"), errors)
    order = _order(object_type, request.get("sorts") or (), errors)
    if errors:
        raise InvalidSearch(f"The search does not fit the {object_type.name} object type.", errors=errors)
    planned = tuple(Group(terms, _accesses(object_type, terms, query)) for terms in groups)
    if query is not None and not planned:
        planned = (Group((), _accesses(object_type, (), query)),)
    fingerprint = _fingerprint(object_type, groups, query, order)
    return Search(object_type, planned, query, order, int(request.get("limit") or 25), fingerprint)


# --- associations -------------------------------------------------------------------------------------


def associations(object_type: ObjectType, registry: SchemaRegistry) -> dict[str, Association]:
    """Association name -> the reference property reaching it. A property named exactly as an association
    would be wins over a `<x>_id` one."""
    found: dict[str, Association] = {}
    for name, spec in object_type.properties.items():
        if not isinstance(spec.type, Reference | References):
            continue
        link = name.removesuffix("_ids") if name.endswith("_ids") else name.removesuffix("_id")
        if link in found and found[link].via == link:
            continue
        try:
            target = registry.by_name(spec.type.target)
        except NotFound:  # a target type the tenant no longer has: nothing to reach
            continue
        found[link] = Association(link, name, target)
    return found


class _SearchOperands(Mapping[str, Operand]):
    """The object type's operands, and `<association>.<property>` for each associated type's."""

    def __init__(self, own: Mapping[str, Operand], links: dict[str, Association], context: ValidationContext):
        self._own, self._links, self._context = own, links, context

    def __getitem__(self, name: str) -> Operand:
        if name in self._own:
            return self._own[name]
        link, _, prop = name.partition(".")
        if link in self._links and prop:
            return operands(self._links[link].target, self._context)[prop]
        return self._own[name]  # a currency of a per-currency property (`lifetime_value.EUR`), or KeyError

    def __iter__(self) -> Iterator[str]:
        yield from self._own
        yield from (f"{link}.<property of {a.target.name}>" for link, a in self._links.items())

    def __len__(self) -> int:
        return len(self._own) + len(self._links)


def _for_search(error: FieldError) -> FieldError:
    """The language's advice without the operators on changes, which a search does not take."""
    return FieldError(error.pointer, error.detail.replace(", changed, changed_to", ""))


def _term(compare: Compare, links: dict[str, Association]) -> Term:
    link, dot, prop = compare.property.partition(".")
    if dot and link in links:
        return Term(Compare(prop, compare.op, compare.value, compare.kind), links[link])
    return Term(compare)


# --- query and order ----------------------------------------------------------------------------------


def _query(object_type: ObjectType, raw: Any, errors: list[FieldError]) -> str | None:
    if raw is None:
        return None
    if not searchable(object_type):
        errors.append(FieldError("/query", f"{object_type.name} records have no text properties to search"))
        return None
    return fold(raw.strip()) or None


def _order(object_type: ObjectType, sorts: Any, errors: list[FieldError]) -> Order:
    if not sorts:
        return Order(None, descending=True)  # newest first, as lists are
    prop, descending = sorts[0]["property"], sorts[0].get("direction", "asc") == "desc"
    if prop == "created_at":
        return Order(None, descending)
    sortable = {UPDATED_AT, *(p for p in indexed(object_type) if not is_list(object_type.properties[p].type))}
    if prop not in sortable:
        known = ", ".join(["created_at", *sorted(sortable)])
        errors.append(FieldError("/sorts/0/property", f"is not a property an index keeps in order; sortable: {known}"))
    return Order(prop, descending)


def _fingerprint(object_type: ObjectType, groups: list[tuple[Term, ...]], query: str | None, order: Order) -> str:
    described = {
        "object": object_type.name,
        "groups": [[[t.association.name if t.association else None, t.compare.to_json()] for t in g] for g in groups],
        "query": query,
        "order": [order.property, order.descending],
    }
    return hashlib.sha256(jsonio.dumps(described, canonical=True).encode()).hexdigest()[:24]


# --- access paths -------------------------------------------------------------------------------------


def _accesses(object_type: ObjectType, terms: tuple[Term, ...], query: str | None) -> tuple[Access, ...]:
    """The ways an index can read a group's candidates, most selective first (the rule above)."""
    ranked: list[tuple[tuple[int, int, int], Access]] = []
    for position, term in enumerate(terms):
        found = access(object_type, term)
        if found is not None:
            ranked.append(((*_rank(term, found), position), found))
    if query is not None:
        key = query_key(query)
        tokens_access = IndexAccess((TOKENS, object_type.name), (KeyRange(prefix=key),), None, exact=False)
        ranked.append(((3, -len(key), len(terms)), tokens_access))
    return tuple(found for _, found in sorted(ranked, key=lambda pair: pair[0]))


def _rank(term: Term, found: Access) -> tuple[int, int]:
    op = term.compare.op
    if isinstance(found, IdsAccess):
        return 0, len(found.ids)
    if isinstance(found, AssociatedAccess):
        return 2, 0
    if op in ("eq", "contains"):
        return 1, 1
    if op == "in":
        return 1, len(found.ranges)
    if op == "starts_with":
        return 3, -len(found.ranges[0].prefix or "")
    if op in ("gt", "gte", "lt", "lte"):
        return 4, 0
    return 5, 0


def access(object_type: ObjectType, term: Term) -> Access | None:
    """How an index serves this term, or None."""
    if term.association is not None:
        link = term.association
        target = access(link.target, Term(term.compare))
        if key_kind(object_type, link.via) is None or not isinstance(target, IndexAccess):
            return None
        return AssociatedAccess(term, target)
    compare = term.compare
    prop, op, value = compare.property, compare.op, compare.value
    if prop == "id" and op in ("eq", "in"):
        return IdsAccess(tuple(value) if op == "in" else (value,))
    kind = key_kind(object_type, prop)
    if kind is None:
        return None
    partition = (INDEX, object_type.name, prop)
    values: tuple[Any, ...] = ()
    if op == "eq" or (op == "contains" and compare.kind == "list"):
        values = (value,)
    elif op == "in":
        values = tuple(value)
    if values:
        found = [value_key(kind, v) for v in values]
        ranges = tuple(KeyRange(prefix=key + SEP) for key in sorted(set(k for k in found if k is not None)))
        return IndexAccess(partition, ranges, prop, exact=True)
    if op == "starts_with":
        return IndexAccess(partition, (KeyRange(prefix=value_key(kind, value)),), prop, exact=False)
    if op in ("gt", "gte", "lt", "lte"):
        key = value_key(kind, value)
        if key is None:
            return None
        low, high = {
            "gt": (key + SEP + TOP, TOP),
            "gte": (key, TOP),
            "lt": (SEP, key),
            "lte": (SEP, key + SEP + TOP),
        }[op]
        return IndexAccess(partition, (KeyRange(between=(low, high)),), prop, exact=False)
    if op == "is_set":
        return IndexAccess(partition, (KeyRange(),), prop, exact=False)
    return None

"""The search planner (search.planner): which filter of a group drives, and how each operator reads an index."""

from __future__ import annotations

from typing import Any

import pytest

from contacts.registry import SchemaRegistry
from contacts.schema import CONTACT, DEAL, ValidationContext
from search.index import SEP
from search.planner import AssociatedAccess, IdsAccess, IndexAccess, InvalidSearch, plan

BUILT_INS = SchemaRegistry(None)  # no tenant: the built-in object types


def _plan(object_type: Any, *filters: dict[str, Any], **extra: Any):
    body = {"filter_groups": [{"filters": list(filters)}] if filters else [], **extra}
    return plan(object_type, body, ValidationContext(), BUILT_INS)


def f(prop: str, op: str, *value: Any) -> dict[str, Any]:
    return {"property": prop, "op": op, **({"value": value[0]} if value else {})}


def test_given_a_group_then_its_index_paths_come_most_selective_first_and_unindexed_filters_have_none():
    search = _plan(
        CONTACT,
        f("updated_at", "is_set"),
        f("updated_at", "gte", "2026-01-01T00:00:00Z"),
        f("email", "starts_with", "ad"),
        f("first_name", "starts_with", "ada"),
        f("lifecycle_stage", "in", ["lead", "customer"]),
        f("company.industry", "eq", "Robotics"),
        f("owner", "eq", "sam"),
        f("phone", "eq", "+14155552671"),  # not indexed
        f("email", "neq", "x@y.io"),  # no index serves neq
        f("id", "eq", "01KDVDNA004G9WBBAHQARN6P6M"),
    )
    accesses = search.groups[0].accesses

    assert isinstance(accesses[0], IdsAccess)
    described = [
        a.partition[-1] if isinstance(a, IndexAccess) else ("company", "via")
        for a in accesses[1:]
        if not isinstance(a, IdsAccess)
    ]
    assert described == [
        "owner",
        "lifecycle_stage",
        ("company", "via"),
        "first_name",
        "email",
        "updated_at",
        "updated_at",
    ]
    assert isinstance(accesses[3], AssociatedAccess)
    assert accesses[1].ranges[0].prefix == "sam" + SEP and accesses[1].exact


def test_given_range_operators_then_each_reads_only_keys_that_may_match():
    ranges = {
        op: _plan(DEAL, f("updated_at", op, "2026-01-01T00:00:00Z")).groups[0].accesses[0].ranges[0].between
        for op in ("gt", "gte", "lt", "lte")
    }
    moment = "2026-01-01T00:00:00.000000Z"
    assert ranges["gte"][0] == moment and ranges["lt"][1] == moment
    assert ranges["gt"][0] > moment + SEP + "Z" * 26 and ranges["lte"][1] > moment + SEP + "Z" * 26


def test_given_a_query_then_it_is_a_prefix_path_of_the_token_index_and_sorts_must_be_kept_by_an_index():
    search = _plan(CONTACT, query="  ACME ", sorts=[{"property": "first_name", "direction": "desc"}])

    (access,) = search.groups[0].accesses
    assert access.partition == ("XQ", "contact") and access.ranges[0].prefix == "acme"
    assert (search.order.property, search.order.descending) == ("first_name", True)
    with pytest.raises(InvalidSearch) as refused:
        _plan(CONTACT, sorts=[{"property": "phone"}])
    assert [e.pointer for e in refused.value.errors] == ["/sorts/0/property"]


def test_given_two_searches_then_their_fingerprints_differ_and_the_same_search_keeps_its_own():
    one = _plan(CONTACT, f("owner", "eq", "sam"))
    assert one.fingerprint == _plan(CONTACT, f("owner", "eq", " sam ")).fingerprint  # normalised alike
    assert one.fingerprint != _plan(CONTACT, f("owner", "eq", "ann")).fingerprint
    assert one.fingerprint != _plan(CONTACT, f("owner", "eq", "sam"), sorts=[{"property": "updated_at"}]).fingerprint

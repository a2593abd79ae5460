"""The store's batched read against moto: one round trip, missing items absent, tenant keys only."""

import pytest

from crm.store import Put, TenantTable


def test_given_some_items_when_read_together_then_those_that_exist_come_back_in_one_call(aws):
    table = TenantTable("TENANTA")
    table.transact([Put(table.pk("W"), "1", {"n": 1}), Put(table.pk("E"), "2", {"n": 2})])
    calls = []
    table._client.meta.events.register("before-call.dynamodb.*", lambda model, **_: calls.append(model.name))

    found = table.get_many([(table.pk("W"), "1"), (table.pk("E"), "2"), (table.pk("E"), "missing")])

    assert {key: item["n"] for key, item in found.items()} == {(table.pk("W"), "1"): 1, (table.pk("E"), "2"): 2}
    assert calls == ["BatchGetItem"]


def test_given_another_tenants_key_when_read_together_then_the_table_refuses_before_any_call(aws):
    table = TenantTable("TENANTA")
    with pytest.raises(PermissionError):
        table.get_many([(table.pk("W"), "1"), ("T#TENANTB#W", "1")])


def test_given_items_read_ahead_when_each_is_got_then_it_is_served_once_and_then_read_from_the_store(aws):
    from crm.store import ReadAhead

    table = ReadAhead(TenantTable("TENANTA"))
    table.transact([Put(table.pk("R"), "1", {"n": 1}), Put(table.pk("R"), "2", {"n": 2})])
    table.read_ahead([(table.pk("R"), "1"), (table.pk("R"), "2"), (table.pk("R"), "missing"), (table.pk("R"), "")])
    TenantTable("TENANTA").transact([Put(table.pk("R"), "1", {"n": 10})])  # another writer, since
    calls = []
    table._client.meta.events.register("before-call.dynamodb.*", lambda model, **_: calls.append(model.name))

    assert [table.get(table.pk("R"), sk) for sk in ("1", "2", "missing")] == [
        {"pk": "T#TENANTA#R", "sk": "1", "n": 1},
        {"pk": "T#TENANTA#R", "sk": "2", "n": 2},
        None,
    ]
    assert calls == []  # all three served from the one read ahead
    assert table.get(table.pk("R"), "1")["n"] == 10  # once: the next read is the store's
    assert calls == ["GetItem"]
    # ... and never an item this table wrote since
    table.read_ahead([(table.pk("R"), "2")])
    table.transact([Put(table.pk("R"), "2", {"n": 20})])
    assert table.get(table.pk("R"), "2")["n"] == 20

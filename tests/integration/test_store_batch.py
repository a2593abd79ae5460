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

"""The DynamoDB adapter: value conversion, tenant key fencing and error translation (crm.store)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from botocore.exceptions import ClientError, EndpointConnectionError

from crm import store
from crm.catalogue import ENV_TABLE_NAME
from crm.errors import CrmError, ServiceUnavailable


@pytest.mark.parametrize(
    ("value", "attribute"),
    [
        (None, {"NULL": True}),
        (True, {"BOOL": True}),
        (False, {"BOOL": False}),
        ("", {"S": ""}),
        ("Zoë 🚀", {"S": "Zoë 🚀"}),
        (0, {"N": "0"}),
        (-5, {"N": "-5"}),
        (10**20, {"N": "100000000000000000000"}),
        (Decimal("1.5"), {"N": "1.5"}),
        (Decimal("1234567890123.456789"), {"N": "1234567890123.456789"}),
        (Decimal("-99999999999999999999.5"), {"N": "-99999999999999999999.5"}),
        ([], {"L": []}),
        ({}, {"M": {}}),
        ({"a": [1, {"b": None}]}, {"M": {"a": {"L": [{"N": "1"}, {"M": {"b": {"NULL": True}}}]}}}),
    ],
)
def test_given_a_json_value_when_converted_to_an_attribute_and_back_then_it_round_trips(value, attribute):
    assert store.to_attribute(value) == attribute
    back = store.from_attribute(attribute)
    assert back == value
    assert type(back) is type(value)


@pytest.mark.parametrize(
    ("attribute", "expected"),
    [
        ({"N": "1.0"}, 1),
        ({"N": "1E+2"}, 100),
        ({"N": "1.0"}, 1),
        ({"N": "0.000001"}, Decimal("0.000001")),
        ({"N": "99999999999999999999999999999999999999"}, 10**38 - 1),
        ({"N": "-2.5"}, Decimal("-2.5")),
        ({"SS": ["a", "b"]}, {"a", "b"}),
    ],
)
def test_given_a_stored_attribute_when_read_then_numbers_keep_their_kind(attribute, expected):
    value = store.from_attribute(attribute)
    assert value == expected
    assert type(value) is type(expected)


def test_given_decimals_and_tuples_when_converted_then_they_store_as_numbers_and_lists():
    assert store.to_attribute(Decimal("2.25")) == {"N": "2.25"}
    assert store.to_attribute(("a", 1)) == {"L": [{"S": "a"}, {"N": "1"}]}
    item = {"pk": "T#1", "n": 1, "m": {"x": "y"}}
    assert store.from_item(store.to_item(item)) == item


@pytest.mark.parametrize("value", [{1, 2}, object(), b"bytes"])
def test_given_a_value_dynamodb_cannot_hold_when_converted_then_it_is_a_type_error(value):
    with pytest.raises(TypeError):
        store.to_attribute(value)


def test_given_an_unknown_attribute_type_when_read_then_it_is_a_type_error():
    with pytest.raises(TypeError):
        store.from_attribute({"B": b"x"})


# --- tenant fencing ---------------------------------------------------------------------------------


class _NoClient:
    def __getattr__(self, name: str):
        raise AssertionError(f"the table must refuse before calling DynamoDB ({name})")


@pytest.fixture
def table(monkeypatch: pytest.MonkeyPatch) -> store.TenantTable:
    monkeypatch.setenv(ENV_TABLE_NAME, "t")
    return store.TenantTable("ABC", client=_NoClient())


def test_given_a_tenant_table_when_it_builds_keys_then_they_start_with_the_tenant(table):
    assert table.pk() == "T#ABC"
    assert table.pk("R", "contact") == "T#ABC#R#contact"
    assert table.owns("T#ABC") and table.owns("T#ABC#E")


@pytest.mark.parametrize("pk", ["T#ABD#R#contact", "T#ABCD", "T#ABCD#R#contact", "T#AB", "SYSTEM#TENANTS", "", "t#ABC"])
def test_given_a_key_outside_the_tenant_when_used_then_the_table_refuses_it(table, pk):
    assert not table.owns(pk)
    with pytest.raises(PermissionError):
        table.get(pk, "x")
    with pytest.raises(PermissionError):
        table.query(pk, limit=1)
    with pytest.raises(PermissionError):
        table.transact([store.Put("T#ABC#R#contact", "1", {}), store.Check(pk, "x", condition="attribute_exists(pk)")])


@pytest.mark.parametrize("tenant_id", ["", "A#B", "#"])
def test_given_an_invalid_tenant_id_when_a_table_is_made_then_it_is_refused(monkeypatch, tenant_id):
    monkeypatch.setenv(ENV_TABLE_NAME, "t")
    with pytest.raises(ValueError):
        store.TenantTable(tenant_id, client=_NoClient())


# --- errors -----------------------------------------------------------------------------------------


def _client_error(code: str, **extra) -> ClientError:
    return ClientError({"Error": {"Code": code, "Message": f"botocore says {code}"}, **extra}, "TransactWriteItems")


def test_given_a_cancelled_transaction_when_translated_then_the_failed_conditions_and_items_are_named():
    error = _client_error(
        "TransactionCanceledException",
        CancellationReasons=[
            {"Code": "None"},
            {"Code": "ConditionalCheckFailed", "Item": {"record_id": {"S": "R1"}}},
            {"Code": "ConditionalCheckFailed"},
        ],
    )
    translated = store._translate(error)
    assert isinstance(translated, store.ConditionsFailed)
    assert translated.failed == [1, 2]
    assert translated.items == {1: {"record_id": "R1"}}


@pytest.mark.parametrize(
    "error",
    [
        _client_error("ThrottlingException"),
        _client_error("ProvisionedThroughputExceededException"),
        _client_error("TransactionCanceledException", CancellationReasons=[{"Code": "TransactionConflict"}]),
        _client_error("TransactionCanceledException", CancellationReasons=[{"Code": "None"}]),
        EndpointConnectionError(endpoint_url="https://dynamodb"),
    ],
)
def test_given_throttling_or_an_unreachable_store_when_translated_then_it_is_a_retryable_503(error):
    translated = store._translate(error)
    assert isinstance(translated, ServiceUnavailable)
    assert translated.status == 503
    assert "botocore" not in translated.detail


def test_given_any_other_client_error_when_translated_then_it_is_a_500_without_botocore_text():
    translated = store._translate(_client_error("ValidationException"))
    assert type(translated) is CrmError
    assert translated.status == 500
    assert "botocore" not in str(translated.to_problem()) and "ValidationException" not in str(translated.to_problem())


def test_given_a_failed_single_condition_when_translated_then_it_is_conditions_failed_at_zero():
    error = ClientError({"Error": {"Code": "ConditionalCheckFailedException"}, "Item": {"v": {"N": "2"}}}, "PutItem")
    translated = store._translate(error)
    assert isinstance(translated, store.ConditionsFailed)
    assert (translated.failed, translated.items) == ([0], {0: {"v": 2}})

"""The contacts adapter to the condition language (contacts.schema.operands / condition_values): every
property and system field of a record, described by its own type, with comparison values normalised
exactly as writes normalise them."""

from __future__ import annotations

import dataclasses
from decimal import Decimal

import pytest

from contacts.schema import (
    BUILTIN_OBJECT_TYPES,
    CONTACT,
    CURRENCY_CODES,
    DEAL,
    LIFECYCLE_STAGES,
    SYSTEM_FIELDS,
    Choice,
    DateTime,
    InvalidValue,
    ValidationContext,
    condition_values,
    operands,
    validate_properties,
)
from crm import conditions, outbox
from crm.errors import ValidationFailed

US = ValidationContext()
ULID_A = "01ARZ3NDEKTSV4RRFFQ69G5FAV"
ULID_B = "01BX5ZZKBKACTAV9WEVGEMMVRZ"


def _record(properties: dict, **system: str | None) -> dict:
    """A record in its API form (as the service returns it and change events carry it)."""
    return {
        "id": ULID_A,
        "object": "contact",
        "properties": properties,
        "version": 1,
        "created_at": "2026-03-15T10:00:00.000Z",
        "updated_at": "2026-03-16T08:30:00.000Z",
        "archived_at": None,
        **system,
    }


@pytest.mark.parametrize("object_type", BUILTIN_OBJECT_TYPES.values(), ids=lambda t: t.name)
def test_given_an_object_type_then_operands_cover_its_properties_and_the_system_fields(object_type):
    found = operands(object_type)
    assert set(found) == set(object_type.properties) | {"id", "created_at", "updated_at", "archived_at"}
    assert set(SYSTEM_FIELDS) == {"id", "created_at", "updated_at", "archived_at"}
    assert all(operand.kind in conditions.KINDS for operand in found.values())


@pytest.mark.parametrize(
    ("object_type", "name", "kind"),
    [
        (CONTACT, "email", "text"),
        (CONTACT, "phone", "text"),
        (CONTACT, "first_name", "text"),
        (CONTACT, "lifecycle_stage", "enum"),
        (CONTACT, "company_id", "text"),
        (CONTACT, "id", "text"),
        (CONTACT, "created_at", "datetime"),
        (CONTACT, "updated_at", "datetime"),
        (CONTACT, "archived_at", "datetime"),
        (DEAL, "amount", "number"),
        (DEAL, "currency", "enum"),
        (DEAL, "close_date", "date"),
        (DEAL, "contact_ids", "list"),
    ],
)
def test_given_a_property_then_its_operand_has_the_kind_of_its_type(object_type, name, kind):
    assert operands(object_type)[name].kind == kind


def test_given_enumerations_then_their_operands_list_the_allowed_values():
    assert operands(CONTACT)["lifecycle_stage"].options == LIFECYCLE_STAGES
    currency = operands(DEAL)["currency"].options
    assert set(currency) == CURRENCY_CODES and list(currency) == sorted(currency)
    assert operands(CONTACT)["email"].options == ()


@pytest.mark.parametrize(
    ("object_type", "name", "raw"),
    [
        (CONTACT, "email", "  Ana@X.IO "),
        (CONTACT, "phone", "(415) 555-2671"),
        (CONTACT, "first_name", "  Jose\u0301 "),
        (CONTACT, "lifecycle_stage", " Lead"),
        (CONTACT, "company_id", ULID_A.lower()),
        (DEAL, "amount", "1250.50"),
        (DEAL, "amount", 1e3),
        (DEAL, "currency", "usd"),
        (DEAL, "close_date", "2026-03-15T10:00:00Z"),
    ],
)
def test_given_a_comparison_value_then_it_is_normalised_exactly_as_a_write_stores_it(object_type, name, raw):
    stored = validate_properties(object_type, {name: raw}, US, for_create=False)[name]
    condition = conditions.parse({"property": name, "op": "eq", "value": raw}, operands(object_type))
    assert isinstance(condition, conditions.Compare)
    assert condition.value == stored and type(condition.value) is type(stored)
    assert condition.evaluate({name: stored}) is True


def test_given_a_list_of_references_then_comparison_values_are_single_ids_normalised_like_its_elements():
    stored = validate_properties(DEAL, {"contact_ids": [ULID_A.lower(), ULID_B]}, US, for_create=False)
    condition = conditions.parse({"property": "contact_ids", "op": "contains", "value": ULID_B.lower()}, operands(DEAL))
    assert isinstance(condition, conditions.Compare)
    assert condition.value == ULID_B
    assert condition.evaluate(stored) is True


@pytest.mark.parametrize(
    ("object_type", "raw", "detail"),
    [
        (CONTACT, {"property": "email", "op": "eq", "value": "nope"}, "email is not a valid email address"),
        (CONTACT, {"property": "phone", "op": "eq", "value": "12"}, "phone is not a valid phone number"),
        (
            CONTACT,
            {"property": "lifecycle_stage", "op": "in", "value": ["lead", "vip"]},
            "lifecycle_stage must be one of",
        ),
        (DEAL, {"property": "amount", "op": "gt", "value": "1e22"}, "amount must be below 1e21"),
        (DEAL, {"property": "currency", "op": "eq", "value": "EURO"}, "currency must be an ISO 4217 currency code"),
        (DEAL, {"property": "contact_ids", "op": "contains", "value": "x"}, "contact_ids must be the id of a contact"),
        (DEAL, {"property": "created_at", "op": "lt", "value": "yesterday"}, "created_at must be a date-time"),
    ],
)
def test_given_a_value_a_write_would_refuse_when_parsed_then_it_is_refused_with_the_write_s_reason(
    object_type, raw, detail
):
    with pytest.raises(ValidationFailed) as caught:
        conditions.parse({"all": [raw]}, operands(object_type), pointer="/trigger/conditions")
    [error] = caught.value.errors
    pointer = "/trigger/conditions/all/0/value" + ("/1" if raw["op"] == "in" else "")
    assert error.pointer == pointer
    assert detail in error.detail


def test_given_an_unknown_property_when_parsed_then_the_known_ones_are_listed_system_fields_included():
    with pytest.raises(ValidationFailed) as caught:
        conditions.parse({"property": "emial", "op": "is_set"}, operands(CONTACT))
    [error] = caught.value.errors
    assert error.pointer == "/property"
    assert "email, first_name, last_name" in error.detail and "created_at" in error.detail


def test_given_an_operator_the_type_cannot_take_when_parsed_then_it_is_refused_at_the_op():
    with pytest.raises(ValidationFailed) as caught:
        conditions.parse({"property": "lifecycle_stage", "op": "gt", "value": "lead"}, operands(CONTACT))
    assert [e.pointer for e in caught.value.errors] == ["/op"]


@pytest.mark.parametrize(
    ("raw", "normal"),
    [
        ("2026-03-15T12:00:00+02:00", "2026-03-15T10:00:00.000Z"),
        ("2026-03-15T10:00Z", "2026-03-15T10:00:00.000Z"),
        (" 2026-03-15T10:00:00.5Z ", "2026-03-15T10:00:00.500Z"),
        ("2026-03-15T10:00:00.123456Z", "2026-03-15T10:00:00.123456Z"),
        ("2026-03-15", "2026-03-15T00:00:00.000Z"),
    ],
)
def test_given_a_date_time_then_it_is_normalised_to_utc_like_the_records_timestamps(raw, normal):
    assert DateTime().normalise(raw, US) == normal


@pytest.mark.parametrize("raw", ["2026-03-15T10:00:00", "20260315", "2026-W11-7", "2026-02-30", 1773568800, None])
def test_given_a_date_time_without_a_zone_or_in_another_form_then_it_is_refused(raw):
    with pytest.raises(InvalidValue):
        DateTime().normalise(raw, US)


def test_given_a_record_then_condition_values_hold_its_properties_and_system_fields():
    record = _record({"email": "ana@x.io", "lifecycle_stage": "lead"})
    assert condition_values(record) == {
        "email": "ana@x.io",
        "lifecycle_stage": "lead",
        "id": ULID_A,
        "created_at": "2026-03-15T10:00:00.000Z",
        "updated_at": "2026-03-16T08:30:00.000Z",
        "archived_at": None,
    }


def test_given_a_trigger_on_a_contact_event_when_evaluated_then_properties_system_fields_and_changes_are_read():
    before = {"email": "ana@x.io", "lifecycle_stage": "lead"}
    after = {"email": "ana@x.io", "lifecycle_stage": "customer"}
    event = outbox.envelope(
        tenant_id="T1",
        event_type="contact.updated",
        object_name="contact",
        record_id=ULID_A,
        data=_record(after),
        changes=outbox.diff(before, after),
    )
    condition = conditions.parse(
        {
            "all": [
                {"property": "email", "op": "ends_with", "value": "@X.IO"},
                {"property": "lifecycle_stage", "op": "changed_to", "value": "Customer"},
                {"property": "created_at", "op": "gte", "value": "2026-03-15"},
                {"property": "archived_at", "op": "is_not_set"},
                {"property": "id", "op": "eq", "value": ULID_A.lower()},
            ]
        },
        operands(CONTACT),
        pointer="/trigger/conditions",
    )
    assert condition.evaluate(condition_values(event["data"]), event["changes"]) is True
    assert condition.evaluate(condition_values(event["data"]), {}) is False  # no longer a change
    assert conditions.fields(condition) == {"email", "lifecycle_stage", "created_at", "archived_at", "id"}


def test_given_a_property_type_then_describing_it_to_conditions_adds_no_field_and_changes_no_equality():
    assert [f.name for f in dataclasses.fields(Choice)] == ["name", "options", "labels"]
    assert Choice(options=("a",)) == Choice(options=("a",))
    assert Choice.condition_kind == "enum"


def test_given_a_deal_amount_when_compared_then_numbers_compare_exactly_like_stored_ones():
    stored = validate_properties(DEAL, {"amount": "12345678901234567.000001"}, US, for_create=False)
    assert stored["amount"] == Decimal("12345678901234567.000001")
    over = conditions.parse({"property": "amount", "op": "gt", "value": "12345678901234567"}, operands(DEAL))
    assert over.evaluate(stored) is True

"""The shared condition language (crm.conditions): parsing with JSON-pointer errors, normalised values,
evaluation semantics per operator and kind, change operators, round trips and never-raising evaluation.

The operands here are small stand-ins written for the test (the platform knows no object type); the
contacts adapter over the real property types is specified in tests/unit/contacts/test_operands.py."""

from __future__ import annotations

import dataclasses
import string
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crm import jsonio, outbox
from crm.conditions import (
    KINDS,
    MAX_COMPARISONS,
    MAX_DEPTH,
    MAX_ERRORS,
    MAX_LIST_VALUES,
    OPERATORS,
    OPERATORS_BY_KIND,
    AllOf,
    AnyOf,
    Compare,
    Condition,
    Not,
    fields,
    parse,
)
from crm.errors import ValidationFailed

# --- stand-in operands --------------------------------------------------------------------------------


def _text(value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValueError("must be a non-empty string")
    return unicodedata.normalize("NFC", value).strip()


def _email(value: Any) -> str:
    if not isinstance(value, str) or "@" not in value:
        raise ValueError("is not a valid email address")
    return value.strip().lower()


def _number(value: Any) -> int | Decimal:
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal | str):
        raise ValueError("must be a number")
    try:
        number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    except ArithmeticError:
        raise ValueError("must be a number") from None
    if not number.is_finite():
        raise ValueError("must be a finite number")
    return int(number) if number == number.to_integral_value() else number.normalize()


def _day(value: Any) -> str:
    try:
        return date.fromisoformat(value).isoformat()
    except (TypeError, ValueError):
        raise ValueError("must be a date as YYYY-MM-DD") from None


def _moment(value: Any) -> str:
    try:
        moment = datetime.fromisoformat(value)
    except (TypeError, ValueError):
        raise ValueError("must be a date-time") from None
    if moment.tzinfo is None:
        raise ValueError("must have a time zone")
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _boolean(value: Any) -> bool:
    if not isinstance(value, bool):
        raise ValueError("must be true or false")
    return value


def _stage(value: Any) -> str:
    if not isinstance(value, str) or value.strip().lower() not in STAGES:
        raise ValueError(f"must be one of: {', '.join(STAGES)}")
    return value.strip().lower()


def _id(value: Any) -> str:
    if not isinstance(value, str) or len(value.strip()) != 26:
        raise ValueError("must be the id of a contact")
    return value.strip().upper()


@dataclass(frozen=True)
class FakeOperand:
    kind: str
    normaliser: Callable[[Any], Any]
    options: tuple[str, ...] = ()

    def normalise(self, value: Any) -> Any:
        return self.normaliser(value)


STAGES = ("lead", "customer", "other")
A, B, C = "01ARZ3NDEKTSV4RRFFQ69G5FAV", "01BX5ZZKBKACTAV9WEVGEMMVRZ", "01HZZZZZZZZZZZZZZZZZZZZZZZ"

PROPS: dict[str, FakeOperand] = {
    "email": FakeOperand("text", _email),
    "name": FakeOperand("text", _text),
    "amount": FakeOperand("number", _number),
    "close_date": FakeOperand("date", _day),
    "seen_at": FakeOperand("datetime", _moment),
    "vip": FakeOperand("boolean", _boolean),
    "stage": FakeOperand("enum", _stage, STAGES),
    "contact_ids": FakeOperand("list", _id),
    "company.industry": FakeOperand("text", _text),
}

RECORD: dict[str, Any] = {
    "email": "ana@x.io",
    "name": "Ana Lima",
    "amount": Decimal("1250.5"),
    "close_date": "2026-03-15",
    "seen_at": "2026-03-15T10:00:00.000Z",
    "vip": True,
    "stage": "lead",
    "contact_ids": [A, B],
}

_ABSENT = object()


def leaf(prop: str, op: str, value: Any = _ABSENT) -> dict[str, Any]:
    raw: dict[str, Any] = {"property": prop, "op": op}
    if value is not _ABSENT:
        raw["value"] = value
    return raw


def holds(raw: dict[str, Any], record: Any = None, changes: Any = None) -> bool:
    return parse(raw, PROPS).evaluate(RECORD if record is None else record, changes)


def refusal(raw: Any, *, pointer: str = "") -> list[tuple[str, str]]:
    with pytest.raises(ValidationFailed) as caught:
        parse(raw, PROPS, pointer=pointer)
    assert caught.value.status == 422
    return [(e.pointer, e.detail) for e in caught.value.errors]


# --- the operator table -------------------------------------------------------------------------------


def test_given_the_operator_table_then_it_covers_every_kind_with_only_known_operators():
    assert set(OPERATORS_BY_KIND) == set(KINDS)
    assert len(OPERATORS) == 15
    for kind, ops in OPERATORS_BY_KIND.items():
        assert set(ops) <= set(OPERATORS), kind
        assert {"eq", "neq", "is_set", "is_not_set", "changed", "changed_to"} <= set(ops), kind
    assert {op for ops in OPERATORS_BY_KIND.values() for op in ops} == set(OPERATORS)


@pytest.mark.parametrize(
    ("kind", "refused"),
    [
        ("text", {"gt", "gte", "lt", "lte"}),
        ("number", {"contains", "starts_with", "ends_with"}),
        ("date", {"contains", "starts_with", "ends_with"}),
        ("datetime", {"contains", "starts_with", "ends_with"}),
        ("boolean", {"gt", "gte", "lt", "lte", "in", "not_in", "contains", "starts_with", "ends_with"}),
        ("enum", {"gt", "gte", "lt", "lte", "contains", "starts_with", "ends_with"}),
        ("list", {"gt", "gte", "lt", "lte", "starts_with", "ends_with"}),
    ],
)
def test_given_a_kind_then_exactly_the_meaningless_operators_are_left_out(kind, refused):
    assert set(OPERATORS) - set(OPERATORS_BY_KIND[kind]) == refused


def test_given_the_operator_table_then_it_cannot_be_changed_by_a_caller():
    with pytest.raises(TypeError):
        OPERATORS_BY_KIND["text"] = ()  # type: ignore[index]


# --- parsing: shapes and normalised values ------------------------------------------------------------


def test_given_groups_and_comparisons_when_parsed_then_the_tree_has_the_same_shape():
    condition = parse(
        {"all": [leaf("name", "is_set"), {"any": [leaf("vip", "eq", True), {"not": leaf("stage", "eq", "other")}]}]},
        PROPS,
    )
    assert condition == AllOf(
        (
            Compare("name", "is_set", None, "text"),
            AnyOf((Compare("vip", "eq", True, "boolean"), Not(Compare("stage", "eq", "other", "enum")))),
        )
    )


@pytest.mark.parametrize(
    ("raw", "normal"),
    [
        (leaf("email", "eq", "  ANA@X.IO "), "ana@x.io"),
        (leaf("name", "eq", " Ana "), "Ana"),
        (leaf("amount", "gt", "1250.50"), Decimal("1250.5")),
        (leaf("amount", "gt", 1.5), Decimal("1.5")),
        (leaf("amount", "lte", "1e3"), 1000),
        (leaf("close_date", "lt", "2026-03-15"), "2026-03-15"),
        (leaf("seen_at", "gte", "2026-03-15T12:00:00+02:00"), "2026-03-15T10:00:00.000Z"),
        (leaf("stage", "eq", " Lead"), "lead"),
        (leaf("contact_ids", "contains", A.lower()), A),
        (leaf("stage", "changed_to", "CUSTOMER"), "customer"),
    ],
)
def test_given_a_comparison_value_when_parsed_then_it_is_normalised_by_the_operand(raw, normal):
    condition = parse(raw, PROPS)
    assert isinstance(condition, Compare)
    assert condition.value == normal
    assert type(condition.value) is type(normal)


def test_given_in_with_repeats_when_parsed_then_each_value_is_normalised_once_in_the_order_given():
    condition = parse(leaf("email", "in", ["B@X.IO", "a@x.io", "b@x.io"]), PROPS)
    assert isinstance(condition, Compare)
    assert condition.value == ("b@x.io", "a@x.io")


def test_given_a_text_fragment_when_parsed_then_it_is_kept_as_typed_apart_from_nfc():
    decomposed = "Jose\u0301 "
    condition = parse(leaf("email", "starts_with", decomposed), PROPS)
    assert isinstance(condition, Compare)
    assert condition.value == "José "  # not lower-cased, not stripped, not validated as an email


def test_given_a_dotted_property_the_caller_lists_when_parsed_then_it_is_accepted():
    assert fields(parse(leaf("company.industry", "eq", "Software"), PROPS)) == {"company.industry"}


# --- parsing: faults, each with its pointer -----------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "pointer", "detail"),
    [
        ([], "/c", "must be an object"),
        ("email", "/c", "must be an object"),
        ({}, "/c", "must have one of the keys all, any, not or property"),
        ({"all": [leaf("vip", "is_set")], "any": [leaf("vip", "is_set")]}, "/c", "exactly one of all, any, not"),
        ({"all": [leaf("vip", "is_set")], **leaf("vip", "is_set")}, "/c", "either a comparison or a group"),
        ({"all": {}}, "/c/all", "must be a list of conditions"),
        ({"any": []}, "/c/any", "must list at least one condition"),
        ({"not": []}, "/c/not", "must be an object"),
        ({"all": [leaf("vip", "is_set")], "when": 1}, "/c/when", "is not a known key here; allowed: all"),
        ({**leaf("name", "eq", "x"), "values": ["x"]}, "/c/values", "allowed: property, op, value"),
        ({**leaf("name", "eq", "x"), "a/b~c": 1}, "/c/a~1b~0c", "is not a known key"),
        ({"op": "eq", "value": "x"}, "/c/property", "is required"),
        (leaf(5, "eq", "x"), "/c/property", "must be a string"),  # type: ignore[arg-type]
        (leaf("nmae", "eq", "x"), "/c/property", "unknown property; known: email, name, amount"),
        (leaf("company.name", "eq", "x"), "/c/property", "unknown property"),
        ({"property": "name", "value": "x"}, "/c/op", "is required"),
        (leaf("name", ["eq"], "x"), "/c/op", "must be a string"),  # type: ignore[arg-type]
        (leaf("name", "equals", "x"), "/c/op", "unknown operator; one of: eq, neq, gt"),
        (leaf("stage", "gt", "lead"), "/c/op", "gt does not apply to stage (enum); use one of: eq, neq, in"),
        (leaf("vip", "lt", True), "/c/op", "lt does not apply to vip (boolean)"),
        (leaf("vip", "in", [True]), "/c/op", "in does not apply to vip (boolean)"),
        (leaf("amount", "starts_with", "1"), "/c/op", "starts_with does not apply to amount (number)"),
        (leaf("close_date", "contains", "2026"), "/c/op", "contains does not apply to close_date (date)"),
        (leaf("name", "gte", "M"), "/c/op", "gte does not apply to name (text)"),
        (leaf("contact_ids", "ends_with", "Z"), "/c/op", "ends_with does not apply to contact_ids (list)"),
        (leaf("name", "eq"), "/c/value", "is required for eq"),
        (leaf("name", "changed_to"), "/c/value", "is required for changed_to"),
        (leaf("name", "is_set", "x"), "/c/value", "is_set takes no value"),
        (leaf("name", "is_not_set", None), "/c/value", "is_not_set takes no value"),
        (leaf("name", "changed", "x"), "/c/value", "changed takes no value"),
        (leaf("name", "eq", None), "/c/value", "must not be null (to test for no value use is_not_set)"),
        (leaf("name", "eq", ["x", "y"]), "/c/value", "eq takes a single value (use in for one of several values)"),
        (leaf("name", "neq", {"x": 1}), "/c/value", "neq takes a single value"),
        (leaf("name", "in", "x"), "/c/value", "in takes a list of values"),
        (leaf("name", "not_in", []), "/c/value", "must list at least one value"),
        (leaf("name", "in", ["x"] * (MAX_LIST_VALUES + 1)), "/c/value", "may list at most 100 values"),
        (leaf("email", "in", ["a@x.io", "nope"]), "/c/value/1", "email is not a valid email address"),
        (leaf("email", "eq", "nope"), "/c/value", "email is not a valid email address"),
        (leaf("email", "changed_to", "nope"), "/c/value", "email is not a valid email address"),
        (leaf("stage", "eq", "vip"), "/c/value", "stage must be one of: lead, customer, other"),
        (leaf("amount", "gt", "a lot"), "/c/value", "amount must be a number"),
        (leaf("amount", "gt", True), "/c/value", "amount must be a number"),
        (leaf("vip", "eq", "yes"), "/c/value", "vip must be true or false"),
        (leaf("close_date", "lt", "15/03/2026"), "/c/value", "close_date must be a date as YYYY-MM-DD"),
        (leaf("seen_at", "lt", "2026-03-15T10:00:00"), "/c/value", "seen_at must have a time zone"),
        (leaf("contact_ids", "contains", "x"), "/c/value", "contact_ids must be the id of a contact"),
        (leaf("name", "contains", ""), "/c/value", "must be a non-empty string"),
        (leaf("name", "ends_with", 5), "/c/value", "must be a non-empty string"),
        (leaf("name", "starts_with", "x" * 1001), "/c/value", "must be at most 1000 characters"),
    ],
)
def test_given_a_faulty_condition_when_parsed_then_the_fault_is_named_at_its_pointer(raw, pointer, detail):
    errors = refusal(raw, pointer="/c")
    assert len(errors) == 1, errors
    assert errors[0][0] == pointer
    assert detail in errors[0][1]


def test_given_a_workflow_trigger_when_parsed_then_pointers_lead_into_the_request_body():
    raw = {"all": [leaf("email", "eq", "ANA@X.IO"), leaf("email", "eq", "nope")]}
    assert refusal(raw, pointer="/trigger/conditions") == [
        ("/trigger/conditions/all/1/value", "email is not a valid email address")
    ]


def test_given_no_pointer_when_parsed_then_pointers_start_at_the_root():
    assert refusal([]) == [("", 'must be an object: {"all": [...]}, {"any": [...]}, {"not": {...}} or a comparison')]
    assert refusal({"all": [leaf("name", "eq")]})[0][0] == "/all/0/value"


def test_given_several_faults_deep_in_the_tree_when_parsed_then_each_is_reported_in_document_order():
    raw = {
        "any": [
            {"not": {"all": [leaf("name", "eq", "ok"), leaf("stage", "gt", "lead")]}},
            leaf("colour", "eq", "red"),
            {"all": []},
            {**leaf("email", "eq", "nope"), "extra": True},
        ]
    }
    assert [pointer for pointer, _ in refusal(raw, pointer="/branch")] == [
        "/branch/any/0/not/all/1/op",
        "/branch/any/1/property",
        "/branch/any/2/all",
        "/branch/any/3/extra",
        "/branch/any/3/value",
    ]


def test_given_an_unknown_property_and_an_unknown_operator_when_parsed_then_both_are_reported():
    assert [p for p, _ in refusal(leaf("colour", "like", "red"))] == ["/property", "/op"]


def _nested_nots(levels: int) -> dict[str, Any]:
    raw: dict[str, Any] = leaf("vip", "is_set")
    for _ in range(levels):
        raw = {"not": raw}
    return raw


def test_given_nesting_of_exactly_the_limit_when_parsed_then_it_is_accepted():
    condition = parse(_nested_nots(MAX_DEPTH - 1), PROPS)  # nine groups and the comparison: ten levels
    assert condition.evaluate(RECORD) is False  # an odd number of nots over a true comparison


def test_given_nesting_beyond_the_limit_when_parsed_then_the_node_too_deep_is_named():
    assert refusal(_nested_nots(MAX_DEPTH)) == [("/not" * MAX_DEPTH, "nests more than 10 levels deep")]


def test_given_the_most_comparisons_allowed_when_parsed_then_it_is_accepted():
    condition = parse({"any": [leaf("amount", "eq", n) for n in range(MAX_COMPARISONS)]}, PROPS)
    assert len(fields(condition)) == 1
    assert isinstance(condition, AnyOf) and len(condition.conditions) == MAX_COMPARISONS


def test_given_one_comparison_too_many_when_parsed_then_the_whole_condition_is_refused_at_its_root():
    raw = {"all": [leaf("amount", "eq", 1)] * 50 + [{"any": [leaf("amount", "eq", 2)] * 51}]}
    assert refusal(raw, pointer="/conditions") == [("/conditions", "has more than 100 comparisons")]


def test_given_a_huge_list_of_comparisons_when_parsed_then_it_is_refused_once_at_its_root():
    assert refusal({"all": [leaf("vip", "is_set")] * 1_000_000}) == [("", "has more than 100 comparisons")]


def test_given_a_huge_list_of_scalars_when_parsed_then_at_most_the_error_limit_is_reported():
    errors = refusal({"all": list(range(1_000_000))})
    assert len(errors) == MAX_ERRORS
    assert errors[0] == ("/all/0", 'must be an object: {"all": [...]}, {"any": [...]}, {"not": {...}} or a comparison')


def test_given_a_huge_number_of_faults_when_parsed_then_at_most_the_error_limit_is_reported():
    errors = refusal({"all": [{}] * 10_000})
    assert len(errors) == MAX_ERRORS
    assert errors[0] == ("/all/0", "must have one of the keys all, any, not or property")


# --- evaluation: every operator over every kind ---------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        # text: equality is exact on the normalised value; fragments compare case-insensitively
        (leaf("name", "eq", "Ana Lima"), True),
        (leaf("name", "eq", "  Ana Lima "), True),
        (leaf("name", "eq", "ana lima"), False),
        (leaf("name", "neq", "Bo"), True),
        (leaf("name", "neq", "Ana Lima"), False),
        (leaf("name", "in", ["Bo", "Ana Lima"]), True),
        (leaf("name", "in", ["Bo", "ana lima"]), False),
        (leaf("name", "not_in", ["Bo"]), True),
        (leaf("name", "not_in", ["Bo", "Ana Lima"]), False),
        (leaf("name", "contains", "A LI"), True),
        (leaf("name", "contains", "xyz"), False),
        (leaf("name", "starts_with", "ana"), True),
        (leaf("name", "starts_with", "Lima"), False),
        (leaf("name", "ends_with", "LIMA"), True),
        (leaf("name", "ends_with", "Ana"), False),
        (leaf("name", "is_set"), True),
        (leaf("name", "is_not_set"), False),
        (leaf("email", "eq", "ANA@X.IO"), True),
        (leaf("email", "ends_with", "@X.io"), True),
        (leaf("email", "ends_with", "@acme.com"), False),
        # number: exact, whatever form the value was written in
        (leaf("amount", "eq", "1250.50"), True),
        (leaf("amount", "eq", 1250.5), True),
        (leaf("amount", "eq", 1250), False),
        (leaf("amount", "neq", 1), True),
        (leaf("amount", "neq", "1250.5"), False),
        (leaf("amount", "gt", 1000), True),
        (leaf("amount", "gt", "1250.5"), False),
        (leaf("amount", "gte", "1250.50"), True),
        (leaf("amount", "gte", "1250.51"), False),
        (leaf("amount", "lt", 2000), True),
        (leaf("amount", "lt", "1250.5"), False),
        (leaf("amount", "lte", Decimal("1250.5")), True),
        (leaf("amount", "lte", "1250.499999"), False),
        (leaf("amount", "in", [1, "1250.5"]), True),
        (leaf("amount", "in", [1, 2]), False),
        (leaf("amount", "not_in", [1, 2]), True),
        (leaf("amount", "not_in", [1250.5]), False),
        (leaf("amount", "is_set"), True),
        # date: calendar days
        (leaf("close_date", "eq", "2026-03-15"), True),
        (leaf("close_date", "neq", "2026-03-15"), False),
        (leaf("close_date", "gt", "2026-03-14"), True),
        (leaf("close_date", "gt", "2026-03-15"), False),
        (leaf("close_date", "gte", "2026-03-15"), True),
        (leaf("close_date", "lt", "2026-04-01"), True),
        (leaf("close_date", "lte", "2026-03-14"), False),
        (leaf("close_date", "in", ["2026-01-01", "2026-03-15"]), True),
        (leaf("close_date", "not_in", ["2026-03-15"]), False),
        # datetime: instants, whatever the offset
        (leaf("seen_at", "eq", "2026-03-15T12:00:00+02:00"), True),
        (leaf("seen_at", "neq", "2026-03-15T10:00:00Z"), False),
        (leaf("seen_at", "gt", "2026-03-15T09:59:59.999Z"), True),
        (leaf("seen_at", "gt", "2026-03-15T10:00:00Z"), False),
        (leaf("seen_at", "gte", "2026-03-15T10:00:00Z"), True),
        (leaf("seen_at", "lt", "2026-03-15T05:00:01-05:00"), True),
        (leaf("seen_at", "lte", "2026-03-15T09:00:00Z"), False),
        (leaf("seen_at", "in", ["2026-03-15T10:00:00+00:00"]), True),
        (leaf("seen_at", "not_in", ["2026-01-01T00:00:00Z"]), True),
        # boolean
        (leaf("vip", "eq", True), True),
        (leaf("vip", "eq", False), False),
        (leaf("vip", "neq", False), True),
        (leaf("vip", "neq", True), False),
        (leaf("vip", "is_not_set"), False),
        # enum
        (leaf("stage", "eq", "LEAD"), True),
        (leaf("stage", "eq", "customer"), False),
        (leaf("stage", "neq", "customer"), True),
        (leaf("stage", "in", ["customer", "lead"]), True),
        (leaf("stage", "in", ["customer"]), False),
        (leaf("stage", "not_in", ["customer"]), True),
        (leaf("stage", "not_in", ["lead"]), False),
        # list: any element matches eq / contains / in; neq / not_in need no element to match
        (leaf("contact_ids", "eq", A.lower()), True),
        (leaf("contact_ids", "eq", C), False),
        (leaf("contact_ids", "contains", B), True),
        (leaf("contact_ids", "contains", C), False),
        (leaf("contact_ids", "in", [C, A]), True),
        (leaf("contact_ids", "in", [C]), False),
        (leaf("contact_ids", "neq", C), True),
        (leaf("contact_ids", "neq", A), False),
        (leaf("contact_ids", "not_in", [C]), True),
        (leaf("contact_ids", "not_in", [C, B]), False),
        (leaf("contact_ids", "is_set"), True),
        (leaf("contact_ids", "is_not_set"), False),
    ],
)
def test_given_the_record_when_a_comparison_is_evaluated_then_it_holds_as_specified(raw, expected):
    assert holds(raw) is expected


@pytest.mark.parametrize(
    "stored",
    [1250.5, "1250.50", " 1250.5 ", Decimal("1250.500"), "1.2505e3"],
)
def test_given_a_number_stored_in_another_form_when_compared_then_it_is_read_exactly(stored):
    assert holds(leaf("amount", "eq", "1250.5"), {"amount": stored}) is True
    assert holds(leaf("amount", "gt", "1250.49"), {"amount": stored}) is True


def test_given_an_int_and_a_decimal_of_the_same_value_when_compared_then_they_are_equal():
    assert holds(leaf("amount", "eq", "1000.0"), {"amount": 1000}) is True
    assert holds(leaf("amount", "in", [1000]), {"amount": Decimal("1E+3")}) is True


def test_given_numbers_beyond_float_precision_when_compared_then_they_compare_exactly():
    record = {"amount": Decimal("12345678901234567.000001")}
    assert holds(leaf("amount", "gt", "12345678901234567"), record) is True
    assert holds(leaf("amount", "eq", "12345678901234567"), record) is False


def test_given_a_datetime_stored_without_milliseconds_or_zone_when_compared_then_it_is_the_same_instant():
    assert holds(leaf("seen_at", "eq", "2026-03-15T10:00:00Z"), {"seen_at": "2026-03-15T10:00:00Z"}) is True
    assert holds(leaf("seen_at", "eq", "2026-03-15T10:00:00Z"), {"seen_at": "2026-03-15T10:00:00"}) is True


def test_given_a_date_stored_as_a_date_time_when_compared_then_its_day_is_compared():
    assert holds(leaf("close_date", "eq", "2026-03-15"), {"close_date": "2026-03-15T23:00:00Z"}) is True


def test_given_accented_and_special_case_text_when_a_fragment_is_compared_then_case_is_folded():
    assert holds(leaf("name", "contains", "STRASSE"), {"name": "Hauptstraße 1"}) is True
    assert holds(leaf("name", "starts_with", "ÉMI"), {"name": "émilie"}) is True
    assert holds(leaf("name", "starts_with", "E\u0301mi"), {"name": "Émilie"}) is True  # NFD typed, NFC stored


def _value_operators() -> list[dict[str, Any]]:
    samples = {
        "name": "Ana",
        "amount": 1,
        "close_date": "2026-01-01",
        "seen_at": "2026-01-01T00:00:00Z",
        "vip": True,
        "stage": "lead",
        "contact_ids": A,
    }
    cases = []
    for prop, sample in samples.items():
        for op in OPERATORS_BY_KIND[PROPS[prop].kind]:
            if op in ("is_set", "is_not_set", "changed", "changed_to"):
                continue
            cases.append(leaf(prop, op, [sample] if op in ("in", "not_in") else sample))
    return cases


@pytest.mark.parametrize("raw", _value_operators(), ids=lambda raw: f"{raw['property']}-{raw['op']}")
@pytest.mark.parametrize("stored", [_ABSENT, None, "", []], ids=["missing", "null", "empty-text", "empty-list"])
def test_given_a_property_that_is_not_set_when_compared_then_every_comparison_is_false_neq_included(raw, stored):
    record = {} if stored is _ABSENT else {raw["property"]: stored}
    assert holds(raw, record) is False
    assert holds(leaf(raw["property"], "is_set"), record) is False
    assert holds(leaf(raw["property"], "is_not_set"), record) is True


@pytest.mark.parametrize(
    ("prop", "stored"),
    [
        ("name", 5),
        ("amount", "a lot"),
        ("amount", True),
        ("amount", float("nan")),
        ("amount", Decimal("Infinity")),
        ("close_date", "soon"),
        ("seen_at", "2026-13-45T00:00:00Z"),
        ("vip", 1),
        ("stage", ["lead"]),
        ("contact_ids", [{"id": A}]),
    ],
)
def test_given_a_stored_value_of_the_wrong_type_when_compared_then_no_comparison_holds(prop, stored):
    for raw in _value_operators():
        if raw["property"] == prop:
            assert holds(raw, {prop: stored}) is False, raw


def test_given_a_single_value_stored_where_a_list_is_expected_when_compared_then_it_is_a_list_of_one():
    assert holds(leaf("contact_ids", "contains", A), {"contact_ids": A}) is True


def test_given_neq_when_the_property_may_be_empty_then_any_with_is_not_set_says_differs_or_is_empty():
    differs_or_empty = {"any": [leaf("stage", "neq", "customer"), leaf("stage", "is_not_set")]}
    assert holds(differs_or_empty, {}) is True
    assert holds(differs_or_empty, {"stage": "lead"}) is True
    assert holds(differs_or_empty, {"stage": "customer"}) is False


def test_given_a_dotted_property_when_evaluated_then_a_flat_key_or_a_nested_object_is_read():
    raw = leaf("company.industry", "eq", "Software")
    assert holds(raw, {"company.industry": "Software"}) is True
    assert holds(raw, {"company": {"industry": "Software"}}) is True
    assert holds(raw, {"company": "Software"}) is False
    assert holds(raw, {}) is False


# --- groups ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ({"all": [leaf("vip", "eq", True), leaf("stage", "eq", "lead")]}, True),
        ({"all": [leaf("vip", "eq", True), leaf("stage", "eq", "customer")]}, False),
        ({"any": [leaf("vip", "eq", False), leaf("stage", "eq", "lead")]}, True),
        ({"any": [leaf("vip", "eq", False), leaf("stage", "eq", "customer")]}, False),
        ({"not": leaf("vip", "eq", True)}, False),
        ({"not": {"not": leaf("vip", "eq", True)}}, True),
        ({"not": leaf("stage", "neq", "lead")}, True),
        (
            {
                "all": [
                    {"any": [leaf("amount", "gt", 5000), leaf("email", "ends_with", "@x.io")]},
                    leaf("name", "is_set"),
                ]
            },
            True,
        ),
    ],
)
def test_given_groups_when_evaluated_then_all_any_and_not_combine_their_parts(raw, expected):
    assert holds(raw) is expected


def test_given_not_over_a_comparison_with_a_missing_value_when_evaluated_then_it_is_true():
    assert holds({"not": leaf("stage", "eq", "lead")}, {}) is True


# --- changed / changed_to read the event's changes (crm.outbox.diff) -----------------------------------


def test_given_an_update_when_changed_is_evaluated_then_only_the_changed_properties_are_true():
    changes = outbox.diff({"stage": "lead", "name": "Ana"}, {"stage": "customer", "name": "Ana"})
    record = {"stage": "customer", "name": "Ana"}
    assert holds(leaf("stage", "changed"), record, changes) is True
    assert holds(leaf("name", "changed"), record, changes) is False


@pytest.mark.parametrize(
    ("before", "after", "raw", "expected"),
    [
        ({"stage": "lead"}, {"stage": "customer"}, leaf("stage", "changed_to", "CUSTOMER"), True),
        ({"stage": "lead"}, {"stage": "customer"}, leaf("stage", "changed_to", "lead"), False),
        ({}, {"stage": "lead"}, leaf("stage", "changed_to", "lead"), True),  # a create: from nothing
        ({"stage": "lead"}, {}, leaf("stage", "changed_to", "lead"), False),  # removed
        ({"email": "a@x.io"}, {"email": "ana@x.io"}, leaf("email", "changed_to", "ANA@X.IO"), True),
        ({"amount": 1}, {"amount": Decimal("2.50")}, leaf("amount", "changed_to", "2.5"), True),
        (
            {"seen_at": None},
            {"seen_at": "2026-03-15T10:00:00.000Z"},
            leaf("seen_at", "changed_to", "2026-03-15T11:00:00+01:00"),
            True,
        ),
        ({"contact_ids": [A]}, {"contact_ids": [A, B]}, leaf("contact_ids", "changed_to", B), True),  # B added
        ({"contact_ids": [A]}, {"contact_ids": [A, B]}, leaf("contact_ids", "changed_to", A), False),  # A was there
        ({"contact_ids": [A]}, {"contact_ids": [A, B]}, leaf("contact_ids", "changed"), True),
    ],
)
def test_given_a_property_diff_then_changed_to_holds_when_the_new_value_matches_and_the_old_did_not(
    before, after, raw, expected
):
    assert holds(raw, after, outbox.diff(before, after)) is expected


@pytest.mark.parametrize(
    "changes",
    [
        None,
        {},
        [],
        "stage",
        {"stage": "customer"},
        {"stage": {"new": "customer"}},
        {"stage": None},
        {"other": {"old": 1, "new": 2}},
    ],
)
def test_given_no_changes_or_changes_of_another_shape_when_change_operators_are_evaluated_then_they_are_false(changes):
    record = {"stage": "customer"}
    assert holds(leaf("stage", "changed"), record, changes) is False
    assert holds(leaf("stage", "changed_to", "customer"), record, changes) is False


def test_given_changes_when_value_comparisons_are_evaluated_then_they_read_the_record_not_the_changes():
    changes = outbox.diff({"stage": "lead"}, {"stage": "customer"})
    assert holds(leaf("stage", "eq", "lead"), {"stage": "customer"}, changes) is False


# --- fields, identity, serialisation ------------------------------------------------------------------


def test_given_a_condition_then_fields_lists_every_property_it_reads_once():
    condition = parse(
        {
            "all": [
                leaf("email", "ends_with", "@x.io"),
                {"not": {"any": [leaf("stage", "changed"), leaf("amount", "gt", 5), leaf("email", "is_set")]}},
            ]
        },
        PROPS,
    )
    assert fields(condition) == frozenset({"email", "stage", "amount"})


def test_given_two_parses_of_the_same_json_then_the_conditions_are_equal_hashable_and_immutable():
    raw = {"any": [leaf("email", "eq", "ANA@X.IO"), leaf("amount", "in", ["1.50", 2])]}
    first, second = parse(raw, PROPS), parse(raw, PROPS)
    assert first == second and hash(first) == hash(second)
    assert len({first, second}) == 1
    assert first != parse({"any": [leaf("email", "eq", "bo@x.io"), leaf("amount", "in", ["1.50", 2])]}, PROPS)
    comparison = first.conditions[0]  # type: ignore[union-attr]
    with pytest.raises(dataclasses.FrozenInstanceError):
        comparison.value = "bo@x.io"  # type: ignore[misc]


def test_given_a_condition_when_serialised_then_it_is_canonical_normalised_json():
    condition = parse(
        {
            "all": [
                {"value": " ANA@X.IO", "op": "eq", "property": "email"},
                leaf("amount", "in", ["1.50", 2, "2.0"]),
                {"not": leaf("stage", "is_set")},
            ]
        },
        PROPS,
    )
    assert condition.to_json() == {
        "all": [
            {"property": "email", "op": "eq", "value": "ana@x.io"},
            {"property": "amount", "op": "in", "value": [Decimal("1.5"), 2]},
            {"not": {"property": "stage", "op": "is_set"}},
        ]
    }
    assert jsonio.dumps(condition.to_json(), canonical=True) == (
        '{"all":[{"op":"eq","property":"email","value":"ana@x.io"},'
        '{"op":"in","property":"amount","value":[1.5,2]},{"not":{"op":"is_set","property":"stage"}}]}'
    )


def test_given_a_serialised_condition_when_parsed_again_then_it_is_the_same_condition():
    condition = parse({"any": [leaf("seen_at", "gte", "2026-03-15T12:00:00+02:00"), leaf("vip", "eq", False)]}, PROPS)
    assert parse(condition.to_json(), PROPS) == condition
    assert parse(jsonio.loads(jsonio.dumps(condition.to_json())), PROPS) == condition


@pytest.mark.parametrize("record", [None, [], "record", 42, {"vip": True, "stage": object()}])
def test_given_a_record_that_is_no_mapping_or_holds_odd_values_when_evaluated_then_it_answers_without_raising(record):
    condition = parse({"any": [leaf("vip", "eq", True), leaf("stage", "in", ["lead"]), leaf("name", "is_set")]}, PROPS)
    assert isinstance(condition.evaluate(record), bool)  # type: ignore[arg-type]


# --- properties of every condition (Hypothesis) -------------------------------------------------------

FAST = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])

_VALUES: dict[str, st.SearchStrategy[Any]] = {
    "email": st.builds(
        lambda a, b: f"{a}@{b}.io",
        st.text(string.ascii_letters, min_size=1),
        st.text(string.ascii_lowercase, min_size=1),
    ),
    "name": st.text(min_size=1, max_size=12).filter(lambda t: t.strip()),
    "company.industry": st.sampled_from(["Software", "Retail", " Banking "]),
    "amount": st.integers(-(10**20), 10**20)
    | st.decimals(allow_nan=False, allow_infinity=False, places=4, min_value=-(10**9), max_value=10**9)
    | st.sampled_from(["1.50", "1e3", "-0.25"]),
    "close_date": st.dates().map(date.isoformat),
    "seen_at": st.datetimes(timezones=st.just(UTC)).map(datetime.isoformat),
    "vip": st.booleans(),
    "stage": st.sampled_from([*STAGES, "LEAD", " Customer "]),
    "contact_ids": st.sampled_from([A, B, C, A.lower()]),
}


@st.composite
def _comparisons(draw: st.DrawFn) -> dict[str, Any]:
    prop = draw(st.sampled_from(sorted(PROPS)))
    op = draw(st.sampled_from(OPERATORS_BY_KIND[PROPS[prop].kind]))
    if op in ("is_set", "is_not_set", "changed"):
        return leaf(prop, op)
    if op in ("in", "not_in"):
        return leaf(prop, op, draw(st.lists(_VALUES[prop], min_size=1, max_size=4)))
    if op in ("contains", "starts_with", "ends_with") and PROPS[prop].kind != "list":
        return leaf(prop, op, draw(st.text(min_size=1, max_size=8)))
    return leaf(prop, op, draw(_VALUES[prop]))


def _trees(depth: int) -> st.SearchStrategy[dict[str, Any]]:
    if depth == 4:
        return _comparisons()
    child = _trees(depth + 1)
    return st.one_of(
        _comparisons(),
        st.lists(child, min_size=1, max_size=3).map(lambda parts: {"all": parts}),
        st.lists(child, min_size=1, max_size=3).map(lambda parts: {"any": parts}),
        child.map(lambda part: {"not": part}),
    )


raw_conditions = _trees(1)
conditions = raw_conditions.map(lambda raw: parse(raw, PROPS))

json_scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.decimals(allow_nan=True, allow_infinity=True)
    | st.text()
    | st.sampled_from([A, "lead", "2026-03-15", "2026-03-15T10:00:00Z", "1e999999999", "NaN", "", "-0"])
)
json_values = st.recursive(
    json_scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=10,
)
records = st.dictionaries(st.sampled_from([*PROPS, "company", "other"]), json_values, max_size=10) | json_values
change_sets = (
    st.dictionaries(st.sampled_from(sorted(PROPS)), st.fixed_dictionaries({"old": json_values, "new": json_values}))
    | json_values
)


@FAST
@given(conditions)
def test_any_condition_parses_back_from_its_json_unchanged(condition: Condition):
    assert parse(condition.to_json(), PROPS) == condition
    assert parse(jsonio.loads(jsonio.dumps(condition.to_json())), PROPS) == condition
    assert fields(condition) <= set(PROPS)


@FAST
@given(conditions, records, change_sets)
def test_any_condition_over_any_record_and_changes_evaluates_to_a_boolean_without_raising(condition, record, changes):
    outcome = condition.evaluate(record, changes)
    assert outcome is True or outcome is False
    assert Not(condition).evaluate(record, changes) is (not outcome)


@FAST
@given(json_values)
def test_any_json_as_a_condition_is_a_condition_or_a_validation_failure_with_pointers(raw):
    try:
        condition = parse(raw, PROPS, pointer="/c")
    except ValidationFailed as error:
        assert error.errors
        assert all(e.pointer.startswith("/c") for e in error.errors)
        return
    assert parse(condition.to_json(), PROPS) == condition

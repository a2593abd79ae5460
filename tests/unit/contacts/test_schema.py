"""Property normalisation and validation of record properties (contacts.schema)."""

from __future__ import annotations

import math
from decimal import Decimal

import pytest

from contacts.schema import (
    COMPANY,
    CONTACT,
    DEAL,
    MAX_REFERENCES,
    Choice,
    Currency,
    Day,
    Domain,
    Email,
    InvalidValue,
    Number,
    Phone,
    Reference,
    References,
    Text,
    ValidationContext,
    validate_properties,
)
from crm.errors import ValidationFailed

US = ValidationContext()
ULID_A = "01ARZ3NDEKTSV4RRFFQ69G5FAV"
ULID_B = "01BX5ZZKBKACTAV9WEVGEMMVRZ"


def _pointers(error: pytest.ExceptionInfo[ValidationFailed]) -> list[str]:
    return [e.pointer for e in error.value.errors]


# --- emails -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (" Ada@Example.COM ", "ada@example.com"),
        ("José@Example.com", "josé@example.com"),
        ("a@exämple.com", "a@exämple.com"),
        ("A@EXÄMPLE.COM", "a@exämple.com"),
        ("a@xn--exmple-cua.com", "a@exämple.com"),  # the ASCII form of an IDN is the same address
        ("first.last+tag@sub.example.co.uk", "first.last+tag@sub.example.co.uk"),
    ],
)
def test_given_an_email_when_normalised_then_it_is_trimmed_lower_cased_and_canonical(raw, expected):
    assert Email().normalise(raw, US) == expected


@pytest.mark.parametrize(
    "raw",
    ["nope", "", "   ", "a@b", "a@localhost", "a b@example.com", "@example.com", "a@", "a@[127.0.0.1]", 5, ["a"]],
)
def test_given_something_that_is_not_an_email_when_normalised_then_it_is_refused(raw):
    with pytest.raises(InvalidValue):
        Email().normalise(raw, US)


# --- phones -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "region", "expected"),
    [
        ("(415) 555-2671", "US", "+14155552671"),
        ("415.555.2671", "US", "+14155552671"),
        ("+1 415 555 2671", "GB", "+14155552671"),  # an explicit country code wins over the region
        ("020 7946 0018", "GB", "+442079460018"),
        ("+44 20 7946 0018", "US", "+442079460018"),
        ("030 123456", "DE", "+4930123456"),
    ],
)
def test_given_a_phone_and_a_default_region_when_normalised_then_it_is_e164(raw, region, expected):
    assert Phone().normalise(raw, ValidationContext(default_region=region)) == expected


def test_given_a_national_number_of_another_region_when_normalised_then_the_error_names_the_region():
    with pytest.raises(InvalidValue, match="read as US"):
        Phone().normalise("020 7946 0018", US)


@pytest.mark.parametrize("raw", ["555", "abc", "", "+1", "1" * 300, 4155552671, None])
def test_given_something_that_is_not_a_phone_when_normalised_then_it_is_refused(raw):
    with pytest.raises(InvalidValue):
        Phone().normalise(raw, US)


# --- domains ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("example.com", "example.com"),
        (" Example.COM ", "example.com"),
        ("www.example.com", "example.com"),
        ("WWW.EXAMPLE.COM.", "example.com"),
        ("https://www.example.com/about?x=1#team", "example.com"),
        ("http://user:secret@shop.example.com:8080/", "shop.example.com"),
        ("example.com/", "example.com"),
        ("exämple.com", "xn--exmple-cua.com"),
        ("xn--exmple-cua.com", "xn--exmple-cua.com"),
        ("例え.jp", "xn--r8jz45g.jp"),
        # IDNA 2008 (as browsers and email-validator read it): straße.de is not strasse.de
        ("straße.de", "xn--strae-oqa.de"),
        ("xn--strae-oqa.de", "xn--strae-oqa.de"),
    ],
)
def test_given_a_domain_url_or_idn_when_normalised_then_it_is_the_bare_ascii_host(raw, expected):
    assert Domain().normalise(raw, US) == expected


@pytest.mark.parametrize(
    "raw", ["localhost", "", "http://", "-bad.com", "bad-.com", "a_b.com", "a..com", "xn--zz.com", "ex ample.com", 7]
)
def test_given_something_that_is_not_a_domain_when_normalised_then_it_is_refused(raw):
    with pytest.raises(InvalidValue):
        Domain().normalise(raw, US)


# --- currencies, dates, choices, text ---------------------------------------------------------------


@pytest.mark.parametrize(("raw", "expected"), [("USD", "USD"), ("eur", "EUR"), (" jpy ", "JPY")])
def test_given_an_iso_4217_code_when_normalised_then_it_is_upper_case(raw, expected):
    assert Currency().normalise(raw, US) == expected


@pytest.mark.parametrize("raw", ["XYZ", "US", "dollar", "", 840, None])
def test_given_an_unknown_currency_when_normalised_then_it_is_refused(raw):
    with pytest.raises(InvalidValue, match="ISO 4217"):
        Currency().normalise(raw, US)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2026-01-31", "2026-01-31"),
        (" 2024-02-29 ", "2024-02-29"),
        ("2026-03-31T23:59:59Z", "2026-03-31"),
        ("2026-03-31T00:00:00+02:00", "2026-03-31"),
    ],
)
def test_given_a_date_or_timestamp_when_normalised_then_it_is_yyyy_mm_dd(raw, expected):
    assert Day().normalise(raw, US) == expected


@pytest.mark.parametrize("raw", ["2026-02-30", "2025-02-29", "31/01/2026", "tomorrow", "", 20260101, None])
def test_given_something_that_is_not_a_date_when_normalised_then_it_is_refused(raw):
    with pytest.raises(InvalidValue, match="YYYY-MM-DD"):
        Day().normalise(raw, US)


def test_given_a_choice_in_another_case_when_normalised_then_it_is_the_option():
    choice = Choice(options=("lead", "customer"))
    assert choice.normalise(" Lead ", US) == "lead"
    with pytest.raises(InvalidValue, match="one of: lead, customer"):
        choice.normalise("vip", US)
    with pytest.raises(InvalidValue):
        choice.normalise(1, US)


def test_given_text_when_normalised_then_it_is_trimmed_and_bounded():
    text = Text(max_length=5)
    assert text.normalise("  hello ", US) == "hello"
    assert text.normalise("Zoë🚀", US) == "Zoë🚀"  # length counts characters, not bytes
    for bad in ("", "   ", "toolong", 5, None, ["x"]):
        with pytest.raises(InvalidValue):
            text.normalise(bad, US)


# --- numbers ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (0, 0),
        (1, 1),
        (2.0, 2),
        (1.5, Decimal("1.5")),
        ("12.50", Decimal("12.5")),
        (" 7 ", 7),
        ("1e2", 100),
        (Decimal("3.25"), Decimal("3.25")),
        (0.000001, Decimal("0.000001")),
        (10**20, 10**20),
        (999_999_999_999_999_999_999, 999_999_999_999_999_999_999),
        (Decimal("1234567890123.456789"), Decimal("1234567890123.456789")),
        (Decimal("99999999999999999999.5"), Decimal("99999999999999999999.5")),
        (Decimal("0E+999999999"), 0),
    ],
)
def test_given_a_number_when_normalised_then_it_is_exact(raw, expected):
    value = Number(minimum=Decimal(0)).normalise(raw, US)
    assert value == expected
    assert type(value) is type(expected)  # whole numbers come back as int, fractions as exact Decimals
    assert str(value) == str(expected)  # digit for digit, never rounded to a float


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (True, "must be a number"),
        (False, "must be a number"),
        ("abc", "must be a number"),
        ("", "must be a number"),
        (None, "must be a number"),
        ([1], "must be a number"),
        ({"v": 1}, "must be a number"),
        (math.nan, "finite"),
        (math.inf, "finite"),
        ("-Infinity", "must be a number"),
        ("NaN", "must be a number"),
        ("1_000", "must be a number"),
        ("0x10", "must be a number"),
        (10**21, "below 1e21"),
        (1e300, "below 1e21"),
        (Decimal("1e999999999"), "below 1e21"),
        ("1e9999", "below 1e21"),
        ("1e99999", "must be a number"),
        (1e-7, "6 decimal places"),
        (0.1 + 0.2, "6 decimal places"),
        (-1, "at least 0"),
        ("-0.5", "at least 0"),
    ],
)
def test_given_a_bool_nan_huge_or_negative_when_normalised_as_an_amount_then_it_is_refused(raw, message):
    with pytest.raises(InvalidValue, match=message):
        Number(minimum=Decimal(0)).normalise(raw, US)


# --- references -------------------------------------------------------------------------------------


def test_given_a_lower_case_ulid_when_normalised_as_a_reference_then_it_is_upper_case():
    assert Reference(target="company").normalise(f" {ULID_A.lower()} ", US) == ULID_A


@pytest.mark.parametrize("raw", ["not-an-id", "", ULID_A[:-1], ULID_A + "0", "01ARZ3NDEKTSV4RRFFQ69G5FAI", 12, None])
def test_given_something_that_is_not_a_ulid_when_normalised_as_a_reference_then_it_is_refused(raw):
    with pytest.raises(InvalidValue, match="id of a company"):
        Reference(target="company").normalise(raw, US)


def test_given_a_list_of_references_with_repeats_when_normalised_then_repeats_are_dropped_in_order():
    refs = References(target="contact")
    assert refs.normalise([ULID_B, ULID_A.lower(), ULID_A, ULID_B], US) == [ULID_B, ULID_A]
    assert refs.normalise([], US) == []


@pytest.mark.parametrize("raw", [ULID_A, [ULID_A, "nope"], [1], None, [ULID_A] * (MAX_REFERENCES + 1)])
def test_given_a_bad_list_of_references_when_normalised_then_it_is_refused(raw):
    with pytest.raises(InvalidValue):
        References(target="contact").normalise(raw, US)


def test_given_deal_properties_when_asked_for_references_then_each_target_is_listed():
    props = {"name": "x", "contact_ids": [ULID_A, ULID_B], "company_id": ULID_B}
    assert DEAL.references(props) == [
        ("contact_ids", "contact", ULID_A),
        ("contact_ids", "contact", ULID_B),
        ("company_id", "company", ULID_B),
    ]


# --- validate_properties ----------------------------------------------------------------------------


def test_given_valid_contact_properties_when_validated_for_create_then_they_are_normalised_and_nulls_dropped():
    clean = validate_properties(
        CONTACT,
        {"email": " Ada@Example.com", "phone": "(415) 555-2671", "lifecycle_stage": "Lead", "owner": None},
        US,
        for_create=True,
    )
    assert clean == {"email": "ada@example.com", "phone": "+14155552671", "lifecycle_stage": "lead"}


def test_given_several_bad_properties_when_validated_then_every_error_is_reported_at_once_with_pointers():
    with pytest.raises(ValidationFailed) as error:
        validate_properties(
            DEAL,
            {"amount": -1, "currency": "XYZ", "close_date": "soon", "colour": "red", "contact_ids": "x"},
            US,
            for_create=True,
        )
    assert error.value.status == 422
    assert _pointers(error) == [
        "/properties/amount",
        "/properties/currency",
        "/properties/close_date",
        "/properties/colour",
        "/properties/contact_ids",
        "/properties/name",  # missing, reported alongside the invalid ones
    ]
    details = {e.pointer: e.detail for e in error.value.errors}
    assert details["/properties/amount"] == "Amount must be at least 0"
    assert "unknown property for deal" in details["/properties/colour"]
    assert details["/properties/name"] == "is required"


@pytest.mark.parametrize(
    ("name", "pointer"),
    [("a/b", "/properties/a~1b"), ("m~n", "/properties/m~0n"), ("~/", "/properties/~0~1"), ("é x", "/properties/é x")],
)
def test_given_an_unknown_property_with_special_characters_when_validated_then_the_pointer_is_escaped(name, pointer):
    with pytest.raises(ValidationFailed) as error:
        validate_properties(CONTACT, {"email": "a@b.co", name: 1}, US, for_create=True)
    assert _pointers(error) == [pointer]


@pytest.mark.parametrize("properties", [[], "x", 5, None])
def test_given_properties_that_are_not_an_object_when_validated_then_the_pointer_is_properties(properties):
    with pytest.raises(ValidationFailed) as error:
        validate_properties(CONTACT, properties, US, for_create=True)
    assert _pointers(error) == ["/properties"]


@pytest.mark.parametrize("properties", [{}, {"owner": "me"}, {"email": None}])
def test_given_a_contact_without_any_identifying_property_when_created_then_it_is_refused(properties):
    with pytest.raises(ValidationFailed) as error:
        validate_properties(CONTACT, properties, US, for_create=True)
    assert _pointers(error) == ["/properties"]
    assert "email, first_name, last_name, phone" in error.value.errors[0].detail


def test_given_an_update_when_validated_then_nulls_are_kept_as_removals_and_nothing_is_required():
    assert validate_properties(CONTACT, {"phone": None, "owner": "me"}, US, for_create=False) == {
        "phone": None,
        "owner": "me",
    }
    assert validate_properties(DEAL, {"amount": 5}, US, for_create=False) == {"amount": 5}


def test_given_an_update_removing_a_required_property_when_validated_then_it_is_refused():
    with pytest.raises(ValidationFailed) as error:
        validate_properties(DEAL, {"name": None}, US, for_create=False)
    assert [e.to_dict() for e in error.value.errors] == [
        {"pointer": "/properties/name", "detail": "is required and cannot be removed"}
    ]


def test_given_a_company_when_validated_then_the_domain_is_normalised_and_marked_unique():
    clean = validate_properties(COMPANY, {"domain": "https://www.Acme.com/x"}, US, for_create=True)
    assert clean == {"domain": "acme.com"}
    assert COMPANY.unique_properties == ("domain",)
    assert CONTACT.unique_properties == ("email",)
    assert DEAL.unique_properties == ()

"""Property-based specifications for every parser and validator at the edge: whatever arbitrary or
adversarial value arrives, the outcome is an exact round trip or a clean refusal of the documented
kind — never another exception (which would surface as a 500)."""

from __future__ import annotations

import base64
import json
import string
import unicodedata
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from contacts.schema import (
    CONTACT,
    DEAL,
    Day,
    Domain,
    Email,
    InvalidValue,
    Phone,
    Reference,
    ValidationContext,
    exact_number,
    validate_properties,
)
from crm import cursor, jsonio
from crm.errors import BadRequest, InvalidCursor, ValidationFailed
from crm.idempotency import IdempotencyKey
from crm.text import InvalidText, clean_text

FAST = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
US = ValidationContext()

# Values a JSON body can carry, including the awkward ones.
json_scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.integers(min_value=-(10**60), max_value=10**60)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.decimals(allow_nan=True, allow_infinity=True)
    | st.text()
    | st.sampled_from(["1e999999999", "-0", "1_000", "NaN", "0x10", " 7 ", "\uff11\uff12", "1e", ".5", "5.", "\x00"])
)
json_values = st.recursive(
    json_scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=12,
)


# --- numbers ------------------------------------------------------------------------------------------


@FAST
@given(json_scalars)
def test_any_value_as_a_number_is_exact_or_refused(value):
    try:
        number = exact_number(value)
    except InvalidValue:
        return
    assert isinstance(number, int | Decimal) and not isinstance(number, bool)
    assert abs(number) < Decimal("1e21")
    # What is stored is written back digit for digit, and reads back as the same number.
    assert jsonio.loads(jsonio.dumps({"n": number}))["n"] == number


@FAST
@given(st.decimals(min_value=Decimal("-1e21"), max_value=Decimal("1e21"), places=6, allow_nan=False))
def test_every_amount_within_the_limits_round_trips_through_json_exactly(amount):
    if abs(amount) >= Decimal("1e21"):
        return
    text = jsonio.dumps({"amount": amount})
    parsed = exact_number(jsonio.loads(text)["amount"])
    assert parsed == amount
    assert jsonio.loads(jsonio.dumps({"amount": parsed}))["amount"] == amount


# --- text ---------------------------------------------------------------------------------------------


@FAST
@given(st.one_of(st.text(), st.text(alphabet=st.characters(max_codepoint=0x9F)), json_scalars))
def test_any_value_as_text_is_clean_nfc_text_or_refused(value):
    try:
        text = clean_text(value, max_length=200)
    except InvalidText:
        return
    assert text == unicodedata.normalize("NFC", text) == text.strip()
    assert 0 < len(text) <= 200
    assert not any(ord(c) < 0x20 and c not in "\t\n" for c in text)
    assert not any(0x7F <= ord(c) <= 0x9F for c in text)
    assert clean_text(text, max_length=200) == text  # idempotent: clean text stays as it is


# --- property values (every built-in type) -------------------------------------------------------------


@FAST
@given(
    st.sampled_from([CONTACT, DEAL]),
    st.dictionaries(st.sampled_from([*CONTACT.properties, *DEAL.properties, "x"]), json_scalars, max_size=6),
)
def test_any_properties_are_normalised_or_refused_with_pointers(object_type, properties):
    try:
        clean = validate_properties(object_type, properties, US, for_create=True)
    except ValidationFailed as refused:
        assert refused.errors and all(e.pointer.startswith("/properties") for e in refused.errors)
        return
    # Normalising a clean value again changes nothing.
    again = validate_properties(object_type, {k: v for k, v in clean.items()}, US, for_create=True)
    assert again == clean


@FAST
@given(json_scalars)
def test_any_value_for_each_typed_property_is_normalised_or_refused(value):
    for kind in (Email(), Phone(), Day(), Domain(), Reference(target="company")):
        try:
            normal = kind.normalise(value, US)
        except InvalidValue:
            continue
        assert kind.normalise(normal, US) == normal


@FAST
@given(st.text(alphabet="0123456789-T:Z+. W", max_size=30))
def test_any_date_text_is_an_iso_date_or_refused(text):
    try:
        day = Day().normalise(text, US)
    except InvalidValue:
        return
    assert len(day) == 10 and day[4] == day[7] == "-"


# --- JSON bodies --------------------------------------------------------------------------------------


@FAST
@given(st.one_of(st.text(), st.binary(), json_values.map(lambda v: json.dumps(v, default=str))))
def test_any_body_text_is_json_or_a_rejection(text):
    try:
        value = jsonio.loads(text)
    except jsonio.JsonRejected as rejected:
        assert str(rejected)
        return
    assert jsonio.loads(jsonio.dumps(value)) == value


@FAST
@given(st.dictionaries(st.text(max_size=5), st.integers(), min_size=1, max_size=4), st.data())
def test_a_repeated_key_is_always_named(obj, data):
    key = data.draw(st.sampled_from(sorted(obj)))
    text = json.dumps(obj)[:-1] + f", {json.dumps(key)}: 1}}"
    try:
        jsonio.loads(text)
    except jsonio.JsonRejected as rejected:
        assert repr(key) in str(rejected)
    else:
        raise AssertionError("a duplicated key was accepted")


# --- cursors ------------------------------------------------------------------------------------------


@FAST
@given(st.one_of(st.text(max_size=300), st.binary(max_size=300).map(lambda b: base64.urlsafe_b64encode(b).decode())))
def test_any_cursor_decodes_to_a_position_or_is_an_invalid_cursor(token):
    try:
        position = cursor.decode(token, "T1", "contacts")
    except InvalidCursor:
        return
    assert isinstance(position, str)


@FAST
@given(st.text(min_size=1, max_size=200), st.sampled_from(["T1", "T2"]))
def test_a_cursor_only_works_for_its_own_tenant(position, tenant):
    token = cursor.encode("T1", "contacts", position)
    if tenant == "T1":
        assert cursor.decode(token, tenant, "contacts") == position or len(position.encode()) > 1024
    else:
        try:
            cursor.decode(token, tenant, "contacts")
        except InvalidCursor:
            return
        raise AssertionError("another tenant's cursor was accepted")


# --- headers ------------------------------------------------------------------------------------------


bodies = st.recursive(
    st.none() | st.booleans() | st.integers() | st.decimals(allow_nan=False, allow_infinity=False) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=12,
)


@FAST
@given(st.text(max_size=300), bodies)
def test_any_idempotency_key_header_is_a_key_or_a_bad_request(header, body):
    try:
        key = IdempotencyKey.from_request(header, "POST", "/contacts", body)
    except BadRequest:
        return
    assert key is not None and set(key.key) <= set(string.printable) and " " not in key.key


@FAST
@given(st.text(max_size=40))
def test_any_if_match_header_is_a_version_or_a_precondition_failure(header):
    from crm import http
    from crm.errors import PreconditionFailed

    try:
        version = http.parse_if_match(header)
    except PreconditionFailed:
        return
    assert version is None or (isinstance(version, int) and version >= 0)


# --- datetimes (a webhook replay window) -------------------------------------------------------------


def _recent_or_any() -> st.SearchStrategy[datetime]:
    """Mostly times within the event log's reach (so windows are accepted), some anywhere at all."""
    recent = st.integers(0, 40 * 86400).map(lambda s: datetime.now(UTC) - timedelta(seconds=s))
    anywhere = st.datetimes(timezones=st.timezones() | st.just(UTC))
    return st.one_of(recent, recent, anywhere)


@FAST
@given(_recent_or_any(), st.none() | _recent_or_any())
def test_any_aware_replay_window_is_a_utc_id_range_or_a_422_at_the_field(since, until):
    from webhooks.service import _replay_window

    try:
        first, last, start, end = _replay_window(since, until)
    except ValidationFailed as refused:
        assert [e.pointer for e in refused.errors] in (["/since"], ["/until"])
        return
    assert start.tzinfo == UTC and end.tzinfo == UTC and start < end
    assert len(first) == len(last) == 26 and first < last

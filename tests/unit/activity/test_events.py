"""Behavioural events on their own (activity.events): checked with pointers, identified by what they are,
and folded into computed properties in any order."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from activity import events
from crm.errors import ValidationFailed

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


def _pointers(raw: dict) -> list[str]:
    with pytest.raises(ValidationFailed) as refused:
        events.check(raw, pointer="/events/2", now=NOW)
    return [e.pointer for e in refused.value.errors]


def test_given_an_event_without_a_time_when_checked_then_it_happened_now_to_the_millisecond():
    checked = events.check({"type": "page_view"}, pointer="", now=NOW.replace(microsecond=123456))
    assert checked.occurred_at == NOW.replace(microsecond=123000)
    assert (checked.type, checked.properties) == ("page_view", {})


@pytest.mark.parametrize(
    ("occurred_at", "expected"),
    [
        ("2026-03-01T13:30:00+02:00", "2026-03-01T11:30:00.000Z"),
        ("2026-02-28", "2026-02-28T00:00:00.000Z"),
        ("2026-03-01T11:59:59.123456Z", "2026-03-01T11:59:59.123456Z"),
        (datetime(2026, 3, 1, 10, 0), "2026-03-01T10:00:00.000Z"),  # a naive datetime is UTC
    ],
)
def test_given_a_time_in_any_documented_form_when_checked_then_it_is_stored_in_utc(occurred_at, expected):
    checked = events.check({"type": "x", "occurred_at": occurred_at}, pointer="", now=NOW)
    assert checked.occurred_at_text == expected


@pytest.mark.parametrize(
    ("raw", "pointers"),
    [
        ({"type": "Page View"}, ["/events/2/type"]),
        ({"type": "x", "occurred_at": "2026-03-01T12:06:00Z"}, ["/events/2/occurred_at"]),  # > 5 min ahead
        ({"type": "x", "occurred_at": "1969-12-31T23:59:59Z"}, ["/events/2/occurred_at"]),
        ({"type": "x", "occurred_at": "9999-12-31T23:59:59-23:59"}, ["/events/2/occurred_at"]),  # year 10000 in UTC
        ({"type": "x", "occurred_at": "2026-02-29T00:00:00Z"}, ["/events/2/occurred_at"]),
        ({"type": "x", "properties": []}, ["/events/2/properties"]),
        ({"type": "x", "properties": {"blob": "é" * 2100}}, ["/events/2/properties"]),  # 4 KB as UTF-8
        ({"type": "x", "properties": {"when": NOW}}, ["/events/2/properties"]),  # not JSON
        ({"type": "purchase"}, ["/events/2/properties/amount", "/events/2/properties/currency"]),
        (
            {"type": "purchase", "properties": {"amount": "1e30", "currency": "EU"}},
            ["/events/2/properties/amount", "/events/2/properties/currency"],
        ),
        ({"type": "purchase", "properties": {"amount": -5, "currency": "EUR"}}, ["/events/2/properties/amount"]),
        ({"type": "subscription_changed", "properties": {"status": "paused"}}, ["/events/2/properties/status"]),
        ({"type": "subscription_changed"}, ["/events/2/properties/status"]),
    ],
)
def test_given_an_invalid_event_when_checked_then_each_fault_is_named_at_its_pointer(raw, pointers):
    assert _pointers(raw) == pointers


def test_given_a_purchase_when_checked_then_amount_is_exact_and_currency_upper_case():
    checked = events.check(
        {"type": "purchase", "properties": {"amount": "12.50", "currency": " eur ", "order": "A1"}}, pointer="", now=NOW
    )
    assert checked.properties == {"amount": Decimal("12.5"), "currency": "EUR", "order": "A1"}
    assert events.pending_facts(checked) == {
        "type": "purchase",
        "occurred_at": "2026-03-01T12:00:00.000Z",
        "amount": Decimal("12.5"),
        "currency": "EUR",
    }


def test_given_the_same_event_twice_then_its_id_is_the_same_and_any_difference_gives_another():
    one = events.check(
        {"type": "page_view", "occurred_at": "2026-03-01T10:00:00Z", "properties": {"u": 1}}, pointer="", now=NOW
    )
    same = events.check(
        {"type": "page_view", "occurred_at": "2026-03-01T11:00:00+01:00", "properties": {"u": 1}}, pointer="", now=NOW
    )
    other = events.check(
        {"type": "page_view", "occurred_at": "2026-03-01T10:00:00Z", "properties": {"u": 2}}, pointer="", now=NOW
    )

    assert events.event_id("t", "c", one) == events.event_id("t", "c", same)
    assert len({events.event_id("t", "c", one), events.event_id("t", "c", other), events.event_id("t", "d", one)}) == 3
    assert events.event_id("t", "c", one)[:10] == events.event_id("t", "x", one)[:10]  # time-ordered (ULID)


def _fact(event_type: str, at: datetime, n: int, **extra) -> dict:
    return {"event_id": f"E{n:02}", "type": event_type, "occurred_at": events.iso(at), **extra}


def test_given_events_in_any_order_when_folded_then_the_computed_properties_are_the_same():
    facts = [
        _fact("page_view", NOW - timedelta(days=1), 1),
        _fact("purchase", NOW - timedelta(hours=5), 2, amount=Decimal("0.1"), currency="EUR"),
        _fact("purchase", NOW - timedelta(hours=4), 3, amount=Decimal("0.2"), currency="EUR"),
        _fact("purchase", NOW - timedelta(hours=3), 4, amount=7, currency="JPY"),
        _fact("subscription_changed", NOW - timedelta(hours=2), 5, status="subscribed"),
        _fact("subscription_changed", NOW - timedelta(days=2), 6, status="unsubscribed"),
    ]

    forward, backward = events.fold({}, facts), events.fold({}, reversed(facts))

    assert (
        forward
        == backward
        == {
            "last_seen_at": events.iso(NOW - timedelta(hours=2)),
            "purchase_count": 3,
            "lifetime_value": {"EUR": Decimal("0.3"), "JPY": 7},
            "subscription_status": "subscribed",
            "subscription_changed_at": events.iso(NOW - timedelta(hours=2)),
        }
    )


def test_given_computed_properties_when_older_events_are_folded_then_only_counts_and_sums_move():
    current = {
        "last_seen_at": events.iso(NOW),
        "purchase_count": 2,
        "lifetime_value": {"USD": 10},
        "subscription_status": "unsubscribed",
        "subscription_changed_at": events.iso(NOW - timedelta(hours=1)),
    }
    late = [
        _fact("purchase", NOW - timedelta(days=9), 1, amount=5, currency="USD"),
        _fact("subscription_changed", NOW - timedelta(days=9), 2, status="subscribed"),
    ]

    assert events.fold(current, late) == {"purchase_count": 3, "lifetime_value": {"USD": 15}}
    assert events.fold(current, []) == {}

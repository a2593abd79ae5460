"""Change events: property diffs, envelopes and outbox items (crm.outbox)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from crm import outbox


@pytest.mark.parametrize(
    ("before", "after", "expected"),
    [
        ({}, {}, {}),
        ({"a": 1}, {"a": 1}, {}),
        ({}, {"a": 1}, {"a": {"old": None, "new": 1}}),
        ({"a": 1}, {}, {"a": {"old": 1, "new": None}}),
        ({"a": 1}, {"a": 2}, {"a": {"old": 1, "new": 2}}),
        ({"ids": ["A", "B"]}, {"ids": ["B", "A"]}, {"ids": {"old": ["A", "B"], "new": ["B", "A"]}}),
        (
            {"b": 1, "a": "x", "same": True},
            {"a": "y", "c": 3, "same": True},
            {"a": {"old": "x", "new": "y"}, "b": {"old": 1, "new": None}, "c": {"old": None, "new": 3}},
        ),
    ],
)
def test_given_two_property_maps_when_diffed_then_only_changed_fields_are_listed_old_and_new(before, after, expected):
    changes = outbox.diff(before, after)
    assert changes == expected
    assert list(changes) == sorted(changes)


def test_given_a_change_when_enveloped_then_it_names_tenant_object_record_and_time(frozen_clock):
    frozen_clock[0] = datetime(2026, 5, 1, 12, 0, tzinfo=UTC)
    record = {"id": "R1", "properties": {"stage": "won"}}
    changes = {"stage": {"old": "new", "new": "won"}}
    event = outbox.envelope(
        tenant_id="T1",
        event_type="deal.stage_changed",
        object_name="deal",
        record_id="R1",
        data=record,
        changes=changes,
    )
    assert len(event["id"]) == 26
    assert {k: v for k, v in event.items() if k != "id"} == {
        "type": "deal.stage_changed",
        "tenant_id": "T1",
        "occurred_at": "2026-05-01T12:00:00.000Z",
        "object": "deal",
        "record_id": "R1",
        "data": record,
        "changes": changes,
    }
    assert outbox.envelope(tenant_id="T", event_type="x", object_name="o", record_id="r", data={})["changes"] == {}


def test_given_an_event_when_stored_in_the_outbox_then_it_expires_after_the_retention(frozen_clock):
    event = outbox.envelope(tenant_id="T1", event_type="contact.created", object_name="contact", record_id="R", data={})
    item = outbox.outbox_item(event)
    assert item["kind"] == "event"
    assert item["type"] == "contact.created"
    assert outbox.from_outbox_item(item) == event
    assert item["expires_at"] == int((frozen_clock[0] + outbox.EVENT_RETENTION).timestamp())

"""Property usage follows record change events: pure arithmetic on the usage item (schemas.usage.apply)."""

from __future__ import annotations

from typing import Any

from schemas.usage import REMEMBERED_EVENTS, apply

EMPTY: dict[str, Any] = {"records": 0, "filled": {}, "written": {}, "applied": [], "version": 0}


def event(event_id: str, kind: str, properties: dict[str, Any], changes: dict[str, Any] | None = None) -> dict:
    return {
        "id": event_id,
        "type": f"contact.{kind}",
        "object": "contact",
        "occurred_at": f"2026-11-23T10:00:0{event_id[-1]}Z",
        "data": {"object": "contact", "properties": properties},
        "changes": changes or {},
    }


def test_given_a_created_record_then_it_counts_and_each_of_its_properties_is_filled_and_written():
    after = apply(EMPTY, event("e1", "created", {"email": "a@x.io", "segment": "smb"}))
    assert after["records"] == 1
    assert after["filled"] == {"email": 1, "segment": 1}
    assert after["written"] == {"email": "2026-11-23T10:00:01Z", "segment": "2026-11-23T10:00:01Z"}


def test_given_an_update_then_only_what_changed_moves_a_cleared_value_unfills_and_a_new_one_fills():
    created = apply(EMPTY, event("e1", "created", {"email": "a@x.io", "segment": "smb"}))
    changes = {"segment": {"old": "smb", "new": None}, "phone": {"old": None, "new": "+1"}}
    after = apply(created, event("e2", "updated", {"email": "a@x.io", "phone": "+1"}, changes))
    assert after["filled"] == {"email": 1, "segment": 0, "phone": 1}
    assert after["written"]["phone"] == after["written"]["segment"] == "2026-11-23T10:00:02Z"
    assert after["written"]["email"] == "2026-11-23T10:00:01Z"


def test_given_an_archived_then_restored_record_then_it_leaves_the_counts_and_comes_back_unwritten():
    created = apply(EMPTY, event("e1", "created", {"email": "a@x.io"}))
    archived = apply(created, event("e2", "deleted", {"email": "a@x.io"}))
    restored = apply(archived, event("e3", "restored", {"email": "a@x.io"}))
    assert (archived["records"], archived["filled"]) == (0, {"email": 0})
    assert (restored["records"], restored["filled"]) == (1, {"email": 1})
    assert restored["written"] == created["written"]  # restoring writes no value


def test_given_an_event_applied_already_then_applying_it_again_changes_nothing():
    once = apply(EMPTY, event("e1", "created", {"email": "a@x.io"}))
    assert apply(once, event("e1", "created", {"email": "a@x.io"})) is once


def test_given_many_events_then_only_the_last_thousand_ids_are_remembered():
    usage = EMPTY
    for n in range(REMEMBERED_EVENTS + 5):
        usage = apply(usage, event(f"e{n}", "created", {}))
    assert len(usage["applied"]) == REMEMBERED_EVENTS and usage["applied"][-1] == f"e{REMEMBERED_EVENTS + 4}"
    assert usage["records"] == REMEMBERED_EVENTS + 5

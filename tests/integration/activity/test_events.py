"""Behavioural events through the real handlers on moto: recorded per item (one bad item never fails the
others), paged newest first, folded exactly once into the contact's read-only computed properties by the
contact_activity consumer (stream -> bus -> rule -> queue), and kept to their tenant.

Also exported for the cross-cutting suites: IDEMPOTENT_CASES (test_idempotent_routes) and
CROSS_TENANT_ROUTES (test_tenant_isolation)."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crm import catalogue, clock
from crm.errors import NotFound, ValidationFailed
from tests.support.problems import assert_problem
from tests.support.table import event_types, everything, partition, tenant_items

# --- helpers -----------------------------------------------------------------------------------------


def contact(api, tenant, **properties: Any) -> dict[str, Any]:
    reply = api.post("/v1/contacts", {"properties": {"first_name": "Ada", **properties}}, key=tenant.key)
    assert reply.status == 201, reply.body
    return reply.body


def record(api, tenant, *items: dict[str, Any], **kw: Any) -> list[dict[str, Any]]:
    reply = api.post("/v1/events", {"events": list(items)}, key=tenant.key, **kw)
    assert reply.status == 202, reply.body
    return reply.body["results"]


def event(contact_id: str, event_type: str = "page_view", at: Any = None, **properties: Any) -> dict[str, Any]:
    item: dict[str, Any] = {"contact": {"id": contact_id}, "type": event_type, "properties": properties}
    if at is not None:
        item["occurred_at"] = at.isoformat() if hasattr(at, "isoformat") else at
    return item


def properties_of(api, tenant, contact_id: str) -> dict[str, Any]:
    reply = api.get(f"/v1/contacts/{contact_id}", key=tenant.key)
    assert reply.status == 200, reply.body
    return reply.body["properties"]


def outbox_types(tenant, prefix: str = "") -> list[str]:
    return [t for t in event_types(tenant.id) if t.startswith(prefix)]


def consumer_messages(tenant) -> list[dict[str, Any]]:
    """The contact_activity queue's messages for this tenant's change events, as the bus rule would deliver
    them (for replaying a delivery)."""
    from tests.support.table import events

    return [
        {"detail-type": e["type"], "source": catalogue.EVENT_BUS.source, "detail": e}
        for e in events(tenant.id)
        if e["type"] in catalogue.CONTACT_ACTIVITY_EVENTS
    ]


def redeliver(api, messages: list[dict[str, Any]]) -> dict[str, Any]:
    from local.event_chain import sqs_record

    records = [
        sqs_record(
            {"MessageId": str(i), "ReceiptHandle": str(i), "Body": json.dumps(m)}, catalogue.CONTACT_ACTIVITY_QUEUE
        )
        for i, m in enumerate(messages)
    ]
    return api.gateway.invoke(catalogue.function_by_name("contact_activity"), {"Records": records}) or {}


# --- recording and reading ---------------------------------------------------------------------------


def test_given_a_contact_when_events_are_recorded_by_id_and_by_email_then_each_is_accepted_and_paged_newest_first(
    api, tenant, frozen_clock
):
    ada = contact(api, tenant, email="ada@example.com")
    now = frozen_clock[0]

    results = record(
        api,
        tenant,
        event(ada["id"], "page_view", now - timedelta(hours=3), url="/pricing"),
        {
            "contact": {"email": "ADA@Example.com"},
            "type": "email_open",
            "occurred_at": (now - timedelta(hours=1)).isoformat(),
        },
        event(ada["id"], "webinar_joined", now - timedelta(hours=2), webinar="Q1"),
    )

    assert [r["status"] for r in results] == [202, 202, 202]
    assert {r["event"]["contact_id"] for r in results} == {ada["id"]}
    assert results[0]["event"]["properties"] == {"url": "/pricing"}
    page = api.get(f"/v1/contacts/{ada['id']}/events", key=tenant.key).body
    assert [e["type"] for e in page["data"]] == ["email_open", "webinar_joined", "page_view"]
    assert page["next_cursor"] is None
    assert page["data"][0]["occurred_at"] == "2025-12-31T23:00:00.000Z"


def test_given_many_events_when_paged_by_type_and_since_then_the_cursor_walks_exactly_that_list(
    api, tenant, frozen_clock
):
    ada = contact(api, tenant)
    now = frozen_clock[0]
    record(
        api,
        tenant,
        *(event(ada["id"], "email_click" if i % 2 else "page_view", now - timedelta(days=i)) for i in range(9)),
    )
    base = f"/v1/contacts/{ada['id']}/events"
    since = (now - timedelta(days=6)).isoformat().replace("+00:00", "Z")

    seen, url = [], f"{base}?type=page_view&since={since}&limit=2"
    while url:
        page = api.get(url, key=tenant.key).body
        seen += [(e["type"], e["occurred_at"][:10]) for e in page["data"]]
        url = page["next_cursor"] and f"{base}?type=page_view&since={since}&limit=2&cursor={page['next_cursor']}"

    assert seen == [
        ("page_view", "2026-01-01"),
        ("page_view", "2025-12-30"),
        ("page_view", "2025-12-28"),
        ("page_view", "2025-12-26"),
    ]
    first = api.get(f"{base}?type=page_view&limit=1", key=tenant.key).body["next_cursor"]
    other_list = api.get(f"{base}?type=email_click&limit=1&cursor={first}", key=tenant.key)
    assert assert_problem(other_list, 400)["type"].endswith("/invalid-cursor")


def test_given_one_bad_item_among_good_ones_when_recorded_then_only_it_is_refused_with_its_pointers(
    api, tenant, frozen_clock
):
    ada = contact(api, tenant, email="ada@example.com")
    now = frozen_clock[0]
    items = [
        event(ada["id"], "page_view", now),
        {"contact": {"email": "nobody@example.com"}, "type": "page_view"},
        {"contact": {"id": "01ARZ3NDEKTSV4RRFFQ69G5FAV"}, "type": "page_view"},
        event(ada["id"], "purchase", now, amount="12.345", currency="EURO"),
        event(ada["id"], "purchase", now, currency="EUR"),
        event(ada["id"], "subscription_changed", now, status="maybe"),
        event(ada["id"], "page_view", now + timedelta(minutes=6)),
        event(ada["id"], "page_view", "2026-02-30T10:00:00Z"),
        event(ada["id"], "page_view", now, blob="x" * 4100),
        {"contact": {"email": "not an email"}, "type": "page_view"},
        event(ada["id"], "email_open", now),
    ]

    results = record(api, tenant, *items)

    assert [r["status"] for r in results] == [202, 404, 404, 422, 422, 422, 422, 422, 422, 422, 202]
    pointers = [[e["pointer"] for e in r["problem"].get("errors", [])] for r in results if r["status"] != 202]
    assert pointers == [
        [],
        [],
        ["/events/3/properties/currency"],
        ["/events/4/properties/amount"],
        ["/events/5/properties/status"],
        ["/events/6/occurred_at"],
        ["/events/7/occurred_at"],
        ["/events/8/properties"],
        ["/events/9/contact/email"],
    ]
    assert "existing contacts only" in results[1]["problem"]["detail"]
    assert len(partition(f"T#{tenant.id}#EV#{ada['id']}")) == 2
    assert outbox_types(tenant, "activity.") == ["activity.recorded"] * 2


@pytest.mark.parametrize(
    ("body", "pointer"),
    [
        ({"events": []}, "/events"),
        ({"events": [{"contact": {"email": "a@b.co"}, "type": "page_view"}] * 101}, "/events"),
        ({"events": [{"contact": {"email": "a@b.co"}, "type": "Page View"}]}, "/events/0/type"),
        ({"events": [{"contact": {"email": "a@b.co", "id": "X"}, "type": "page_view"}]}, "/events/0/contact"),
        ({"events": [{"contact": {}, "type": "page_view"}]}, "/events/0/contact"),
        (
            {"events": [{"contact": {"email": "a@b.co"}, "type": "page_view", "occurred_at": "yesterday"}]},
            "/events/0/occurred_at",
        ),
        ({"events": [{"contact": {"email": "a@b.co"}, "type": "page_view", "colour": 1}]}, "/events/0/colour"),
    ],
)
def test_given_a_malformed_call_when_recorded_then_422_for_the_call_and_nothing_is_written(
    api, tenant, unchanged, body, pointer
):
    with unchanged():
        reply = api.post("/v1/events", body, key=tenant.key)
    problem = assert_problem(reply, 422)
    assert pointer in [e["pointer"] for e in problem["errors"]]


def test_given_an_archived_contact_when_events_name_it_then_404_and_its_events_cannot_be_read(api, tenant):
    ada = contact(api, tenant, email="ada@example.com")
    assert api.delete(f"/v1/contacts/{ada['id']}", key=tenant.key).status == 204

    results = record(api, tenant, event(ada["id"]), {"contact": {"email": "ada@example.com"}, "type": "page_view"})

    assert [r["status"] for r in results] == [404, 404]
    assert_problem(api.get(f"/v1/contacts/{ada['id']}/events", key=tenant.key), 404)
    assert_problem(api.get(f"/v1/contacts/{ada['id']}/score", key=tenant.key), 404)


def test_given_the_same_event_sent_twice_when_recorded_then_it_is_stored_once_and_the_first_is_returned(
    api, tenant, frozen_clock
):
    ada = contact(api, tenant)
    item = event(ada["id"], "purchase", frozen_clock[0], amount=10, currency="EUR", order="A-1")

    [first] = record(api, tenant, item)
    frozen_clock[0] += timedelta(seconds=30)
    [again] = record(api, tenant, item)

    assert again == first
    assert len(partition(f"T#{tenant.id}#EV#{ada['id']}")) == 1
    assert outbox_types(tenant, "activity.") == ["activity.recorded"]


def test_given_an_idempotency_key_when_the_call_is_retried_then_the_first_answer_returns(api, tenant):
    ada = contact(api, tenant)
    headers = {"Idempotency-Key": "events-1"}
    first = api.post("/v1/events", {"events": [event(ada["id"])]}, key=tenant.key, headers=headers)
    before = everything()

    again = api.post("/v1/events", {"events": [event(ada["id"])]}, key=tenant.key, headers=headers)
    other = api.post("/v1/events", {"events": [event(ada["id"], "email_open")]}, key=tenant.key, headers=headers)

    assert (again.status, again.body, again.header("Idempotent-Replayed")) == (202, first.body, "true")
    assert assert_problem(other, 422)["type"].endswith("/idempotency-key-reused")
    assert everything() == before


def test_given_a_read_only_key_when_it_records_events_then_403_but_it_may_read_them(api, tenant, unchanged):
    ada = contact(api, tenant)
    reader = api.post("/v1/api-keys", {"name": "ro", "role": "read_only"}, key=tenant.key).body["api_key"]["key"]
    with unchanged():
        assert_problem(api.post("/v1/events", {"events": [event(ada["id"])]}, key=reader), 403)
        assert_problem(api.request("PUT", "/v1/scoring/contacts", {"rules": []}, key=reader), 403)
    assert api.get(f"/v1/contacts/{ada['id']}/events", key=reader).status == 200
    assert api.get("/v1/scoring/contacts", key=reader).status == 200


# --- computed properties -------------------------------------------------------------------------------


def test_given_events_when_the_chain_runs_then_the_computed_properties_follow_with_money_per_currency(
    api, tenant, chain
):
    ada = contact(api, tenant, email="ada@example.com")
    now = chain.moment[0]
    record(
        api,
        tenant,
        event(ada["id"], "page_view", now - timedelta(days=2)),
        event(ada["id"], "purchase", now - timedelta(days=1), amount="19.99", currency="eur"),
        event(ada["id"], "purchase", now - timedelta(hours=5), amount=5.01, currency="EUR"),
        event(ada["id"], "purchase", now - timedelta(hours=4), amount=1250, currency="USD"),
        event(ada["id"], "subscription_changed", now - timedelta(hours=3), status="Subscribed"),
    )

    chain.run()

    computed = properties_of(api, tenant, ada["id"])
    assert computed["purchase_count"] == 3
    assert computed["lifetime_value"] == {"EUR": 25, "USD": 1250}
    assert computed["subscription_status"] == "subscribed"
    assert clock.parse(computed["last_seen_at"]) == now - timedelta(hours=3)
    assert "score" not in computed  # no scoring rules, no score
    # one fold for the five events: one change event, not five
    assert outbox_types(tenant, "contact.updated") == ["contact.updated"]
    assert partition(f"T#{tenant.id}#EVP#{ada['id']}") == []


def test_given_a_late_older_subscription_change_when_folded_then_the_latest_by_occurrence_still_wins(
    api, tenant, chain
):
    ada = contact(api, tenant)
    now = chain.moment[0]
    record(api, tenant, event(ada["id"], "subscription_changed", now - timedelta(hours=1), status="unsubscribed"))
    chain.run()

    record(api, tenant, event(ada["id"], "subscription_changed", now - timedelta(days=3), status="subscribed"))
    chain.run()

    computed = properties_of(api, tenant, ada["id"])
    assert computed["subscription_status"] == "unsubscribed"
    assert computed["last_seen_at"].startswith((now - timedelta(hours=1)).date().isoformat())


def test_given_folded_events_when_their_messages_are_delivered_again_then_nothing_changes(api, tenant, chain):
    ada = contact(api, tenant)
    now = chain.moment[0]
    record(
        api,
        tenant,
        *(event(ada["id"], "purchase", now - timedelta(minutes=i), amount=10, currency="EUR") for i in range(3)),
    )
    chain.run()
    before = everything()

    result = redeliver(api, consumer_messages(tenant) * 2)

    assert result.get("batchItemFailures") == []
    assert everything() == before
    assert properties_of(api, tenant, ada["id"])["purchase_count"] == 3


def test_given_two_folds_racing_when_both_write_then_each_event_is_counted_once(api, tenant, monkeypatch):
    from activity.repository import ActivityRepository
    from activity.service import Activity

    ada = contact(api, tenant)
    record(api, tenant, *(event(ada["id"], "purchase", None, amount=i + 1, currency="EUR", n=i) for i in range(3)))
    original = ActivityRepository.pending
    raced: list[bool] = []

    def pending_then_a_rival_folds(self, contact_id, limit=25):
        found = original(self, contact_id, limit)
        if not raced:  # the first fold has read; a second one folds the same events before it writes
            raced.append(True)
            Activity(tenant.id).refresh(contact_id, ())
        return found

    monkeypatch.setattr(ActivityRepository, "pending", pending_then_a_rival_folds)

    Activity(tenant.id).refresh(ada["id"], ())

    computed = properties_of(api, tenant, ada["id"])
    assert (computed["purchase_count"], computed["lifetime_value"]) == (3, {"EUR": 6})
    assert outbox_types(tenant, "contact.updated") == ["contact.updated"]


@pytest.mark.parametrize(
    ("path", "method", "body"),
    [
        ("/v1/contacts", "POST", {"properties": {"first_name": "A", "score": 10}}),
        ("/v1/contacts/{id}", "PATCH", {"properties": {"purchase_count": 1}}),
        ("/v1/contacts/{id}", "PATCH", {"properties": {"lifetime_value": None}}),
        ("/v1/objects/contacts/{id}", "PATCH", {"properties": {"last_seen_at": "2026-01-01T00:00:00Z"}}),
        ("/v1/contacts/{id}", "PATCH", {"properties": {"subscription_status": "subscribed"}}),
    ],
)
def test_given_a_computed_property_when_a_client_writes_it_then_422_read_only_at_its_pointer(
    api, tenant, unchanged, path, method, body
):
    ada = contact(api, tenant)
    with unchanged():
        reply = api.request(method, path.format(id=ada["id"]), body, key=tenant.key)
    [name] = body["properties"].keys() - {"first_name"}
    problem = assert_problem(reply, 422, f"/properties/{name}")
    assert problem["errors"][0]["detail"] == "is computed by the CRM; read-only"


# --- the service other contexts call in-process (forms) -------------------------------------------------


def test_given_a_form_submission_when_recorded_in_process_then_it_is_stored_once_and_refusals_name_their_fields(
    api, tenant, frozen_clock
):
    from activity.service import record_events

    ada = contact(api, tenant)
    submitted = {"type": "form_submitted", "occurred_at": frozen_clock[0], "properties": {"form_id": "F1"}}

    [stored] = record_events(tenant.id, ada["id"], [submitted])
    again = record_events(tenant.id, ada["id"], [dict(submitted, occurred_at=frozen_clock[0].isoformat())])

    assert stored["type"] == "form_submitted" and stored["contact_id"] == ada["id"]
    assert again == [stored]
    with pytest.raises(ValidationFailed) as refused:
        record_events(tenant.id, ada["id"], [submitted, {"type": "Bad Type", "properties": []}])
    assert [e.pointer for e in refused.value.errors] == ["/events/1/type", "/events/1/properties"]
    with pytest.raises(NotFound):
        record_events(tenant.id, "01ARZ3NDEKTSV4RRFFQ69G5FAV", [submitted])
    assert len(partition(f"T#{tenant.id}#EV#{ada['id']}")) == 1


# --- tenants -------------------------------------------------------------------------------------------


def test_given_tenant_a_contact_when_tenant_b_records_or_reads_its_events_then_404_and_a_is_unchanged(
    api, tenant, other_tenant, frozen_clock
):
    ada = contact(api, tenant, email="ada@acme.example")
    record(api, tenant, event(ada["id"], "purchase", frozen_clock[0], amount=5, currency="EUR"))
    api.request("PUT", "/v1/scoring/contacts", {"rules": [SECRET_RULE]}, key=tenant.key)
    record(api, tenant, event(ada["id"], "page_view", frozen_clock[0]))
    cursor = api.get(f"/v1/contacts/{ada['id']}/events?limit=1", key=tenant.key).body["next_cursor"]
    a_before, b_before = tenant_items(tenant.id), tenant_items(other_tenant.id)
    b = other_tenant.key

    results = record(api, other_tenant, event(ada["id"]), {"contact": {"email": "ada@acme.example"}, "type": "x"})
    assert [r["status"] for r in results] == [404, 404]
    for method, path, body in CROSS_TENANT_ROUTES:
        reply = api.request(method, path.format(contact=ada["id"]), body, key=b)
        assert_problem(reply, 404)
        assert "ada@acme.example" not in json.dumps(reply.body)
    b_rules = api.get("/v1/scoring/contacts", key=b).body
    assert (b_rules["rules"], b_rules["version"]) == ([], 1)
    assert "secret" not in json.dumps(b_rules)
    assert_problem(api.get(f"/v1/contacts/{ada['id']}/events?cursor={cursor}", key=b), 404)
    assert (tenant_items(tenant.id), tenant_items(other_tenant.id)) == (a_before, b_before)


SECRET_RULE = {
    "id": "secret-vip",
    "conditions": {"property": "email", "op": "ends_with", "value": "@acme.example"},
    "points": 50,
}

# Routes naming an id, as tests/integration/test_tenant_isolation.py lists them (method, path, body): tenant B
# gets 404 for tenant A's contact on each (test above).
CROSS_TENANT_ROUTES = [
    ("GET", "/v1/contacts/{contact}/events", None),
    ("GET", "/v1/contacts/{contact}/score", None),
]


# --- the idempotency suite's cases (tests/integration/test_idempotent_routes.py: Case(*case)) ----------


def _contact_id(g: Any) -> str:
    return g.api.post("/v1/contacts", {"properties": {"first_name": "A"}}, key=g.tenant.key).body["id"]


def _events_call(g: Any) -> tuple[str, Any, Any, str]:
    contact_id = _contact_id(g)
    one = {"events": [{"contact": {"id": contact_id}, "type": "page_view", "properties": {"url": "/a"}}]}
    two = {"events": [{"contact": {"id": contact_id}, "type": "page_view", "properties": {"url": "/b"}}]}
    return "/v1/events", one, two, g.tenant.key


def _rules_call(g: Any) -> tuple[str, Any, Any, str]:
    rule = {"id": "leads", "conditions": {"property": "lifecycle_stage", "op": "eq", "value": "lead"}, "points": 5}
    return "/v1/scoring/contacts", {"rules": [rule]}, {"rules": [{**rule, "points": 7}]}, g.tenant.key


# (operation id, method, prepare): prepare(given) -> (path, body, other body, key), as the suite's Case.
IDEMPOTENT_CASES = [
    ("record_events", "POST", _events_call),
    ("update_contact_scoring_rules", "PUT", _rules_call),
]


# --- hostile input --------------------------------------------------------------------------------------

_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=12),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3),
    max_leaves=10,
)
_items = st.fixed_dictionaries(
    {
        "contact": st.one_of(
            _json, st.fixed_dictionaries({"id": st.text(max_size=70)}), st.fixed_dictionaries({"email": _json})
        ),
        "type": st.one_of(st.sampled_from(["purchase", "subscription_changed", "page_view", "x_1"]), _json),
    },
    optional={
        "occurred_at": st.one_of(_json, st.datetimes().map(lambda d: d.isoformat() + "Z"), st.text(max_size=30)),
        "properties": st.one_of(
            _json,
            st.fixed_dictionaries({"amount": _json, "currency": _json}),
            st.fixed_dictionaries({"status": _json}),
        ),
    },
)
_rules = st.fixed_dictionaries(
    {"id": st.text(max_size=8), "points": _json},
    optional={"conditions": _json, "event": _json, "within_days": _json, "max_points": _json},
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    body=st.one_of(
        st.fixed_dictionaries({"events": st.lists(_items, max_size=4)}),
        st.fixed_dictionaries({"rules": st.lists(_rules, max_size=3)}),
        _json,
    ),
    path=st.sampled_from(["/v1/events", "/v1/scoring/contacts"]),
)
def test_given_arbitrary_bodies_when_events_or_rules_are_written_then_the_answer_is_never_a_5xx(
    api, tenant, body, path
):
    method = "POST" if path == "/v1/events" else "PUT"
    reply = api.request(method, path, body, key=tenant.key)
    assert reply.status < 500, (path, body, reply.body)
    if reply.status >= 400:
        assert_problem(reply, reply.status)
    for result in reply.body.get("results", []) if reply.status == 202 else []:
        assert result["status"] in (202, 404, 422), result


@pytest.mark.parametrize("since", ["0.5", "2026-01-01", "2026-02-30T00:00:00Z", "2026-01-01T00:00:00", "yesterday"])
def test_given_a_since_that_is_not_an_rfc_3339_date_time_when_listing_then_422_at_the_query(api, tenant, since):
    ada = contact(api, tenant)
    reply = api.get(f"/v1/contacts/{ada['id']}/events?since={quote(since)}", key=tenant.key)
    assert_problem(reply, 422, "/query/since")


@pytest.mark.parametrize(
    ("since", "found"),
    [
        ("2025-12-31t23:00:00.1234567z", 1),  # lower case, beyond the microsecond
        ("2025-12-31T23:59:60Z", 1),  # a leap second
        ("0001-01-01T00:00:00+23:59", 2),  # before year 1 in UTC: everything
        ("9999-12-31T23:59:59-23:59", 0),  # after year 9999 in UTC: nothing
    ],
)
def test_given_any_rfc_3339_since_when_listing_then_it_is_read_and_never_refused(
    api, tenant, frozen_clock, since, found
):
    ada = contact(api, tenant)
    record(api, tenant, event(ada["id"], "page_view", frozen_clock[0]), event(ada["id"], "x", "2025-06-01T00:00:00Z"))
    reply = api.get(f"/v1/contacts/{ada['id']}/events?since={quote(since)}", key=tenant.key)
    assert (reply.status, len(reply.body["data"])) == (200, found)

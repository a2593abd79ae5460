"""Lead scoring through the real handlers and the event chain on moto: rules checked whole and versioned,
the contact's read-only `score` recomputed when the contact, its events or the rules change (a rules change
rescoring every contact in chunks through the queue), `contact.score_changed` once per change, decay as
events leave a rule's window, and a breakdown per rule."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from tests.integration.activity.test_events import contact, event, outbox_types, properties_of, record
from tests.support.problems import assert_problem
from tests.support.table import events, everything

SQL = {
    "id": "sql",
    "conditions": {"property": "lifecycle_stage", "op": "eq", "value": "sales_qualified_lead"},
    "points": 20,
}
OPENS = {"id": "opens", "event": "email_open", "within_days": 30, "points": 2, "max_points": 10}
BOUNCER = {"id": "bouncer", "event": "unsubscribe_click", "within_days": 7, "points": -15}
BIG_SPENDER = {
    "id": "big-spender",
    "conditions": {"property": "lifetime_value.EUR", "op": "gte", "value": 100},
    "points": 5,
}


def put_rules(api, tenant, *rules: dict[str, Any], **kw: Any):
    return api.request("PUT", "/v1/scoring/contacts", {"rules": list(rules)}, key=tenant.key, **kw)


def score_changes(tenant) -> list[dict[str, Any]]:
    return [e["changes"]["score"] for e in events(tenant.id) if e["type"] == "contact.score_changed"]


# --- the rules -------------------------------------------------------------------------------------------


def test_given_a_new_tenant_when_rules_are_read_then_an_empty_set_at_version_1_and_a_put_makes_version_2(api, tenant):
    first = api.get("/v1/scoring/contacts", key=tenant.key)
    assert (first.body, first.header("ETag")) == (
        {"object": "contact", "rules": [], "version": 1, "updated_at": None},
        '"1"',
    )

    stale = put_rules(api, tenant, SQL, headers={"If-Match": '"2"'})
    put = put_rules(api, tenant, SQL, OPENS, headers={"If-Match": '"1"'})
    same = put_rules(api, tenant, SQL, OPENS)

    assert_problem(stale, 412)
    assert (put.status, put.header("ETag"), put.body["version"]) == (200, '"2"', 2)
    assert put.body["rules"] == [SQL, OPENS]
    assert (same.status, same.body) == (200, put.body)  # the same rules again: no new version
    assert api.get("/v1/scoring/contacts", key=tenant.key).body == put.body
    assert outbox_types(tenant, "scoring.") == ["scoring.rules_changed"]
    assert_problem(put_rules(api, tenant, SQL, headers={"If-Match": "garbage"}), 412)


@pytest.mark.parametrize(
    ("rules", "pointers", "kind"),
    [
        (
            [{**SQL, "conditions": {"property": "nickname", "op": "eq", "value": "x"}}],
            ["/rules/0/conditions/property"],
            "invalid-scoring-rules",
        ),
        (
            [{**SQL, "conditions": {"property": "email", "op": "changed"}}],
            ["/rules/0/conditions/op"],
            "invalid-scoring-rules",
        ),
        (
            [{**SQL, "conditions": {"property": "score", "op": "gt", "value": 5}}],
            ["/rules/0/conditions/property"],
            "invalid-scoring-rules",
        ),
        (
            [{**SQL, "conditions": {"property": "lifetime_value", "op": "gt", "value": 5}}],
            ["/rules/0/conditions/value"],
            "invalid-scoring-rules",
        ),
        ([SQL, {**OPENS, "id": "sql"}], ["/rules/1/id"], "invalid-scoring-rules"),
        ([{**OPENS, "max_points": -10}], ["/rules/0/max_points"], "validation-failed"),
        ([{**OPENS, "points": 1, "max_points": 5000}], ["/rules/0/max_points"], "validation-failed"),
        (
            [{**OPENS, "within_days": 0}, {**SQL, "points": 0}],
            ["/rules/0/within_days", "/rules/1/points"],
            "validation-failed",
        ),
        ([{**OPENS, "conditions": SQL["conditions"]}], ["/rules/0/conditions"], "validation-failed"),
        (
            [{"id": "Bad Id", "points": "10"}],
            ["/rules/0/id", "/rules/0/conditions", "/rules/0/points"],
            "validation-failed",
        ),
        ([SQL] * 101, ["/rules"], "validation-failed"),
    ],
)
def test_given_invalid_rules_when_put_then_422_with_every_fault_at_its_pointer_and_nothing_changes(
    api, tenant, unchanged, rules, pointers, kind
):
    with unchanged():
        reply = put_rules(api, tenant, *rules)
    assert assert_problem(reply, 422, *pointers)["type"].endswith(f"/{kind}")


# --- when the score is recomputed ---------------------------------------------------------------------------


def test_given_rules_when_a_contact_is_created_and_then_qualifies_then_its_score_follows_once_per_change(
    api, tenant, chain
):
    put_rules(api, tenant, SQL)
    chain.run()
    ada = contact(api, tenant, email="ada@example.com", lifecycle_stage="lead")
    chain.run()
    assert properties_of(api, tenant, ada["id"])["score"] == 0

    api.patch(f"/v1/contacts/{ada['id']}", {"properties": {"lifecycle_stage": "sales_qualified_lead"}}, key=tenant.key)
    chain.run()
    api.patch(f"/v1/contacts/{ada['id']}", {"properties": {"first_name": "Ada"}}, key=tenant.key)  # no effect on it
    chain.run()

    assert properties_of(api, tenant, ada["id"])["score"] == 20
    assert score_changes(tenant) == [{"old": None, "new": 0}, {"old": 0, "new": 20}]
    score = api.get(f"/v1/contacts/{ada['id']}/score", key=tenant.key).body
    assert (score["score"], score["breakdown"]) == (20, [{"rule": "sql", "points": 20}])


def test_given_event_rules_when_events_arrive_then_points_per_event_up_to_the_cap_and_negative_points_lower_it(
    api, tenant, chain
):
    put_rules(api, tenant, OPENS, BOUNCER, BIG_SPENDER)
    ada = contact(api, tenant)
    now = chain.moment[0]
    record(api, tenant, *(event(ada["id"], "email_open", now - timedelta(days=i)) for i in range(3)))
    chain.run()
    assert properties_of(api, tenant, ada["id"])["score"] == 6

    record(api, tenant, *(event(ada["id"], "email_open", now - timedelta(hours=i)) for i in range(1, 9)))
    record(api, tenant, event(ada["id"], "email_open", now - timedelta(days=40)))  # outside the window
    record(api, tenant, event(ada["id"], "purchase", now, amount="99.99", currency="EUR"))
    record(api, tenant, event(ada["id"], "purchase", now, amount="0.01", currency="EUR", note="second"))
    record(api, tenant, event(ada["id"], "unsubscribe_click", now - timedelta(days=1)))
    chain.run()

    assert properties_of(api, tenant, ada["id"])["score"] == 10 - 15 + 5
    breakdown = api.get(f"/v1/contacts/{ada['id']}/score", key=tenant.key).body["breakdown"]
    assert breakdown == [
        {"rule": "opens", "points": 10},
        {"rule": "bouncer", "points": -15},
        {"rule": "big-spender", "points": 5},
    ]


def test_given_a_rules_change_when_the_sweep_runs_then_every_contact_is_rescored_in_chunks_and_once_each(
    api, tenant, other_tenant, chain, monkeypatch
):
    from activity import consumer

    monkeypatch.setattr(consumer, "SWEEP_PAGE", 2)
    monkeypatch.setattr(consumer, "RESCORE_CHUNK", 1)
    leads = [contact(api, tenant, first_name=f"L{i}", lifecycle_stage="sales_qualified_lead") for i in range(5)]
    others = [
        contact(api, tenant, first_name="O"),
        contact(api, other_tenant, first_name="B", lifecycle_stage="sales_qualified_lead"),
    ]
    archived = contact(api, tenant, first_name="Gone", lifecycle_stage="sales_qualified_lead")
    api.delete(f"/v1/contacts/{archived['id']}", key=tenant.key)
    chain.run()

    put_rules(api, tenant, SQL)
    chain.run()

    assert [properties_of(api, tenant, c["id"])["score"] for c in leads] == [20] * 5
    assert properties_of(api, tenant, others[0]["id"])["score"] == 0
    assert "score" not in properties_of(api, other_tenant, others[1]["id"])
    assert sorted(change["new"] for change in score_changes(tenant)) == [0] + [20] * 5
    restored = api.post(f"/v1/contacts/{archived['id']}/restore", key=tenant.key)
    assert restored.status == 200
    chain.run()
    assert properties_of(api, tenant, archived["id"])["score"] == 20

    put_rules(api, tenant)  # no rules: no score
    chain.run()
    assert "score" not in properties_of(api, tenant, leads[0]["id"])


def test_given_a_sweep_of_replaced_rules_when_its_next_page_arrives_then_it_stops(api, tenant, chain, monkeypatch):
    from activity import consumer
    from crm import queues

    contact(api, tenant, lifecycle_stage="sales_qualified_lead")
    put_rules(api, tenant, SQL)
    put_rules(api, tenant, {**SQL, "points": 30})
    sent: list[Any] = []
    monkeypatch.setattr(queues, "send", lambda name, body, delay_s=0: sent.append(body))

    consumer.sweep(tenant.id, None, 2)  # the first change's sweep, after the second change

    assert sent == []


def test_given_an_event_rule_when_its_events_age_out_then_reading_the_score_corrects_the_stored_one(api, tenant, chain):
    put_rules(api, tenant, OPENS)
    ada = contact(api, tenant)
    record(api, tenant, event(ada["id"], "email_open", chain.moment[0]))
    chain.run()
    assert properties_of(api, tenant, ada["id"])["score"] == 2

    chain.moment[0] += timedelta(days=31)
    assert properties_of(api, tenant, ada["id"])["score"] == 2  # nothing has touched the contact yet
    live = api.get(f"/v1/contacts/{ada['id']}/score", key=tenant.key).body
    chain.run()

    assert (live["score"], live["breakdown"]) == (0, [])
    assert properties_of(api, tenant, ada["id"])["score"] == 0
    assert score_changes(tenant)[-1] == {"old": 2, "new": 0}


def test_given_scores_stored_when_every_message_is_delivered_again_then_nothing_changes(api, tenant, chain):
    from tests.integration.activity.test_events import consumer_messages, redeliver

    put_rules(api, tenant, SQL, OPENS)
    ada = contact(api, tenant, lifecycle_stage="sales_qualified_lead")
    record(api, tenant, event(ada["id"], "email_open", chain.moment[0]))
    chain.run()
    before = everything()

    result = redeliver(
        api, [*consumer_messages(tenant), {"task": "rescore", "tenant_id": tenant.id, "contact_ids": [ada["id"]]}]
    )

    assert result.get("batchItemFailures") == []
    assert everything() == before
    assert properties_of(api, tenant, ada["id"])["score"] == 22


def test_given_a_workflow_write_when_the_score_follows_then_the_score_change_carries_its_cause(api, tenant, chain):
    from activity.service import Activity
    from contacts.schema import CONTACT
    from contacts.service import RecordService

    put_rules(api, tenant, SQL)
    ada = contact(api, tenant, lifecycle_stage="lead")
    chain.run()
    cause = {"workflow_id": "W1", "run_id": "R1", "depth": 2}
    RecordService(tenant.id, CONTACT, cause=cause).update(ada["id"], {"lifecycle_stage": "sales_qualified_lead"})
    chain.run()

    [change] = [e for e in events(tenant.id) if e["type"] == "contact.score_changed" and e["changes"]["score"]["new"]]
    assert change["cause"] == cause
    assert Activity(tenant.id).refresh(ada["id"], Activity(tenant.id).rules()[1])["properties"]["score"] == 20


def test_given_tenant_a_rules_when_tenant_b_reads_or_replaces_its_own_then_a_is_untouched(api, tenant, other_tenant):
    put_rules(api, tenant, SQL)
    a_rules = api.get("/v1/scoring/contacts", key=tenant.key).body

    b_put = put_rules(api, other_tenant, OPENS, headers={"If-Match": '"2"'})  # A's version means nothing to B

    assert_problem(b_put, 412)
    assert put_rules(api, other_tenant, OPENS).body["rules"] == [OPENS]
    assert api.get("/v1/scoring/contacts", key=tenant.key).body == a_rules


@pytest.mark.parametrize(
    ("path", "methods", "allowed"),
    [
        ("/v1/scoring/contacts", ("POST", "PATCH", "DELETE", "OPTIONS", "HEAD"), "GET, PUT"),
        ("/v1/events", ("GET", "PUT", "PATCH", "DELETE", "OPTIONS", "HEAD"), "POST"),
        ("/v1/contacts/{id}/score", ("POST", "PUT", "PATCH", "DELETE"), "GET"),
        ("/v1/contacts/{id}/events", ("POST", "PUT", "PATCH", "DELETE"), "GET"),
    ],
)
def test_given_a_method_a_path_does_not_serve_then_405_naming_those_it_does(
    api, tenant, unchanged, path, methods, allowed
):
    ada = contact(api, tenant)
    with unchanged():
        for method in methods:
            reply = api.request(method, path.format(id=ada["id"]), key=tenant.key)
            assert (reply.status, reply.header("Allow")) == (405, allowed), (method, path)
            if method != "HEAD":  # a HEAD answer has no body
                assert assert_problem(reply, 405)["detail"] == f"{method} is not allowed here."


def test_given_the_queue_is_unreachable_when_a_stale_score_is_read_then_the_score_is_still_answered(
    api, tenant, chain, monkeypatch
):
    from crm import queues

    put_rules(api, tenant, SQL)
    ada = contact(api, tenant, lifecycle_stage="sales_qualified_lead")  # not yet scored: the chain has not run

    def unreachable(name: str, body: dict, delay_s: float = 0) -> None:
        raise ConnectionError("queue down")

    monkeypatch.setattr(queues, "send", unreachable)
    reply = api.get(f"/v1/contacts/{ada['id']}/score", key=tenant.key)

    assert (reply.status, reply.body["score"]) == (200, 20)

"""Workflow runs through the real chain on moto: change event -> bus rule -> trigger queue -> matcher ->
run -> the catalogue's state machine (tests.support.workflows, waits on the injected clock) -> runner.
Run state, per-step history, pinning, retries, cancellation, depth limits and tenants."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from crm.errors import ServiceUnavailable
from tests.support.problems import assert_problem
from tests.support.workflows import StateMachine


@pytest.fixture
def machine(api, event_chain, real_time_clock, monkeypatch) -> StateMachine:
    return StateMachine(api.gateway, real_time_clock, monkeypatch)


@pytest.fixture
def run_everything(event_chain, machine):
    """Carry every change through the chain and run every started execution, until nothing is left."""

    def run() -> None:
        while True:
            event_chain.run()
            if not machine.run_all():
                return

    return run


def _workflow(api, tenant, body: dict[str, Any]) -> dict[str, Any]:
    reply = api.post("/v1/workflows", body, key=tenant.key)
    assert reply.status == 201, reply.body
    return reply.body


def _runs(api, tenant, workflow_id: str, status: str | None = None) -> list[dict[str, Any]]:
    query = f"?status={status}" if status else ""
    reply = api.get(f"/v1/workflows/{workflow_id}/runs{query}", key=tenant.key)
    assert reply.status == 200, reply.body
    return reply.body["data"]


def _contact(api, tenant, **properties: Any) -> dict[str, Any]:
    reply = api.post("/v1/contacts", {"properties": properties}, key=tenant.key)
    assert reply.status == 201, reply.body
    return reply.body


ROUND_ROBIN = {
    "name": "Assign new leads",
    "object": "contact",
    "trigger": {"event": "contact.created", "conditions": {"property": "lifecycle_stage", "op": "eq", "value": "lead"}},
    "steps": [
        {"id": "assign", "type": "assign_owner", "owners": ["ana@acme.io", "bo@acme.io"]},
        {"id": "pause", "type": "wait", "seconds": 60},
        {"id": "qualify", "type": "set_property", "property": "lifecycle_stage", "value": "marketing_qualified_lead"},
    ],
}


def test_given_a_workflow_when_matching_contacts_are_created_then_each_runs_every_step_and_owners_take_turns(
    api, tenant, run_everything, machine
):
    workflow = _workflow(api, tenant, ROUND_ROBIN)

    contacts = [_contact(api, tenant, email=f"lead{i}@acme.com", lifecycle_stage="lead") for i in range(3)]
    _contact(api, tenant, email="customer@acme.com", lifecycle_stage="customer")  # not a lead: no run
    run_everything()

    runs = _runs(api, tenant, workflow["id"])
    assert len(runs) == 3 and {r["status"] for r in runs} == {"succeeded"}
    owners = []
    for contact in contacts:
        record = api.get(f"/v1/contacts/{contact['id']}", key=tenant.key).body
        owners.append(record["properties"]["owner"])
        assert record["properties"]["lifecycle_stage"] == "marketing_qualified_lead"
    assert sorted(owners) == ["ana@acme.io", "ana@acme.io", "bo@acme.io"]
    run = runs[0]
    assert [(s["step"], s["status"], s["attempts"]) for s in run["steps"]] == [
        ("assign", "succeeded", 1),
        ("pause", "succeeded", 1),
        ("qualify", "succeeded", 1),
    ]
    assert run["trigger"]["type"] == "event" and run["trigger"]["event_type"] == "contact.created"
    assert run["depth"] == 1 and run["ended_at"] is not None
    assert machine.transitions == [6, 6, 6], "one wait: Advance, Decide, Wait, Advance, Decide, Done"


def test_given_a_redelivered_trigger_event_when_matched_again_then_no_second_run_starts(
    api, tenant, run_everything, machine
):
    from tests.support.table import events
    from workflows import matcher

    workflow = _workflow(api, tenant, ROUND_ROBIN)
    _contact(api, tenant, email="once@acme.com", lifecycle_stage="lead")
    run_everything()
    (created,) = [e for e in events(tenant.id) if e["type"] == "contact.created"]

    assert matcher.match(created) == 1  # the run exists: it is found, nothing new starts
    run_everything()

    assert len(_runs(api, tenant, workflow["id"])) == 1
    assert len(machine.names) == 1


@pytest.mark.parametrize(("reenrollment", "runs_expected"), [("never", 1), ("always", 2)])
def test_given_reenrollment_when_a_record_triggers_twice_then_it_runs_once_or_each_time(
    api, tenant, run_everything, reenrollment, runs_expected
):
    workflow = _workflow(
        api,
        tenant,
        {
            "name": "On change",
            "object": "contact",
            "reenrollment": reenrollment,
            "trigger": {"event": "contact.updated", "conditions": {"property": "first_name", "op": "changed"}},
            "steps": [{"id": "note", "type": "set_property", "property": "owner", "value": "ana@acme.io"}],
        },
    )
    contact = _contact(api, tenant, email="twice@acme.com")
    for name in ("A", "B"):
        api.patch(f"/v1/contacts/{contact['id']}", {"properties": {"first_name": name}}, key=tenant.key)
        run_everything()

    assert len(_runs(api, tenant, workflow["id"])) == runs_expected


def test_given_a_transient_error_when_a_step_runs_then_it_is_retried_with_backoff_and_the_run_succeeds(
    api, tenant, run_everything, monkeypatch, real_time_clock
):
    from contacts.service import RecordService

    failures = {"left": 2}
    original = RecordService.update

    def flaky(self, *args, **kwargs):
        if failures["left"]:
            failures["left"] -= 1
            raise ServiceUnavailable("The data store is busy; retry shortly.")
        return original(self, *args, **kwargs)

    monkeypatch.setattr(RecordService, "update", flaky)
    workflow = _workflow(api, tenant, {**ROUND_ROBIN, "steps": ROUND_ROBIN["steps"][:1]})
    started = real_time_clock[0]

    _contact(api, tenant, email="flaky@acme.com", lifecycle_stage="lead")
    run_everything()

    (run,) = _runs(api, tenant, workflow["id"])
    assert run["status"] == "succeeded"
    assert run["steps"][0]["attempts"] == 3
    assert real_time_clock[0] - started >= timedelta(seconds=2 + 4), "retried with backoff"


def test_given_a_step_that_keeps_failing_transiently_then_the_run_fails_after_about_a_minute_saying_why(
    api, tenant, run_everything, monkeypatch, real_time_clock
):
    from contacts.service import RecordService

    def busy(self, *args, **kwargs):
        raise ServiceUnavailable("The data store is busy; retry shortly.")

    monkeypatch.setattr(RecordService, "update", busy)
    workflow = _workflow(api, tenant, {**ROUND_ROBIN, "steps": ROUND_ROBIN["steps"][:1]})
    started = real_time_clock[0]

    _contact(api, tenant, email="busy@acme.com", lifecycle_stage="lead")
    run_everything()

    (run,) = _runs(api, tenant, workflow["id"])
    assert run["status"] == "failed"
    assert run["error"]["step"] == "assign" and "busy" in run["error"]["detail"]
    assert run["steps"][0]["attempts"] == 6 and run["steps"][0]["status"] == "failed"
    assert timedelta(seconds=60) <= real_time_clock[0] - started <= timedelta(seconds=70)


def test_given_a_domain_error_when_a_step_runs_then_the_run_fails_at_once_and_announces_it(api, tenant, run_everything):
    from tests.support.table import events

    _contact(api, tenant, email="taken@acme.com")
    workflow = _workflow(
        api,
        tenant,
        {
            "name": "Duplicate",
            "object": "company",
            "trigger": {"event": "company.created"},
            "steps": [
                {"id": "twin", "type": "create_record", "object": "contact", "properties": {"email": "taken@acme.com"}}
            ],
        },
    )

    api.post("/v1/companies", {"properties": {"name": "Initech"}}, key=tenant.key)
    run_everything()

    (run,) = _runs(api, tenant, workflow["id"], "failed")
    assert run["error"]["status"] == 409 and run["error"]["step"] == "twin"
    assert run["steps"][0]["attempts"] == 1
    failed = [e for e in events(tenant.id) if e["type"] == "workflow.run_failed"]
    assert [e["record_id"] for e in failed] == [run["id"]]


def test_given_a_failed_run_when_the_cause_is_fixed_and_it_is_retried_then_it_resumes_at_the_failed_step(
    api, tenant, run_everything
):
    taken = _contact(api, tenant, email="taken@acme.com")
    workflow = _workflow(
        api,
        tenant,
        {
            "name": "Partner",
            "object": "company",
            "trigger": {"event": "company.created"},
            "steps": [
                {"id": "tag", "type": "set_property", "property": "industry", "value": "partners"},
                {
                    "id": "partner",
                    "type": "create_record",
                    "object": "contact",
                    "properties": {"email": "taken@acme.com", "last_name": "{{record.name}}"},
                },
            ],
        },
    )
    api.post("/v1/companies", {"properties": {"name": "Initech"}}, key=tenant.key)
    run_everything()
    (run,) = _runs(api, tenant, workflow["id"], "failed")

    api.delete(f"/v1/contacts/{taken['id']}", key=tenant.key)
    retried = api.post(f"/v1/workflow-runs/{run['id']}/retry", key=tenant.key)
    run_everything()

    assert retried.status == 202 and retried.body["status"] == "running"
    done = api.get(f"/v1/workflow-runs/{run['id']}", key=tenant.key).body
    assert done["status"] == "succeeded"
    assert [(s["step"], s["status"]) for s in done["steps"]] == [
        ("tag", "succeeded"),
        ("partner", "failed"),
        ("partner", "succeeded"),
    ]
    again = api.post(f"/v1/workflow-runs/{run['id']}/retry", key=tenant.key)
    assert_problem(again, 409)


def test_given_a_waiting_run_when_it_is_cancelled_then_no_further_step_runs(api, tenant, event_chain, machine):
    workflow = _workflow(api, tenant, ROUND_ROBIN)
    contact = _contact(api, tenant, email="cancel@acme.com", lifecycle_stage="lead")
    event_chain.run()
    (tenant_id, run_id, _) = machine.started[0]
    from workflows import engine

    assert engine.advance(tenant_id, run_id)["next"] == "wait"

    reply = api.post(f"/v1/workflow-runs/{run_id}/cancel", key=tenant.key)
    machine.run_all()

    assert reply.status == 200 and reply.body["status"] == "cancelled"
    run = api.get(f"/v1/workflow-runs/{run_id}", key=tenant.key).body
    assert run["status"] == "cancelled" and [s["step"] for s in run["steps"]] == ["assign", "pause"]
    stage = api.get(f"/v1/contacts/{contact['id']}", key=tenant.key).body["properties"]["lifecycle_stage"]
    assert stage == "lead"
    assert_problem(api.post(f"/v1/workflow-runs/{run_id}/cancel", key=tenant.key), 409)
    assert _runs(api, tenant, workflow["id"], "cancelled")[0]["id"] == run_id


def test_given_a_run_pinned_to_version_one_when_the_workflow_changes_then_it_finishes_as_version_one(
    api, tenant, event_chain, machine
):
    workflow = _workflow(api, tenant, ROUND_ROBIN)
    contact = _contact(api, tenant, email="pinned@acme.com", lifecycle_stage="lead")
    event_chain.run()
    (tenant_id, run_id, _) = machine.started[0]
    from workflows import engine

    engine.advance(tenant_id, run_id)  # assigned; now waiting
    changed = [*ROUND_ROBIN["steps"][:2], {**ROUND_ROBIN["steps"][2], "value": "customer"}]
    assert api.patch(f"/v1/workflows/{workflow['id']}", {"steps": changed}, key=tenant.key).body["version"] == 2
    machine.run_all()

    run = api.get(f"/v1/workflow-runs/{run_id}", key=tenant.key).body
    assert run["status"] == "succeeded" and run["workflow_version"] == 1
    properties = api.get(f"/v1/contacts/{contact['id']}", key=tenant.key).body["properties"]
    assert properties["lifecycle_stage"] == "marketing_qualified_lead"


def test_given_a_disabled_workflow_when_its_trigger_fires_then_no_run_starts(api, tenant, run_everything):
    workflow = _workflow(api, tenant, {**ROUND_ROBIN, "enabled": False})

    _contact(api, tenant, email="off@acme.com", lifecycle_stage="lead")
    run_everything()

    assert _runs(api, tenant, workflow["id"]) == []


def test_given_a_manual_run_when_started_on_a_record_then_it_runs_that_record(api, tenant, run_everything):
    workflow = _workflow(api, tenant, {**ROUND_ROBIN, "enabled": False, "trigger": {"event": "manual"}})
    contact = _contact(api, tenant, email="manual@acme.com")

    reply = api.post(f"/v1/workflows/{workflow['id']}/runs", {"record_id": contact["id"]}, key=tenant.key)
    run_everything()

    assert reply.status == 202 and reply.body["trigger"]["type"] == "manual"
    run = api.get(f"/v1/workflow-runs/{reply.body['id']}", key=tenant.key).body
    assert run["status"] == "succeeded" and run["record_id"] == contact["id"]


def test_given_a_manual_run_on_a_record_that_does_not_exist_then_422_at_record_id(api, tenant, machine):
    workflow = _workflow(api, tenant, ROUND_ROBIN)

    reply = api.post(
        f"/v1/workflows/{workflow['id']}/runs", {"record_id": "01ARZ3NDEKTSV4RRFFQ69G5FAV"}, key=tenant.key
    )

    assert_problem(reply, 422, "/record_id")
    assert not machine.started


def test_given_a_wait_until_a_date_property_then_the_run_waits_until_that_day_plus_the_offset(
    api, tenant, run_everything, real_time_clock
):
    close = (real_time_clock[0] + timedelta(days=3)).date().isoformat()
    workflow = _workflow(
        api,
        tenant,
        {
            "name": "Before close",
            "object": "deal",
            "trigger": {"event": "deal.created"},
            "steps": [
                {"id": "eve", "type": "wait", "until_property": "close_date", "offset_seconds": -86400},
                {"id": "remind", "type": "set_property", "property": "stage", "value": "closing"},
            ],
        },
    )

    api.post("/v1/deals", {"properties": {"name": "Big", "close_date": close}}, key=tenant.key)
    run_everything()

    (run,) = _runs(api, tenant, workflow["id"], "succeeded")
    assert (
        run["steps"][0]["output"]["until"].startswith((real_time_clock[0] - timedelta(seconds=1)).date().isoformat())
        or run["steps"][0]["output"]["until"] <= run["steps"][1]["started_at"]
    )
    assert run["steps"][1]["started_at"] >= run["steps"][0]["output"]["until"]


def test_given_writes_by_a_run_then_their_events_carry_the_run_as_cause(api, tenant, run_everything):
    from tests.support.table import events

    workflow = _workflow(api, tenant, {**ROUND_ROBIN, "steps": ROUND_ROBIN["steps"][:1]})
    _contact(api, tenant, email="cause@acme.com", lifecycle_stage="lead")
    run_everything()

    (run,) = _runs(api, tenant, workflow["id"])
    updated = [e for e in events(tenant.id) if e["type"] == "contact.updated"]
    assert [e["cause"] for e in updated] == [{"workflow_id": workflow["id"], "run_id": run["id"], "depth": 1}]


def test_given_workflows_that_trigger_each_other_then_the_chain_stops_at_the_depth_limit_and_says_why(
    api, tenant, run_everything
):
    from workflows.engine import MAX_CHAIN_DEPTH

    flips = [
        _workflow(
            api,
            tenant,
            {
                "name": f"{a} -> {b}",
                "object": "contact",
                "reenrollment": "always",
                "trigger": {
                    "event": "contact.updated",
                    "conditions": {"property": "first_name", "op": "changed_to", "value": a},
                },
                "steps": [{"id": "flip", "type": "set_property", "property": "first_name", "value": b}],
            },
        )
        for a, b in (("ping", "pong"), ("pong", "ping"))
    ]
    contact = _contact(api, tenant, email="loop@acme.com")

    api.patch(f"/v1/contacts/{contact['id']}", {"properties": {"first_name": "ping"}}, key=tenant.key)
    run_everything()

    runs = sorted((r for w in flips for r in _runs(api, tenant, w["id"])), key=lambda r: r["depth"])
    assert [r["depth"] for r in runs] == list(range(1, MAX_CHAIN_DEPTH + 2))
    assert [r["status"] for r in runs] == ["succeeded"] * MAX_CHAIN_DEPTH + ["failed"]
    assert runs[-1]["error"]["title"] == "Workflow chain too deep" and runs[-1]["steps"] == []


def test_given_a_run_that_waits_often_then_it_continues_in_a_new_execution_before_the_history_limit(
    api, tenant, event_chain, machine, monkeypatch
):
    from workflows import engine

    monkeypatch.setattr(engine, "WAITS_PER_EXECUTION", 2)
    workflow = _workflow(
        api,
        tenant,
        {
            "name": "Waits thrice",
            "object": "contact",
            "trigger": {"event": "contact.created"},
            "steps": [
                {"id": "w1", "type": "wait", "seconds": 10},
                {"id": "w2", "type": "wait", "seconds": 10},
                {"id": "w3", "type": "wait", "seconds": 10},
                {"id": "done", "type": "set_property", "property": "owner", "value": "ana@acme.io"},
            ],
        },
    )
    _contact(api, tenant, email="long@acme.com")
    event_chain.run()
    machine.run_all()

    (run,) = _runs(api, tenant, workflow["id"])
    assert run["status"] == "succeeded"
    assert len(machine.names) == 2, "the run continued in a second execution"


# Every run route, with tenant A's ids: tenant B gets 404 on each (the isolation suite checks that every
# route of the document naming an id is attacked somewhere).
CROSS_TENANT_ROUTES = [
    ("GET", "/v1/workflows/{workflow}/runs", None),
    ("POST", "/v1/workflows/{workflow}/runs", {"record_id": "{record}"}),
    ("GET", "/v1/workflow-runs/{run}", None),
    ("POST", "/v1/workflow-runs/{run}/retry", None),
    ("POST", "/v1/workflow-runs/{run}/cancel", None),
]


def test_given_tenant_b_when_it_uses_tenant_a_runs_and_workflows_then_404_and_nothing_changes(
    api, tenant, other_tenant, run_everything, unchanged
):
    workflow = _workflow(api, tenant, ROUND_ROBIN)
    contact = _contact(api, tenant, email="mine@acme.com", lifecycle_stage="lead")
    run_everything()
    (run,) = _runs(api, tenant, workflow["id"])
    theirs = _workflow(api, other_tenant, ROUND_ROBIN)
    ids = {"workflow": workflow["id"], "run": run["id"], "record": contact["id"]}

    with unchanged():
        for method, path, body in CROSS_TENANT_ROUTES:
            concrete = path.format(**ids)
            sent = {k: v.format(**ids) for k, v in body.items()} if body else None
            reply = api.request(method, concrete, body=sent, key=other_tenant.key)
            assert_problem(reply, 404)
            assert contact["id"] not in str(reply.body) or method == "POST"
        manual = api.post(f"/v1/workflows/{theirs['id']}/runs", {"record_id": contact["id"]}, key=other_tenant.key)
        cursor = api.get(f"/v1/workflows/{workflow['id']}/runs?limit=1", key=tenant.key).body["next_cursor"]
    assert_problem(manual, 422, "/record_id")
    assert _runs(api, other_tenant, theirs["id"]) == []
    assert (
        cursor is None
        or api.get(f"/v1/workflows/{theirs['id']}/runs?cursor={cursor}", key=other_tenant.key).status == 400
    )

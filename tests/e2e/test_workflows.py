"""Workflows on the local stack as a user runs it: the state machine the stack deploys, executed by
moto's Step Functions, its tasks running the real runner; waits are real (and short) seconds."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import pytest

from tests.e2e.conftest import OPERATOR_KEY, LocalStackProcess

pytestmark = pytest.mark.e2e


def _tenant(stack: LocalStackProcess) -> str:
    return stack.request("POST", "/v1/tenants", {"name": "Acme"}, key=OPERATOR_KEY).body["api_key"]["key"]


def _eventually(probe: Callable[[], Any], what: str, timeout_s: float = 30) -> Any:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        found = probe()
        if found:
            return found
        time.sleep(0.1)
    raise AssertionError(f"not within {timeout_s} s: {what}")


def _runs(stack: LocalStackProcess, key: str, workflow_id: str, status: str | None = None) -> list[dict[str, Any]]:
    query = f"?status={status}" if status else ""
    return stack.request("GET", f"/v1/workflows/{workflow_id}/runs{query}", key=key).body["data"]


def _workflow(stack: LocalStackProcess, key: str, definition: dict[str, Any]) -> dict[str, Any]:
    reply = stack.request("POST", "/v1/workflows", definition, key=key)
    assert reply.status == 201, reply.body
    return reply.body


def test_given_lead_routing_when_a_vip_submits_a_form_then_the_lead_is_assigned_waits_branches_and_a_webhook_arrives(
    local_stack, receiver
):
    from standardwebhooks.webhooks import Webhook

    key = _tenant(local_stack)
    hook = local_stack.request(
        "POST", "/v1/webhooks", {"url": receiver.url, "event_types": ["workflow.run_succeeded"]}, key=key
    ).body
    workflow = _workflow(
        local_stack,
        key,
        {
            "name": "Route new leads",
            "object": "contact",
            "trigger": {
                "event": "contact.created",
                "conditions": {"all": [{"property": "lifecycle_stage", "op": "eq", "value": "lead"}]},
            },
            "steps": [
                {"id": "assign", "type": "assign_owner", "owners": ["ana@acme.io", "bo@acme.io"]},
                {"id": "pause", "type": "wait", "seconds": 2},
                {
                    "id": "vip",
                    "type": "branch",
                    "conditions": {"property": "email", "op": "ends_with", "value": "@vip.example"},
                    "then": "notify",
                    "else": "done",
                },
                {"id": "notify", "type": "send_webhook", "endpoint_id": hook["id"], "payload": {"note": "VIP lead"}},
                {"id": "done", "type": "stop"},
            ],
        },
    )

    form = local_stack.request(
        "POST",
        "/v1/forms",
        {
            "name": "Contact us",
            "fields": [
                {"name": "email", "property": "email", "required": True},
                {"name": "first_name", "property": "first_name"},
            ],
            "set_properties": {"lifecycle_stage": "lead"},
        },
        key=key,
    ).body

    started = time.monotonic()
    submitted = local_stack.request("POST", form["submit_url"], {"email": "zoe@vip.example", "first_name": "Zoe"})
    assert submitted.status == 202 and submitted.body["created"] is True, submitted.body
    zoe = local_stack.request("GET", f"/v1/contacts/{submitted.body['contact_id']}", key=key).body
    assert zoe["properties"]["lifecycle_stage"] == "lead"
    local_stack.request("POST", "/v1/contacts", {"properties": {"email": "max@other.example"}}, key=key)  # no lead

    (run,) = _eventually(lambda: _runs(local_stack, key, workflow["id"], "succeeded"), "the run succeeds")
    assert time.monotonic() - started >= 2, "the wait was not waited"
    assert run["record_id"] == zoe["id"] and run["workflow_version"] == 1
    assert [s["step"] for s in run["steps"]] == ["assign", "pause", "vip", "notify", "done"]
    assert all(s["status"] == "succeeded" for s in run["steps"])
    owner = local_stack.request("GET", f"/v1/contacts/{zoe['id']}", key=key).body["properties"]["owner"]
    assert owner == "ana@acme.io"
    assert len(_runs(local_stack, key, workflow["id"])) == 1, "the contact that is not a lead started a run"

    _eventually(lambda: len(receiver.requests) >= 2, "the workflow webhook and the run_succeeded event arrive")
    events = {}
    for request in receiver.requests:
        event = Webhook(hook["secret"]).verify(request["body"], request["headers"])
        events[event["type"]] = event
    assert events["workflow.webhook"]["data"]["payload"] == {"note": "VIP lead"}
    assert events["workflow.webhook"]["data"]["record"]["id"] == zoe["id"]
    assert events["workflow.run_succeeded"]["data"]["id"] == run["id"]


def test_given_a_step_that_conflicts_when_the_run_fails_then_subscribers_hear_and_a_retry_after_the_fix_finishes_it(
    local_stack, receiver
):
    from standardwebhooks.webhooks import Webhook

    key = _tenant(local_stack)
    hook = local_stack.request(
        "POST", "/v1/webhooks", {"url": receiver.url, "event_types": ["workflow.run_failed"]}, key=key
    ).body
    taken = local_stack.request("POST", "/v1/contacts", {"properties": {"email": "partner@acme.com"}}, key=key).body
    workflow = _workflow(
        local_stack,
        key,
        {
            "name": "Partner contact per company",
            "object": "company",
            "trigger": {"event": "company.created"},
            "steps": [
                {
                    "id": "partner",
                    "type": "create_record",
                    "object": "contact",
                    "properties": {"email": "partner@acme.com", "last_name": "{{record.name}}"},
                }
            ],
        },
    )

    local_stack.request("POST", "/v1/companies", {"properties": {"name": "Initech"}}, key=key)

    (run,) = _eventually(lambda: _runs(local_stack, key, workflow["id"], "failed"), "the run fails")
    assert run["error"]["step"] == "partner" and run["error"]["status"] == 409
    assert run["steps"][-1]["attempts"] == 1, "a conflict is not transient: no retries"
    request = _eventually(lambda: receiver.requests, "workflow.run_failed reaches the subscriber")[0]
    event = Webhook(hook["secret"]).verify(request["body"], request["headers"])
    assert event["type"] == "workflow.run_failed" and event["data"]["id"] == run["id"]

    local_stack.request("DELETE", f"/v1/contacts/{taken['id']}", key=key)  # remove the conflict
    retried = local_stack.request("POST", f"/v1/workflow-runs/{run['id']}/retry", key=key)
    assert retried.status == 202 and retried.body["status"] == "running"

    done = _eventually(
        lambda: (
            (r := local_stack.request("GET", f"/v1/workflow-runs/{run['id']}", key=key).body)["status"] == "succeeded"
            and r
        ),
        "the retried run succeeds",
    )
    assert [s["status"] for s in done["steps"]] == ["failed", "succeeded"]
    created = local_stack.request("GET", "/v1/contacts?email=partner@acme.com", key=key).body["data"]
    assert created and created[0]["properties"]["last_name"] == "Initech"


def test_given_two_workflows_that_trigger_each_other_then_the_chain_stops_at_the_depth_limit(local_stack):
    key = _tenant(local_stack)
    flips = []
    for from_value, to_value in (("ping", "pong"), ("pong", "ping")):
        flips.append(
            _workflow(
                local_stack,
                key,
                {
                    "name": f"{from_value} -> {to_value}",
                    "object": "contact",
                    "reenrollment": "always",
                    "trigger": {
                        "event": "contact.updated",
                        "conditions": {"property": "first_name", "op": "changed_to", "value": from_value},
                    },
                    "steps": [{"id": "flip", "type": "set_property", "property": "first_name", "value": to_value}],
                },
            )
        )
    contact = local_stack.request("POST", "/v1/contacts", {"properties": {"email": "loop@acme.com"}}, key=key).body

    local_stack.request("PATCH", f"/v1/contacts/{contact['id']}", {"properties": {"first_name": "ping"}}, key=key)

    def stopped() -> list[dict[str, Any]]:
        runs = [r for w in flips for r in _runs(local_stack, key, w["id"])]
        return [r for r in runs if r["status"] == "failed"] and runs

    runs = _eventually(stopped, "the chain stops")
    time.sleep(1)  # nothing more may start after the stop
    runs = [r for w in flips for r in _runs(local_stack, key, w["id"])]
    failed = [r for r in runs if r["status"] == "failed"]
    assert len(failed) == 1 and failed[0]["error"]["title"] == "Workflow chain too deep"
    assert sorted(r["depth"] for r in runs) == list(range(1, len(runs) + 1))
    assert all(r["status"] == "succeeded" for r in runs if r is not failed[0])


def test_given_a_waiting_run_when_the_stack_restarts_then_the_run_finishes(local_stack):
    key = _tenant(local_stack)
    workflow = _workflow(
        local_stack,
        key,
        {
            "name": "Later",
            "object": "contact",
            "trigger": {"event": "contact.created"},
            "steps": [
                {"id": "pause", "type": "wait", "seconds": 3},
                {"id": "qualify", "type": "set_property", "property": "lifecycle_stage", "value": "lead"},
            ],
        },
    )
    contact = local_stack.request("POST", "/v1/contacts", {"properties": {"email": "later@acme.com"}}, key=key).body
    _eventually(lambda: _runs(local_stack, key, workflow["id"], "waiting"), "the run waits")

    local_stack.stop()
    local_stack.start()

    (run,) = _eventually(lambda: _runs(local_stack, key, workflow["id"], "succeeded"), "the run finishes", 20)
    assert [s["step"] for s in run["steps"]] == ["pause", "qualify"]
    stage = local_stack.request("GET", f"/v1/contacts/{contact['id']}", key=key).body["properties"]["lifecycle_stage"]
    assert stage == "lead"

"""Per-tenant metrics on moto, through the local gateway and event chain: the webhook sender counts each
delivery attempt with its outcome, and an API request counts the request and its write."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest

pytestmark = pytest.mark.usefixtures("private_targets_allowed", "metrics_on")


@pytest.fixture
def metrics_on(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("POWERTOOLS_METRICS_DISABLED", "false")  # as in Lambda: EMF on stdout
    monkeypatch.setenv("POWERTOOLS_METRICS_NAMESPACE", "Crm")


def emitted(out: str, name: str) -> list[dict[str, Any]]:
    """The EMF blobs on stdout that carry metric `name`, with their dimension names as `dimensions`."""
    found = []
    for line in out.splitlines():
        if not line.startswith('{"_aws"'):
            continue
        blob = json.loads(line)
        [directive] = blob["_aws"]["CloudWatchMetrics"]
        if any(m["Name"] == name for m in directive["Metrics"]):
            assert directive["Namespace"] == "Crm"
            found.append({**blob, "dimensions": set(directive["Dimensions"][0])})
    return found


def total(blobs: list[dict[str, Any]], name: str) -> float:
    return sum(sum(blob[name]) for blob in blobs)


def test_given_a_receiver_failing_once_when_deliveries_run_then_the_sender_counts_each_attempt_with_its_outcome(
    api, tenant, receiver, event_chain, capsys
):
    hook = api.post("/v1/webhooks", {"url": receiver.url, "event_types": ["contact.*"]}, key=tenant.key)
    assert hook.status == 201, hook.body
    receiver.behaviour = lambda n, request: (500, {}) if n == 1 else (200, {})
    assert api.post("/v1/contacts", {"properties": {"email": "ada@example.com"}}, key=tenant.key).status == 201
    capsys.readouterr()

    event_chain.run_until_quiet(timedelta(hours=1))

    assert receiver.answers == [500, 200]
    out = capsys.readouterr().out
    deliveries = emitted(out, "Deliveries")
    assert {(d["outcome"], d["tenant_id"]) for d in deliveries} == {("failed", tenant.id), ("succeeded", tenant.id)}
    assert total(deliveries, "Deliveries") == 2
    for blob in deliveries:
        assert blob["dimensions"] == {"tier", "outcome"}  # + service in Lambda (POWERTOOLS_SERVICE_NAME)
        assert blob["tier"] == "unknown"  # a consumer does not read the tenant's tier
        assert "tenant_id" not in blob["dimensions"]
    failures = emitted(out, "Failures")
    assert total(failures, "Failures") == 1 and failures[0]["tenant_id"] == tenant.id
    # one commit each: the fan-out's delivery row; per attempt, its log entry and the endpoint's
    # failing_since (set by the failure, cleared by the success)
    writes = emitted(out, "Writes")
    assert total(writes, "Writes") == 5 and {w["tenant_id"] for w in writes} == {tenant.id}


def test_given_a_receiver_that_refuses_when_delivering_then_no_success_is_counted(
    api, tenant, receiver, event_chain, capsys
):
    api.post("/v1/webhooks", {"url": receiver.url, "event_types": ["contact.*"]}, key=tenant.key)
    receiver.behaviour = lambda n, request: (410, {})
    api.post("/v1/contacts", {"properties": {"email": "ada@example.com"}}, key=tenant.key)
    capsys.readouterr()

    event_chain.run()

    deliveries = emitted(capsys.readouterr().out, "Deliveries")
    assert [(d["outcome"], d["Deliveries"]) for d in deliveries] == [("failed", [1.0])]


def test_given_an_observed_api_function_when_a_contact_is_created_then_the_request_and_one_write_are_counted(
    api, tenant, capsys, monkeypatch
):
    from contacts import handler as contacts
    from crm import observability

    # What crm.http.lambda_handler does once it is wired (wrapping twice counts once, so this holds after too).
    monkeypatch.setattr(contacts, "handler", observability.observed_api(contacts.handler))
    capsys.readouterr()

    created = api.post("/v1/contacts", {"properties": {"email": "ada@example.com"}}, key=tenant.key)
    missing = api.get("/v1/contacts/01J00000000000000000000000", key=tenant.key)

    assert created.status == 201 and missing.status == 404
    out = capsys.readouterr().out
    requests = {r["status_class"]: r for r in emitted(out, "Requests")}
    assert set(requests) == {"2xx", "4xx"}
    for blob in requests.values():
        assert blob["dimensions"] == {"tier", "status_class"}
        assert blob["tier"] == "basic" and blob["tenant_id"] == tenant.id and blob["Requests"] == [1.0]
    [writes] = emitted(out, "Writes")
    assert writes["Writes"] == [1.0] and writes["tier"] == "basic" and writes["tenant_id"] == tenant.id
    assert emitted(out, "Failures") == []

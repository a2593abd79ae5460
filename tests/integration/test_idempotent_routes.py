"""Every write route honours Idempotency-Key the same way: a retry with the same key and body gets the
first response (marked `Idempotent-Replayed: true`) and changes nothing more; the same key with another
body is a 422. The table of cases must cover every write operation of the OpenAPI document, so a new
write route cannot ship without joining this suite."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from tests.conftest import OPERATOR_KEY
from tests.integration.activity.test_events import IDEMPOTENT_CASES as ACTIVITY_CASES
from tests.integration.contacts.test_associations import idempotent_cases as association_cases
from tests.integration.contacts.test_batch import IDEMPOTENT_CASES as BATCH_CASES
from tests.integration.forms.test_forms import idempotent_cases
from tests.integration.schemas.test_schemas import IDEMPOTENT_CASES as SCHEMA_CASES
from tests.support.problems import assert_problem
from tests.support.table import everything


@dataclass
class Given:
    api: Any
    tenant: Any
    chain: Any  # the event chain, to turn a test event into a delivery
    receiver_url: str
    moment: list


@dataclass
class Case:
    """How to call one write route: `prepare(given)` returns (path, body, other_body, key)."""

    operation: str
    method: str
    prepare: Callable[[Given], tuple[str, Any, Any, str]]


def _record(g: Given, collection: str = "contacts", archived: bool = False) -> str:
    properties = {"first_name": "A"} if collection == "contacts" else {"name": "N"}
    record_id = g.api.post(f"/v1/{collection}", {"properties": properties}, key=g.tenant.key).body["id"]
    if archived:
        g.api.delete(f"/v1/{collection}/{record_id}", key=g.tenant.key)
    return record_id


def _hook(g: Given) -> str:
    body = {"url": g.receiver_url, "event_types": ["contact.*"]}
    return g.api.post("/v1/webhooks", body, key=g.tenant.key).body["id"]


def _delivery(g: Given) -> tuple[str, str]:
    """A webhook with one delivered event (its delivery id is the event id)."""
    hook_id = _hook(g)
    event_id = g.api.post(f"/v1/webhooks/{hook_id}/test", key=g.tenant.key).body["event_id"]
    g.chain.run()
    return hook_id, event_id


def _workflow_body(name: str) -> dict[str, Any]:
    return {
        "name": name,
        "object": "contact",
        "trigger": {"event": "contact.created"},
        "steps": [{"id": "end", "type": "stop"}],
    }


def _workflow(g: Given) -> str:
    return g.api.post("/v1/workflows", _workflow_body("Existing"), key=g.tenant.key).body["id"]


def _run(g: Given, *, failed: bool) -> str:
    """A run of a manual workflow, advanced once: failed (its step hits a unique email) or waiting."""
    from workflows import engine

    if failed:
        g.api.post("/v1/contacts", {"properties": {"email": "taken@example.com"}}, key=g.tenant.key)
        steps = [
            {"id": "twin", "type": "create_record", "object": "contact", "properties": {"email": "taken@example.com"}}
        ]
    else:
        steps = [{"id": "pause", "type": "wait", "seconds": 60}, {"id": "end", "type": "stop"}]
    body = {"name": "Runs", "object": "contact", "trigger": {"event": "manual"}, "steps": steps}
    workflow_id = g.api.post("/v1/workflows", body, key=g.tenant.key).body["id"]
    started = g.api.post(f"/v1/workflows/{workflow_id}/runs", {"record_id": _record(g)}, key=g.tenant.key)
    engine.advance(g.tenant.id, started.body["id"])
    return started.body["id"]


def _hours_ago(g: Given, hours: int) -> str:
    from datetime import timedelta

    return (g.moment[0] - timedelta(hours=hours)).isoformat()


def _records(collection: str, properties: dict, other: dict, *, via_objects: bool = False) -> list[Case]:
    """The record write routes of one collection, at /v1/<collection> or at /v1/objects/<collection>."""
    name = {"contacts": "contact", "companies": "company", "deals": "deal"}[collection]
    if via_objects:
        name = f"object_{name}"
    base = f"/v1/objects/{collection}" if via_objects else f"/v1/{collection}"
    return [
        Case(
            f"create_{name}",
            "POST",
            lambda g: (base, {"properties": properties}, {"properties": other}, g.tenant.key),
        ),
        Case(
            f"update_{name}",
            "PATCH",
            lambda g: (
                f"{base}/{_record(g, collection)}",
                {"properties": properties},
                {"properties": other},
                g.tenant.key,
            ),
        ),
        Case(
            f"archive_{name}",
            "DELETE",
            lambda g: (f"{base}/{_record(g, collection)}", None, None, g.tenant.key),
        ),
        Case(
            f"restore_{name}",
            "POST",
            lambda g: (
                f"{base}/{_record(g, collection, archived=True)}/restore",
                None,
                None,
                g.tenant.key,
            ),
        ),
    ]


CASES = [
    Case("create_tenant", "POST", lambda g: ("/v1/tenants", {"name": "New"}, {"name": "Other"}, OPERATOR_KEY)),
    Case("create_api_key", "POST", lambda g: ("/v1/api-keys", {"name": "k"}, {"name": "other"}, g.tenant.key)),
    Case(
        "revoke_api_key",
        "DELETE",
        lambda g: (
            f"/v1/api-keys/{g.api.post('/v1/api-keys', {'name': 'k'}, key=g.tenant.key).body['api_key']['id']}",
            None,
            None,
            g.tenant.key,
        ),
    ),
    *_records("contacts", {"email": "ada@example.com"}, {"email": "bob@example.com"}),
    *_records("companies", {"name": "Acme"}, {"name": "Globex"}),
    *_records("deals", {"name": "Big"}, {"name": "Small"}),
    *_records("contacts", {"first_name": "Via"}, {"first_name": "Objects"}, via_objects=True),
    *_records("companies", {"name": "Via"}, {"name": "Objects"}, via_objects=True),
    *_records("deals", {"name": "Via"}, {"name": "Objects"}, via_objects=True),
    Case(
        "create_webhook",
        "POST",
        lambda g: (
            "/v1/webhooks",
            {"url": "https://example.com/a", "event_types": ["contact.*"]},
            {"url": "https://example.com/b", "event_types": ["contact.*"]},
            g.tenant.key,
        ),
    ),
    Case(
        "update_webhook",
        "PATCH",
        lambda g: (f"/v1/webhooks/{_hook(g)}", {"description": "one"}, {"description": "two"}, g.tenant.key),
    ),
    Case("delete_webhook", "DELETE", lambda g: (f"/v1/webhooks/{_hook(g)}", None, None, g.tenant.key)),
    Case(
        "rotate_webhook_secret",
        "POST",
        lambda g: (f"/v1/webhooks/{_hook(g)}/rotate-secret", None, None, g.tenant.key),
    ),
    Case("test_webhook", "POST", lambda g: (f"/v1/webhooks/{_hook(g)}/test", None, None, g.tenant.key)),
    Case(
        "redeliver_webhook_delivery",
        "POST",
        lambda g: ("/v1/webhooks/{}/deliveries/{}/redeliver".format(*_delivery(g)), None, None, g.tenant.key),
    ),
    Case(
        "replay_webhook_events",
        "POST",
        lambda g: (
            f"/v1/webhooks/{_delivery(g)[0]}/replay",
            {"since": _hours_ago(g, 1)},
            {"since": _hours_ago(g, 2)},
            g.tenant.key,
        ),
    ),
    Case(
        "create_workflow",
        "POST",
        lambda g: ("/v1/workflows", _workflow_body("One"), _workflow_body("Two"), g.tenant.key),
    ),
    Case(
        "update_workflow",
        "PATCH",
        lambda g: (f"/v1/workflows/{_workflow(g)}", {"name": "One"}, {"name": "Two"}, g.tenant.key),
    ),
    Case("delete_workflow", "DELETE", lambda g: (f"/v1/workflows/{_workflow(g)}", None, None, g.tenant.key)),
    Case(
        "start_workflow_run",
        "POST",
        lambda g: (
            f"/v1/workflows/{_workflow(g)}/runs",
            {"record_id": _record(g)},
            {"record_id": _record(g)},
            g.tenant.key,
        ),
    ),
    Case(
        "retry_workflow_run",
        "POST",
        lambda g: (f"/v1/workflow-runs/{_run(g, failed=True)}/retry", None, None, g.tenant.key),
    ),
    Case(
        "cancel_workflow_run",
        "POST",
        lambda g: (f"/v1/workflow-runs/{_run(g, failed=False)}/cancel", None, None, g.tenant.key),
    ),
    *idempotent_cases(),
]
CASES += [Case(*case) for case in (*ACTIVITY_CASES, *BATCH_CASES, *SCHEMA_CASES, *association_cases())]


def test_given_the_openapi_document_when_its_write_operations_are_listed_then_each_has_a_case(api):
    document = api.get("/v1/openapi.json").body
    writes = {
        operation["operationId"]
        for methods in document["paths"].values()
        for method, operation in methods.items()
        if method in ("post", "put", "patch", "delete") and not operation["operationId"].startswith("search_")
    }  # (a search is a POST that only reads)
    assert writes == {case.operation for case in CASES}


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.operation)
def test_given_a_write_when_retried_with_the_same_key_then_the_first_response_returns_and_nothing_more_changes(
    api, tenant, event_chain, receiver, private_targets_allowed, case
):
    # Given a first request with an Idempotency-Key
    given = Given(api, tenant, event_chain, receiver.url, event_chain.moment)
    path, body, other_body, key = case.prepare(given)
    headers = {"Idempotency-Key": f"retry-{case.operation}"}
    first = api.request(case.method, path, body, key=key, headers=headers)
    assert first.status < 300, first.body
    after_first = everything()

    # When the client retries it (the answer was lost on the way)
    again = api.request(case.method, path, body, key=key, headers=headers)

    # Then it gets the first response, replayed, and the data is exactly as after the first
    assert again.status == first.status
    assert again.header("Idempotent-Replayed") == "true"
    assert first.header("Idempotent-Replayed") is None
    assert everything() == after_first
    for name in ("Location", "ETag"):
        assert again.header(name) == first.header(name)
    if isinstance(first.body, dict):
        assert _without_secrets(again.body) == _without_secrets(first.body)

    # And the same key with a different request is refused
    if other_body is not None:
        reused = api.request(case.method, path, other_body, key=key, headers=headers)
        assert assert_problem(reused, 422)["type"].endswith("/idempotency-key-reused")
        assert everything() == after_first


def _without_secrets(body: dict) -> dict:
    """A secret is shown once: a replay returns the first response with the secret left out."""
    hidden = {"secret", "key", "note"}
    return {k: _without_secrets(v) if isinstance(v, dict) else v for k, v in body.items() if k not in hidden}

"""Workflow definitions through the API (the handler on moto, the authorizer included): create, read, list,
change into new versions, delete softly, with ETags, If-Match, Idempotency-Key, roles and tenants."""

from __future__ import annotations

from typing import Any

import pytest

from crm.store import TenantTable
from tests.support.problems import assert_problem
from tests.support.table import events, tenant_items
from workflows.repository import WorkflowRepository

LEAD_ROUTING: dict[str, Any] = {
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
        {"id": "notify", "type": "send_webhook", "endpoint_id": "<hook>", "payload": {"note": "VIP {{record.email}}"}},
        {"id": "done", "type": "stop"},
    ],
}


def hook(api, tenant) -> str:
    body = {"url": "https://example.com/hook", "event_types": ["contact.*"]}
    reply = api.post("/v1/webhooks", body, key=tenant.key)
    assert reply.status == 201, reply.body
    return reply.body["id"]


def lead_routing(endpoint_id: str, **changes: Any) -> dict[str, Any]:
    body = {**LEAD_ROUTING, **changes}
    body["steps"] = [
        {**step, "endpoint_id": endpoint_id} if step["type"] == "send_webhook" else step for step in body["steps"]
    ]
    return body


def create(api, tenant, body: dict[str, Any], **kw: Any) -> dict[str, Any]:
    reply = api.post("/v1/workflows", body, key=tenant.key, **kw)
    assert reply.status == 201, reply.body
    return reply.body


@pytest.fixture(autouse=True)
def _frozen(frozen_clock: list) -> None:
    """Time moves only when a test ticks, so versions and lists order strictly."""


@pytest.fixture
def endpoint(api, tenant) -> str:
    return hook(api, tenant)


@pytest.fixture
def workflow(api, tenant, endpoint) -> dict[str, Any]:
    return create(api, tenant, lead_routing(endpoint))


def test_given_a_valid_definition_when_created_then_201_with_version_1_etag_location_and_an_event(
    api, tenant, endpoint
):
    reply = api.post("/v1/workflows", lead_routing(endpoint), key=tenant.key)

    assert reply.status == 201, reply.body
    body = reply.body
    assert (body["version"], reply.header("ETag"), reply.header("Location")) == (
        1,
        '"1"',
        f"/v1/workflows/{body['id']}",
    )
    assert (body["enabled"], body["reenrollment"], body["description"]) == (True, "never", None)
    assert body["trigger"] == LEAD_ROUTING["trigger"]
    assert body["steps"][3] == {**LEAD_ROUTING["steps"][3], "endpoint_id": endpoint}
    assert body["created_at"] == body["updated_at"]
    [event] = [e for e in events(tenant.id) if e["type"].startswith("workflow.")]
    assert (event["type"], event["object"], event["record_id"]) == ("workflow.created", "workflow", body["id"])
    assert event["data"]["trigger_event"] == "contact.created" and event["data"]["version"] == 1


def test_given_a_workflow_when_read_then_it_is_as_created_with_its_etag(api, tenant, workflow):
    reply = api.get(f"/v1/workflows/{workflow['id']}", key=tenant.key)

    assert (reply.status, reply.body, reply.header("ETag")) == (200, workflow, '"1"')
    assert api.get(f"/v1/workflows/{workflow['id'].lower()}", key=tenant.key).body == workflow


def test_given_an_unknown_id_when_read_then_404(api, tenant):
    assert_problem(api.get("/v1/workflows/01ARZ3NDEKTSV4RRFFQ69G5FAV", key=tenant.key), 404)


def test_given_workflows_when_listed_then_newest_first_paged_and_filtered_by_enabled(api, tenant, endpoint, tick):
    first = create(api, tenant, lead_routing(endpoint, name="First"))
    tick()
    second = create(api, tenant, lead_routing(endpoint, name="Second", enabled=False))
    tick()
    third = create(api, tenant, lead_routing(endpoint, name="Third"))

    page = api.get("/v1/workflows?limit=2", key=tenant.key).body
    assert [w["id"] for w in page["data"]] == [third["id"], second["id"]]
    rest = api.get(f"/v1/workflows?limit=2&cursor={page['next_cursor']}", key=tenant.key).body
    assert ([w["id"] for w in rest["data"]], rest["next_cursor"]) == ([first["id"]], None)
    enabled = api.get("/v1/workflows?enabled=true", key=tenant.key).body["data"]
    assert [w["id"] for w in enabled] == [third["id"], first["id"]]
    disabled = api.get("/v1/workflows?enabled=false", key=tenant.key).body["data"]
    assert [w["id"] for w in disabled] == [second["id"]]
    assert page["data"][0] == third


def test_given_a_cursor_of_one_filter_when_used_with_another_then_400(api, tenant, endpoint, tick):
    create(api, tenant, lead_routing(endpoint))
    tick()
    create(api, tenant, lead_routing(endpoint))
    cursor = api.get("/v1/workflows?limit=1", key=tenant.key).body["next_cursor"]

    assert_problem(api.get(f"/v1/workflows?enabled=true&cursor={cursor}", key=tenant.key), 400)


def test_given_a_change_when_patched_then_version_2_is_current_and_both_versions_are_listed_newest_first(
    api, tenant, workflow, tick
):
    tick()
    reply = api.patch(
        f"/v1/workflows/{workflow['id']}",
        {"name": "Route leads", "steps": [{"id": "only", "type": "wait", "seconds": 60}]},
        key=tenant.key,
        headers={"If-Match": '"1"'},
    )

    assert (reply.status, reply.header("ETag")) == (200, '"2"'), reply.body
    assert reply.body["name"] == "Route leads" and reply.body["steps"] == [
        {"id": "only", "type": "wait", "seconds": 60}
    ]
    assert reply.body["trigger"] == workflow["trigger"]  # what was not sent stays
    assert reply.body["updated_at"] > workflow["updated_at"] and reply.body["created_at"] == workflow["created_at"]
    assert api.get(f"/v1/workflows/{workflow['id']}", key=tenant.key).body == reply.body
    versions = api.get(f"/v1/workflows/{workflow['id']}/versions", key=tenant.key).body
    assert [v["version"] for v in versions["data"]] == [2, 1] and versions["next_cursor"] is None
    assert versions["data"][1]["steps"] == workflow["steps"]
    old = api.get(f"/v1/workflows/{workflow['id']}/versions/1", key=tenant.key)
    assert old.status == 200 and old.body == versions["data"][1]
    assert (old.body["workflow_id"], old.body["name"], old.body["deleted_at"]) == (
        workflow["id"],
        workflow["name"],
        None,
    )
    updated = [e for e in events(tenant.id) if e["type"] == "workflow.updated"]
    assert [e["changes"] for e in updated] == [
        {"name": {"old": "Route new leads", "new": "Route leads"}, "step_count": {"old": 5, "new": 1}}
    ]


def test_given_versions_when_paged_then_the_cursor_goes_on_from_the_last_one(api, tenant, workflow):
    for name in ("two", "three"):
        assert api.patch(f"/v1/workflows/{workflow['id']}", {"name": name}, key=tenant.key).status == 200

    page = api.get(f"/v1/workflows/{workflow['id']}/versions?limit=2", key=tenant.key).body
    rest = api.get(f"/v1/workflows/{workflow['id']}/versions?limit=2&cursor={page['next_cursor']}", key=tenant.key)

    assert [v["name"] for v in page["data"]] == ["three", "two"]
    assert [v["version"] for v in rest.body["data"]] == [1] and rest.body["next_cursor"] is None


def test_given_what_is_already_there_when_patched_then_200_same_version_and_nothing_written(
    api, tenant, workflow, unchanged
):
    with unchanged():
        reply = api.patch(
            f"/v1/workflows/{workflow['id']}",
            {"enabled": True, "trigger": LEAD_ROUTING["trigger"], "name": "  Route new leads "},
            key=tenant.key,
        )

    assert (reply.status, reply.header("ETag"), reply.body) == (200, '"1"', workflow)


def test_given_a_stale_etag_when_patching_or_deleting_then_412_and_nothing_changes(api, tenant, workflow, unchanged):
    assert api.patch(f"/v1/workflows/{workflow['id']}", {"enabled": False}, key=tenant.key).status == 200

    with unchanged():
        patch = api.patch(f"/v1/workflows/{workflow['id']}", {"name": "x"}, key=tenant.key, headers={"If-Match": '"1"'})
        delete = api.delete(f"/v1/workflows/{workflow['id']}", key=tenant.key, headers={"If-Match": '"1"'})

    assert_problem(patch, 412)
    assert_problem(delete, 412)


def test_given_an_invalid_change_when_patched_then_422_pointing_into_the_whole_definition(
    api, tenant, workflow, unchanged
):
    steps = [{"id": "a", "type": "wait", "seconds": 5, "next": "nowhere"}]
    with unchanged():
        reply = api.patch(
            f"/v1/workflows/{workflow['id']}", {"name": None, "steps": steps, "colour": "red"}, key=tenant.key
        )

    assert_problem(reply, 422, "/name", "/colour", "/steps/0/next")


def test_given_description_null_when_patched_then_the_description_is_removed(api, tenant, endpoint):
    created = create(api, tenant, lead_routing(endpoint, description="Leads to sales"))
    reply = api.patch(f"/v1/workflows/{created['id']}", {"description": None}, key=tenant.key)

    assert (reply.status, reply.body["description"], reply.body["version"]) == (200, None, 2)


def test_given_a_workflow_when_deleted_then_404_hidden_from_lists_but_its_versions_stay(api, tenant, workflow):
    reply = api.delete(f"/v1/workflows/{workflow['id']}", key=tenant.key, headers={"If-Match": '"1"'})

    assert (reply.status, reply.body) == (204, None)
    assert_problem(api.get(f"/v1/workflows/{workflow['id']}", key=tenant.key), 404)
    assert api.get("/v1/workflows", key=tenant.key).body["data"] == []
    assert_problem(api.patch(f"/v1/workflows/{workflow['id']}", {"name": "x"}, key=tenant.key), 404)
    assert_problem(api.delete(f"/v1/workflows/{workflow['id']}", key=tenant.key), 404)
    versions = api.get(f"/v1/workflows/{workflow['id']}/versions", key=tenant.key).body["data"]
    assert [(v["version"], v["enabled"], v["deleted_at"] is not None) for v in versions] == [
        (2, False, True),
        (1, True, False),
    ]
    deleted = [e for e in events(tenant.id) if e["type"] == "workflow.deleted"]
    assert [e["data"]["deleted_at"] is not None for e in deleted] == [True]
    item = WorkflowRepository(TenantTable(tenant.id)).get(workflow["id"])
    assert item is not None and item["deleted_at"] and item["enabled"] is False


def test_given_an_unknown_version_when_read_then_404(api, tenant, workflow):
    assert_problem(api.get(f"/v1/workflows/{workflow['id']}/versions/2", key=tenant.key), 404)
    assert_problem(api.get(f"/v1/workflows/{workflow['id']}/versions/0", key=tenant.key), 422, "/path/version")


def test_given_a_read_only_key_when_it_manages_workflows_then_403_but_it_may_read(api, tenant, workflow, unchanged):
    body = api.post("/v1/api-keys", {"name": "ro", "role": "read_only"}, key=tenant.key).body
    read_only = body["api_key"]["key"]
    url = f"/v1/workflows/{workflow['id']}"

    with unchanged():
        assert_problem(api.post("/v1/workflows", LEAD_ROUTING, key=read_only), 403)
        assert_problem(api.patch(url, {"enabled": False}, key=read_only), 403)
        assert_problem(api.delete(url, key=read_only), 403)
    assert api.get(url, key=read_only).status == 200
    assert api.get("/v1/workflows", key=read_only).status == 200
    assert api.get(f"{url}/versions/1", key=read_only).status == 200


def test_given_a_member_key_when_it_manages_workflows_then_it_may(api, tenant, endpoint):
    member = api.post("/v1/api-keys", {"name": "m", "role": "member"}, key=tenant.key).body["api_key"]["key"]

    reply = api.post("/v1/workflows", lead_routing(endpoint), key=member)

    assert reply.status == 201, reply.body


def test_given_tenant_a_workflow_when_tenant_b_uses_its_id_then_404_and_nothing_changes(
    api, tenant, other_tenant, workflow
):
    a_before, b_before = tenant_items(tenant.id), tenant_items(other_tenant.id)
    url = f"/v1/workflows/{workflow['id']}"
    for method, path, body in (
        ("GET", url, None),
        ("PATCH", url, {"enabled": False}),
        ("DELETE", url, None),
        ("GET", f"{url}/versions", None),
        ("GET", f"{url}/versions/1", None),
    ):
        reply = api.request(method, path, body, key=other_tenant.key)
        assert_problem(reply, 404)
        assert workflow["name"] not in str(reply.body)
    assert api.get("/v1/workflows", key=other_tenant.key).body == {"data": [], "next_cursor": None}
    assert (tenant_items(tenant.id), tenant_items(other_tenant.id)) == (a_before, b_before)


def test_given_tenant_a_webhook_when_tenant_b_names_it_in_a_step_then_422_at_the_endpoint(
    api, tenant, other_tenant, endpoint, unchanged
):
    with unchanged():
        reply = api.post("/v1/workflows", lead_routing(endpoint), key=other_tenant.key)

    assert_problem(reply, 422, "/steps/3/endpoint_id")


def test_given_an_idempotency_key_when_a_create_is_retried_then_the_first_answer_returns_and_one_workflow_exists(
    api, tenant, endpoint
):
    headers = {"Idempotency-Key": "create-routing"}
    first = api.post("/v1/workflows", lead_routing(endpoint), key=tenant.key, headers=headers)
    again = api.post("/v1/workflows", lead_routing(endpoint), key=tenant.key, headers=headers)
    other = api.post("/v1/workflows", lead_routing(endpoint, name="Other"), key=tenant.key, headers=headers)

    assert (again.status, again.body, again.header("Idempotent-Replayed")) == (201, first.body, "true")
    assert assert_problem(other, 422)["type"].endswith("/idempotency-key-reused")
    assert len(api.get("/v1/workflows", key=tenant.key).body["data"]) == 1


def test_given_many_faults_when_created_then_every_one_is_reported_at_once_and_nothing_written(api, tenant, unchanged):
    body = {
        "name": "",
        "object": "contact",
        "trigger": {"event": "deal.created"},
        "steps": [
            {"id": "a", "type": "set_property", "property": "shoe_size", "value": 42},
            {"id": "b", "type": "send_webhook", "endpoint_id": "01ARZ3NDEKTSV4RRFFQ69G5FAV"},
        ],
    }
    with unchanged():
        reply = api.post("/v1/workflows", body, key=tenant.key)

    assert_problem(reply, 422, "/name", "/trigger/event", "/steps/0/property", "/steps/1/endpoint_id")


def test_given_the_repository_when_the_engine_asks_then_it_gets_enabled_workflows_by_trigger_and_pinned_versions(
    api, tenant, endpoint, tick
):
    wanted = create(api, tenant, lead_routing(endpoint))
    tick()
    create(api, tenant, lead_routing(endpoint, enabled=False))
    tick()
    create(api, tenant, lead_routing(endpoint, trigger={"event": "contact.updated"}))
    tick()
    gone = create(api, tenant, lead_routing(endpoint))
    api.delete(f"/v1/workflows/{gone['id']}", key=tenant.key)
    api.patch(f"/v1/workflows/{wanted['id']}", {"name": "Renamed"}, key=tenant.key)
    repository = WorkflowRepository(TenantTable(tenant.id))

    [(item, definition)] = repository.enabled_for_trigger("contact.created")

    assert (item["id"], item["version"], definition.name) == (wanted["id"], 2, "Renamed")
    assert definition.trigger.conditions is not None
    assert definition.trigger.conditions.evaluate({"lifecycle_stage": "lead"})
    assert repository.get_version(wanted["id"], 1).name == "Route new leads"
    assert repository.enabled_for_trigger("deal.created") == []

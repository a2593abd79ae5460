"""Tenant isolation under concurrent load: one local stack process serves several tenants at once, and
every answer must belong to the caller who asked, whatever else is running beside it."""

from __future__ import annotations

from collections import Counter
from concurrent.futures import ThreadPoolExecutor

from tests.e2e.conftest import OPERATOR_KEY

ROUNDS = 40


def _onboard(stack, name: str) -> str:
    reply = stack.request("POST", "/v1/tenants", {"name": name}, key=OPERATOR_KEY)
    assert reply.status == 201, reply.body
    return reply.body["api_key"]["key"]


def test_given_two_tenants_when_they_call_different_functions_at_once_then_each_answer_is_their_own(local_stack):
    # Given tenant X with contacts and tenant Y with webhooks and a second key
    key_x, key_y = _onboard(local_stack, "X"), _onboard(local_stack, "Y")
    contacts_x = {
        local_stack.request("POST", "/v1/contacts", {"properties": {"email": f"x{i}@x.example"}}, key=key_x).body["id"]
        for i in range(3)
    }
    hooks_y = {
        local_stack.request(
            "POST",
            "/v1/webhooks",
            {"url": f"http://127.0.0.1:9/{i}", "event_types": ["contact.*"]},
            key=key_y,
        ).body["id"]
        for i in range(2)
    }
    local_stack.request("POST", "/v1/api-keys", {"name": "second", "role": "member"}, key=key_y)
    keys_y = {k["id"] for k in local_stack.request("GET", "/v1/api-keys", key=key_y).body["data"]}
    keys_x = {k["id"] for k in local_stack.request("GET", "/v1/api-keys", key=key_x).body["data"]}
    assert keys_x.isdisjoint(keys_y)

    def x_lists_contacts(_: int) -> str:
        reply = local_stack.request("GET", "/v1/contacts?limit=100", key=key_x)
        if reply.status != 200:
            return f"x contacts: {reply.status}"
        ids = {c["id"] for c in reply.body["data"]}
        return "ok" if ids == contacts_x else f"x contacts: foreign ids {ids - contacts_x}"

    def y_lists_webhooks(_: int) -> str:
        reply = local_stack.request("GET", "/v1/webhooks?limit=100", key=key_y)
        if reply.status != 200:
            return f"y webhooks: {reply.status}"
        ids = {w["id"] for w in reply.body["data"]}
        return "ok" if ids == hooks_y else f"y webhooks: foreign ids {ids - hooks_y}"

    def y_lists_keys(_: int) -> str:
        reply = local_stack.request("GET", "/v1/api-keys?limit=100", key=key_y)
        if reply.status != 200:
            return f"y keys: {reply.status}"
        ids = {k["id"] for k in reply.body["data"]}
        return "ok" if ids == keys_y else f"y keys: foreign ids {ids - keys_y}"

    def x_reads_y_webhooks(_: int) -> str:
        reply = local_stack.request("GET", "/v1/webhooks?limit=100", key=key_x)
        return "ok" if reply.status == 200 and reply.body["data"] == [] else f"x webhooks: {reply.status} {reply.body}"

    # When all of them run at the same time, many times over
    jobs = [x_lists_contacts, y_lists_webhooks, y_lists_keys, x_reads_y_webhooks] * ROUNDS
    with ThreadPoolExecutor(max_workers=16) as pool:
        outcomes = Counter(pool.map(lambda job: job(0), jobs))

    # Then every single answer was the caller's own, with no spurious refusals
    assert outcomes == Counter({"ok": len(jobs)})

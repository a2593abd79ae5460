"""Tenant isolation under concurrency in one process: the local gateway serves every function from one
Python process, so requests of different tenants for different functions run side by side. Every answer
must belong to its caller, however the threads interleave."""

from __future__ import annotations

import sys
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest

from local import moto_patches

ROUNDS = 60


@pytest.fixture
def eager_thread_switching() -> Iterator[None]:
    """Switch threads every microsecond instead of every 5 ms, so interleavings that are rare under
    normal timing happen within a few requests."""
    before = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    yield
    sys.setswitchinterval(before)


def test_given_two_tenants_when_they_call_different_functions_at_once_then_each_answer_is_their_own(
    api, private_targets_allowed, eager_thread_switching
):
    # Given tenant X with contacts and tenant Y with webhooks (moto guarded as the local stack guards it)
    moto_patches.serialize_aws_calls()
    x, y = api.new_tenant("X"), api.new_tenant("Y")
    contacts_x = {
        api.post("/v1/contacts", {"properties": {"email": f"x{i}@x.example"}}, key=x.key).body["id"] for i in range(3)
    }
    hooks_y = {
        api.post("/v1/webhooks", {"url": f"http://127.0.0.1:9/{i}", "event_types": ["contact.*"]}, key=y.key).body["id"]
        for i in range(2)
    }
    keys_y = {k["id"] for k in api.get("/v1/api-keys", key=y.key).body["data"]}

    def x_lists_contacts() -> str:
        reply = api.get("/v1/contacts?limit=100", key=x.key)
        ids = {c["id"] for c in reply.body.get("data", [])} if reply.status == 200 else None
        return "ok" if ids == contacts_x else f"x contacts: {reply.status} {ids}"

    def y_lists_webhooks() -> str:
        reply = api.get("/v1/webhooks?limit=100", key=y.key)
        ids = {w["id"] for w in reply.body.get("data", [])} if reply.status == 200 else None
        return "ok" if ids == hooks_y else f"y webhooks: {reply.status} {ids}"

    def y_lists_keys() -> str:
        reply = api.get("/v1/api-keys?limit=100", key=y.key)
        ids = {k["id"] for k in reply.body.get("data", [])} if reply.status == 200 else None
        return "ok" if ids == keys_y else f"y keys: {reply.status} {ids}"

    def x_creates_a_company() -> str:  # a company, so X's contact list above stays the same
        reply = api.post("/v1/companies", {"properties": {"name": "Racer"}}, key=x.key)
        if reply.status != 201:
            return f"x create: {reply.status}"
        seen_by_y = api.get(f"/v1/companies/{reply.body['id']}", key=y.key).status
        return "ok" if seen_by_y == 404 else f"y saw x's new company: {seen_by_y}"

    # When they all run at once, many times over
    jobs = [x_lists_contacts, y_lists_webhooks, y_lists_keys] * ROUNDS + [x_creates_a_company] * (ROUNDS // 4)
    with ThreadPoolExecutor(max_workers=12) as pool:
        outcomes = Counter(pool.map(lambda job: job(), jobs))

    # Then every answer was the caller's own, with no spurious refusals
    assert outcomes == Counter({"ok": len(jobs)})

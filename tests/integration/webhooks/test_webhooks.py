"""Webhooks from a subscriber's point of view: a real receiver on loopback, deliveries verified with the
standardwebhooks library, and faults injected under a clock the test moves (nothing sleeps)."""

import random
from datetime import UTC, datetime, timedelta
from itertools import pairwise

import pytest
from standardwebhooks.webhooks import Webhook, WebhookVerificationError

from webhooks.schedule import RETRY_DELAYS

pytestmark = pytest.mark.usefixtures("private_targets_allowed")


def subscribe(api, tenant, url, event_types=("contact.*",)):
    reply = api.post("/v1/webhooks", {"url": url, "event_types": list(event_types)}, key=tenant.key)
    assert reply.status == 201, reply.body
    assert reply.body["secret"].startswith("whsec_")
    return reply.body


def deliveries(api, tenant, webhook_id, status=None):
    query = f"?status={status}&limit=100" if status else "?limit=100"
    reply = api.get(f"/v1/webhooks/{webhook_id}/deliveries{query}", key=tenant.key)
    assert reply.status == 200, reply.body
    return reply.body["data"]


def create_contact(api, tenant, email="ada@example.com"):
    reply = api.post("/v1/contacts", {"properties": {"email": email}}, key=tenant.key)
    assert reply.status == 201, reply.body
    return reply.body


def test_given_a_subscription_when_a_contact_is_created_then_the_receiver_gets_a_verifiable_delivery(
    api, tenant, receiver, event_chain, subscriber_clock
):
    hook = subscribe(api, tenant, receiver.url)

    contact = create_contact(api, tenant)
    event_chain.run()

    assert len(receiver.requests) == 1
    request = receiver.requests[0]
    payload = Webhook(hook["secret"]).verify(request["body"], request["headers"])
    assert payload["type"] == "contact.created"
    assert payload["tenant_id"] == tenant.id
    assert payload["record_id"] == contact["id"]
    assert payload["data"] == contact
    assert payload["changes"]["email"] == {"old": None, "new": "ada@example.com"}
    assert request["headers"]["webhook-id"] == payload["id"]
    [logged] = deliveries(api, tenant, hook["id"])
    assert logged["status"] == "succeeded" and logged["event_id"] == payload["id"]
    assert logged["attempts"][0]["response_status"] == 200


def test_given_a_receiver_failing_three_times_when_time_passes_then_the_same_webhook_id_arrives_on_schedule(
    api, tenant, receiver, event_chain, subscriber_clock
):
    hook = subscribe(api, tenant, receiver.url)
    receiver.behaviour = lambda n, request: (500, {}) if n <= 3 else (200, {})
    started = subscriber_clock[0]

    create_contact(api, tenant)
    event_chain.run_until_quiet(timedelta(days=2))

    assert len(receiver.requests) == 4
    assert len({r["headers"]["webhook-id"] for r in receiver.requests}) == 1
    for request in receiver.requests:  # each verified as the subscriber would on arrival
        subscriber_clock[0] = datetime.fromtimestamp(int(request["headers"]["webhook-timestamp"]), UTC)
        Webhook(hook["secret"]).verify(request["body"], request["headers"])
    [logged] = deliveries(api, tenant, hook["id"])
    assert logged["status"] == "succeeded"
    assert [a["response_status"] for a in logged["attempts"]] == [500, 500, 500, 200]
    sent_at = [int(r["headers"]["webhook-timestamp"]) for r in receiver.requests]
    gaps = [b - a for a, b in pairwise(sent_at)]
    assert gaps == [int(d.total_seconds()) for d in RETRY_DELAYS[:3]]
    assert sent_at[0] - int(started.timestamp()) <= 1


def test_given_a_receiver_that_always_fails_when_the_schedule_runs_out_then_the_delivery_is_failed(
    api, tenant, receiver, event_chain
):
    hook = subscribe(api, tenant, receiver.url)
    receiver.behaviour = lambda n, request: (500, {})

    create_contact(api, tenant)
    event_chain.run_until_quiet(timedelta(days=5))

    assert len(receiver.requests) == 1 + len(RETRY_DELAYS)
    [logged] = deliveries(api, tenant, hook["id"], status="failed")
    assert len(logged["attempts"]) == 10 and logged["next_attempt_at"] is None
    assert deliveries(api, tenant, hook["id"], status="pending") == []
    assert api.get(f"/v1/webhooks/{hook['id']}", key=tenant.key).body["failing_since"] is not None


def test_given_a_429_with_retry_after_when_retrying_then_the_wait_is_honoured(api, tenant, receiver, event_chain):
    subscribe(api, tenant, receiver.url)
    receiver.behaviour = lambda n, request: (429, {"Retry-After": "120"}) if n == 1 else (200, {})

    create_contact(api, tenant)
    event_chain.run()
    event_chain.advance(timedelta(seconds=119))
    assert len(receiver.requests) == 1
    event_chain.advance(timedelta(seconds=1))
    assert len(receiver.requests) == 2


def test_given_a_410_when_delivering_then_the_endpoint_is_disabled_and_that_is_announced(
    api, tenant, receiver, event_chain
):
    gone = subscribe(api, tenant, receiver.url + "/gone")
    watcher = subscribe(api, tenant, receiver.url + "/watch", ["webhook.*"])
    receiver.behaviour = lambda n, request: (410, {}) if request["path"].endswith("/gone") else (200, {})

    create_contact(api, tenant)
    event_chain.run()

    assert api.get(f"/v1/webhooks/{gone['id']}", key=tenant.key).body["enabled"] is False
    announced = [e for e in receiver.events() if e["type"] == "webhook.endpoint_disabled"]
    assert len(announced) == 1 and announced[0]["record_id"] == gone["id"]
    create_contact(api, tenant, "second@example.com")
    event_chain.run()
    assert sum(r["path"].endswith("/gone") for r in receiver.requests) == 1  # nothing more to a disabled endpoint
    assert watcher["id"] != gone["id"]


def test_given_an_endpoint_failing_for_five_days_when_it_keeps_failing_then_it_is_disabled(
    api, tenant, receiver, event_chain
):
    hook = subscribe(api, tenant, receiver.url, ["contact.*"])
    subscribe(api, tenant, receiver.url + "/watch", ["webhook.endpoint_disabled"])
    receiver.behaviour = lambda n, request: (200, {}) if request["path"].endswith("/watch") else (503, {})

    create_contact(api, tenant)
    event_chain.run_until_quiet(timedelta(days=3))
    assert api.get(f"/v1/webhooks/{hook['id']}", key=tenant.key).body["enabled"] is True
    create_contact(api, tenant, "later@example.com")
    event_chain.run_until_quiet(timedelta(days=4))

    after = api.get(f"/v1/webhooks/{hook['id']}", key=tenant.key).body
    assert after["enabled"] is False and "5 days" in after["disabled_reason"]
    assert [e["type"] for e in receiver.events() if e["type"].startswith("webhook.")] == ["webhook.endpoint_disabled"]


def test_given_1000_events_and_30_percent_failures_when_retries_run_then_every_event_is_delivered(
    api, tenant, receiver, event_chain
):
    hook = subscribe(api, tenant, receiver.url, ["company.created"])
    chance = random.Random(42)
    receiver.behaviour = lambda n, request: (500, {}) if chance.random() < 0.3 else (200, {})

    created = [
        api.post("/v1/companies", {"properties": {"name": f"Company {i}"}}, key=tenant.key).body["id"]
        for i in range(1000)
    ]
    event_chain.run_until_quiet(timedelta(days=2))

    logged = all_deliveries(api, tenant, hook["id"])
    assert len(logged) == 1000 and {d["status"] for d in logged} == {"succeeded"}
    answered_ok = [e for e, answer in zip(receiver.events(), receiver.answers, strict=True) if answer == 200]
    assert sorted(e["record_id"] for e in answered_ok) == sorted(created)  # each exactly once with a 200
    assert len(receiver.requests) > 1200  # about 30 % of attempts failed and were retried


def all_deliveries(api, tenant, webhook_id):
    found, cursor = [], None
    while True:
        query = f"?limit=100&cursor={cursor}" if cursor else "?limit=100"
        page = api.get(f"/v1/webhooks/{webhook_id}/deliveries{query}", key=tenant.key).body
        found += page["data"]
        cursor = page["next_cursor"]
        if not cursor:
            return found


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:9/hook",
        "http://localhost/hook",
        "http://169.254.169.254/latest/meta-data",
        "http://10.0.0.1/hook",
        "http://[::1]/hook",
        "http://[fd00:ec2::254]/",
        "ftp://example.com/hook",
    ],
)
def test_given_private_targets_not_allowed_when_subscribing_to_them_then_422(api, tenant, url, monkeypatch):
    monkeypatch.delenv("CRM_ALLOW_PRIVATE_WEBHOOK_TARGETS")

    reply = api.post("/v1/webhooks", {"url": url, "event_types": ["*"]}, key=tenant.key)

    assert reply.status == 422
    assert reply.body["errors"][0]["pointer"] == "/url"


def test_given_a_target_that_becomes_private_when_sending_then_the_request_is_refused_at_send_time(
    api, tenant, receiver, event_chain, monkeypatch
):
    hook = subscribe(api, tenant, receiver.url)
    monkeypatch.delenv("CRM_ALLOW_PRIVATE_WEBHOOK_TARGETS")

    create_contact(api, tenant)
    event_chain.run()

    assert receiver.requests == []
    [logged] = deliveries(api, tenant, hook["id"])
    assert logged["attempts"][0]["error"].startswith("refused:")
    assert logged["status"] == "pending"  # retried on schedule, in case the deployment allows it again


def test_given_a_rotated_secret_when_delivering_then_both_secrets_verify_for_24_hours_only(
    api, tenant, receiver, event_chain, subscriber_clock
):
    hook = subscribe(api, tenant, receiver.url)
    rotated = api.post(f"/v1/webhooks/{hook['id']}/rotate-secret", key=tenant.key)
    assert rotated.status == 200 and rotated.body["secret"] != hook["secret"]

    create_contact(api, tenant, "one@example.com")
    event_chain.run()
    first = receiver.requests[-1]
    assert len(first["headers"]["webhook-signature"].split(" ")) == 2
    Webhook(hook["secret"]).verify(first["body"], first["headers"])
    Webhook(rotated.body["secret"]).verify(first["body"], first["headers"])

    event_chain.advance(timedelta(hours=24, seconds=1))
    create_contact(api, tenant, "two@example.com")
    event_chain.run()
    second = receiver.requests[-1]
    Webhook(rotated.body["secret"]).verify(second["body"], second["headers"])
    with pytest.raises(WebhookVerificationError):
        Webhook(hook["secret"]).verify(second["body"], second["headers"])


def test_given_a_failed_delivery_when_redelivered_then_it_is_sent_again_with_the_same_id(
    api, tenant, receiver, event_chain
):
    hook = subscribe(api, tenant, receiver.url)
    receiver.behaviour = lambda n, request: (500, {})
    create_contact(api, tenant)
    event_chain.run_until_quiet(timedelta(days=5))
    [failed] = deliveries(api, tenant, hook["id"], status="failed")

    receiver.behaviour = lambda n, request: (200, {})
    reply = api.post(f"/v1/webhooks/{hook['id']}/deliveries/{failed['id']}/redeliver", key=tenant.key)
    assert reply.status == 202
    event_chain.run()

    [logged] = deliveries(api, tenant, hook["id"])
    assert logged["status"] == "succeeded" and len(logged["attempts"]) == 11
    assert receiver.requests[-1]["headers"]["webhook-id"] == failed["event_id"]


def test_given_past_events_when_replayed_then_each_is_sent_again_once(api, tenant, receiver, event_chain):
    hook = subscribe(api, tenant, receiver.url, ["contact.created"])
    since = event_chain.moment[0] - timedelta(minutes=1)
    for i in range(3):
        create_contact(api, tenant, f"c{i}@example.com")
    event_chain.run()
    first_ids = [r["headers"]["webhook-id"] for r in receiver.requests]

    reply = api.post(f"/v1/webhooks/{hook['id']}/replay", {"since": since.isoformat()}, key=tenant.key)
    assert reply.status == 202 and reply.body["replayed"] == 3
    event_chain.run()

    assert [r["headers"]["webhook-id"] for r in receiver.requests[3:]] == first_ids


def test_given_a_webhook_when_tested_then_only_it_receives_webhook_test(api, tenant, receiver, event_chain):
    hook = subscribe(api, tenant, receiver.url + "/a", ["*"])
    subscribe(api, tenant, receiver.url + "/b", ["*"])

    reply = api.post(f"/v1/webhooks/{hook['id']}/test", key=tenant.key)
    assert reply.status == 202
    event_chain.run()

    assert [(r["path"], e["type"]) for r, e in zip(receiver.requests, receiver.events(), strict=True)] == [
        ("/hook/a", "webhook.test")
    ]


def test_given_a_disabled_webhook_when_events_happen_then_nothing_is_sent_until_it_is_enabled(
    api, tenant, receiver, event_chain
):
    hook = subscribe(api, tenant, receiver.url)
    assert api.patch(f"/v1/webhooks/{hook['id']}", {"enabled": False}, key=tenant.key).body["enabled"] is False
    create_contact(api, tenant, "quiet@example.com")
    event_chain.run()
    assert receiver.requests == []

    assert api.patch(f"/v1/webhooks/{hook['id']}", {"enabled": True}, key=tenant.key).body["enabled"] is True
    create_contact(api, tenant, "loud@example.com")
    event_chain.run()
    assert [e["data"]["properties"]["email"] for e in receiver.events()] == ["loud@example.com"]


def test_given_a_repeated_fan_out_when_it_runs_twice_then_the_event_is_delivered_once(
    api, tenant, receiver, event_chain
):
    from webhooks import delivery

    subscribe(api, tenant, receiver.url)
    create_contact(api, tenant)
    event_chain.run()
    [event] = receiver.events()

    assert delivery.fan_out(event) == 0
    event_chain.run()
    assert len(receiver.requests) == 1


@pytest.mark.parametrize("event_types", [["contact.creatd"], ["nothing.*"], ["contact"]])
def test_given_unknown_event_types_when_subscribing_then_422_names_them(api, tenant, event_types):
    reply = api.post("/v1/webhooks", {"url": "https://example.com/h", "event_types": event_types}, key=tenant.key)
    assert reply.status == 422
    assert reply.body["errors"][0]["pointer"] == "/event_types/0"


# Every webhook route that names an id, as tenant B tries it with tenant A's ids (the cross-tenant
# suite checks that this list and its own cover every such route of the OpenAPI document).
CROSS_TENANT_ROUTES = [
    ("GET", "/v1/webhooks/{webhook}", None),
    ("GET", "/v1/webhooks/{webhook}/deliveries", None),
    ("GET", "/v1/webhooks/{webhook}/deliveries/{delivery}", None),
    ("POST", "/v1/webhooks/{webhook}/deliveries/{delivery}/redeliver", None),
    ("POST", "/v1/webhooks/{webhook}/replay", {"since": "2026-01-01T00:00:00Z"}),
    ("POST", "/v1/webhooks/{webhook}/rotate-secret", None),
    ("POST", "/v1/webhooks/{webhook}/test", None),
    ("PATCH", "/v1/webhooks/{webhook}", {"enabled": False}),
    ("DELETE", "/v1/webhooks/{webhook}", None),
]


def test_given_tenant_a_webhooks_when_tenant_b_tries_them_then_it_sees_and_changes_nothing(
    api, tenant, other_tenant, receiver, event_chain
):
    hook = subscribe(api, tenant, receiver.url)
    receiver.behaviour = lambda n, request: (500, {})
    create_contact(api, tenant)
    event_chain.run()
    [delivery] = deliveries(api, tenant, hook["id"])
    base = f"/v1/webhooks/{hook['id']}"
    b = other_tenant.key

    for method, path, body in CROSS_TENANT_ROUTES:
        concrete = path.format(webhook=hook["id"], delivery=delivery["id"])
        assert api.request(method, concrete, body, key=b).status == 404, (method, path)
    assert api.get("/v1/webhooks", key=b).body["data"] == []
    page_a = api.get("/v1/webhooks?limit=1", key=tenant.key).body
    assert page_a["next_cursor"] is None or api.get(f"/v1/webhooks?cursor={page_a['next_cursor']}", key=b).status == 400

    b_hook = subscribe(api, other_tenant, receiver.url + "/b")
    create_contact(api, tenant, "only-a@example.com")
    event_chain.run()
    assert not [r for r in receiver.requests if r["path"].endswith("/b")]
    assert api.get(f"/v1/webhooks/{b_hook['id']}/deliveries", key=b).body["data"] == []
    assert api.get(base, key=tenant.key).body["enabled"] is True


def test_given_a_read_only_key_when_managing_webhooks_then_403_but_it_may_read(api, tenant):
    read_only = api.post("/v1/api-keys", {"name": "ro", "role": "read_only"}, key=tenant.key).body["api_key"]["key"]

    assert api.post("/v1/webhooks", {"url": "https://example.com/h", "event_types": ["*"]}, key=read_only).status == 403
    assert api.get("/v1/webhooks", key=read_only).status == 200

"""The CRM as a user meets it: `make dev`'s process over real HTTP."""

from tests.e2e.conftest import OPERATOR_KEY


def test_given_a_fresh_stack_when_a_tenant_onboards_then_it_manages_records_over_http(local_stack):
    assert local_stack.request("GET", "/v1/health").body == {"status": "ok"}

    onboarded = local_stack.request("POST", "/v1/tenants", {"name": "Acme", "tier": "standard"}, key=OPERATOR_KEY)
    assert onboarded.status == 201
    key = onboarded.body["api_key"]["key"]

    company = local_stack.request(
        "POST",
        "/v1/companies",
        {"properties": {"name": "Acme", "domain": "https://www.Acme.com/about"}},
        key=key,
    )
    assert company.status == 201 and company.body["properties"]["domain"] == "acme.com"
    contact = local_stack.request(
        "POST",
        "/v1/contacts",
        {
            "properties": {
                "email": "Ada@Acme.com",
                "lifecycle_stage": "lead",
                "company_id": company.body["id"],
            }
        },
        key=key,
    )
    assert contact.status == 201
    assert contact.headers["ETag"] == '"1"'

    stale = local_stack.request(
        "PATCH",
        f"/v1/contacts/{contact.body['id']}",
        {"properties": {"lifecycle_stage": "customer"}},
        key=key,
        headers={"If-Match": '"7"'},
    )
    assert stale.status == 412
    assert stale.headers["Content-Type"] == "application/problem+json"

    updated = local_stack.request(
        "PATCH",
        f"/v1/contacts/{contact.body['id']}",
        {"properties": {"lifecycle_stage": "customer"}},
        key=key,
        headers={"If-Match": '"1"'},
    )
    assert updated.status == 200 and updated.body["version"] == 2

    unauthenticated = local_stack.request("GET", "/v1/contacts")
    assert unauthenticated.status == 401
    assert unauthenticated.headers["Content-Type"] == "application/problem+json"


def test_given_data_when_the_stack_restarts_then_the_data_is_still_there(local_stack):
    key = local_stack.request("POST", "/v1/tenants", {"name": "Acme"}, key=OPERATOR_KEY).body["api_key"]["key"]
    created = local_stack.request("POST", "/v1/contacts", {"properties": {"email": "kept@acme.com"}}, key=key).body
    archived = local_stack.request("POST", "/v1/contacts", {"properties": {"email": "gone@acme.com"}}, key=key).body
    assert local_stack.request("DELETE", f"/v1/contacts/{archived['id']}", key=key).status == 204

    local_stack.stop()
    local_stack.start()

    assert local_stack.request("GET", f"/v1/contacts/{created['id']}", key=key).body == created
    assert local_stack.request("GET", f"/v1/contacts/{archived['id']}", key=key).status == 404
    again = local_stack.request("POST", "/v1/contacts", {"properties": {"email": "kept@acme.com"}}, key=key)
    assert again.status == 409 and again.body["existing_id"] == created["id"]
    listed = local_stack.request("GET", "/v1/contacts", key=key).body
    assert [c["id"] for c in listed["data"]] == [created["id"]]


def test_given_the_stack_when_docs_are_requested_then_openapi_and_swagger_ui_are_served(local_stack):
    document = local_stack.request("GET", "/v1/openapi.json")
    assert document.status == 200
    assert document.body["openapi"].startswith("3.1")
    assert {"/contacts", "/contacts/{record_id}", "/tenants", "/api-keys"} <= set(document.body["paths"])
    ui = local_stack.request("GET", "/v1/docs")
    assert ui.status == 200 and "swagger" in ui.body.lower()


def test_given_a_webhook_when_a_contact_is_created_then_a_real_receiver_gets_a_verifiable_delivery(
    local_stack, receiver
):
    import time

    from standardwebhooks.webhooks import Webhook

    key = local_stack.request("POST", "/v1/tenants", {"name": "Acme"}, key=OPERATOR_KEY).body["api_key"]["key"]
    hook = local_stack.request(
        "POST", "/v1/webhooks", {"url": receiver.url, "event_types": ["contact.*"]}, key=key
    ).body

    contact = local_stack.request("POST", "/v1/contacts", {"properties": {"email": "hook@acme.com"}}, key=key).body
    deadline = time.monotonic() + 20
    while not receiver.requests and time.monotonic() < deadline:
        time.sleep(0.05)

    assert receiver.requests, "no delivery within 20 s"
    request = receiver.requests[0]
    event = Webhook(hook["secret"]).verify(request["body"], request["headers"])
    assert event["type"] == "contact.created" and event["record_id"] == contact["id"]
    assert request["headers"]["webhook-id"] == event["id"]
    logged = local_stack.request("GET", f"/v1/webhooks/{hook['id']}/deliveries", key=key).body["data"]
    assert logged[0]["status"] == "succeeded" and logged[0]["event_id"] == event["id"]


def test_given_a_slow_webhook_receiver_when_it_is_being_called_then_the_api_still_answers_at_once(
    local_stack, receiver
):
    import threading
    import time

    started = threading.Event()

    def slow(n, request):
        started.set()
        time.sleep(3)
        return 200, {}

    receiver.behaviour = slow
    key = local_stack.request("POST", "/v1/tenants", {"name": "Acme"}, key=OPERATOR_KEY).body["api_key"]["key"]
    local_stack.request("POST", "/v1/webhooks", {"url": receiver.url, "event_types": ["contact.*"]}, key=key)
    local_stack.request("POST", "/v1/contacts", {"properties": {"email": "first@acme.com"}}, key=key)
    assert started.wait(10), "the delivery never started"

    before = time.monotonic()
    reply = local_stack.request("POST", "/v1/contacts", {"properties": {"email": "second@acme.com"}}, key=key)

    assert reply.status == 201
    assert time.monotonic() - before < 2, "the API waited for the webhook receiver"


def test_given_a_delivery_awaiting_its_retry_when_the_stack_restarts_then_it_is_still_delivered(local_stack, receiver):
    import time

    receiver.behaviour = lambda n, request: (503, {}) if n == 1 else (200, {})
    key = local_stack.request("POST", "/v1/tenants", {"name": "Acme"}, key=OPERATOR_KEY).body["api_key"]["key"]
    hook = local_stack.request(
        "POST", "/v1/webhooks", {"url": receiver.url, "event_types": ["contact.*"]}, key=key
    ).body
    local_stack.request("POST", "/v1/contacts", {"properties": {"email": "retry@acme.com"}}, key=key)
    deadline = time.monotonic() + 10
    while not receiver.requests and time.monotonic() < deadline:
        time.sleep(0.05)
    assert len(receiver.requests) == 1, "the first attempt never came"

    output = local_stack.stop()  # the retry (due 5 s after the failure) was only in moto's memory
    assert "operator key" in output
    local_stack.start()
    deadline = time.monotonic() + 20
    while len(receiver.requests) < 2 and time.monotonic() < deadline:
        time.sleep(0.1)

    assert len(receiver.requests) == 2, "the pending retry was lost in the restart"
    assert receiver.requests[0]["headers"]["webhook-id"] == receiver.requests[1]["headers"]["webhook-id"]
    [logged] = local_stack.request("GET", f"/v1/webhooks/{hook['id']}/deliveries", key=key).body["data"]
    assert logged["status"] == "succeeded"
    assert [a["response_status"] for a in logged["attempts"]] == [503, 200]

"""What each `crm` command sends and prints: the request through the generated client, a rich table or
the API's JSON as it came (--json), the secret shown once."""

from __future__ import annotations

import json

from tests.unit.cli.conftest import ID, KEY, OPERATOR, WHEN, api_key, contact, tenant_created

TENANT_KEY = {"CRM_API_KEY": KEY}


def sent_json(request) -> object:
    return json.loads(request.content)


# --- contacts --------------------------------------------------------------------------------------


def test_given_a_page_of_contacts_when_listed_then_a_table_shows_them_and_the_key_authorizes_the_request(fake, crm):
    fake.answer(
        "GET",
        "/v1/contacts",
        body={"data": [contact(), contact("01JCLI0000000000000000000B", email="b@x.io")], "next_cursor": "CURSOR-2"},
    )

    result = crm("contacts", "list", "--limit", "2", env=TENANT_KEY)

    assert result.exit_code == 0, result.output
    assert fake.last.headers["Authorization"] == f"Bearer {KEY}"
    assert fake.last.url.params["limit"] == "2"
    assert "ada@acme.co.uk" in result.stdout and "b@x.io" in result.stdout and ID in result.stdout
    assert "--cursor CURSOR-2" in result.stdout


def test_given_json_when_contacts_are_listed_then_stdout_is_the_answer_byte_for_byte(fake, crm):
    # Odd spacing and an exact decimal: re-encoding would change both.
    body = b'{"data":  [], "next_cursor": null, "x": 1234567890123.456789}'
    fake.answer("GET", "/v1/contacts", body=body, **{"Content-Type": "application/json"})

    result = crm("contacts", "list", "--json", env=TENANT_KEY)

    assert result.exit_code == 0, result.output
    assert result.stdout == body.decode() + "\n"


def test_given_an_email_when_contacts_are_listed_then_it_is_looked_up_by_email(fake, crm):
    fake.answer("GET", "/v1/contacts", body={"data": [contact()], "next_cursor": None})

    result = crm("contacts", "list", "--email", "ada@acme.co.uk", env=TENANT_KEY)

    assert result.exit_code == 0, result.output
    assert fake.last.url.params["email"] == "ada@acme.co.uk"


def test_given_no_contacts_when_listed_then_it_says_none(fake, crm):
    fake.answer("GET", "/v1/contacts", body={"data": [], "next_cursor": None})

    result = crm("contacts", "list", env=TENANT_KEY)

    assert result.exit_code == 0, result.output
    assert "(none)" in result.stdout


def test_given_a_contact_when_got_then_its_record_fields_and_properties_are_shown(fake, crm):
    fake.answer("GET", f"/v1/contacts/{ID}", body=contact(email="ada@acme.co.uk", phone="+442079460958"))

    result = crm("contacts", "get", ID, env=TENANT_KEY)

    assert result.exit_code == 0, result.output
    assert fake.last.method == "GET"
    for shown in (ID, "version", "+442079460958", "ada@acme.co.uk", "2026-11-20 10:00:00Z"):
        assert shown in result.stdout


def test_given_flags_and_properties_when_a_contact_is_created_then_the_body_is_typed_and_the_headers_sent(fake, crm):
    fake.answer("POST", "/v1/contacts", 201, body=contact(email="ada@acme.co.uk", first_name="Ada", owner="sam"))

    result = crm(
        "contacts", "create", "--email", "Ada@Acme.co.uk", "--first-name", "Ada", "--lifecycle-stage", "lead",
        "--property", "owner=sam", "--idempotency-key", "signup-42", env=TENANT_KEY,
    )  # fmt: skip

    assert result.exit_code == 0, result.output
    assert sent_json(fake.last) == {
        "properties": {"email": "Ada@Acme.co.uk", "first_name": "Ada", "lifecycle_stage": "lead", "owner": "sam"}
    }
    assert fake.last.headers["Idempotency-Key"] == "signup-42"
    assert "Contact created" in result.stdout and ID in result.stdout


def test_given_an_unknown_property_when_a_contact_is_created_then_it_is_a_usage_error_and_nothing_is_sent(fake, crm):
    result = crm("contacts", "create", "--property", "shoe_size=44", env=TENANT_KEY)

    assert result.exit_code == 2
    assert "shoe_size" in result.output and "first_name" in result.output
    assert fake.requests == []


def test_given_a_property_without_a_value_when_a_contact_is_created_then_it_is_a_usage_error(fake, crm):
    result = crm("contacts", "create", "--property", "email", env=TENANT_KEY)

    assert result.exit_code == 2
    assert "name=value" in result.output
    assert fake.requests == []


def test_given_an_unknown_lifecycle_stage_when_a_contact_is_created_then_it_is_a_usage_error(fake, crm):
    result = crm("contacts", "create", "--property", "lifecycle_stage=vip", env=TENANT_KEY)

    assert result.exit_code == 2
    assert fake.requests == []


# --- tenants and keys ------------------------------------------------------------------------------


def test_given_the_operator_key_when_a_tenant_is_created_then_its_admin_key_is_printed_once(fake, crm):
    fake.answer("POST", "/v1/tenants", 201, body=tenant_created(), Location=f"/v1/tenants/{ID}")

    result = crm("tenants", "create", "Acme", "--tier", "standard", "--region", "GB", env={"CRM_API_KEY": OPERATOR})

    assert result.exit_code == 0, result.output
    assert fake.last.headers["Authorization"] == f"Bearer {OPERATOR}"
    assert sent_json(fake.last) == {"name": "Acme", "tier": "standard", "default_region": "GB"}
    assert "crm_new-admin-key" in result.stdout and "shown once" in result.stdout and ID in result.stdout


def test_given_a_replayed_onboarding_when_shown_then_it_says_the_key_is_not_shown(fake, crm):
    replay = tenant_created(key=None, note="Shown only in the first response")
    fake.answer("POST", "/v1/tenants", 201, body=replay, **{"Idempotent-Replayed": "true"})

    result = crm("tenants", "create", "Acme", "--idempotency-key", "onboard-acme", env={"CRM_API_KEY": OPERATOR})

    assert result.exit_code == 0, result.output
    assert fake.last.headers["Idempotency-Key"] == "onboard-acme"
    assert "not shown (Shown only in the first response)" in result.stdout


def test_given_tenants_when_listed_then_a_table_shows_them(fake, crm):
    fake.answer("GET", "/v1/tenants", body={"data": [tenant_created()["tenant"]], "next_cursor": None})

    result = crm("tenants", "list", env={"CRM_API_KEY": OPERATOR})

    assert result.exit_code == 0, result.output
    assert "Acme" in result.stdout and "standard" in result.stdout and ID in result.stdout


def test_given_a_role_and_scopes_when_a_key_is_created_then_they_are_sent_and_the_key_printed(fake, crm):
    fake.answer("POST", "/v1/api-keys", 201, body={"api_key": {**api_key(), "key": "crm_the-new-key"}})

    result = crm("keys", "create", "reporting", "--role", "read_only", "--scope", "records:read", env=TENANT_KEY)

    assert result.exit_code == 0, result.output
    assert sent_json(fake.last) == {"name": "reporting", "role": "read_only", "scopes": ["records:read"]}
    assert "crm_the-new-key" in result.stdout


def test_given_an_unknown_role_when_a_key_is_created_then_it_is_a_usage_error(fake, crm):
    result = crm("keys", "create", "reporting", "--role", "owner", env=TENANT_KEY)

    assert result.exit_code == 2
    assert fake.requests == []


def test_given_keys_when_listed_then_a_table_shows_them_without_secrets(fake, crm):
    fake.answer("GET", "/v1/api-keys", body={"data": [api_key(revoked_at=WHEN)], "next_cursor": None})

    result = crm("keys", "list", env=TENANT_KEY)

    assert result.exit_code == 0, result.output
    assert "reporting" in result.stdout and "records:read" in result.stdout and "2026-11-20 10:00:00Z" in result.stdout


def test_given_a_key_when_revoked_then_the_204_is_success_and_json_prints_nothing(fake, crm):
    fake.answer("DELETE", "/v1/api-keys/01JKEY0000000000000000000B", 204)

    shown = crm("keys", "revoke", "01JKEY0000000000000000000B", env=TENANT_KEY)
    quiet = crm("keys", "revoke", "01JKEY0000000000000000000B", "--json", env=TENANT_KEY)

    assert (shown.exit_code, quiet.exit_code) == (0, 0), shown.output + quiet.output
    assert "Revoked API key 01JKEY0000000000000000000B" in shown.stdout
    assert quiet.stdout == ""


# --- webhooks and the document ---------------------------------------------------------------------


def test_given_webhooks_when_listed_then_a_table_shows_them(fake, crm):
    hook = {
        "id": ID, "url": "https://example.com/hook", "event_types": ["contact.*"], "description": None,
        "enabled": False, "disabled_reason": "endpoint answered 410", "failing_since": None, "version": 1,
        "created_at": WHEN, "updated_at": WHEN,
    }  # fmt: skip
    fake.answer("GET", "/v1/webhooks", body={"data": [hook], "next_cursor": None})

    result = crm("webhooks", "list", env=TENANT_KEY)

    assert result.exit_code == 0, result.output
    assert "https://example.com/hook" in result.stdout and "no: endpoint answered 410" in result.stdout


def test_given_a_status_when_deliveries_are_listed_then_it_filters_and_shows_each_last_outcome(fake, crm):
    delivery = {
        "id": "01JDEL0000000000000000000A", "webhook_id": ID, "event_id": "01JDEL0000000000000000000A",
        "event_type": "contact.created", "status": "failed", "next_attempt_at": None, "created_at": WHEN,
        "updated_at": WHEN, "attempts": [{"attempted_at": WHEN, "response_status": 500, "latency_ms": 12}],
    }  # fmt: skip
    fake.answer("GET", f"/v1/webhooks/{ID}/deliveries", body={"data": [delivery], "next_cursor": None})

    result = crm("webhooks", "deliveries", ID, "--status", "failed", env=TENANT_KEY)

    assert result.exit_code == 0, result.output
    assert fake.last.url.params["status"] == "failed"
    assert "contact.created" in result.stdout and "500" in result.stdout


def test_given_no_key_when_the_document_is_fetched_then_it_is_sent_without_authorization(fake, crm):
    document = b'{"openapi": "3.1.0", "paths": {}}'
    fake.answer("GET", "/v1/openapi.json", body=document, **{"Content-Type": "application/json"})

    result = crm("openapi")

    assert result.exit_code == 0, result.output
    assert "Authorization" not in fake.last.headers
    assert result.stdout == document.decode() + "\n"

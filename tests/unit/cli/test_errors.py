"""Every way a command fails ends in a message and an exit code, never a traceback: 1 the API answered an
error (its problem+json on stderr), 2 usage or configuration, 3 no answer, 4 a fault in crm itself."""

from __future__ import annotations

import json
import sys

import httpx
import pytest

from crm_cli import main as cli
from tests.unit.cli.conftest import ID, KEY, problem

TENANT_KEY = {"CRM_API_KEY": KEY}


def test_given_a_validation_problem_when_a_contact_is_created_then_stderr_points_at_each_field_and_exit_is_1(fake, crm):
    errors = [
        {"pointer": "/properties/email", "detail": "Email is not a valid email address"},
        {"pointer": "/properties/phone", "detail": "Phone is not a phone number"},
    ]
    fake.answer("POST", "/v1/contacts", 422, body=problem(422, "Unprocessable Content", "Invalid.", errors=errors))

    result = crm("contacts", "create", "--email", "nope", "--phone", "x", env=TENANT_KEY)

    assert result.exit_code == 1
    assert "422 Unprocessable Content: Invalid." in result.stderr
    assert "/properties/email: Email is not a valid email address" in result.stderr
    assert "/properties/phone: Phone is not a phone number" in result.stderr
    assert result.stdout == ""
    assert "Traceback" not in result.output


def test_given_a_problem_and_json_when_it_fails_then_stdout_is_the_problem_as_sent(fake, crm):
    body = problem(404, "Not Found", f"No contact with id {ID}.")
    fake.answer("GET", f"/v1/contacts/{ID}", 404, body=body)

    result = crm("contacts", "get", ID, "--json", env=TENANT_KEY)

    assert result.exit_code == 1
    assert result.stdout == json.dumps(body) + "\n"
    assert f"404 Not Found: No contact with id {ID}." in result.stderr


def test_given_a_duplicate_when_a_contact_is_created_then_the_existing_record_is_named(fake, crm):
    fake.answer("POST", "/v1/contacts", 409, body=problem(409, "Conflict", "Email taken.", existing_id=ID))

    result = crm("contacts", "create", "--email", "ada@acme.co.uk", env=TENANT_KEY)

    assert result.exit_code == 1
    assert f"existing record: {ID}" in result.stderr


@pytest.mark.parametrize("status", [401, 403, 429, 500, 503])
def test_given_any_error_status_when_answered_as_a_problem_then_exit_is_1(fake, crm, status):
    fake.answer("GET", "/v1/contacts", status, body=problem(status, "Nope", "The gateway said no."))

    result = crm("contacts", "list", env=TENANT_KEY)

    assert result.exit_code == 1
    assert f"{status} Nope: The gateway said no." in result.stderr


def test_given_an_html_error_page_when_answered_then_it_is_reported_with_exit_1(fake, crm):
    fake.answer("GET", "/v1/contacts", 502, body=b"<html>Bad Gateway</html>", **{"Content-Type": "text/html"})

    result = crm("contacts", "list", env=TENANT_KEY)

    assert result.exit_code == 1
    assert "502" in result.stderr and "Bad Gateway" in result.stderr
    assert "Traceback" not in result.output


def test_given_a_success_that_is_not_the_documented_shape_when_answered_then_it_is_reported_with_exit_1(fake, crm):
    fake.answer("GET", f"/v1/contacts/{ID}", body={"unexpected": True})

    result = crm("contacts", "get", ID, env=TENANT_KEY)

    assert result.exit_code == 1
    assert "unexpected answer 200" in result.stderr


def test_given_nothing_listening_when_a_command_runs_then_it_says_so_with_exit_3(fake, crm):
    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("[Errno 111] Connection refused", request=request)

    fake.fail_with(refuse)

    result = crm("contacts", "list", env=TENANT_KEY)

    assert result.exit_code == 3
    assert "cannot reach the CRM API at http://127.0.0.1:3000/v1" in result.stderr
    assert "Connection refused" in result.stderr


def test_given_an_api_that_never_answers_when_a_command_runs_then_it_times_out_with_exit_3(fake, crm):
    def stall(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout("timed out", request=request)

    fake.fail_with(stall)

    result = crm("keys", "list", env=TENANT_KEY)

    assert result.exit_code == 3
    assert "no answer within 30 s" in result.stderr


def test_given_no_api_key_when_a_tenant_command_runs_then_it_is_a_usage_error_and_nothing_is_sent(fake, crm):
    result = crm("contacts", "list")

    assert result.exit_code == 2
    assert "no API key" in result.stderr
    assert fake.requests == []


@pytest.mark.parametrize(
    "args",
    [
        ("tenants", "create"),  # NAME missing
        ("contacts", "list", "--limit", "0"),
        ("contacts", "list", "--limit", "101"),
        ("contacts", "frobnicate"),
    ],
)
def test_given_a_malformed_command_line_when_run_then_it_is_a_usage_error_with_exit_2(fake, crm, args):
    result = crm(*args, env=TENANT_KEY)

    assert result.exit_code == 2
    assert fake.requests == []


def test_given_a_fault_in_crm_when_run_as_the_console_script_then_it_prints_one_line_and_exits_4(monkeypatch, capsys):
    from crm_client.api.contacts import list_contacts

    def broken(**_: object) -> None:
        raise RuntimeError("a bug")

    monkeypatch.setattr(list_contacts, "sync_detailed", broken)
    monkeypatch.setenv("CRM_API_KEY", KEY)
    monkeypatch.setattr(sys, "argv", ["crm", "contacts", "list"])

    with pytest.raises(SystemExit) as exited:
        cli.main()

    stderr = capsys.readouterr().err
    assert exited.value.code == 4
    assert "internal error: RuntimeError: a bug" in stderr
    assert "Traceback" not in stderr

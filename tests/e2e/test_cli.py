"""The installed `crm` console script against the local stack, as an operator and then a tenant run it:
onboard a tenant, mint a key with it, and work with contacts, reading every answer as --json."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.conftest import OPERATOR_KEY, LocalStackProcess, free_port

CRM = Path(sys.executable).parent / "crm"


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalStackProcess]:
    process = LocalStackProcess(tmp_path_factory.mktemp("data"), free_port())
    process.start()
    yield process
    process.stop()


def crm(stack: LocalStackProcess, key: str, *args: str) -> subprocess.CompletedProcess[str]:
    assert CRM.exists(), f"{CRM} is missing: install the project (pip install -e '.[cli]')"
    env = {k: v for k, v in os.environ.items() if not k.startswith("CRM_")}
    # A wide terminal, whatever runs the tests (rich sizes tables to COLUMNS, which test runners may set narrow).
    env.update(CRM_URL=stack.url, CRM_API_KEY=key, XDG_CONFIG_HOME=str(stack.data_dir / "no-config"), COLUMNS="200")
    return subprocess.run([str(CRM), *args], env=env, capture_output=True, text=True, timeout=60)


def answer(result: subprocess.CompletedProcess[str]) -> Any:
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_given_the_operator_key_when_a_tenant_onboards_with_crm_then_its_keys_and_contacts_work(stack):
    # Given a tenant onboarded with the operator key
    onboarded = answer(crm(stack, OPERATOR_KEY, "tenants", "create", "Acme", "--region", "GB", "--json"))
    admin_key = onboarded["api_key"]["key"]

    # When its admin mints a member key, and that key creates, lists and reads a contact
    minted = answer(crm(stack, admin_key, "keys", "create", "importer", "--role", "member", "--json"))
    member_key = minted["api_key"]["key"]
    created = answer(
        crm(stack, member_key, "contacts", "create", "--email", "Ada@Acme.co.uk", "--first-name", "Ada",
            "--property", "phone=020 7946 0958", "--idempotency-key", "signup-42", "--json")
    )  # fmt: skip
    listed = answer(crm(stack, member_key, "contacts", "list", "--json"))
    found = answer(crm(stack, member_key, "contacts", "list", "--email", "ada@acme.co.uk", "--json"))
    got = answer(crm(stack, member_key, "contacts", "get", created["id"], "--json"))
    keys = answer(crm(stack, admin_key, "keys", "list", "--json"))

    # Then every answer is the API's own data
    assert onboarded["tenant"]["name"] == "Acme" and admin_key.startswith("crm_")
    assert minted["api_key"]["role"] == "member"
    assert created["properties"] == {"email": "ada@acme.co.uk", "first_name": "Ada", "phone": "+442079460958"}
    assert [c["id"] for c in listed["data"]] == [created["id"]]
    assert [c["id"] for c in found["data"]] == [created["id"]]
    assert got == created
    assert {k["name"] for k in keys["data"]} == {"Initial admin key", "importer"}
    assert all("key" not in k for k in keys["data"])


def test_given_invalid_input_when_crm_creates_a_contact_then_the_problem_is_on_stderr_with_exit_1(stack):
    onboarded = answer(crm(stack, OPERATOR_KEY, "tenants", "create", "Globex", "--json"))

    result = crm(stack, onboarded["api_key"]["key"], "contacts", "create", "--email", "not-an-email")

    assert result.returncode == 1
    assert "422" in result.stderr and "/properties/email" in result.stderr
    assert "Traceback" not in result.stderr


def test_given_a_tenant_key_when_a_table_is_asked_for_then_crm_prints_it(stack):
    onboarded = answer(crm(stack, OPERATOR_KEY, "tenants", "create", "Initech", "--json"))
    key = onboarded["api_key"]["key"]
    answer(crm(stack, key, "contacts", "create", "--first-name", "Peter", "--json"))

    result = crm(stack, key, "contacts", "list")

    assert result.returncode == 0, result.stderr
    assert "Peter" in result.stdout and "first_name" in result.stdout

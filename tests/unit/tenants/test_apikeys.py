"""API keys: issue, parse, digest and the Authorization header (crm.apikeys)."""

from __future__ import annotations

import hashlib

import pytest

from tenants import apikeys

TENANT = "01ARZ3NDEKTSV4RRFFQ69G5FAV"
KEY_ID = "01BX5ZZKBKACTAV9WEVGEMMVRZ"


def test_given_a_tenant_and_key_id_when_a_key_is_issued_then_it_is_prefixed_and_parses_back():
    key = apikeys.issue(TENANT, KEY_ID)
    prefix = f"crm_{TENANT}_{KEY_ID}_"
    assert key.startswith(prefix)
    assert len(key.removeprefix(prefix)) == 43  # 256 bits of secret, base64url
    assert apikeys.parse(key) == apikeys.ParsedKey(TENANT, KEY_ID)


def test_given_two_issued_keys_for_the_same_ids_when_compared_then_their_secrets_differ():
    assert apikeys.issue(TENANT, KEY_ID) != apikeys.issue(TENANT, KEY_ID)


@pytest.mark.parametrize(
    "key",
    [
        "",
        "garbage",
        f"crm_{TENANT}_{KEY_ID}",
        f"crm_{TENANT}_{KEY_ID}_short",
        f"crm_{TENANT}_{KEY_ID}_{'a' * 44}",
        f"xyz_{TENANT}_{KEY_ID}_{'a' * 43}",
        f"crm_{TENANT.lower()}_{KEY_ID}_{'a' * 43}",
        f"crm_{TENANT[:-1]}_{KEY_ID}_{'a' * 43}",
        f"crm_{TENANT}_{KEY_ID}_{'a' * 42}!",
        f" crm_{TENANT}_{KEY_ID}_{'a' * 43}",
        f"crm_{TENANT}_{KEY_ID}_{'a' * 43}\n",
        "crm_operator_test-operator-key-0123456789",
    ],
)
def test_given_a_string_that_is_not_a_tenant_key_when_parsed_then_it_is_none(key):
    assert apikeys.parse(key) is None


def test_given_a_key_when_digested_then_it_is_its_sha256_and_only_that_key_matches():
    key = apikeys.issue(TENANT, KEY_ID)
    stored = apikeys.digest(key)
    assert stored == hashlib.sha256(key.encode()).hexdigest()
    assert key not in stored
    assert apikeys.matches(key, stored)
    assert not apikeys.matches(key[:-1] + ("A" if key[-1] != "A" else "B"), stored)
    assert not apikeys.matches(apikeys.issue(TENANT, KEY_ID), stored)


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("Bearer abc", "abc"),
        ("bearer abc", "abc"),
        ("BEARER abc", "abc"),
        ("  Bearer   abc  ", "abc"),
        ("Bearer", None),
        ("Bearer ", None),
        ("Bearer    ", None),
        ("Basic abc", None),
        ("Token abc", None),
        ("abc", None),
        ("", None),
        (None, None),
    ],
)
def test_given_an_authorization_header_when_read_then_only_a_bearer_token_is_returned(header, expected):
    assert apikeys.bearer(header) == expected

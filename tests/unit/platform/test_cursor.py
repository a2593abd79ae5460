"""Opaque list cursors bound to a tenant and a list (crm.cursor)."""

from __future__ import annotations

import base64
import json

import pytest

from crm import cursor
from crm.errors import InvalidCursor

TENANT_A = "01ARZ3NDEKTSV4RRFFQ69G5FAV"
TENANT_B = "01BX5ZZKBKACTAV9WEVGEMMVRZ"
POSITION = "01KDVDNDX0GXXPJ70G5531BWX2"


def _forge(payload: object) -> str:
    return base64.urlsafe_b64encode(json.dumps(payload).encode()).decode().rstrip("=")


def test_given_a_position_when_encoded_and_decoded_by_the_same_tenant_and_list_then_it_round_trips():
    token = cursor.encode(TENANT_A, "contact:active", POSITION)
    assert cursor.decode(token, TENANT_A, "contact:active") == POSITION


def test_given_a_cursor_when_read_then_it_is_url_safe_and_does_not_carry_the_tenant_id():
    token = cursor.encode(TENANT_A, "contact:active", POSITION)
    assert set(token) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
    assert TENANT_A not in base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)).decode()


def test_given_another_tenants_cursor_when_decoded_then_it_is_an_invalid_cursor():
    token = cursor.encode(TENANT_A, "contact:active", POSITION)
    with pytest.raises(InvalidCursor) as error:
        cursor.decode(token, TENANT_B, "contact:active")
    assert error.value.status == 400


@pytest.mark.parametrize("scope", ["contact:all", "company:active", "deal:active", "api_keys", "tenants"])
def test_given_a_cursor_of_another_list_when_decoded_then_it_is_an_invalid_cursor(scope):
    token = cursor.encode(TENANT_A, "contact:active", POSITION)
    with pytest.raises(InvalidCursor):
        cursor.decode(token, TENANT_A, scope)


def _tampered() -> list[str]:
    good = cursor.encode(TENANT_A, "contact:active", POSITION)
    owner = json.loads(base64.urlsafe_b64decode(good + "=" * (-len(good) % 4)))["o"]
    return [
        "",
        "%%%",
        "not a cursor",
        good[:-5],
        good[:10],
        ("A" if good[0] != "A" else "B") + good[1:],
        _forge("just a string"),
        _forge([owner, POSITION]),
        _forge({"o": owner}),
        _forge({"p": POSITION}),
        _forge({"o": owner, "p": 123}),
        _forge({"o": owner, "p": None}),
        _forge({"o": owner[:-1] + "0", "p": POSITION}),
        _forge({"o": owner, "p": "Z" * 1025}),  # longer than any sort key: DynamoDB would refuse it
        _forge({"o": owner, "p": "\ud800"}),  # a lone surrogate no store can encode
        base64.urlsafe_b64encode(b"\xff\xfe\x00").decode(),
    ]


@pytest.mark.parametrize("token", _tampered())
def test_given_a_tampered_or_garbage_cursor_when_decoded_then_it_is_an_invalid_cursor(token):
    with pytest.raises(InvalidCursor):
        cursor.decode(token, TENANT_A, "contact:active")


def test_given_a_position_of_the_largest_sort_key_when_round_tripped_then_it_is_accepted():
    position = "Z" * cursor.MAX_POSITION_BYTES
    assert cursor.decode(cursor.encode(TENANT_A, "x", position), TENANT_A, "x") == position

"""Idempotency-Key fingerprints, stored responses, replay and expiry (crm.idempotency)."""

from __future__ import annotations

import hashlib
from datetime import timedelta

import pytest

from crm.errors import BadRequest, IdempotencyKeyReused
from crm.idempotency import KEY_LIFETIME, IdempotencyKey

BODY = {"properties": {"email": "a@b.co", "first_name": "A"}}


def _key(key: str = "k-1", method: str = "POST", path: str = "/contacts", body: object = BODY) -> IdempotencyKey:
    made = IdempotencyKey.from_request(key, method, path, body)
    assert made is not None
    return made


def test_given_no_header_when_read_then_there_is_no_idempotency_key():
    assert IdempotencyKey.from_request(None, "POST", "/contacts", BODY) is None


@pytest.mark.parametrize("key", ["", " ", "has space", "é", "tab\t", "x" * 256, "new\nline"])
def test_given_an_invalid_idempotency_key_when_read_then_it_is_a_bad_request(key):
    with pytest.raises(BadRequest) as error:
        IdempotencyKey.from_request(key, "POST", "/contacts", BODY)
    assert error.value.status == 400


@pytest.mark.parametrize("key", ["a", "x" * 255, "550e8400-e29b-41d4-a716-446655440000", "!~{}"])
def test_given_a_valid_idempotency_key_when_read_then_it_is_accepted(key):
    assert _key(key).key == key


def test_given_the_same_request_with_keys_in_another_order_when_fingerprinted_then_it_matches():
    reordered = {"properties": {"first_name": "A", "email": "a@b.co"}}
    assert _key(body=BODY).fingerprint == _key(body=reordered).fingerprint
    assert _key("k-1").fingerprint == _key("k-2").fingerprint  # the key names the slot, not the request


@pytest.mark.parametrize(
    "other",
    [
        {"method": "PATCH"},
        {"path": "/companies"},
        {"path": "/contacts/01ARZ3NDEKTSV4RRFFQ69G5FAV"},
        {"body": {"properties": {"email": "A@b.co", "first_name": "A"}}},
        {"body": {"properties": {"email": "a@b.co"}}},
        {"body": None},
    ],
)
def test_given_a_different_method_path_or_body_when_fingerprinted_then_it_differs(other):
    assert _key(**other).fingerprint != _key().fingerprint


def test_given_a_key_when_stored_then_the_slot_is_a_hash_and_the_record_expires_after_the_lifetime(frozen_clock):
    key = _key("secret-ish-key")
    assert key.sort_key() == hashlib.sha256(b"secret-ish-key").hexdigest()
    stored = key.stored(201, {"id": "R1"})
    assert stored == {
        "kind": "idempotency",
        "fingerprint": key.fingerprint,
        "status": 201,
        "body": {"id": "R1"},
        "expires_at": int((frozen_clock[0] + KEY_LIFETIME).timestamp()),
    }


def test_given_a_stored_response_when_the_same_request_is_replayed_then_the_first_response_returns(frozen_clock):
    key = _key()
    stored = key.stored(201, {"id": "R1"})
    frozen_clock[0] += KEY_LIFETIME - timedelta(seconds=1)
    assert key.replay(stored) == (201, {"id": "R1"})


def test_given_a_stored_response_when_another_request_reuses_the_key_then_it_is_refused(frozen_clock):
    stored = _key().stored(201, {"id": "R1"})
    with pytest.raises(IdempotencyKeyReused) as error:
        _key(body={"properties": {"email": "other@b.co"}}).replay(stored)
    assert error.value.status == 422


@pytest.mark.parametrize(
    ("after", "replays"),
    [
        (KEY_LIFETIME, True),
        # Within the key's last second it still counts (as the write's `expires_at < :now` does).
        (KEY_LIFETIME + timedelta(milliseconds=500), True),
        (KEY_LIFETIME + timedelta(seconds=1), False),
        (KEY_LIFETIME + timedelta(days=3), False),
    ],
)
def test_given_a_stored_response_when_time_passes_then_it_replays_until_it_expires(frozen_clock, after, replays):
    key = _key()
    stored = key.stored(201, {"id": "R1"})
    frozen_clock[0] += after
    assert (key.replay(stored) is not None) is replays
    if not replays:  # an expired key is free for any request
        assert _key(body={"other": 1}).replay(stored) is None


def test_given_a_batch_key_when_derived_per_item_then_each_item_has_a_slot_of_its_own_no_client_key_can_name():
    batch = _key("import-7")
    first, second = batch.for_item(0), batch.for_item(1)
    assert len({batch.sort_key(), first.sort_key(), second.sort_key()}) == 3
    assert first.fingerprint == second.fingerprint == batch.fingerprint  # another batch with the key: refused
    with pytest.raises(BadRequest):  # a client cannot send an item's key as its own
        IdempotencyKey.from_request(first.key, "POST", "/contacts", BODY)

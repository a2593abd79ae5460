"""The webhook policies as pure logic: the retry schedule, event-type matching and Standard Webhooks
signing (the address guard has its own suite)."""

from __future__ import annotations

import base64
from datetime import UTC, datetime, timedelta

import pytest
from standardwebhooks.webhooks import Webhook, WebhookVerificationError

from webhooks import matching, schedule, signing

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)


# --- schedule ------------------------------------------------------------------------------------


def test_given_failures_in_a_row_when_scheduled_then_the_documented_delays_follow_and_then_it_stops():
    delays = [schedule.next_delay(n, 500, None, NOW) for n in range(1, 11)]
    assert delays[:9] == [
        timedelta(seconds=5),
        timedelta(minutes=5),
        timedelta(minutes=30),
        timedelta(hours=2),
        timedelta(hours=5),
        timedelta(hours=10),
        timedelta(hours=14),
        timedelta(hours=20),
        timedelta(hours=24),
    ]
    assert delays[9] is None  # ten attempts in all, then the delivery has failed


@pytest.mark.parametrize(
    ("status", "retry_after", "expected"),
    [
        (429, "120", timedelta(minutes=5)),  # asks for less than the schedule: the schedule wins
        (429, "3600", timedelta(hours=1)),  # asks for more: never retried sooner than asked
        (503, "Mon, 23 Nov 2026 14:00:00 GMT", timedelta(hours=2)),  # an HTTP date
        (503, str(10**9), timedelta(hours=24)),  # capped at a day
        (429, "soon", timedelta(minutes=5)),  # unreadable: the schedule
        (500, "3600", timedelta(minutes=5)),  # only 429 and 503 carry a meaningful Retry-After
    ],
)
def test_given_a_retry_after_when_scheduled_then_it_is_honoured_for_429_and_503(status, retry_after, expected):
    assert schedule.next_delay(2, status, retry_after, NOW) == expected


@pytest.mark.parametrize("value", ["", " ", "-5", "1.5", "Thu, 99 Foo 2026", "\x00"])
def test_given_a_malformed_retry_after_when_parsed_then_it_is_ignored_or_zero(value):
    parsed = schedule.parse_retry_after(value, NOW)
    assert parsed is None or parsed >= timedelta(0)


# --- matching ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("patterns", "event_type", "wanted"),
    [
        (["*"], "deal.stage_changed", True),
        (["contact.*"], "contact.created", True),
        (["contact.*"], "contact.lifecycle_stage_changed", True),
        (["contact.*"], "company.created", False),
        (["deal.stage_changed"], "deal.updated", False),
        (["deal.stage_changed", "company.*"], "company.restored", True),
        ([], "contact.created", False),
    ],
)
def test_given_patterns_when_an_event_arrives_then_it_matches_exactly_the_family_or_all(patterns, event_type, wanted):
    assert matching.matches(patterns, event_type) is wanted


def test_given_patterns_that_can_match_nothing_when_validated_then_they_are_named():
    assert matching.validate_patterns(["contact.*", "contakt.*", "deal.stage_changed", "deal.won", "*"]) == [
        "contakt.*",
        "deal.won",
    ]


def test_given_every_known_event_type_then_a_family_pattern_matches_it():
    for event_type in matching.known_event_types():
        assert matching.matches([f"{event_type.split('.')[0]}.*"], event_type)


# --- signing -------------------------------------------------------------------------------------


def test_given_a_new_secret_then_it_is_whsec_and_32_random_bytes():
    secret = signing.new_secret()
    assert secret.startswith("whsec_") and len(base64.b64decode(secret.removeprefix("whsec_"))) == 32
    assert signing.new_secret() != secret


def test_given_a_signed_body_when_a_subscriber_verifies_it_then_it_verifies_with_the_secret_only():
    secret, other = signing.new_secret(), signing.new_secret()
    body = '{"id":"E1","amount":1234567890123.456789}'
    headers = signing.headers("E1", NOW, body, [secret])
    assert headers["webhook-id"] == "E1" and headers["webhook-timestamp"] == str(int(NOW.timestamp()))
    assert _verify(secret, body, headers) is True
    assert _verify(other, body, headers) is False
    assert _verify(secret, body.replace("456789", "456788"), headers) is False  # every digit is signed


def test_given_a_rotation_when_signed_then_both_secrets_sign_until_the_old_one_expires():
    new, old = signing.new_secret(), signing.new_secret()
    stored = [
        {"secret": new, "expires_at": None},
        {"secret": old, "expires_at": (NOW + timedelta(hours=1)).isoformat()},
    ]
    assert signing.active_secrets(stored, NOW) == [new, old]
    assert signing.active_secrets(stored, NOW + timedelta(hours=2)) == [new]
    headers = signing.headers("E2", NOW, "{}", signing.active_secrets(stored, NOW))
    assert len(headers["webhook-signature"].split(" ")) == 2
    assert _verify(old, "{}", headers) and _verify(new, "{}", headers)


def _verify(secret: str, body: str, headers: dict[str, str]) -> bool:
    """As a subscriber would, with the standardwebhooks library, at the moment of signing."""
    from unittest import mock

    import standardwebhooks.webhooks as library

    class AtSigningTime(datetime):
        @classmethod
        def now(cls, tz=None):  # type: ignore[override]
            return NOW

    with mock.patch.object(library, "datetime", AtSigningTime):
        try:
            Webhook(secret).verify(body, headers)
        except WebhookVerificationError:
            return False
    return True

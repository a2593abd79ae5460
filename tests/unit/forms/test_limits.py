"""Submission limits (forms.limits): fixed one-minute windows, clients known only by a keyed hash."""

from __future__ import annotations

from datetime import UTC, datetime

from forms import limits


def at(seconds: float) -> datetime:
    return datetime.fromtimestamp(1_767_225_600 + seconds, UTC)  # 2026-01-01T00:00:00Z, a window boundary


def test_given_moments_in_one_minute_then_they_share_a_window_and_the_next_minute_starts_another():
    first, last, next_one = limits.Window.at(at(0)), limits.Window.at(at(59.999)), limits.Window.at(at(60))

    assert first == last
    assert (first.start, first.end) == (1_767_225_600, 1_767_225_660)
    assert next_one.start == first.end


def test_given_a_window_then_retry_after_counts_whole_seconds_to_its_end_and_never_zero():
    window = limits.Window.at(at(0))
    assert window.retry_after(at(0)) == 60
    assert window.retry_after(at(58.2)) == 2
    assert window.retry_after(at(59.9)) == 1
    assert window.retry_after(at(60)) == 1


def test_given_a_client_address_then_its_counter_holds_a_keyed_hash_never_the_address():
    window = limits.Window.at(at(0))
    counter = limits.Counter.client("secret-a", "203.0.113.7", window)

    assert "203.0.113.7" not in counter.sort_key
    assert counter.sort_key == limits.Counter.client("secret-a", "203.0.113.7", window).sort_key
    assert counter.sort_key != limits.Counter.client("secret-b", "203.0.113.7", window).sort_key  # keyed per form
    assert counter.sort_key != limits.Counter.client("secret-a", "203.0.113.8", window).sort_key
    assert counter.sort_key.endswith(f"#{window.start}")
    assert counter.limit == limits.PER_CLIENT_PER_WINDOW == 10


def test_given_the_form_counter_then_it_is_one_per_window_with_the_forms_limit():
    counter = limits.Counter.form(limits.Window.at(at(30)))
    assert (counter.sort_key, counter.limit) == ("form#1767225600", limits.PER_FORM_PER_WINDOW)
    assert limits.PER_FORM_PER_WINDOW == 600 and limits.WINDOW_S == 60


def test_given_a_counter_at_its_limit_then_the_refusal_is_a_429_saying_when_to_retry():
    window = limits.Window.at(at(0))

    refused = limits.refused(limits.Counter.form(window), window, at(45))

    assert refused.status == 429 and refused.retry_after == 15
    problem = refused.to_problem()
    assert problem["type"].endswith("/rate-limited") and "600 per 60 s" in problem["detail"]
    assert "retry_after" not in problem


def test_given_new_secrets_then_they_differ():
    assert limits.new_secret() != limits.new_secret()

"""Lead scoring on its own (activity.scoring): rules checked whole with pointers, a score with its breakdown,
and event rules that count only what is in their window, up to their cap."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from activity import scoring
from contacts.schema import CONTACT, condition_values, operands
from crm.errors import ValidationFailed

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
OPERANDS = operands(CONTACT)


def _rules(*rules: dict) -> tuple[scoring.Rule, ...]:
    return scoring.parse({"rules": list(rules)}, OPERANDS)


def _contact(**properties) -> dict:
    return condition_values(
        {"id": "01ARZ3NDEKTSV4RRFFQ69G5FAV", "properties": properties, "created_at": "2026-01-01T00:00:00.000Z"}
    )


def test_given_property_and_event_rules_when_parsed_then_they_serialise_back_normalised():
    rules = _rules(
        {"id": "vip", "conditions": {"property": "email", "op": "eq", "value": "ADA@VIP.EXAMPLE"}, "points": 10},
        {"id": "opens", "event": "email_open", "within_days": 30, "points": 2},
    )
    assert scoring.to_json(rules) == [
        {"id": "vip", "conditions": {"property": "email", "op": "eq", "value": "ada@vip.example"}, "points": 10},
        {"id": "opens", "event": "email_open", "within_days": 30, "points": 2, "max_points": 2},
    ]
    assert scoring.load(scoring.to_json(rules), OPERANDS) == rules


@pytest.mark.parametrize(
    ("body", "pointers", "refused_for_meaning"),
    [
        ("rules", ["/"], False),
        ({"rules": [], "extra": 1}, ["/extra"], False),
        ({}, ["/rules"], False),
        ({"rules": ["x"]}, ["/rules/0"], False),
        ({"rules": [{"id": "a", "conditions": {}, "points": True}]}, ["/rules/0/points"], False),
        (
            {"rules": [{"id": "a", "event": "x", "within_days": 1, "points": 1, "conditions": {}}]},
            ["/rules/0/conditions"],
            False,
        ),
        ({"rules": [{"id": "a", "conditions": {"any": []}, "points": 1}]}, ["/rules/0/conditions/any"], True),
        (
            {
                "rules": [
                    {
                        "id": "a",
                        "conditions": {"not": {"property": "owner", "op": "changed_to", "value": "x"}},
                        "points": 1,
                    }
                ]
            },
            ["/rules/0/conditions/not/op"],
            True,
        ),
        (
            {
                "rules": [
                    {
                        "id": "a",
                        "conditions": {
                            "all": [{"property": "first_name", "op": "is_set"}, {"property": "score", "op": "is_set"}]
                        },
                        "points": 1,
                    }
                ]
            },
            ["/rules/0/conditions/all/1/property"],
            True,
        ),
        (
            {"rules": [{"id": "a", "event": "x", "within_days": 1, "points": -2, "max_points": -1}]},
            ["/rules/0/max_points"],
            False,
        ),
        (
            {"rules": [{"id": "a", "event": "x", "within_days": 1, "points": 1, "max_points": 1001}]},
            ["/rules/0/max_points"],
            False,
        ),
    ],
)
def test_given_invalid_rules_when_parsed_then_every_fault_has_its_pointer_and_its_kind(
    body, pointers, refused_for_meaning
):
    with pytest.raises(ValidationFailed) as refused:
        scoring.parse(body, OPERANDS)
    assert [e.pointer for e in refused.value.errors] == pointers
    assert isinstance(refused.value, scoring.RulesRefused) is refused_for_meaning


def test_given_a_contact_when_scored_then_each_matching_rule_is_in_the_breakdown_in_rule_order():
    rules = _rules(
        {"id": "lead", "conditions": {"property": "lifecycle_stage", "op": "eq", "value": "lead"}, "points": 5},
        {"id": "buyer", "conditions": {"property": "purchase_count", "op": "gte", "value": 2}, "points": 15},
        {"id": "eur", "conditions": {"property": "lifetime_value.EUR", "op": "gt", "value": "99.99"}, "points": 7},
        {"id": "gmail", "conditions": {"property": "email", "op": "ends_with", "value": "@gmail.com"}, "points": -3},
        {"id": "old", "conditions": {"property": "created_at", "op": "lt", "value": "2025-01-01"}, "points": 1},
    )
    contact = _contact(
        lifecycle_stage="lead", purchase_count=2, lifetime_value={"EUR": 100, "USD": 5}, email="ada@gmail.com"
    )

    result = scoring.score(rules, contact, {})

    assert result.score == 5 + 15 + 7 - 3
    assert result.breakdown == (
        {"rule": "lead", "points": 5},
        {"rule": "buyer", "points": 15},
        {"rule": "eur", "points": 7},
        {"rule": "gmail", "points": -3},
    )
    assert scoring.score((), contact, {}) == scoring.Score(0, ())


def test_given_event_rules_when_counted_then_only_the_window_counts_and_reading_stops_at_the_cap():
    opens, bounces = _rules(
        {"id": "opens", "event": "email_open", "within_days": 7, "points": 3, "max_points": 10},
        {"id": "bounces", "event": "bounce", "within_days": 30, "points": -5, "max_points": 5},
    )
    newest_first = [
        [
            ("email_open", NOW - timedelta(days=1)),
            ("bounce", NOW - timedelta(days=2)),
            ("email_open", NOW - timedelta(days=3)),
        ],
        [("email_open", NOW - timedelta(days=6)), ("email_open", NOW - timedelta(days=6, hours=1))],
        [("email_open", NOW - timedelta(days=8))],
    ]
    read: list[int] = []

    def pages():
        for page in newest_first:
            read.append(len(page))
            yield page

    counts = scoring.count_events((opens, bounces), NOW, pages())

    assert counts == {"opens": 4, "bounces": 1}
    assert read == [3, 2]  # opens reached its 4 (ceil(10 / 3)) and bounces its 1: the third page is never read
    assert scoring.score((opens, bounces), {}, counts) == scoring.Score(
        10 - 5, ({"rule": "opens", "points": 10}, {"rule": "bounces", "points": -5})
    )


def test_given_events_that_aged_out_when_counted_later_then_the_score_decays():
    (opens,) = _rules({"id": "opens", "event": "email_open", "within_days": 30, "points": 2, "max_points": 6})
    history = [[("email_open", NOW - timedelta(days=d)) for d in (1, 10, 29)]]

    today = scoring.count_events((opens,), NOW, iter(history))
    in_ten_days = scoring.count_events((opens,), NOW + timedelta(days=10), iter(history))
    in_a_month = scoring.count_events((opens,), NOW + timedelta(days=31), iter(history))

    assert [scoring.score((opens,), {}, c).score for c in (today, in_ten_days, in_a_month)] == [6, 4, 0]

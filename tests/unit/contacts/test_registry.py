"""When a schema change must wait for other warm containers before it goes on (registry.settle)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from contacts import registry
from contacts.repository import guard_key


@pytest.mark.parametrize(("function_name", "waited"), [("crm-contacts", [registry.FRESH_S]), (None, [])])
def test_given_where_it_runs_when_settling_then_it_waits_out_the_cache_only_in_lambda(
    monkeypatch, function_name, waited
):
    slept: list[float] = []
    monkeypatch.setattr(registry.time, "sleep", slept.append)
    if function_name:
        monkeypatch.setenv("AWS_LAMBDA_FUNCTION_NAME", function_name)
    else:
        monkeypatch.delenv("AWS_LAMBDA_FUNCTION_NAME", raising=False)

    registry.settle()

    assert slept == waited


@pytest.mark.parametrize(
    ("value", "key"),
    [
        ("B-1", "B-1"),  # strings are stored normalised already: kept as they are
        (12, "12"),
        (Decimal("12.0"), "12"),
        (1.2e1, "12"),
        (Decimal("1E+2"), "100"),
        (Decimal("0.50"), "0.5"),
        (0.1, "0.1"),
    ],
)
def test_given_a_unique_value_then_its_guard_key_has_one_spelling(value, key):
    assert guard_key(value) == key

"""Whole numbers at the edge: JSON's `126.0` is the integer 126; nothing else changes type."""

from __future__ import annotations

from decimal import Decimal

import pytest
from pydantic import BaseModel, ConfigDict, ValidationError

from crm.numbers import as_whole, whole_number


class Strict(BaseModel):
    model_config = ConfigDict(strict=True)
    count: whole_number(ge=1, le=10)  # type: ignore[valid-type]


@pytest.mark.parametrize("sent", [Decimal("3"), Decimal("3.0"), Decimal("3.000"), 3.0, 3, Decimal("0.3E+1")])
def test_given_an_integral_number_in_any_json_spelling_when_validated_then_it_is_the_int(sent):
    assert Strict(count=sent).count == 3


@pytest.mark.parametrize(
    "sent", [Decimal("3.5"), 3.5, "3", True, Decimal("1e999999999"), Decimal("NaN"), Decimal("11"), None]
)
def test_given_a_fraction_text_boolean_huge_or_out_of_range_value_then_it_is_refused(sent):
    with pytest.raises(ValidationError):
        Strict(count=sent)


def test_given_a_huge_exponent_then_as_whole_leaves_it_alone_without_expanding_it():
    huge = Decimal("1e999999999")
    assert as_whole(huge) is huge


def test_given_the_json_schema_then_the_constraints_are_json_schema_keywords():
    schema = Strict.model_json_schema()["properties"]["count"]
    assert (schema["type"], schema["minimum"], schema["maximum"]) == ("integer", 1, 10)

"""Whole numbers at the API's edge. JSON has one number type, so `126.0` is the integer 126 (JSON Schema
agrees, and generated clients and fuzzers send it). Request bodies are parsed into exact Decimals
(crm.jsonio), which strict pydantic refuses where it expects an int: an integral value within range is
made an int first, and anything else is left for the int check to refuse."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

# Far beyond any count, duration or score the API takes; big enough never to be the limit a field states.
_LIMIT = 10**18
_LIMIT_DIGITS = 18  # a Decimal below _LIMIT has adjusted() < this: checked without arithmetic (1e999999999)


def as_whole(value: Any) -> Any:
    """`value` as an int if it is an integral, finite, not-too-large Decimal or float; else unchanged."""
    if isinstance(value, float) and value.is_integer() and abs(value) < _LIMIT:
        return int(value)
    whole_decimal = isinstance(value, Decimal) and value.is_finite() and value.adjusted() < _LIMIT_DIGITS
    if whole_decimal and value == value.to_integral_value():
        return int(value)
    return value


def whole_number(**constraints: Any) -> object:
    """The type of a whole-number field of a strict request model (pydantic edge), with its Field constraints
    (ge, le, ...) given here: after the validator they would be lost from the JSON schema."""
    from typing import Annotated

    from pydantic import BeforeValidator, Field

    return Annotated[int, Field(**constraints), BeforeValidator(as_whole)]

"""The one JSON codec for what crosses the wire or is stored as JSON text (bodies, cursors, outbox
payloads, delivery logs).

Numbers stay exact end to end: a JSON number with a fraction or exponent is read as a `Decimal` and
written back digit for digit (DynamoDB numbers are decimal too), so `1234567890123.456789` never
becomes a float. simplejson does the exact writing; the standard library cannot emit a Decimal as a
number. Reading is strict: duplicate keys, NaN/Infinity, nesting beyond MAX_DEPTH and text no store
can encode (a lone surrogate) are refused with a reason a client can act on."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import simplejson

MAX_DEPTH = 32


class JsonRejected(ValueError):
    """The text is not JSON this API accepts; the message says why, in words for the client."""


def dumps(value: Any, *, canonical: bool = False) -> str:
    """Compact JSON; `canonical` sorts keys, so equal values always give equal text (fingerprints)."""
    return simplejson.dumps(
        value,
        separators=(",", ":"),
        ensure_ascii=False,
        use_decimal=True,
        default=_default,
        allow_nan=False,
        sort_keys=canonical,
    )


def _default(value: Any) -> Any:
    if isinstance(value, set | frozenset):
        return sorted(value)
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def loads(text: str | bytes) -> Any:
    """Strictly parsed JSON. Raises JsonRejected (never another exception) for anything unusable."""
    if (text[:1] if isinstance(text, str) else text[:3]) in ("\ufeff", b"\xef\xbb\xbf"):
        raise JsonRejected("not valid JSON: it starts with a byte order mark")
    try:
        value = simplejson.loads(
            text,
            object_pairs_hook=_unique_keys,
            parse_float=Decimal,
            parse_constant=_no_constants,
        )
    except JsonRejected:
        raise
    except simplejson.JSONDecodeError as error:
        raise JsonRejected(f"not valid JSON: {error.msg} at line {error.lineno} column {error.colno}") from None
    except RecursionError:
        raise JsonRejected(f"nested more than {MAX_DEPTH} levels deep") from None
    except (ValueError, TypeError) as error:  # e.g. an integer of more than 4300 digits, bytes not UTF-8
        raise JsonRejected(f"not usable JSON ({type(error).__name__})") from None
    if _depth(value) > MAX_DEPTH:
        raise JsonRejected(f"nested more than {MAX_DEPTH} levels deep")
    try:
        dumps(value).encode()  # a lone surrogate ("\ud800") is valid JSON but no store can hold it
    except UnicodeEncodeError:
        raise JsonRejected("contains a lone UTF-16 surrogate (\\ud800-\\udfff), which is not text") from None
    return value


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise JsonRejected(f"the key {key!r} appears more than once in one object")
        result[key] = value
    return result


def _no_constants(name: str) -> Any:
    raise JsonRejected(f"{name} is not a JSON number")


def _depth(value: Any) -> int:
    """How deeply containers nest (a scalar is 0), without recursion."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        current, level = stack.pop()
        children = current.values() if isinstance(current, dict) else current if isinstance(current, list) else None
        if children is None:
            continue
        deepest = max(deepest, level)
        if level > MAX_DEPTH:
            return level
        stack.extend((child, level + 1) for child in children)
    return deepest

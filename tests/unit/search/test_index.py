"""Search index keys (search.index): text order is value order for every key kind, text is folded as
conditions compare it, keys stay within DynamoDB's limits, and a record's items follow its state."""

from __future__ import annotations

import random
from decimal import Decimal

from contacts.schema import COMPANY, CONTACT
from search.index import (
    MAX_TEXT_KEY,
    SEP,
    TOP,
    entries,
    moment_key,
    number_key,
    position,
    query_key,
    tokens,
    value_key,
)

RECORD = {
    "id": "01KDVDNA004G9WBBAHQARN6P6M",
    "object": "contact",
    "properties": {"email": "ada@acme.com", "first_name": "Ada", "lifecycle_stage": "lead", "phone": "+14155552671"},
    "version": 1,
    "created_at": "2026-01-01T00:00:00.000Z",
    "updated_at": "2026-01-01T00:00:00.000Z",
    "archived_at": None,
}


def test_given_numbers_then_their_keys_sort_as_the_numbers_do_and_are_exact():
    rng = random.Random(7)
    numbers = [Decimal(rng.randint(-(10**21) + 1, 10**21 - 1)) / 10**6 for _ in range(2000)]
    numbers += [Decimal(0), Decimal("-0.000001"), Decimal("0.000001"), Decimal(10**21 - 1), -(10**21) + 1, 5, 12]
    keyed = sorted(numbers, key=number_key)
    assert keyed == sorted(numbers)
    assert len({number_key(n) for n in numbers}) == len(set(numbers))
    assert number_key(12) == number_key(Decimal("12.000")) == number_key("12")
    assert {len(number_key(n) or "") for n in numbers} == {28}
    assert number_key(True) is None and number_key("twelve") is None


def test_given_date_times_at_any_precision_or_offset_then_their_keys_are_fixed_width_utc():
    assert moment_key("2026-01-01T00:00:00.000Z") < moment_key("2026-01-01T00:00:00.000123Z")
    assert moment_key("2026-01-01T01:00:00+01:00") == moment_key("2026-01-01T00:00:00.000Z")
    assert moment_key("2026-01-01T00:00:00.5Z") == "2026-01-01T00:00:00.500000Z"
    assert moment_key("yesterday") is None


def test_given_text_then_its_key_is_folded_cut_and_free_of_the_separator():
    assert value_key("text", "ADA@Acme.com") == "ada@acme.com"
    assert value_key("text", "Straße") == value_key("text", "STRASSE")
    assert value_key("text", "a\x00b") == "ab"
    long = value_key("text", "ü" * 5000) or ""
    assert len(long) == MAX_TEXT_KEY and len((long + SEP + RECORD["id"]).encode()) <= 1024
    assert value_key("boolean", False) < value_key("boolean", True)


def test_given_a_record_then_its_items_are_its_indexed_values_updated_at_and_tokens_and_none_when_archived():
    found = entries(CONTACT, RECORD)

    partitions = sorted({e.partition[-1] for e in found})
    assert partitions == ["contact", "email", "first_name", "lifecycle_stage", "updated_at"]  # not phone
    assert {e.sort.split(SEP)[0] for e in found if e.partition[0] == "XQ"} == {"ada@acme.com", "acme.com", "ada"}
    assert all(e.sort.endswith(SEP + RECORD["id"]) and e.record_id == RECORD["id"] for e in found)
    assert entries(CONTACT, {**RECORD, "archived_at": "2026-01-02T00:00:00.000Z"}) == set()
    assert entries(CONTACT, None) == set()


def test_given_identifying_text_then_tokens_are_the_value_and_what_follows_its_first_word_breaks():
    company = {"name": "Acme  Robotics Ltd", "domain": "acme.example"}
    assert tokens(COMPANY, company) == {"acme  robotics ltd", "robotics ltd", "ltd", "acme.example"}
    many = tokens(COMPANY, {"name": "a b c d e f g h"})
    assert many == {"a b c d e f g h", "b c d e f g h", "c d e f g h", "d e f g h", "e f g h"}
    assert query_key("  ACME ") == "acme"


def test_given_an_order_then_a_record_stands_at_its_index_key_or_last():
    assert position(CONTACT, None, RECORD) == RECORD["id"]
    assert position(CONTACT, "first_name", RECORD) == "ada" + SEP + RECORD["id"]
    assert position(CONTACT, "last_name", RECORD) == TOP + SEP + RECORD["id"]
    assert position(CONTACT, "updated_at", RECORD) == "2026-01-01T00:00:00.000000Z" + SEP + RECORD["id"]

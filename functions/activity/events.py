"""Behavioural events: what a contact did (viewed a page, opened or clicked an email, bought, changed a
subscription, or any event a tenant names itself), each checked on its own, and how they fold into the
contact's computed properties. Pure: no store, no clock of its own (`now` is passed in)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from contacts.schema import SUBSCRIPTION_STATUSES, Currency, InvalidValue, ValidationContext, exact_number
from crm import clock, jsonio
from crm.errors import FieldError, ValidationFailed

TYPE_PATTERN = r"^[a-z][a-z0-9_]{0,63}$"
BUILT_IN_TYPES = ("page_view", "email_open", "email_click", "purchase", "subscription_changed")
# YYYY-MM-DD, or a date-time with Z or an offset (contacts.schema.DateTime reads the same forms).
MOMENT_PATTERN = (
    r"^[0-9]{4}-[0-9]{2}-[0-9]{2}(?:T[0-9]{2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]{1,6})?)?(?:Z|[+-][0-9]{2}:[0-9]{2}))?$"
)
MAX_EVENTS = 100  # per call
MAX_PROPERTIES_BYTES = 4096  # an event's properties, as compact UTF-8 JSON
MAX_FUTURE = timedelta(minutes=5)  # clocks drift; an event from further ahead is a bug in the sender
EARLIEST = datetime(1970, 1, 1, tzinfo=UTC)  # event ids are ULIDs: their time part starts here

_TYPE = re.compile(TYPE_PATTERN)
_MOMENT = re.compile(MOMENT_PATTERN)
_US = ValidationContext()


@dataclass(frozen=True)
class NewEvent:
    """A checked event: its type, when it happened (UTC) and its properties as plain JSON values."""

    type: str
    occurred_at: datetime
    properties: dict[str, Any]

    @property
    def occurred_at_text(self) -> str:
        return iso(self.occurred_at)


def iso(moment: datetime) -> str:
    """UTC ISO 8601 as records show instants: milliseconds, or microseconds when there are any."""
    spec = "milliseconds" if moment.microsecond % 1000 == 0 else "microseconds"
    return moment.astimezone(UTC).isoformat(timespec=spec).replace("+00:00", "Z")


def sort_key_time(moment: datetime) -> str:
    """Fixed width to the microsecond, so the text order of sort keys is the time order."""
    return moment.astimezone(UTC).replace(tzinfo=None).isoformat(timespec="microseconds") + "Z"  # years padded


def read_moment(value: Any) -> datetime:
    """An instant from its ISO 8601 text (the forms MOMENT_PATTERN documents) or a datetime (a naive one is
    UTC). Raises InvalidValue with a reason for the client."""
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, str) and _MOMENT.match(value.strip()):
        try:
            moment = datetime.fromisoformat(value.strip())
        except ValueError:
            raise InvalidValue("is not a date-time that exists") from None
    else:
        raise InvalidValue("must be a date-time as YYYY-MM-DDTHH:MM:SSZ (or with an offset such as +02:00)")
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    try:
        return moment.astimezone(UTC)
    except OverflowError:  # e.g. 9999-12-31T23:59-01:00 is in year 10000 in UTC
        raise InvalidValue("is outside the years 1970-9999") from None


def check(raw: Mapping[str, Any], *, pointer: str, now: datetime) -> NewEvent:
    """One event (`type`, `occurred_at` (default: now), `properties`) checked whole: ValidationFailed
    names every field at fault below `pointer`, e.g. /events/3/properties/amount."""
    errors: list[FieldError] = []
    event_type = raw.get("type")
    if not isinstance(event_type, str) or not _TYPE.match(event_type):
        errors.append(FieldError(f"{pointer}/type", "must be 1-64 of a-z, 0-9 and _, starting with a letter"))
    occurred_at = now.replace(microsecond=now.microsecond // 1000 * 1000)  # as records stamp their times
    if raw.get("occurred_at") is not None:
        try:
            occurred_at = read_moment(raw["occurred_at"])
        except InvalidValue as error:
            errors.append(FieldError(f"{pointer}/occurred_at", str(error)))
    if occurred_at > now + MAX_FUTURE:
        errors.append(FieldError(f"{pointer}/occurred_at", "is more than 5 minutes in the future"))
    elif occurred_at < EARLIEST:
        errors.append(FieldError(f"{pointer}/occurred_at", "must be in 1970 or later"))
    properties = _properties(raw.get("properties"), f"{pointer}/properties", errors)
    if isinstance(event_type, str) and properties is not None:
        properties = _typed_properties(event_type, properties, f"{pointer}/properties", errors)
    if errors:
        raise ValidationFailed("The event is invalid.", errors=errors)
    assert isinstance(event_type, str) and properties is not None
    return NewEvent(event_type, occurred_at, properties)


def _properties(raw: Any, pointer: str, errors: list[FieldError]) -> dict[str, Any] | None:
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        errors.append(FieldError(pointer, "must be an object"))
        return None
    try:
        text = jsonio.dumps(raw)
        size = len(text.encode())
    except (TypeError, ValueError, UnicodeEncodeError):  # in-process callers may pass anything
        errors.append(FieldError(pointer, "must hold JSON values only"))
        return None
    if size > MAX_PROPERTIES_BYTES:
        errors.append(FieldError(pointer, f"is {size} bytes as JSON; at most {MAX_PROPERTIES_BYTES}"))
        return None
    return jsonio.loads(text)  # plain JSON values, numbers exact


def _typed_properties(
    event_type: str, properties: dict[str, Any], pointer: str, errors: list[FieldError]
) -> dict[str, Any]:
    """What the built-in types need in their properties, normalised (currency upper case, amount exact)."""
    clean = dict(properties)
    if event_type == "purchase":
        for name, read in (("amount", _amount), ("currency", lambda v: Currency().normalise(v, _US))):
            if properties.get(name) is None:
                errors.append(FieldError(f"{pointer}/{name}", "is required for a purchase"))
                continue
            try:
                clean[name] = read(properties[name])
            except InvalidValue as error:
                errors.append(FieldError(f"{pointer}/{name}", str(error)))
    elif event_type == "subscription_changed":
        status = properties.get("status")
        if status is None:
            errors.append(FieldError(f"{pointer}/status", "is required for a subscription change"))
        elif not isinstance(status, str) or status.strip().lower() not in SUBSCRIPTION_STATUSES:
            errors.append(FieldError(f"{pointer}/status", f"must be one of: {', '.join(SUBSCRIPTION_STATUSES)}"))
        else:
            clean["status"] = status.strip().lower()
    return clean


def _amount(value: Any) -> Any:
    amount = exact_number(value)
    if amount < 0:
        raise InvalidValue("must be at least 0 (a refund is an event of its own)")
    return amount


def event_id(tenant_id: str, contact_id: str, event: NewEvent) -> str:
    """Derived from what the event is (contact, type, instant, properties): the same event sent twice
    (a retried call, a redelivered form) is recorded once, whatever the Idempotency-Key."""
    seed = jsonio.dumps(
        [tenant_id, contact_id, event.type, sort_key_time(event.occurred_at), event.properties], canonical=True
    )
    return clock.derived_id(seed, event.occurred_at)


def pending_facts(event: NewEvent) -> dict[str, Any]:
    """What folding needs of an event, kept with its pending marker (so folding reads no event item)."""
    facts: dict[str, Any] = {"type": event.type, "occurred_at": event.occurred_at_text}
    if event.type == "purchase":
        facts.update(amount=event.properties["amount"], currency=event.properties["currency"])
    elif event.type == "subscription_changed":
        facts["status"] = event.properties["status"]
    return facts


def fold(current: Mapping[str, Any], pending: Iterable[Mapping[str, Any]]) -> dict[str, Any]:
    """The computed properties once these events (pending_facts, each with its `event_id`) are added to
    what `current` (a contact's properties) already counts. Order does not matter: last_seen_at is the
    latest occurred_at, counts and sums add up, and the subscription status is the one of the latest
    subscription change (ties: the greater event id), however late it arrives."""
    facts = sorted(pending, key=lambda f: (read_moment(f["occurred_at"]), f["event_id"]))
    if not facts:
        return {}
    values: dict[str, Any] = {}
    latest = max(read_moment(f["occurred_at"]) for f in facts)
    seen = current.get("last_seen_at")
    if seen is None or latest > read_moment(seen):
        values["last_seen_at"] = iso(latest)
    purchases = [f for f in facts if f["type"] == "purchase"]
    if purchases:
        values["purchase_count"] = (current.get("purchase_count") or 0) + len(purchases)
        totals = dict(current.get("lifetime_value") or {})
        for purchase in purchases:
            totals[purchase["currency"]] = totals.get(purchase["currency"], 0) + purchase["amount"]
        values["lifetime_value"] = totals
    status, changed_at = current.get("subscription_status"), current.get("subscription_changed_at")
    for change in (f for f in facts if f["type"] == "subscription_changed"):
        moment = read_moment(change["occurred_at"])
        if changed_at is None or moment >= read_moment(changed_at):
            status, changed_at = change["status"], iso(moment)
    if changed_at != current.get("subscription_changed_at"):
        values.update(subscription_status=status, subscription_changed_at=changed_at)
    return values

"""Behavioural events and lead scoring, for one tenant: record events (per item, never all or nothing),
page a contact's events, keep its computed properties and score current, manage the scoring rules.

How a contact's computed properties stay exact:
- Recording an event writes, in one transaction, the event, a pending marker (what folding needs), a check
  that the contact is active and a `activity.recorded` change event. The event id derives from what
  the event is, so sending it again (a retried call, a redelivered form) finds it and records nothing.
- The `contact_activity` consumer (activity.consumer) then folds the contact's pending markers into its
  computed properties through RecordService.update_computed: the contact, its change events and the
  deletion of the markers it folded commit together, conditional on the version it read. An event is
  therefore counted exactly once, whichever message (or redelivery of one) folds it, and two folds
  racing each other retry rather than both counting.
- The score is computed in the same write, from the contact as it will be and the tenant's rules.

When the score is recomputed: on every change to the contact (contact.created, updated, restored), every
recorded event and every change of the rules (every contact of the tenant, in chunks: activity.consumer).
Event rules decay as events leave their window; nothing sweeps contacts nobody touches, so such a score
is brought up to date by the next of those, or when GET /contacts/{id}/score finds it stale (it computes
the score as of now and asks the consumer to store it)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from activity import events, scoring
from activity.repository import FOLD_BATCH, ActivityRepository, public_event
from contacts.repository import Record, RecordRepository
from contacts.schema import CONTACT, ValidationContext, condition_values, operands
from contacts.service import RecordService
from crm import catalogue, clock, cursor, observability, outbox
from crm.errors import FieldError, InvalidCursor, NotFound, PreconditionFailed, ValidationFailed
from crm.idempotency import IdempotencyKey, Outcome
from crm.store import TenantTable
from crm.writes import WritePlan, Writer, retry_on_race

EVENT_RECORDED = "activity.recorded"  # its own family: a subscriber to contact.* does not get every page view
RULES_CHANGED = "scoring.rules_changed"
RULES_OBJECT = "scoring_rules"  # the `object` of a rules change event (its record_id: the scored object type)
MAX_FOLDS = 40  # transactions of FOLD_BATCH pending events per refresh; more waits for the next message
# Before any PUT a tenant has an empty rule set at version 1 (never stored): a garbled If-Match, which names
# no version (crm.http.NO_VERSION), then still fails.
IMPLICIT_VERSION = 1


class Activity:
    def __init__(
        self, tenant_id: str, *, table: TenantTable | None = None, validation: ValidationContext | None = None
    ) -> None:
        self.table = table or TenantTable(tenant_id)
        self.tenant_id = self.table.tenant_id
        self.validation = validation or ValidationContext()
        self.repository = ActivityRepository(self.table)

    def _contacts(self, cause: dict[str, Any] | None = None) -> RecordService:
        from contacts.registry import SchemaRegistry

        contact = SchemaRegistry(self.tenant_id).by_name(CONTACT.name)  # with the tenant's custom properties
        return RecordService(self.tenant_id, contact, validation=self.validation, table=self.table, cause=cause)

    # --- recording ------------------------------------------------------------------------------

    def record(self, items: Sequence[Mapping[str, Any]], idempotency_key: IdempotencyKey | None = None) -> Outcome:
        """POST /events: each item recorded or refused on its own (202, or a 404/422 problem). A store that
        is busy fails the whole call (503): retrying it is safe, recorded events are found again."""
        now = clock.now()
        contacts: dict[tuple[str, str], str] = {}  # one lookup per contact named in the call

        def work() -> Outcome:
            results = [self._record_item(raw, f"/events/{i}", now, contacts) for i, raw in enumerate(items)]
            return Outcome(202, {"results": results})

        return Writer(self.table, idempotency_key).run(work)

    def _record_item(
        self, raw: Mapping[str, Any], pointer: str, now: Any, contacts: dict[tuple[str, str], str]
    ) -> dict[str, Any]:
        try:
            event = events.check(raw, pointer=pointer, now=now)  # before any read
            contact_id = self._contact_id(raw.get("contact"), f"{pointer}/contact", contacts)
            return {"status": 202, "event": self._store(contact_id, event)}
        except (NotFound, ValidationFailed) as refused:
            return {"status": refused.status, "problem": refused.to_problem()}

    def _contact_id(self, ref: Any, pointer: str, known: dict[tuple[str, str], str]) -> str:
        """The active contact an item names, by id or by email; never one created on the fly."""
        if not isinstance(ref, Mapping) or len([k for k in ("id", "email") if ref.get(k) is not None]) != 1:
            raise ValidationFailed("The event names no contact.", errors=[FieldError(pointer, "needs id or email")])
        by, value = ("id", ref["id"]) if ref.get("id") is not None else ("email", ref["email"])
        if not isinstance(value, str):
            raise ValidationFailed(
                "The contact reference is invalid.", errors=[FieldError(f"{pointer}/{by}", "must be a string")]
            )
        if (by, value) in known:
            return known[(by, value)]
        contacts = self._contacts()
        if by == "id":
            found = contacts.get(value)["id"]
        else:
            try:
                record = contacts.find_unique("email", value)
            except ValidationFailed as invalid:
                raise ValidationFailed(
                    "The contact's email is invalid.",
                    errors=[FieldError(f"{pointer}/email", e.detail) for e in invalid.errors],
                ) from None
            if record is None:
                raise NotFound("No contact has this email; events are recorded for existing contacts only.")
            found = record["id"]
        known[(by, value)] = found
        return found

    def _store(self, contact_id: str, event: events.NewEvent) -> dict[str, Any]:
        """The event, recorded once: a second recording of the same event returns the first."""
        event_id = events.event_id(self.tenant_id, contact_id, event)
        sort_key = f"{events.sort_key_time(event.occurred_at)}#{event_id}"

        def attempt() -> dict[str, Any]:
            existing = self.repository.get_event(contact_id, sort_key)
            if existing is not None:
                return public_event(existing)
            stored = {
                "id": event_id,
                "contact_id": contact_id,
                "type": event.type,
                "occurred_at": event.occurred_at_text,
                "properties": event.properties,
                "recorded_at": clock.now_iso(),
            }
            plan = WritePlan()
            self.repository.add_event(plan, stored, sort_key, events.pending_facts(event))
            RecordRepository(self.table).require_active(plan, CONTACT.name, contact_id, "/contact")
            plan.emit(
                self.table,
                outbox.envelope(
                    tenant_id=self.tenant_id,
                    event_type=EVENT_RECORDED,
                    object_name=CONTACT.name,
                    record_id=contact_id,
                    data=stored,
                ),
            )
            try:
                Writer(self.table).commit(plan, Outcome(202, stored), subject="event")
            except ValidationFailed:  # the contact was archived since it was looked up
                raise NotFound(f"No contact with id {contact_id}.") from None
            return stored

        return retry_on_race(attempt, subject="contact's events")

    def record_for_contact(self, contact_id: str, items: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
        """In-process callers (forms): events of one contact, checked first as a whole (ValidationFailed
        names each fault at /events/<n>/...; NotFound if the contact is not active), then recorded."""
        contact = self._contacts().get(contact_id)
        now = clock.now()
        checked, errors = [], []
        for i, raw in enumerate(items):
            try:
                checked.append(events.check(raw, pointer=f"/events/{i}", now=now))
            except ValidationFailed as invalid:
                errors += invalid.errors
        if errors:
            raise ValidationFailed("The events are invalid.", errors=errors)
        return [self._store(contact["id"], event) for event in checked]

    # --- reading --------------------------------------------------------------------------------

    def list_events(
        self,
        contact_id: str,
        *,
        limit: int,
        cursor_token: str | None,
        event_type: str | None = None,
        since: Any = None,
    ) -> tuple[list[dict[str, Any]], str | None]:
        """A contact's events, newest first (by when they happened), optionally of one type and since a moment."""
        contact = self._contacts().get(contact_id)
        since_key = events.sort_key_time(since) if since is not None else None
        scope = f"events:{contact['id']}:{event_type or ''}:{since_key or ''}"
        after = cursor.decode(cursor_token, self.tenant_id, scope) if cursor_token else None
        if after is not None and since_key is not None and after < since_key:
            raise InvalidCursor("The cursor does not belong to this list; use next_cursor from a previous page.")
        items, position = self.repository.page_events(
            contact["id"], limit=limit, after=after, since=since_key, event_type=event_type
        )
        next_cursor = cursor.encode(self.tenant_id, scope, position) if position else None
        return [public_event(item) for item in items], next_cursor

    # --- scores ---------------------------------------------------------------------------------

    def rules(self) -> tuple[int, tuple[scoring.Rule, ...]]:
        """The tenant's contact scoring rules and their version."""
        document = self.repository.get_rules(CONTACT.name)
        if document is None:
            return IMPLICIT_VERSION, ()
        return document["version"], scoring.load(document["rules"], operands(CONTACT, self.validation))

    def score_of(self, contact: Record, rules: Sequence[scoring.Rule]) -> scoring.Score:
        """The score of a contact (as given) under these rules, as of now."""
        now = clock.now()
        counted = scoring.event_rules(rules)
        counts: dict[str, int] = {}
        if counted:
            since = min(rule.since(now) for rule in counted)
            pages = self.repository.recent_events(
                contact["id"], since=events.sort_key_time(since), types={rule.event for rule in counted}
            )
            readable = ([(kind, events.read_moment(at)) for kind, at in page] for page in pages)
            counts = scoring.count_events(counted, now, readable)
        return scoring.score(rules, condition_values(contact), counts)

    def contact_score(self, contact_id: str) -> dict[str, Any]:
        """GET /contacts/{id}/score: computed as of now. Where the stored score differs (events aged out of a
        rule's window since it was stored), the consumer is asked to store the current one."""
        contact = self._contacts().get(contact_id)
        _, rules = self.rules()
        result = self.score_of(contact, rules)
        stored = contact["properties"].get("score")
        if stored != (result.score if rules else None):
            from crm import queues

            try:
                queues.send(catalogue.CONTACT_ACTIVITY_QUEUE, rescore_message(self.tenant_id, [contact["id"]]))
            except Exception:  # the answer is right as it is; the stored score catches up on its next change
                observability.get_logger().warning("could not ask for a rescore", extra={"contact_id": contact["id"]})
        return {
            "contact_id": contact["id"],
            "score": result.score,
            "breakdown": list(result.breakdown),
            "as_of": clock.now_iso(),
        }

    def refresh(
        self,
        contact_id: str,
        rules: Sequence[scoring.Rule],
        *,
        cause: dict[str, Any] | None = None,
    ) -> Record | None:
        """Fold the contact's pending events into its computed properties and store its score under these
        rules (no rules: no score). Idempotent: run twice, it writes once. None when the contact is gone or
        archived (its pending events wait for a restore)."""
        contacts = self._contacts(cause)
        folded: list[int] = []

        def compute(current: Record, plan: WritePlan) -> dict[str, Any]:
            pending = self.repository.pending(current["id"])
            for item in pending:
                self.repository.clear_pending(plan, current["id"], item["event_id"])
            values = events.fold(current["properties"], pending)
            folded.append(len(pending))
            after = {**current, "properties": {**current["properties"], **values}}
            values["score"] = self.score_of(after, rules).score if rules else None  # no rules: no score
            return values

        record = None
        for _ in range(MAX_FOLDS):  # a flood of events folds in several transactions, each bounded
            folded.clear()
            record = contacts.update_computed(contact_id, compute)
            if record is None or not folded or folded[-1] < FOLD_BATCH:
                break
        return record

    # --- scoring rules --------------------------------------------------------------------------

    def get_rules(self) -> dict[str, Any]:
        document = self.repository.get_rules(CONTACT.name)
        return public_rules(document)

    def put_rules(
        self, body: Any, *, if_match: int | None = None, idempotency_key: IdempotencyKey | None = None
    ) -> Outcome:
        """Replace the contact scoring rules whole (a new version, and `scoring.rules_changed`, which rescores
        every contact). The same rules again change nothing."""
        writer = Writer(self.table, idempotency_key)
        earlier = writer.earlier()
        if earlier:
            return earlier
        rules = scoring.to_json(scoring.parse(body, operands(CONTACT, self.validation)))

        def attempt() -> Outcome:
            current = self.repository.get_rules(CONTACT.name)
            version = current["version"] if current else IMPLICIT_VERSION
            if if_match is not None and if_match != version:
                raise PreconditionFailed(f"If-Match names version {if_match} but the rules are at version {version}.")
            if (current["rules"] if current else []) == rules:
                return Outcome(200, public_rules(current))  # nothing changed: no version, no rescoring
            document = {"object": CONTACT.name, "rules": rules, "version": version + 1, "updated_at": clock.now_iso()}
            plan = WritePlan()
            self.repository.put_rules(plan, document, expected_version=current["version"] if current else None)
            plan.emit(
                self.table,
                outbox.envelope(
                    tenant_id=self.tenant_id,
                    event_type=RULES_CHANGED,
                    object_name=RULES_OBJECT,
                    record_id=CONTACT.name,
                    data=public_rules(document),
                ),
            )
            return writer.commit(plan, Outcome(200, public_rules(document)), subject="scoring rules")

        return retry_on_race(attempt, if_match=if_match, subject="scoring rules")


def public_rules(document: Mapping[str, Any] | None) -> dict[str, Any]:
    if document is None:
        return {"object": CONTACT.name, "rules": [], "version": IMPLICIT_VERSION, "updated_at": None}
    return {key: document[key] for key in ("object", "rules", "version", "updated_at")}


def rescore_message(tenant_id: str, contact_ids: list[str]) -> dict[str, Any]:
    """A message for the contact_activity consumer: recompute these contacts."""
    return {"task": "rescore", "tenant_id": tenant_id, "contact_ids": contact_ids}


def record_events(tenant_id: str, contact_id: str, events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Record behavioural events of one contact without an HTTP request (e.g. forms: `form_submitted`).

    Each dict: `type` (a built-in type or a name matching ^[a-z][a-z0-9_]{0,63}$), `occurred_at` (a datetime
    or ISO 8601 text; default now), `properties` (an object, at most 4 KB as JSON). Returns the stored events.
    The same event (contact, type, occurred_at, properties) sent again is recorded once: pass the same
    occurred_at on a retry. Raises NotFound (contact not active) or ValidationFailed (pointers /events/<n>/...)
    before recording anything; the contact's computed properties and score follow through the consumer."""
    return Activity(tenant_id).record_for_contact(contact_id, events)

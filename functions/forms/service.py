"""Forms for one tenant (define, read, list, change, delete) and the public submission of a form.

A submission, in order: the form is found from its id alone (the system index names its tenant); a replayed
Idempotency-Key answers at once; the client and then the form are counted against their limits (429 beyond);
the inputs are read (422 naming each field at fault); a filled honeypot is answered like a success with nothing
stored; otherwise the contact with that email is updated, or created, with the form's set_properties, and its
`form.submitted` change event rides in the same transaction; then a `form_submitted` behavioural event is
recorded for the contact (functions/activity)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from contacts.repository import Record
from contacts.schema import CONTACT, ValidationContext
from contacts.service import RecordService
from crm import clock, cursor, keys, observability, outbox
from crm.errors import DuplicateRecord, FieldError, NotFound, PreconditionFailed, ValidationFailed
from crm.idempotency import IdempotencyKey, Outcome
from crm.store import SystemTable, TenantTable
from crm.writes import WritePlan, Writer, retry_on_race
from forms import definition as definitions
from forms import limits
from forms.definition import Definition, Submission
from forms.repository import FormIndex, FormRepository, definition_of, public_form

SUBMITTED = "form.submitted"  # the change event of every accepted submission
BEHAVIOUR = "form_submitted"  # the behavioural event recorded for the contact
REMOVABLE = ("redirect_url", "honeypot")  # PATCH null removes these; the other fields cannot be removed


def normal_id(form_id: str) -> str:
    return form_id.strip().upper()


class Forms:
    def __init__(self, tenant_id: str, *, region: str = "US", table: TenantTable | None = None) -> None:
        self.table = table or TenantTable(tenant_id)
        self.tenant_id = self.table.tenant_id
        self.repository = FormRepository(self.table)
        self.context = ValidationContext(default_region=region)

    # --- reads ------------------------------------------------------------------------------------------

    def get(self, form_id: str) -> dict[str, Any]:
        return public_form(self._form(form_id))

    def list(self, limit: int, cursor_token: str | None) -> tuple[list[dict[str, Any]], str | None]:
        after = cursor.decode(cursor_token, self.tenant_id, "forms") if cursor_token else None
        items, position = self.repository.page(limit, after)
        return [public_form(i) for i in items], cursor.encode(self.tenant_id, "forms", position) if position else None

    # --- writes -----------------------------------------------------------------------------------------

    def create(self, body: dict[str, Any], idempotency_key: IdempotencyKey | None = None) -> Outcome:
        writer = self._spanning_writer(idempotency_key)
        earlier = writer.earlier()
        if earlier:
            return earlier
        checked = definitions.check(body, self.context)
        now = clock.now_iso()
        item = {
            "kind": keys.FORM.kind,
            "id": definitions.new_form_id(),
            "definition": checked.public(),
            "client_secret": limits.new_secret(),
            "version": 1,
            "created_at": now,
            "updated_at": now,
        }
        plan = WritePlan()
        self.repository.add(plan, item)
        outcome = Outcome(201, public_form(item))
        return retry_on_race(lambda: writer.commit(plan, outcome, subject="form"), subject="form")

    def update(
        self, form_id: str, changes: dict[str, Any], if_match: int | None, idempotency_key: IdempotencyKey | None = None
    ) -> Outcome:
        """Only the fields sent change (fields and set_properties are replaced whole); the result is checked
        whole. Sending what is already there changes nothing and makes no version."""
        writer = Writer(self.table, idempotency_key)
        earlier = writer.earlier()
        if earlier:
            return earlier
        not_removable = [
            FieldError(f"/{name}", "cannot be removed; leave it out to keep the current value")
            for name, value in changes.items()
            if value is None and name not in REMOVABLE
        ]
        if not_removable:
            raise ValidationFailed("The form is invalid.", errors=not_removable)

        def attempt() -> Outcome:
            current = self._current(form_id, if_match)
            checked = definitions.check({**definition_of(current).public(), **changes}, self.context)
            if checked == definition_of(current):
                return Outcome(200, public_form(current))
            item = {
                **current,
                "definition": checked.public(),
                "version": current["version"] + 1,
                "updated_at": clock.now_iso(),
            }
            plan = WritePlan()
            self.repository.replace(plan, item, current["version"])
            return writer.commit(plan, Outcome(200, public_form(item)), subject="form")

        return retry_on_race(attempt, if_match=if_match, subject="form")

    def delete(self, form_id: str, if_match: int | None, idempotency_key: IdempotencyKey | None = None) -> Outcome:
        """Soft: the form stays stored (marked deleted) and its submit URL answers 404 from now on."""
        writer = self._spanning_writer(idempotency_key)
        earlier = writer.earlier()
        if earlier:
            return earlier

        def attempt() -> Outcome:
            current = self._current(form_id, if_match)
            now = clock.now_iso()
            item = {**current, "version": current["version"] + 1, "updated_at": now, "deleted_at": now}
            plan = WritePlan()
            self.repository.delete(plan, item, current["version"])
            return writer.commit(plan, Outcome(204, None), subject="form")

        return retry_on_race(attempt, if_match=if_match, subject="form")

    # --- helpers ----------------------------------------------------------------------------------------

    def _spanning_writer(self, idempotency_key: IdempotencyKey | None) -> Writer:
        """Writes that also touch the system index (create, delete) commit through the system table; the
        request's Idempotency-Key record stays in the tenant's partition."""
        return Writer(SystemTable(), idempotency_key, idempotency_pk=self.table.pk(keys.IDEMPOTENCY.partition))

    def _form(self, form_id: str) -> dict[str, Any]:
        normal = normal_id(form_id)
        item = self.repository.get(normal) if normal else None
        if item is None or item.get("deleted_at"):
            raise NotFound(f"No form with id {form_id}.")
        return item

    def _current(self, form_id: str, if_match: int | None) -> dict[str, Any]:
        current = self._form(form_id)
        if if_match is not None and current["version"] != if_match:
            raise PreconditionFailed(f"If-Match names version {if_match} but the form is at {current['version']}.")
        return current


# --- the public submission -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Submitted:
    """A submission's answer, and where a browser that posted a plain HTML form goes next (if anywhere)."""

    outcome: Outcome
    redirect_url: str | None


@dataclass(frozen=True)
class Request:
    form_id: str
    body: str | None
    content_type: str | None
    source_ip: str | None
    idempotency_key: IdempotencyKey | None


def submit(request: Request) -> Submitted:
    """POST /forms/{form_id}/submissions: see the module's docstring for the order of things."""
    form_id = normal_id(request.form_id)
    tenant_id = FormIndex().tenant_of(form_id) if form_id else None
    if tenant_id is None:
        raise NotFound(f"No form with id {request.form_id}.")
    observability.append_keys(tenant_id=tenant_id, form_id=form_id)
    table = TenantTable(tenant_id)
    repository = FormRepository(table)
    item, profile = repository.get_with_profile(form_id)
    if item is None or item.get("deleted_at") or profile is None or profile.get("status") != "active":
        raise NotFound(f"No form with id {request.form_id}.")
    form = definition_of(item)
    # A browser posting a plain HTML form (urlencoded) goes on to the form's redirect_url, if it has one.
    redirect = form.redirect_url if definitions.is_urlencoded(request.body, request.content_type) else None
    writer = Writer(table, request.idempotency_key)
    earlier = writer.earlier()
    if earlier:
        return Submitted(earlier, redirect)
    _count(repository, item, request.source_ip)
    body = definitions.parse_body(request.body, request.content_type)
    if definitions.honeypot_filled(form, body.inputs):
        # Answered like an accepted submission, whatever else it holds, so a bot learns nothing; nothing is stored.
        observability.count("FormSubmissions", outcome="honeypot")
        ignored = definitions.unknown_inputs(form, body.inputs)
        return Submitted(Outcome(202, {"contact_id": clock.new_id(), "created": True, "ignored": ignored}), redirect)
    context = ValidationContext(default_region=profile.get("default_region") or "US")
    submission = definitions.read(form, body.inputs, context)
    accept = _Acceptance(table, item["id"], form, submission, context)
    outcome = writer.run(accept.run)
    observability.count("FormSubmissions", outcome="accepted")
    return Submitted(outcome, redirect)


def _count(repository: FormRepository, item: dict[str, Any], source_ip: str | None) -> None:
    """The client first, then the form: a client over its limit never spends the form's allowance."""
    now = clock.now()
    window = limits.Window.at(now)
    expires_at = window.end + limits.WINDOW_S  # TTL deletes within days; the window in the key is what counts
    for counter in (limits.Counter.client(item["client_secret"], source_ip, window), limits.Counter.form(window)):
        if not repository.count(item["id"], counter, expires_at):
            observability.count("FormSubmissions", outcome="limited")
            raise limits.refused(counter, window, now)


class _Acceptance:
    """Writes one accepted submission: the contact and its form.submitted event, then the behavioural event."""

    def __init__(
        self, table: TenantTable, form_id: str, form: Definition, submission: Submission, context: ValidationContext
    ) -> None:
        self.table, self.form_id, self.form, self.submission, self.context = table, form_id, form, submission, context
        # One event per submission, whichever attempt commits it: its id is fixed before any write.
        self.event = outbox.envelope(
            tenant_id=table.tenant_id, event_type=SUBMITTED, object_name=CONTACT.name, record_id="", data={}
        )

    def event_for(self, contact: Record) -> dict[str, Any]:
        data = {"form_id": self.form_id, "contact": contact, "fields": self.submission.fields}
        return {**self.event, "record_id": contact["id"], "data": data}

    def run(self) -> Outcome:
        contact, created = self._write_contact()
        # The contact's write carried the event; a submission that changed nothing wrote none, so it goes alone.
        FormRepository(self.table).ensure_event(self.event_for(contact))
        self._record_behaviour(contact["id"])
        body = {"contact_id": contact["id"], "created": created, "ignored": list(self.submission.ignored)}
        return Outcome(202, body)

    def _write_contact(self) -> tuple[Record, bool]:
        contacts = _SubmittingContacts(self.table, self.context, self.event_for)
        for _ in range(2):  # a twin submission may create the contact between our lookup and our create
            existing = contacts.find_unique(definitions.EMAIL, self.submission.email)
            if existing is not None:
                wanted = definitions.properties_to_write(self.form, self.submission, existing["properties"])
                return contacts.update(existing["id"], wanted).body, False
            try:
                return contacts.create(definitions.properties_to_write(self.form, self.submission, None)).body, True
            except DuplicateRecord:
                continue
        raise DuplicateRecord("The contact is being changed by another submission; retry shortly.")

    def _record_behaviour(self, contact_id: str) -> None:
        from activity.service import record_events

        occurred_at = self.event["occurred_at"]
        properties: dict[str, Any] = {"form_id": self.form_id, "fields": self.submission.fields}
        try:
            record_events(self.table.tenant_id, contact_id, [_behaviour(occurred_at, properties)])
        except ValidationFailed:
            # Only the size limit of an event's properties can refuse it (the values are the contact's own):
            # the field names then say what was sent.
            properties = {"form_id": self.form_id, "fields": sorted(self.submission.fields)}
            record_events(self.table.tenant_id, contact_id, [_behaviour(occurred_at, properties)])
        except NotFound:  # archived by someone else this very moment: there is no contact to record it for
            observability.get_logger().warning("form submission's contact is gone", extra={"contact_id": contact_id})


def _behaviour(occurred_at: str, properties: dict[str, Any]) -> dict[str, Any]:
    return {"type": BEHAVIOUR, "occurred_at": occurred_at, "properties": properties}


class _SubmittingContacts(RecordService):
    """Contacts written by a submission: each contact write also carries the submission's form.submitted
    event, in the write's own transaction (the one write path; nothing can change without its event)."""

    def __init__(
        self, table: TenantTable, context: ValidationContext, event_for: Callable[[Record], dict[str, Any]]
    ) -> None:
        from contacts.registry import SchemaRegistry

        contact = SchemaRegistry(table.tenant_id).by_name(CONTACT.name)  # with the tenant's custom properties
        super().__init__(table.tenant_id, contact, validation=context, table=table)
        self._event_for = event_for

    def _emit(
        self,
        plan: WritePlan,
        event_type: str,
        record: Record,
        changes: dict[str, dict[str, Any]],
        before: dict[str, Any] | None,
    ) -> None:
        super()._emit(plan, event_type, record, changes, before)
        plan.emit(self.repository.table, self._event_for(record))

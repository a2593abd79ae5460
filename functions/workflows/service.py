"""Workflow definitions for one tenant: create, read, list, change (a new version each time), delete, and
the version history. Runs are in run_service."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import Any

from crm import clock, cursor, outbox
from crm.errors import FieldError, NotFound, PreconditionFailed, ValidationFailed
from crm.idempotency import IdempotencyKey, Outcome
from crm.store import TenantTable
from crm.writes import WritePlan, Writer, retry_on_race
from workflows import definition as definitions
from workflows.definition import Definition
from workflows.repository import (
    WorkflowRepository,
    definition_of,
    new_item,
    public_version,
    public_workflow,
    version_key,
)

# A page of workflows or versions stops growing past this much definition text, well inside Lambda's
# 6 MB response (a page of 100 large definitions would not fit); the cursor goes on from there.
MAX_PAGE_DEFINITION_CHARS = 4_000_000
REMOVABLE = ("description",)  # PATCH null removes these; the other fields cannot be removed


class Workflows:
    def __init__(self, tenant_id: str, *, region: str = "US", table: TenantTable | None = None) -> None:
        self.table = table or TenantTable(tenant_id)
        self.repository = WorkflowRepository(self.table)
        self.tenant_id = tenant_id
        self.region = region  # how phone numbers without a country code are read (the tenant's default)

    # --- reads ----------------------------------------------------------------------------------------

    def get(self, workflow_id: str) -> dict[str, Any]:
        return public_workflow(self._workflow(workflow_id))

    def list(
        self, enabled: bool | None, limit: int, cursor_token: str | None
    ) -> tuple[list[dict[str, Any]], str | None]:
        scope = f"workflows:{'all' if enabled is None else str(enabled).lower()}"
        after = cursor.decode(cursor_token, self.tenant_id, scope) if cursor_token else None
        items, position = self.repository.page(limit, after, enabled)
        items, position = _fit(items, position, lambda item: item["id"])
        next_cursor = cursor.encode(self.tenant_id, scope, position) if position else None
        return [public_workflow(i) for i in items], next_cursor

    def versions(
        self, workflow_id: str, limit: int, cursor_token: str | None
    ) -> tuple[list[dict[str, Any]], str | None]:
        """Newest first. A deleted workflow's history stays readable: its runs refer to it."""
        item = self._workflow(workflow_id, deleted_too=True)
        scope = f"workflow-versions:{item['id']}"
        after = cursor.decode(cursor_token, self.tenant_id, scope) if cursor_token else None
        items, position = self.repository.page_versions(item["id"], limit, after)
        items, position = _fit(items, position, lambda version: version_key(version["version"]))
        next_cursor = cursor.encode(self.tenant_id, scope, position) if position else None
        return [public_version(i) for i in items], next_cursor

    def version(self, workflow_id: str, version: int) -> dict[str, Any]:
        item = self._workflow(workflow_id, deleted_too=True)
        found = self.repository.get_version_item(item["id"], version)
        if found is None:
            raise NotFound(f"Workflow {workflow_id} has no version {version}.")
        return public_version(found)

    # --- writes ---------------------------------------------------------------------------------------

    def create(self, body: dict[str, Any], idempotency_key: IdempotencyKey | None = None) -> Outcome:
        writer = Writer(self.table, idempotency_key)
        earlier = writer.earlier()
        if earlier:
            return earlier
        checked = self.validate(body)
        now = clock.now_iso()
        item = new_item(clock.new_id(), checked, version=1, created_at=now, updated_at=now)
        plan = WritePlan()
        self.repository.put(plan, item, None)
        plan.emit(self.table, self._event("workflow.created", item, checked))
        body_out = public_workflow(item, checked)
        return retry_on_race(
            lambda: writer.commit(plan, Outcome(201, body_out), subject="workflow"), subject="workflow"
        )

    def update(
        self,
        workflow_id: str,
        changes: dict[str, Any],
        if_match: int | None,
        idempotency_key: IdempotencyKey | None = None,
    ) -> Outcome:
        """Only the fields sent change; the result is checked whole. A real change is a new version; a
        change to what is already there answers the workflow as it is and writes nothing."""
        writer = Writer(self.table, idempotency_key)
        earlier = writer.earlier()
        if earlier:
            return earlier
        # null for a field that cannot be removed is reported (with whatever else is wrong), never applied
        kept = [name for name in definitions.FIELDS if name not in REMOVABLE]
        not_removable = [
            FieldError(f"/{name}", "cannot be removed; leave it out to keep the current value")
            for name, value in changes.items()
            if value is None and name in kept
        ]
        sent = {name: value for name, value in changes.items() if not (value is None and name in kept)}

        def attempt() -> Outcome:
            current = self._workflow(workflow_id)
            if if_match is not None and current["version"] != if_match:
                raise PreconditionFailed(
                    f"If-Match names version {if_match} but the workflow is at {current['version']}."
                )
            checked = self._validate_with(definition_of(current).public() | sent, not_removable)
            now = clock.now_iso()
            item = new_item(
                current["id"], checked, version=current["version"] + 1, created_at=current["created_at"], updated_at=now
            )
            if item["definition"] == current["definition"]:
                return Outcome(200, public_workflow(current))
            plan = WritePlan()
            self.repository.put(plan, item, current["version"])
            plan.emit(self.table, self._event("workflow.updated", item, checked, before=current))
            return writer.commit(plan, Outcome(200, public_workflow(item, checked)), subject="workflow")

        return retry_on_race(attempt, if_match=if_match, subject="workflow")

    def delete(self, workflow_id: str, if_match: int | None, idempotency_key: IdempotencyKey | None = None) -> Outcome:
        """Soft: the workflow is disabled and marked deleted (a new version records it); its versions stay
        for the runs pinned to them. Runs under way finish unless cancelled."""
        writer = Writer(self.table, idempotency_key)
        earlier = writer.earlier()
        if earlier:
            return earlier

        def attempt() -> Outcome:
            current = self._workflow(workflow_id)
            if if_match is not None and current["version"] != if_match:
                raise PreconditionFailed(
                    f"If-Match names version {if_match} but the workflow is at {current['version']}."
                )
            disabled = dataclasses.replace(definition_of(current), enabled=False)
            now = clock.now_iso()
            item = new_item(
                current["id"],
                disabled,
                version=current["version"] + 1,
                created_at=current["created_at"],
                updated_at=now,
            )
            item["deleted_at"] = now
            plan = WritePlan()
            self.repository.put(plan, item, current["version"])
            plan.emit(self.table, self._event("workflow.deleted", item, disabled, before=current))
            return writer.commit(plan, Outcome(204, None), subject="workflow")

        return retry_on_race(attempt, if_match=if_match, subject="workflow")

    # --- checking a definition ------------------------------------------------------------------------

    def validate(self, body: dict[str, Any]) -> Definition:
        return definitions.validate(body, self.environment())

    def _validate_with(self, body: dict[str, Any], faults: list[FieldError]) -> Definition:
        """Validate, reporting `faults` found before (a PATCH's nulls) alongside the definition's own."""
        try:
            checked = self.validate(body)
        except ValidationFailed as failed:
            if not faults:
                raise
            # a null where the schema allows none is a shape fault: the refusal is no longer DefinitionRefused
            raise ValidationFailed(failed.detail, errors=[*faults, *failed.errors]) from None
        if faults:
            raise ValidationFailed("The workflow is invalid.", errors=faults)
        return checked

    def environment(self) -> definitions.Environment:
        from contacts.registry import SchemaRegistry
        from contacts.schema import ValidationContext

        object_types = {t.name: t for t in SchemaRegistry(self.tenant_id).object_types()}
        context = ValidationContext(default_region=self.region)
        return definitions.Environment(object_types, context, self._existing_endpoints)

    def _existing_endpoints(self, endpoint_ids: Sequence[str]) -> set[str]:
        """Which of these are webhook endpoints of this tenant (a read of the webhooks context's items)."""
        from webhooks.repository import WebhookRepository

        hooks = WebhookRepository(self.table)
        return {endpoint_id for endpoint_id in endpoint_ids if hooks.get_webhook(endpoint_id) is not None}

    # --- helpers --------------------------------------------------------------------------------------

    def _workflow(self, workflow_id: str, *, deleted_too: bool = False) -> dict[str, Any]:
        wanted = workflow_id.strip().upper()
        item = self.repository.get(wanted) if wanted else None
        if item is None or (item.get("deleted_at") and not deleted_too):
            raise NotFound(f"No workflow with id {workflow_id}.")
        return item

    def _event(
        self, event_type: str, item: dict[str, Any], checked: Definition, before: dict[str, Any] | None = None
    ) -> dict[str, Any]:
        """The change event: a summary of the workflow (its steps and conditions can be large: read the
        version for them), with the summary fields that changed."""
        summary = _summary(item, checked)
        changes = None
        if before is not None:
            old, new = _summary(before, definition_of(before)), dict(summary)
            for volatile in ("version", "updated_at"):
                old.pop(volatile), new.pop(volatile)
            changes = outbox.diff(old, new)
        return outbox.envelope(
            tenant_id=self.tenant_id,
            event_type=event_type,
            object_name="workflow",
            record_id=item["id"],
            data=summary,
            changes=changes,
        )


def _summary(item: dict[str, Any], checked: Definition) -> dict[str, Any]:
    return {
        "id": item["id"],
        "name": checked.name,
        "description": checked.description,
        "enabled": checked.enabled,
        "object": checked.object,
        "trigger_event": checked.trigger.event,
        "reenrollment": checked.reenrollment,
        "step_count": len(checked.steps),
        "version": item["version"],
        "created_at": item["created_at"],
        "updated_at": item["updated_at"],
        "deleted_at": item.get("deleted_at"),
    }


def _fit(items: list[dict[str, Any]], position: str | None, key: Any) -> tuple[list[dict[str, Any]], str | None]:
    """A page cut short where its definitions would pass MAX_PAGE_DEFINITION_CHARS (never below one item),
    with the position to go on from."""
    size = 0
    for index, item in enumerate(items):
        size += len(item["definition"])
        if index and size > MAX_PAGE_DEFINITION_CHARS:
            return items[:index], key(items[index - 1])
    return items, position

"""Workflow runs: start (from a trigger or by hand), list, inspect, retry and cancel."""

from __future__ import annotations

from typing import Any

from crm import clock, cursor
from crm.errors import Conflict, FieldError, NotFound, ValidationFailed
from crm.idempotency import IdempotencyKey, Outcome
from crm.store import TenantTable
from crm.writes import VersionRace, WritePlan, Writer
from workflows import executions
from workflows.engine import MAX_CHAIN_DEPTH, RunEngine
from workflows.runs import ACTIVE, RunRepository, new_run, public_run


def start_run(
    table: TenantTable,
    *,
    workflow: dict[str, Any],
    definition: Any,
    record_id: str,
    trigger: dict[str, Any],
    depth: int,
    run_id: str,
    enroll: bool,
) -> dict[str, Any] | None:
    """Store the run and start its execution. The same run id twice (a redelivered event, a retried
    request) starts it once; a record already enrolled in a workflow that never re-enrols starts none.
    Past the chain depth limit the run is stored as failed, saying why, and never executes."""
    runs = RunRepository(table)
    existing = runs.get_in(workflow["id"], run_id)
    if existing is not None:
        if existing["status"] in ACTIVE:
            executions.start(table.tenant_id, run_id, existing["generation"])
        return existing
    run = new_run(
        run_id=run_id,
        workflow_id=workflow["id"],
        version=int(workflow["version"]),
        object_name=definition.object,
        record_id=record_id,
        first_step=definition.first,
        trigger=trigger,
        depth=depth,
    )
    too_deep = depth > MAX_CHAIN_DEPTH
    events = []
    if too_deep:
        run.update(
            status="failed",
            ended_at=run["created_at"],
            error={
                "step": None,
                "title": "Workflow chain too deep",
                "status": 508,
                "detail": f"This run was caused by a chain of {depth - 1} workflow runs; chains stop at "
                f"{MAX_CHAIN_DEPTH} so that workflows triggering each other never loop forever.",
            },
        )
        events.append(RunEngine(table.tenant_id, table).run_event("workflow.run_failed", run))
    plan = WritePlan()
    runs.create(plan, run, enroll=enroll)
    for event in events:
        plan.emit(table, event)
    try:
        Writer(table).commit(plan, Outcome(201, None), subject="workflow run")
    except (VersionRace, NotFound):  # the run exists already (a race), or the record is enrolled
        existing = runs.get_in(workflow["id"], run_id)
        if existing is None:
            return None  # enrolled already: this workflow does not re-enrol the record
        return start_run(
            table,
            workflow=workflow,
            definition=definition,
            record_id=record_id,
            trigger=trigger,
            depth=depth,
            run_id=run_id,
            enroll=enroll,
        )
    if not too_deep:
        executions.start(table.tenant_id, run_id, run["generation"])
    return run


class Runs:
    def __init__(self, tenant_id: str) -> None:
        from workflows.repository import WorkflowRepository

        self.table = TenantTable(tenant_id)
        self.tenant_id = tenant_id
        self.repository = RunRepository(self.table)
        self.workflows = WorkflowRepository(self.table)

    def get(self, run_id: str) -> dict[str, Any]:
        run = self.repository.get(run_id.strip().upper()) if run_id.strip() else None
        if run is None:
            raise NotFound(f"No workflow run with id {run_id}.")
        return public_run(run)

    def list(
        self, workflow_id: str, status: str | None, limit: int, cursor_token: str | None
    ) -> tuple[list[dict[str, Any]], str | None]:
        workflow = self._workflow(workflow_id)
        scope = f"runs:{workflow['id']}:{status or 'all'}"
        after = cursor.decode(cursor_token, self.tenant_id, scope) if cursor_token else None
        runs, position = self.repository.page(workflow["id"], status=status, limit=limit, after=after)
        return [public_run(r) for r in runs], cursor.encode(self.tenant_id, scope, position) if position else None

    def start_manual(self, workflow_id: str, record_id: str, key: IdempotencyKey | None) -> Outcome:
        """Run a workflow on one record now (to try it out): any trigger, enabled or not, re-enrolling."""
        workflow = self._workflow(workflow_id)
        definition = self.workflows.get_version(workflow["id"], int(workflow["version"]))

        def start() -> Outcome:
            record = self._record(definition.object, record_id)
            run = start_run(
                self.table,
                workflow=workflow,
                definition=definition,
                record_id=record["id"],
                trigger={"type": "manual", "event_id": None, "event_type": None},
                depth=1,
                run_id=clock.new_id(),
                enroll=False,
            )
            assert run is not None  # a manual run never checks enrollment
            return Outcome(202, public_run(run))

        return Writer(self.table, key).run(start)

    def retry(self, run_id: str, key: IdempotencyKey | None) -> Outcome:
        """Resume a failed run at the step that failed, in a new execution, pinned to the same version."""

        def resume() -> Outcome:
            run = self.repository.get(run_id.strip().upper())
            if run is None:
                raise NotFound(f"No workflow run with id {run_id}.")
            if run["status"] != "failed" or not (run.get("error") or {}).get("step"):
                raise Conflict(f"Only a run that failed at a step can be retried; this one is {run['status']}.")
            run.update(
                status="running",
                current_step=run["error"]["step"],
                error=None,
                ended_at=None,
                waits=0,
                generation=run["generation"] + 1,
            )
            try:
                run = self.repository.save(run)
            except VersionRace:
                raise Conflict("The run changed meanwhile; fetch it and try again.") from None
            executions.start(self.tenant_id, run["id"], run["generation"])
            return Outcome(202, public_run(run))

        return Writer(self.table, key).run(resume)

    def cancel(self, run_id: str, key: IdempotencyKey | None) -> Outcome:
        """Stop a running or waiting run: no further step runs (its execution ends at its next turn)."""

        def cancel() -> Outcome:
            run = self.repository.get(run_id.strip().upper())
            if run is None:
                raise NotFound(f"No workflow run with id {run_id}.")
            if run["status"] not in ACTIVE:
                raise Conflict(f"The run has already ended ({run['status']}).")
            run.update(status="cancelled", ended_at=clock.now_iso(), wake_at=None)
            try:
                run = self.repository.save(run)
            except VersionRace:
                raise Conflict("The run changed meanwhile; fetch it and try again.") from None
            return Outcome(200, public_run(run))

        return Writer(self.table, key).run(cancel)

    def _workflow(self, workflow_id: str) -> dict[str, Any]:
        workflow = self.workflows.get(workflow_id.strip().upper()) if workflow_id.strip() else None
        if workflow is None or workflow.get("deleted_at"):
            raise NotFound(f"No workflow with id {workflow_id}.")
        return workflow

    def _record(self, object_name: str, record_id: str) -> dict[str, Any]:
        from contacts.registry import SchemaRegistry
        from contacts.service import RecordService

        object_type = next(t for t in SchemaRegistry(self.tenant_id).object_types() if t.name == object_name)
        try:
            return RecordService(self.tenant_id, object_type, table=self.table).get(record_id)
        except NotFound:
            raise ValidationFailed(
                f"No {object_name} with id {record_id}.",
                errors=[FieldError("/record_id", f"must be the id of an active {object_name} of this tenant")],
            ) from None

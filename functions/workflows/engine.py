"""Runs a workflow run: its steps, in order, up to its next wait (the state machine's task calls
`advance`), then the state machine waits and calls again. Consecutive steps with no wait between them
run in one invocation, so a run costs a few state transitions per wait, not per step.

Every step's attempt, output and error is saved on the run. A step that fails on a domain error
(validation, conflict, not found) fails the run at once; a transient one (throttling, a busy store)
raises TransientStepError, which the state machine retries with backoff before the run fails."""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta
from typing import Any

from contacts.schema import condition_values
from crm import clock, jsonio, outbox
from crm.catalogue import TRANSIENT_STEP_ERROR
from crm.errors import CrmError, ServiceUnavailable
from crm.idempotency import IdempotencyKey
from crm.store import TenantTable
from crm.writes import VersionRace, WritePlan
from workflows import executions
from workflows.definition import render
from workflows.runs import ACTIVE, RunRepository, public_run

# A chain of workflows triggering each other (a write by a run triggers the next run) stops here.
MAX_CHAIN_DEPTH = 5
# Steps one invocation may run (definitions cannot loop without a wait; this bounds a bug, not a design).
MAX_STEPS_PER_ADVANCE = 250
# Each wait costs about 6 history events; a Standard execution keeps at most 25,000, so a run that has
# waited this often continues in a new execution (the next generation) long before the limit.
WAITS_PER_EXECUTION = 1000
WORKFLOW_WEBHOOK_EVENT = "workflow.webhook"
RUN_SUCCEEDED_EVENT = "workflow.run_succeeded"
RUN_FAILED_EVENT = "workflow.run_failed"


class TransientStepError(Exception):
    """A step may succeed when tried again; the state machine retries it (its name is the catalogue's)."""


assert TransientStepError.__name__ == TRANSIENT_STEP_ERROR


def advance(tenant_id: str, run_id: str) -> dict[str, Any]:
    return RunEngine(tenant_id).advance(run_id)


def record_failure(tenant_id: str, run_id: str, error: dict[str, Any]) -> dict[str, Any]:
    return RunEngine(tenant_id).record_failure(run_id, error)


class RunEngine:
    def __init__(self, tenant_id: str, table: TenantTable | None = None) -> None:
        from workflows.repository import WorkflowRepository

        self.table = table or TenantTable(tenant_id)
        self.tenant_id = tenant_id
        self.runs = RunRepository(self.table)
        self.workflows = WorkflowRepository(self.table)

    # --- the state machine's task ----------------------------------------------------------------------

    def advance(self, run_id: str) -> dict[str, Any]:
        for _ in range(3):
            try:
                return self._advance(run_id)
            except VersionRace:
                continue  # cancelled (or retried) meanwhile: look again
        raise TransientStepError("The run is being changed by another request.")

    def record_failure(self, run_id: str, error: dict[str, Any]) -> dict[str, Any]:
        """After the state machine gave up on a step (transient retries used up, or an unexpected error)."""
        for _ in range(3):
            run = self.runs.get(run_id)
            if run is None or run["status"] not in ACTIVE:
                return {"next": "fail"}
            step_id = run.get("current_step")
            entry = _open_entry(run, step_id) if step_id else None
            problem = {
                "step": step_id,
                "title": "Step failed after retries",
                "status": 503,
                "detail": _cause_message(error),
            }
            if entry is not None:
                entry.update(status="failed", ended_at=clock.now_iso(), error=problem)
            try:
                self._finish(run, "failed", problem)
            except VersionRace:
                continue
            return {"next": "fail"}
        return {"next": "fail"}

    # --- running steps -----------------------------------------------------------------------------

    def _advance(self, run_id: str) -> dict[str, Any]:
        run = self.runs.get(run_id)
        if run is None or run["status"] not in ACTIVE:
            return {"next": "end"}  # cancelled, finished, or never stored: nothing to do
        if run["status"] == "waiting":
            remaining = _seconds_until(run.get("wake_at"))
            if remaining > 0:  # resumed early (a restart, a continuation): wait out the rest
                return {"next": "wait", "wait_seconds": remaining}
            run["status"], run["wake_at"] = "running", None
        definition = self.workflows.get_version(run["workflow_id"], run["workflow_version"])
        context = StepContext(self, run, definition)
        for _ in range(MAX_STEPS_PER_ADVANCE):
            step_id = run.get("current_step")
            if not step_id:
                self._finish(run, "succeeded", None)
                return {"next": "end"}
            step = definition.step(step_id)
            entry = _open_entry(run, step_id) or _new_entry(run, step)
            entry["attempts"] += 1
            try:
                result = context.execute(step)
            except ServiceUnavailable as error:
                entry["error"] = {"step": step_id, **error.to_problem()}
                self.runs.save(run)
                raise TransientStepError(error.detail) from None
            except CrmError as error:
                problem = {"step": step_id, **error.to_problem()}
                entry.update(status="failed", ended_at=clock.now_iso(), error=problem)
                self._finish(run, "failed", problem)
                return {"next": "fail"}
            entry.update(status="succeeded", ended_at=clock.now_iso(), output=result.output, error=None)
            run["visits"][step_id] = run["visits"].get(step_id, 0) + 1
            run["current_step"] = None if result.stop else definition.successor(step, result.branch)
            if result.wait_seconds > 0 and run["current_step"]:
                return self._wait(run, result.wait_seconds)
            run = self.runs.save(run)
            context.run = run
        raise TransientStepError("The run took more steps than one invocation runs; it continues on retry.")

    def _wait(self, run: dict[str, Any], seconds: int) -> dict[str, Any]:
        run["status"] = "waiting"
        run["wake_at"] = clock.isoformat(clock.now() + timedelta(seconds=seconds))
        run["waits"] = run.get("waits", 0) + 1
        if run["waits"] >= WAITS_PER_EXECUTION:  # continue as new before the history limit
            run["waits"], run["generation"] = 0, run["generation"] + 1
            self.runs.save(run)
            executions.start(self.tenant_id, run["id"], run["generation"])
            return {"next": "end"}
        self.runs.save(run)
        return {"next": "wait", "wait_seconds": seconds}

    def _finish(self, run: dict[str, Any], status: str, error: dict[str, Any] | None) -> None:
        now = clock.now_iso()
        run.update(status=status, error=error, ended_at=now, current_step=run.get("current_step"), wake_at=None)
        if status == "succeeded":
            run["current_step"] = None
        event_type = RUN_SUCCEEDED_EVENT if status == "succeeded" else RUN_FAILED_EVENT
        self.runs.save(run, events=[self.run_event(event_type, run)])

    def run_event(self, event_type: str, run: dict[str, Any]) -> dict[str, Any]:
        return outbox.envelope(
            tenant_id=self.tenant_id,
            event_type=event_type,
            object_name="workflow_run",
            record_id=run["id"],
            data=public_run({**run, "updated_at": clock.now_iso()}),
        )


class StepResult:
    def __init__(
        self, output: Any = None, *, branch: bool | None = None, wait_seconds: int = 0, stop: bool = False
    ) -> None:
        self.output, self.branch, self.wait_seconds, self.stop = output, branch, wait_seconds, stop


class StepContext:
    """What a step acts on: the run's record, with writes that carry the run as their cause."""

    def __init__(self, engine: RunEngine, run: dict[str, Any], definition: Any) -> None:
        from contacts.registry import SchemaRegistry

        self.engine, self.run, self.definition = engine, run, definition
        self.registry = SchemaRegistry(engine.tenant_id)
        self.object_type = self._object_type(run["object"])
        self._record: dict[str, Any] | None = None

    def _object_type(self, name: str) -> Any:
        from crm.errors import ValidationFailed

        for object_type in self.registry.object_types():
            if object_type.name == name:
                return object_type
        raise ValidationFailed(f"The object type {name!r} no longer exists.")

    def _records(self, object_type: Any) -> Any:
        from contacts.service import RecordService

        cause = {"workflow_id": self.run["workflow_id"], "run_id": self.run["id"], "depth": self.run["depth"]}
        return RecordService(self.engine.tenant_id, object_type, table=self.engine.table, cause=cause)

    @property
    def record(self) -> dict[str, Any]:
        if self._record is None:
            self._record = self._records(self.object_type).get(self.run["record_id"], include_archived=True)
        return self._record

    def _key(self, step: Any, content: Any) -> IdempotencyKey:
        """One key per visit of a step in a run: a retried invocation replays the write, never repeats it."""
        visit = self.run["visits"].get(step.id, 0) + 1
        canonical = jsonio.dumps(content, canonical=True)
        return IdempotencyKey(
            key=f"workflow-run:{self.run['id']}:{step.id}:{visit}",
            fingerprint=hashlib.sha256(canonical.encode()).hexdigest(),
        )

    def execute(self, step: Any) -> StepResult:
        return getattr(self, f"_{step.type}")(step)

    # --- the step types ------------------------------------------------------------------------------

    def _set_property(self, step: Any) -> StepResult:
        value = self.record["properties"].get(step.copy_from) if step.copy_from else step.value
        patch = {step.property: value}
        updated = self._records(self.object_type).update(
            self.run["record_id"], patch, idempotency_key=self._key(step, patch)
        )
        self._record = updated.body
        return StepResult({"property": step.property, "value": value})

    def _assign_owner(self, step: Any) -> StepResult:
        turn = self.engine.runs.take_turn(self.run["workflow_id"], step.id, len(step.owners))
        owner = step.owners[turn]
        patch = {"owner": owner}
        updated = self._records(self.object_type).update(
            self.run["record_id"], patch, idempotency_key=self._key(step, patch)
        )
        self._record = updated.body
        return StepResult({"owner": owner})

    def _create_record(self, step: Any) -> StepResult:
        target = self._object_type(step.object)
        properties = render(step.properties, condition_values(self.record))
        created = self._records(target).create(properties, idempotency_key=self._key(step, properties))
        return StepResult({"object": target.name, "id": created.body["id"]})

    def _wait(self, step: Any) -> StepResult:
        if step.seconds is not None:
            return StepResult({"seconds": step.seconds}, wait_seconds=int(step.seconds))
        value = self.record["properties"].get(step.until_property)
        if value is None:
            return StepResult({"skipped": f"{step.until_property} is not set"})
        moment = _moment(value) + timedelta(seconds=step.offset_seconds or 0)
        seconds = _seconds_until(clock.isoformat(moment))
        return StepResult({"until": clock.isoformat(moment), "seconds": seconds}, wait_seconds=seconds)

    def _branch(self, step: Any) -> StepResult:
        result = step.conditions.evaluate(condition_values(self.record))
        return StepResult({"result": result}, branch=result)

    def _send_webhook(self, step: Any) -> StepResult:
        from crm.writes import Writer

        record = self.record
        data = {
            "workflow_id": self.run["workflow_id"],
            "workflow_version": self.run["workflow_version"],
            "run_id": self.run["id"],
            "step": step.id,
            "record": {"object": record["object"], "id": record["id"], "properties": record["properties"]},
            "payload": render(step.payload or {}, condition_values(record)),
        }
        event = outbox.envelope(
            tenant_id=self.engine.tenant_id,
            event_type=WORKFLOW_WEBHOOK_EVENT,
            object_name="workflow_run",
            record_id=self.run["id"],
            data=data,
        )
        event["target_webhook_id"] = step.endpoint_id
        writer = Writer(self.engine.table, self._key(step, data))
        earlier = writer.earlier()
        if earlier is not None:
            return StepResult(earlier.body)
        output = {"event_id": event["id"], "endpoint_id": step.endpoint_id}
        from crm.idempotency import Outcome

        writer.commit(WritePlan().emit(self.engine.table, event), Outcome(202, output), subject="webhook event")
        return StepResult(output)

    def _stop(self, step: Any) -> StepResult:
        return StepResult(None, stop=True)


def _new_entry(run: dict[str, Any], step: Any) -> dict[str, Any]:
    entry = {
        "step": step.id,
        "type": step.type,
        "status": "running",
        "attempts": 0,
        "started_at": clock.now_iso(),
        "ended_at": None,
        "output": None,
        "error": None,
    }
    run["steps"].append(entry)
    return entry


def _open_entry(run: dict[str, Any], step_id: str) -> dict[str, Any] | None:
    """The step's entry still under way (an earlier attempt hit a transient error), if any."""
    if run["steps"] and run["steps"][-1]["step"] == step_id and run["steps"][-1]["status"] == "running":
        return run["steps"][-1]
    return None


def _moment(value: str) -> datetime:
    """A date (its midnight, UTC) or a date-time property value as a moment."""
    return clock.parse(value if "T" in value else f"{value}T00:00:00Z")


def _seconds_until(moment: str | None) -> int:
    if not moment:
        return 0
    remaining = (_moment(moment) - clock.now()).total_seconds()
    return max(0, int(remaining + 0.999))


def _cause_message(error: dict[str, Any]) -> str:
    """Step Functions' error cause: a Lambda error is JSON with errorMessage (and a stack trace, dropped)."""
    cause = str(error.get("Cause") or error.get("Error") or "unknown error")
    try:
        parsed = jsonio.loads(cause)
    except Exception:
        return cause[:1000]
    if isinstance(parsed, dict) and parsed.get("errorMessage"):
        return str(parsed["errorMessage"])[:1000]
    return cause[:1000]

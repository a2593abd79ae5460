"""Where workflow runs live, for one tenant (shapes in crm.keys):

- run        pk T#<tenant>#WFR#<workflow id>  sk <run id>     (status, pinned version, per-step history)
- run ref    pk T#<tenant>#WFRID              sk <run id>     (run id -> workflow id, for /workflow-runs/{id})
- enrollment pk T#<tenant>#WFE#<workflow id>  sk <record id>  (reenrollment "never": one run per record)
- counter    pk T#<tenant>#WFC#<workflow id>  sk <step id>    (round-robin turns of assign_owner)

A run is saved after every step with a condition on its revision, so a cancel racing the runner is
never overwritten, and the step history is what really happened."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal

from crm import clock, jsonio, keys
from crm.errors import ServiceUnavailable
from crm.store import TenantTable
from crm.writes import Outcome, Put, VersionRace, WritePlan, Writer

RunStatus = Literal["running", "waiting", "succeeded", "failed", "cancelled"]
ACTIVE: tuple[str, ...] = ("running", "waiting")
FINISHED: tuple[str, ...] = ("succeeded", "failed", "cancelled")
MAX_STEPS_KEPT = 100  # a run's step history (oldest dropped first); the counts stay exact


def public_run(run: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": run["id"],
        "workflow_id": run["workflow_id"],
        "workflow_version": run["workflow_version"],
        "object": run["object"],
        "record_id": run["record_id"],
        "status": run["status"],
        "current_step": run.get("current_step"),
        "wake_at": run.get("wake_at"),
        "trigger": run["trigger"],
        "depth": run["depth"],
        "steps": run["steps"],
        "error": run.get("error"),
        "created_at": run["created_at"],
        "updated_at": run["updated_at"],
        "ended_at": run.get("ended_at"),
    }


def new_run(
    *,
    run_id: str,
    workflow_id: str,
    version: int,
    object_name: str,
    record_id: str,
    first_step: str,
    trigger: dict[str, Any],
    depth: int,
) -> dict[str, Any]:
    now = clock.now_iso()
    return {
        "id": run_id,
        "workflow_id": workflow_id,
        "workflow_version": version,
        "object": object_name,
        "record_id": record_id,
        "status": "running",
        "current_step": first_step,
        "wake_at": None,
        "trigger": trigger,
        "depth": depth,
        "steps": [],
        "error": None,
        "visits": {},  # step id -> times it ran (each visit's writes have their own idempotency key)
        "waits": 0,  # waits in the current execution (see engine.WAITS_PER_EXECUTION)
        "generation": 1,  # the execution: <run id>-<generation>
        "revision": 1,
        "created_at": now,
        "updated_at": now,
        "ended_at": None,
    }


class RunRepository:
    def __init__(self, table: TenantTable) -> None:
        self.table = table
        self.tenant_id = table.tenant_id
        self._refs = table.pk(keys.WORKFLOW_RUN_REF.partition)

    def _runs(self, workflow_id: str) -> str:
        return self.table.pk(keys.prefix(keys.WORKFLOW_RUN), workflow_id)

    # --- reads ------------------------------------------------------------------------------------

    def get(self, run_id: str) -> dict[str, Any] | None:
        ref = self.table.get(self._refs, run_id)
        if ref is None:
            return None
        return self.get_in(ref["workflow_id"], run_id)

    def get_in(self, workflow_id: str, run_id: str) -> dict[str, Any] | None:
        return _loaded(self.table.get(self._runs(workflow_id), run_id))

    def page(
        self, workflow_id: str, *, status: str | None, limit: int, after: str | None
    ) -> tuple[list[dict[str, Any]], str | None]:
        """Newest first; a status filter reads the runs it skips (documented on the route)."""
        items, position = self.table.query(
            self._runs(workflow_id),
            limit=limit,
            after_sk=after,
            filter_expression="#status = :status" if status else None,
            filter_names={"#status": "status"} if status else None,
            filter_values={":status": status} if status else None,
        )
        return [r for r in (_loaded(i) for i in items) if r is not None], position

    # --- writes -------------------------------------------------------------------------------------

    def create(self, plan: WritePlan, run: dict[str, Any], *, enroll: bool) -> None:
        """The run, its id's ref and (for workflows that never re-enrol) the record's enrollment."""
        plan.add(
            Put(self._runs(run["workflow_id"]), run["id"], _stored(run), condition="attribute_not_exists(pk)"),
            "created",
        )
        plan.add(
            Put(
                self._refs,
                run["id"],
                {"kind": keys.WORKFLOW_RUN_REF.kind, "workflow_id": run["workflow_id"]},
                condition="attribute_not_exists(pk)",
            ),
            "created",
        )
        if enroll:
            plan.add(
                Put(
                    self.table.pk(keys.prefix(keys.WORKFLOW_ENROLLMENT), run["workflow_id"]),
                    run["record_id"],
                    {"kind": keys.WORKFLOW_ENROLLMENT.kind, "run_id": run["id"], "enrolled_at": run["created_at"]},
                    condition="attribute_not_exists(pk)",
                ),
                "exists",
                "enrollment",
            )

    def is_enrolled(self, workflow_id: str, record_id: str) -> bool:
        return self.table.get(self.table.pk(keys.prefix(keys.WORKFLOW_ENROLLMENT), workflow_id), record_id) is not None

    def save(self, run: dict[str, Any], *, events: Sequence[dict[str, Any]] = ()) -> dict[str, Any]:
        """Store the run's new state (and the events it announces, in the same transaction); raises
        VersionRace if someone else (a cancel) changed it since it was read."""
        saved = {**run, "revision": run["revision"] + 1, "updated_at": clock.now_iso()}
        plan = WritePlan().add(
            Put(
                self._runs(run["workflow_id"]),
                run["id"],
                _stored(saved),
                condition="revision = :revision",
                values={":revision": run["revision"]},
            ),
            "version_changed",
        )
        for event in events:
            plan.emit(self.table, event)
        Writer(self.table).commit(plan, Outcome(200, None), subject="run")
        return saved

    def take_turn(self, workflow_id: str, step_id: str, among: int) -> int:
        """The next turn (0..among-1) of a round-robin step: one conditional write per turn, so
        concurrent runs each get a different turn."""
        pk = self.table.pk(keys.prefix(keys.WORKFLOW_COUNTER), workflow_id)
        for _ in range(10):
            current = self.table.get(pk, step_id)
            taken = int(current["turns"]) if current else 0
            plan = WritePlan().add(
                Put(
                    pk,
                    step_id,
                    {"kind": keys.WORKFLOW_COUNTER.kind, "turns": taken + 1},
                    condition="attribute_not_exists(pk)" if current is None else "turns = :turns",
                    values={} if current is None else {":turns": taken},
                ),
                "version_changed",
            )
            try:
                Writer(self.table).commit(plan, Outcome(200, None), subject="run")
            except VersionRace:
                continue
            return taken % among
        raise ServiceUnavailable("Too many runs are taking turns at once; retry shortly.")


def _stored(run: dict[str, Any]) -> dict[str, Any]:
    """Nested parts are kept as JSON strings: cheap to store, and exact (numbers stay as they were)."""
    stored = {k: v for k, v in run.items() if k not in ("steps", "trigger", "error", "visits")}
    stored["kind"] = keys.WORKFLOW_RUN.kind
    stored["steps_log"] = jsonio.dumps(run["steps"][-MAX_STEPS_KEPT:])
    stored["trigger_json"] = jsonio.dumps(run["trigger"])
    stored["error_json"] = jsonio.dumps(run.get("error"))
    stored["visits_json"] = jsonio.dumps(run.get("visits") or {})
    return stored


_STORED_ONLY = ("steps_log", "trigger_json", "error_json", "visits_json", "pk", "sk", "kind")


def _loaded(item: dict[str, Any] | None) -> dict[str, Any] | None:
    if item is None:
        return None
    run = {k: v for k, v in item.items() if k not in _STORED_ONLY}
    run["steps"] = jsonio.loads(item.get("steps_log") or "[]")
    run["trigger"] = jsonio.loads(item.get("trigger_json") or "{}")
    run["error"] = jsonio.loads(item.get("error_json") or "null")
    run["visits"] = jsonio.loads(item.get("visits_json") or "{}")
    for name in ("workflow_version", "depth", "generation", "revision", "waits"):
        run[name] = int(run[name])
    return run

"""The workflow state machine's task: advance a run to its next wait, or record that it failed."""

from __future__ import annotations

from typing import Any

from crm import observability


@observability.observed
def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    from workflows import engine

    tenant_id, run_id = event["tenant_id"], event["run_id"]
    observability.append_keys(tenant_id=tenant_id, run_id=run_id)
    if event.get("action") == "fail":
        result = engine.record_failure(tenant_id, run_id, event.get("error") or {})
    else:
        result = engine.advance(tenant_id, run_id)
    # The execution's state for the next loop: the ids, what to do next and how long to wait.
    return {"tenant_id": tenant_id, "run_id": run_id, "wait_seconds": 0, **result}

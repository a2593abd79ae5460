"""Workflow runs across restarts of the local stack. moto's executions do not outlive the process (Step
Functions' do), so a run that was running or waiting when `make dev` stopped goes on in a new execution
after the next start: it waits out what remains of its wait, then runs its next step."""

from __future__ import annotations

from typing import Any

from crm import catalogue


def resume_unfinished_runs(saved: dict[str, dict[str, Any]]) -> int:
    from crm.keys import WORKFLOW_RUN
    from crm.store import TenantTable, from_item
    from workflows import executions
    from workflows.runs import ACTIVE, RunRepository

    resumed = 0
    for raw in saved.values():
        item = from_item(raw)
        if item.get("kind") != WORKFLOW_RUN.kind or item.get("status") not in ACTIVE:
            continue
        tenant_id = item["pk"].removeprefix(catalogue.TENANT_KEY_PREFIX).split("#", 1)[0]
        runs = RunRepository(TenantTable(tenant_id))
        run = runs.get_in(item["workflow_id"], item["id"])
        if run is None:
            continue
        run = runs.save({**run, "generation": run["generation"] + 1, "waits": 0})
        executions.start(tenant_id, run["id"], run["generation"])
        resumed += 1
    return resumed

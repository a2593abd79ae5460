"""Routes: workflow runs — list a workflow's runs, start one by hand, inspect, retry, cancel."""

from datetime import datetime
from typing import Annotated, Any, Literal

from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.depends import Depends
from aws_lambda_powertools.event_handler.openapi.params import Body, Path, Query
from pydantic import BaseModel, ConfigDict, Field

from crm import http
from workflows.run_service import Runs

router = Router()
TAG = ["workflows"]
Id = Annotated[str, Path(max_length=64)]
RunStatus = Literal["running", "waiting", "succeeded", "failed", "cancelled"]


class RunInput(BaseModel):
    model_config = ConfigDict(extra="forbid")
    record_id: str = Field(max_length=64, description="The record (of the workflow's object type) to run on")


class RunProblem(BaseModel):
    """Why a step (or the run) failed, as an RFC 9457 problem plus the step."""

    model_config = ConfigDict(extra="allow")
    step: str | None = Field(description="The step that failed; null when the run never started a step")
    title: str
    status: int
    detail: str


class RunStep(BaseModel):
    step: str
    type: str
    status: Literal["running", "succeeded", "failed"] = Field(description="running: under way or being retried")
    attempts: int
    started_at: datetime
    ended_at: datetime | None
    output: Any = Field(description="What the step did, e.g. {'owner': 'ana@acme.io'} or {'result': true}")
    error: RunProblem | None = Field(description="The last error (a transient one while still retrying)")


class RunTrigger(BaseModel):
    type: Literal["event", "manual"]
    event_id: str | None
    event_type: str | None


class WorkflowRun(BaseModel):
    id: str
    workflow_id: str
    workflow_version: int = Field(description="The version the run is pinned to")
    object: str
    record_id: str
    status: RunStatus
    current_step: str | None = Field(description="The step to run next (or being retried)")
    wake_at: datetime | None = Field(description="While waiting: when the run goes on")
    trigger: RunTrigger
    depth: int = Field(description="1, or one more than the run whose write triggered this one")
    steps: list[RunStep] = Field(description="Every step executed, oldest first (the last 100)")
    error: RunProblem | None
    created_at: datetime
    updated_at: datetime
    ended_at: datetime | None


class WorkflowRunPage(BaseModel):
    data: list[WorkflowRun]
    next_cursor: str | None = Field(description="Pass as ?cursor= for the next page; null on the last")


def runs_service(tenant_id: Annotated[str, Depends(http.tenant_for("workflows"))]) -> Runs:
    return Runs(tenant_id)


RunsService = Annotated[Runs, Depends(runs_service)]
Key = http.RequestIdempotencyKey


@router.get(
    "/workflows/<workflow_id>/runs",
    operation_id="list_workflow_runs",
    summary="A workflow's runs, newest first",
    description="A status filter reads the runs it skips: a page may hold fewer than `limit` runs.",
    responses=http.documented(200, "A page of runs", WorkflowRunPage, 400, 404, 422),
    tags=TAG,
)
def list_runs(
    workflow_id: Id,
    runs: RunsService,
    status: Annotated[RunStatus | None, Query()] = None,
    limit: Annotated[int, Query(ge=1, le=http.MAX_PAGE)] = 25,
    cursor: Annotated[str | None, Query(max_length=2048)] = None,
):
    data, next_cursor = runs.list(workflow_id, status, limit, cursor)
    return http.json_response(200, {"data": data, "next_cursor": next_cursor})


@router.post(
    "/workflows/<workflow_id>/runs",
    operation_id="start_workflow_run",
    summary="Run the workflow on one record now (to try it out)",
    description="Any trigger, enabled or not; the record is run again even if the workflow never re-enrols.",
    responses=http.documented(202, "Started", WorkflowRun, 404, idempotent=True),
    tags=TAG,
)
def start_run(workflow_id: Id, body: Annotated[RunInput, Body()], runs: RunsService, key: Key):
    return http.outcome_response(runs.start_manual(workflow_id, body.record_id, key))


@router.get(
    "/workflow-runs/<run_id>",
    operation_id="get_workflow_run",
    summary="A run: status, pinned version, and every step with attempts, output and error",
    responses=http.documented(200, "The run", WorkflowRun, 404, 422),
    tags=TAG,
)
def get_run(run_id: Id, runs: RunsService):
    return http.json_response(200, runs.get(run_id))


@router.post(
    "/workflow-runs/<run_id>/retry",
    operation_id="retry_workflow_run",
    summary="Resume a failed run at the step that failed",
    description="409 unless the run failed at a step. The run keeps its pinned version.",
    responses=http.documented(202, "Resumed", WorkflowRun, 404, 409, idempotent=True),
    tags=TAG,
)
def retry_run(run_id: Id, runs: RunsService, key: Key):
    return http.outcome_response(runs.retry(run_id, key))


@router.post(
    "/workflow-runs/<run_id>/cancel",
    operation_id="cancel_workflow_run",
    summary="Cancel a running or waiting run",
    description="No further step runs. 409 if the run has already ended.",
    responses=http.documented(200, "Cancelled", WorkflowRun, 404, 409, idempotent=True),
    tags=TAG,
)
def cancel_run(run_id: Id, runs: RunsService, key: Key):
    return http.outcome_response(runs.cancel(run_id, key))

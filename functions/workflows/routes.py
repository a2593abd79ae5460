"""Routes: /v1/workflows — workflow definitions and their versions (runs are in run_routes)."""

from datetime import datetime
from typing import Annotated, Any, Literal

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.depends import Depends
from aws_lambda_powertools.event_handler.openapi.params import Body, Path, Query
from aws_lambda_powertools.event_handler.request import Request
from pydantic import BaseModel, Field, PlainValidator

from crm import http
from crm.idempotency import Outcome
from workflows.definition import shapes
from workflows.service import Workflows

router = Router()
TAG = ["workflows"]
Id = Annotated[str, Path(max_length=64)]
NEXT_CURSOR = "Pass as ?cursor= for the next page; null on the last"
SHAPES = shapes()
WorkflowInput, WorkflowPatch, WorkflowTrigger, AnyStep = (
    SHAPES.workflow_input,
    SHAPES.workflow_patch,
    SHAPES.trigger,
    SHAPES.step,
)
Reenrollment = Literal["never", "always"]


def checked_by_the_service(model: type[BaseModel]) -> Any:
    """A body documented as `model` and passed on as sent: the service checks a definition whole, so
    every fault comes back at once with its JSON pointer (a step's faults at /steps/<n>/..., which a
    validator of tagged unions would not give), together with what only the tenant's data can tell."""
    return PlainValidator(lambda value: value, json_schema_input_type=model)


# --- what the routes answer (documentation: the service builds these bodies) -----------------------


class _Definition(BaseModel):
    name: str
    description: str | None
    enabled: bool = Field(description="Only enabled workflows start runs on their trigger")
    object: str
    trigger: WorkflowTrigger  # type: ignore[valid-type]
    reenrollment: Reenrollment
    steps: list[AnyStep]  # type: ignore[valid-type]


class Workflow(_Definition):
    id: str
    version: int = Field(description="Also the ETag; every change makes a new version")
    created_at: datetime
    updated_at: datetime


class WorkflowPage(BaseModel):
    data: list[Workflow]
    next_cursor: str | None = Field(description=NEXT_CURSOR)


class WorkflowVersion(_Definition):
    workflow_id: str
    version: int
    created_at: datetime = Field(description="When this version was made")
    deleted_at: datetime | None = Field(description="Set on the version that deleted the workflow")


class WorkflowVersionPage(BaseModel):
    data: list[WorkflowVersion]
    next_cursor: str | None = Field(description=NEXT_CURSOR)


def workflows_service(request: Request, tenant_id: Annotated[str, Depends(http.tenant_for("workflows"))]) -> Workflows:
    region = http.authorizer_context(request).get("region") or "US"
    return Workflows(tenant_id, region=region)


Service = Annotated[Workflows, Depends(workflows_service)]
Key = http.RequestIdempotencyKey


def _with_etag(result: Outcome, **headers: str) -> Response:
    return http.outcome_response(result, {"ETag": http.etag(result.body["version"]), **headers})


@router.post(
    "/workflows",
    operation_id="create_workflow",
    summary="Define a workflow (version 1)",
    description="The definition is checked whole: every fault is reported at once, each at its JSON pointer.",
    responses=http.documented(201, "Created", Workflow, headers=["ETag", "Location"], idempotent=True),
    tags=TAG,
)
def create_workflow(
    body: Annotated[dict[str, Any], checked_by_the_service(WorkflowInput), Body()], workflows: Service, key: Key
):
    result = workflows.create(body, key)
    return _with_etag(result, Location=f"/v1/workflows/{result.body['id']}")


@router.get(
    "/workflows",
    operation_id="list_workflows",
    summary="List workflows, newest first",
    responses=http.documented(200, "A page of workflows", WorkflowPage, 400, 422),
    tags=TAG,
)
def list_workflows(
    workflows: Service,
    enabled: Annotated[bool | None, Query(description="Only enabled (true) or disabled (false) ones")] = None,
    limit: Annotated[int, Query(ge=1, le=http.MAX_PAGE)] = 25,
    cursor: Annotated[str | None, Query(max_length=2048)] = None,
):
    data, next_cursor = workflows.list(enabled, limit, cursor)
    return http.json_response(200, {"data": data, "next_cursor": next_cursor})


@router.get(
    "/workflows/<workflow_id>",
    operation_id="get_workflow",
    summary="Get a workflow (its current version)",
    responses=http.documented(200, "The workflow, with its ETag", Workflow, 404, 422, headers=["ETag"]),
    tags=TAG,
)
def get_workflow(workflow_id: Id, workflows: Service):
    return _with_etag(Outcome(200, workflows.get(workflow_id)))


@router.patch(
    "/workflows/<workflow_id>",
    operation_id="update_workflow",
    summary="Change a workflow (a new version); disable or re-enable it",
    description="Only the fields sent change (trigger and steps are replaced whole); the result is checked whole. "
    "Sending what is already there changes nothing and makes no version. Honours If-Match. Runs keep the "
    "version they started on.",
    responses=http.documented(200, "Updated", Workflow, 404, 412, headers=["ETag"], idempotent=True),
    tags=TAG,
)
def update_workflow(
    workflow_id: Id,
    body: Annotated[dict[str, Any], checked_by_the_service(WorkflowPatch), Body()],
    workflows: Service,
    if_match: http.IfMatch,
    key: Key,
):
    return _with_etag(workflows.update(workflow_id, body, if_match, key))


@router.delete(
    "/workflows/<workflow_id>",
    operation_id="delete_workflow",
    summary="Delete a workflow",
    description="It starts no more runs; runs under way finish unless cancelled. Its versions stay readable. "
    "Honours If-Match.",
    responses=http.documented(204, "Deleted", None, 404, 412, idempotent=True),
    tags=TAG,
)
def delete_workflow(workflow_id: Id, workflows: Service, if_match: http.IfMatch, key: Key):
    return http.outcome_response(workflows.delete(workflow_id, if_match, key))


@router.get(
    "/workflows/<workflow_id>/versions",
    operation_id="list_workflow_versions",
    summary="A workflow's versions, newest first",
    description="Readable after the workflow is deleted: runs refer to the version they were pinned to.",
    responses=http.documented(200, "A page of versions", WorkflowVersionPage, 400, 404, 422),
    tags=TAG,
)
def list_versions(
    workflow_id: Id,
    workflows: Service,
    limit: Annotated[int, Query(ge=1, le=http.MAX_PAGE)] = 25,
    cursor: Annotated[str | None, Query(max_length=2048)] = None,
):
    data, next_cursor = workflows.versions(workflow_id, limit, cursor)
    return http.json_response(200, {"data": data, "next_cursor": next_cursor})


@router.get(
    "/workflows/<workflow_id>/versions/<version>",
    operation_id="get_workflow_version",
    summary="One version of a workflow",
    responses=http.documented(200, "The version", WorkflowVersion, 404, 422),
    tags=TAG,
)
def get_version(workflow_id: Id, version: Annotated[int, Path(ge=1, le=9_999_999_999)], workflows: Service):
    return http.json_response(200, workflows.version(workflow_id, version))

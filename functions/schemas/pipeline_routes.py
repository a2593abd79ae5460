"""Routes: /v1/pipelines — the stages deals move through (a default one, and the tenant's own) — and
/v1/deals/forecast, deals by close month weighted by their stage's probability."""

from datetime import datetime
from decimal import Decimal
from typing import Annotated, Literal

from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.depends import Depends
from aws_lambda_powertools.event_handler.openapi.params import Body, Path, Query
from pydantic import BaseModel, Field

from crm import http
from crm.idempotency import Outcome
from schemas.definition import PIPELINE_OBJECTS, PipelineInput, PipelinePatch, StageInput
from schemas.service import Schemas

router = Router()
TAG = ["pipelines"]
Id = Annotated[str, Path(max_length=64)]


class Pipeline(BaseModel):
    id: str = Field(description="What deals store in `pipeline`")
    object: str
    name: str
    stages: list[StageInput]
    default: bool = Field(description="The pipeline every tenant starts with (it can be changed, not removed)")
    version: int = Field(description="Also the ETag")
    created_at: datetime | None
    updated_at: datetime | None


class PipelineList(BaseModel):
    data: list[Pipeline]


class ForecastRow(BaseModel):
    month: str = Field(description="YYYY-MM of the deals' close_date")
    currency: str | None = Field(description="ISO 4217; amounts in different currencies are never added up")
    count: int
    amount: Decimal = Field(description="The deals' amounts added up")
    weighted_amount: Decimal = Field(description="Each amount times its stage's probability, added up")


class Forecast(BaseModel):
    group_by: Literal["close_month"]
    pipeline: str | None
    data: list[ForecastRow]
    unscheduled: int = Field(description="Deals without a close_date (in no month)")


def pipelines_service(tenant_id: Annotated[str, Depends(http.tenant_for("schemas"))]) -> Schemas:
    return Schemas(tenant_id)


def records_tenant(tenant_id: Annotated[str, Depends(http.tenant_for("records"))]) -> str:
    return tenant_id


Service = Annotated[Schemas, Depends(pipelines_service)]
Key = http.RequestIdempotencyKey


def _with_etag(result: Outcome, **headers: str):
    return http.outcome_response(result, {"ETag": http.etag(result.body["version"]), **headers})


@router.get(
    "/pipelines",
    operation_id="list_pipelines",
    summary="The tenant's pipelines (the default one first)",
    responses=http.documented(200, "Pipelines", PipelineList, 422),
    tags=TAG,
)
def list_pipelines(
    pipelines: Service,
    object: Annotated[Literal[PIPELINE_OBJECTS] | None, Query(description="Only this object type's")] = None,  # type: ignore[valid-type]
):
    return http.json_response(200, {"data": pipelines.pipelines(object)})


@router.post(
    "/pipelines",
    operation_id="create_pipeline",
    summary="Define a pipeline: its ordered stages, each with a probability",
    description="Deals naming it (`pipeline`) must be in one of its stages. At most 50 pipelines per object type, "
    "50 stages each.",
    responses=http.documented(201, "Created", Pipeline, 422, headers=["ETag", "Location"], idempotent=True),
    tags=TAG,
)
def create_pipeline(body: Annotated[PipelineInput, Body()], pipelines: Service, key: Key):
    result = pipelines.create_pipeline(body, key)
    return _with_etag(result, Location=f"/v1/pipelines/{result.body['id']}")


@router.get(
    "/pipelines/<pipeline_id>",
    operation_id="get_pipeline",
    summary="One pipeline",
    responses=http.documented(200, "The pipeline, with its ETag", Pipeline, 404, 422, headers=["ETag"]),
    tags=TAG,
)
def get_pipeline(pipeline_id: Id, pipelines: Service):
    return _with_etag(Outcome(200, pipelines.pipeline(pipeline_id)))


@router.patch(
    "/pipelines/<pipeline_id>",
    operation_id="update_pipeline",
    summary="Rename a pipeline or change its stages",
    description="`stages` replaces the list: stages may be added, relabelled, reordered and re-weighted; removing "
    "one that deals are in is a 409 whose `records` says how many. Honours If-Match.",
    responses=http.documented(200, "Updated", Pipeline, 404, 409, 412, 422, headers=["ETag"], idempotent=True),
    tags=TAG,
)
def update_pipeline(
    pipeline_id: Id, body: Annotated[PipelinePatch, Body()], pipelines: Service, if_match: http.IfMatch, key: Key
):
    return _with_etag(pipelines.update_pipeline(pipeline_id, body, if_match, key))


@router.get(
    "/deals/forecast",
    operation_id="forecast_deals",
    summary="Deals by close month and currency: count, amount, and amount weighted by stage probability",
    description="Active deals with a close_date, grouped by its month and by currency. A deal's weight is its "
    "stage's probability in its pipeline (the default pipeline for a deal naming none); a free-text stage "
    "outside every pipeline weighs 0. Reads every deal of the tenant once.",
    responses=http.documented(200, "The forecast", Forecast, 404, 422),
    tags=TAG,
)
def forecast_deals(
    tenant_id: Annotated[str, Depends(records_tenant)],
    group_by: Annotated[Literal["close_month"], Query()] = "close_month",
    pipeline: Annotated[str | None, Query(max_length=64, description="Only deals of this pipeline")] = None,
):
    from schemas.forecast import forecast

    return http.json_response(200, forecast(tenant_id, pipeline_id=pipeline))

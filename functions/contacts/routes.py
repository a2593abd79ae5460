"""Routes for record collections: one set of routes for every object type, reachable as
`/v1/<collection>` (e.g. /v1/contacts) and `/v1/objects/<collection>`. The object type is resolved
per request from the tenant's schema registry, so custom object types get exactly this API."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.depends import Depends
from aws_lambda_powertools.event_handler.openapi.params import Body, Path, Query
from aws_lambda_powertools.event_handler.request import Request
from pydantic import BaseModel, ConfigDict, Field

from contacts.batch import MAX_INPUTS, RecordBatch
from contacts.registry import SchemaRegistry
from contacts.schema import ValidationContext
from contacts.service import RecordService
from crm import http
from crm.errors import FieldError, ValidationFailed
from crm.idempotency import Outcome
from crm.numbers import whole_number

router = Router()


class RecordInput(BaseModel):
    model_config = ConfigDict(extra="forbid")
    properties: dict[str, Any] = Field(description="Property name -> value; on PATCH, null removes a property.")


class RecordOut(BaseModel):
    """A record. (The served document also has one typed schema per object type: Contact, Company, ...)"""

    id: str
    object: str = Field(description="The object type, e.g. contact")
    properties: dict[str, Any]
    version: int = Field(description="Also the ETag")
    created_at: datetime
    updated_at: datetime
    archived_at: datetime | None = Field(description="Set while the record is archived")


class RecordPage(BaseModel):
    data: list[RecordOut]
    next_cursor: str | None = Field(
        description="The next page: pass it as ?cursor= to a list, as `after` to a search; null on the last"
    )


# --- batches (contacts.batch): generic here; the document types the `RecordBatch...` ones per object type ---

_NO_DEFAULT = {"json_schema_extra": lambda schema: schema.pop("default", None)}  # optional, but never null
_INPUTS = {"min_length": 1, "max_length": MAX_INPUTS}
MAX_VERSION = 2**53 - 1  # any version a record can reach; a bound a client can send exactly (JavaScript's too)
InputRecordId = Annotated[str, Field(min_length=1, max_length=64, description="The record's id")]
Version = Annotated[
    whole_number(ge=1, le=MAX_VERSION),  # type: ignore[valid-type]
    Field(description="The version you last saw (its ETag), as If-Match: the input is a 412 if the record moved on"),
]


class RecordBatchCreateInput(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)
    inputs: list[RecordInput] = Field(**_INPUTS, description=f"1-{MAX_INPUTS} new records, created in this order")


class RecordBatchUpdateItem(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)
    id: InputRecordId
    version: Version = Field(default=None, **_NO_DEFAULT)  # type: ignore[assignment]
    properties: dict[str, Any] = Field(description="Merged into the record's; null removes a property")


class RecordBatchUpdateInput(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)
    inputs: list[RecordBatchUpdateItem] = Field(**_INPUTS, description=f"1-{MAX_INPUTS} changes, made in this order")


class RecordBatchUpsertInput(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)
    id_property: str = Field(
        min_length=1, max_length=64, description="The unique property that finds each input's record, e.g. email"
    )
    inputs: list[RecordInput] = Field(
        **_INPUTS,
        description=f"1-{MAX_INPUTS} records, each with a value of id_property: the active record holding it is "
        "updated (null removes a property), else one is created (null leaves it unset). In this order: an input "
        "sees what the ones before it wrote",
    )


class BatchArchiveItem(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)
    id: InputRecordId
    version: Version = Field(default=None, **_NO_DEFAULT)  # type: ignore[assignment]


class BatchArchiveInput(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)
    inputs: list[BatchArchiveItem] = Field(**_INPUTS, description=f"1-{MAX_INPUTS} records to archive, in this order")


class RecordBatchWritten(BaseModel):
    status: Literal[200, 201] = Field(description="201: created; 200: updated (or already as sent)")
    record: RecordOut


class BatchItemRefused(BaseModel):
    status: Literal[404, 409, 412, 422, 500, 503] = Field(
        description="404: no such active record; 409: a unique value is taken (existing_id); 412: stale version; "
        "422: invalid values. 500 and 503 (a fault, the store busy) are not remembered: retry the input"
    )
    problem: http.Problem = Field(description="As the single-record route answers it; errors[] point into the body")


class RecordBatchResults(BaseModel):
    results: list[RecordBatchWritten | BatchItemRefused] = Field(description="One per input, in the order sent")


class BatchArchived(BaseModel):
    status: Literal[204] = Field(description="Archived (restorable)")


class BatchArchiveResults(BaseModel):
    results: list[BatchArchived | BatchItemRefused] = Field(description="One per input, in the order sent")


_BATCH = (
    f"Each of the 1-{MAX_INPUTS} inputs is written on its own, in the order sent, as the single-record route "
    "writes it (one transaction with its change events): results[i] answers input i, and a refused input never "
    "stops the others. A problem's errors[] point into this body (/inputs/3/properties/email). A body malformed "
    f"as a whole (no inputs, more than {MAX_INPUTS}, an input of the wrong shape) is a 422 and writes nothing. Honours "
    "Idempotency-Key for the whole batch: a retry gets every input's first answer and writes only what a first "
    "attempt that failed half-way had not."
)
_RESULTS = "One result per input, in the order sent"


def records_service(request: Request, tenant_id: Annotated[str, Depends(http.tenant_for("records"))]) -> RecordService:
    """The records service for this request's object type, in the caller's tenant."""
    object_type = SchemaRegistry(tenant_id).by_collection(request.path_parameters.get("collection", ""))
    region = http.authorizer_context(request).get("region") or "US"
    return RecordService(tenant_id, object_type, validation=ValidationContext(default_region=region))


Records = Annotated[RecordService, Depends(records_service)]


def batch_service(records: Records) -> RecordBatch:
    return RecordBatch(records)


Batch = Annotated[RecordBatch, Depends(batch_service)]
Collection = Annotated[str, Path(max_length=64, description="The object type's collection, e.g. contacts")]
RecordId = Annotated[str, Path(max_length=64)]


def _record_response(result: Outcome, records: RecordService, prefix: str):
    record = result.body
    headers = {"ETag": http.etag(record["version"])}
    if result.status == 201:
        headers["Location"] = f"/v1{prefix}/{records.object_type.collection}/{record['id']}"
    return http.outcome_response(result, headers)


def _register(prefix: str, id_suffix: str) -> None:
    """One set of record routes under `prefix` ("" or "/objects"); operation ids end in `id_suffix`.
    The OpenAPI document expands the plain set into one typed set per object type (meta)."""
    base = f"{prefix}/<collection>"
    tag = ["objects" if prefix else "records"]

    @router.post(
        base,
        operation_id=f"create_{id_suffix}",
        summary="Create a record",
        description="Honours Idempotency-Key. 409 if a unique value (e.g. email) is taken: existing_id names it.",
        responses=http.documented(
            201, "Created", RecordOut, 404, 409, 422, headers=["ETag", "Location"], idempotent=True
        ),
        tags=tag,
    )
    def create(
        collection: Collection,
        body: Annotated[RecordInput, Body()],
        records: Records,
        idempotency_key: http.RequestIdempotencyKey,
    ):
        return _record_response(records.create(body.properties, idempotency_key=idempotency_key), records, prefix)

    @router.get(
        base,
        operation_id=f"list_{id_suffix}s",
        summary="List records, newest first",
        description="Pages of up to `limit` records. Filter by a unique property (e.g. ?email=...) to look one up.",
        responses=http.documented(200, "A page of records", RecordPage, 400, 404, 422),
        tags=tag,
    )
    def list_records(
        collection: Collection,
        records: Records,
        request: Request,
        limit: Annotated[int, Query(ge=1, le=http.MAX_PAGE)] = 25,
        cursor: Annotated[str | None, Query(max_length=2048)] = None,
        archived: Annotated[bool, Query(description="Include archived records")] = False,
    ):
        params = request.query_parameters or {}
        lookups = {p: params[p] for p in records.object_type.unique_properties if p in params}
        if lookups:
            prop, value = next(iter(lookups.items()))
            try:
                found = records.find_unique(prop, value)
            except ValidationFailed as error:  # the value came from the query string: point there
                raise ValidationFailed(
                    error.detail, errors=[FieldError(f"/query/{prop}", e.detail) for e in error.errors]
                ) from None
            return http.json_response(200, {"data": [found] if found else [], "next_cursor": None})
        page, next_cursor = records.list(limit=limit, cursor_token=cursor, include_archived=archived)
        return http.json_response(200, {"data": page, "next_cursor": next_cursor})

    @router.get(
        f"{base}/<record_id>",
        operation_id=f"get_{id_suffix}",
        summary="Get a record",
        responses=http.documented(200, "The record, with its ETag", RecordOut, 404, 422, headers=["ETag"]),
        tags=tag,
    )
    def get_record(
        collection: Collection,
        record_id: RecordId,
        records: Records,
        archived: Annotated[bool, Query(description="Also return an archived record")] = False,
    ):
        record = records.get(record_id, include_archived=archived)
        return http.json_response(200, record, {"ETag": http.etag(record["version"])})

    @router.patch(
        f"{base}/<record_id>",
        operation_id=f"update_{id_suffix}",
        summary="Update a record",
        description="Merges properties; null removes one. Honours If-Match and Idempotency-Key.",
        responses=http.documented(200, "Updated", RecordOut, 404, 409, 412, 422, headers=["ETag"], idempotent=True),
        tags=tag,
    )
    def update_record(
        collection: Collection,
        record_id: RecordId,
        body: Annotated[RecordInput, Body()],
        records: Records,
        if_match: http.IfMatch,
        idempotency_key: http.RequestIdempotencyKey,
    ):
        result = records.update(record_id, body.properties, if_match=if_match, idempotency_key=idempotency_key)
        return _record_response(result, records, prefix)

    @router.delete(
        f"{base}/<record_id>",
        operation_id=f"archive_{id_suffix}",
        summary="Archive a record (soft delete)",
        description="Honours If-Match and Idempotency-Key. Restorable; its unique values are freed meanwhile.",
        responses=http.documented(204, "Archived", None, 404, 412, headers=["ETag"], idempotent=True),
        tags=tag,
    )
    def archive_record(
        collection: Collection,
        record_id: RecordId,
        records: Records,
        if_match: http.IfMatch,
        idempotency_key: http.RequestIdempotencyKey,
    ):
        result = records.archive(record_id, if_match=if_match, idempotency_key=idempotency_key)
        return _record_response(result, records, prefix)

    @router.post(
        f"{base}/<record_id>/restore",
        operation_id=f"restore_{id_suffix}",
        summary="Restore an archived record",
        description="409 if another record took one of its unique values meanwhile.",
        responses=http.documented(200, "Restored", RecordOut, 404, 409, headers=["ETag"], idempotent=True),
        tags=tag,
    )
    def restore_record(
        collection: Collection,
        record_id: RecordId,
        records: Records,
        idempotency_key: http.RequestIdempotencyKey,
    ):
        return _record_response(records.restore(record_id, idempotency_key=idempotency_key), records, prefix)

    @router.post(
        f"{base}/batch/create",
        operation_id=f"batch_create_{id_suffix}s",
        summary="Create records in a batch",
        description=f"{_BATCH} Each input is a 201 with its record, or a 409 (a unique value taken: existing_id "
        "names the holder) or 422 problem.",
        responses=http.documented(200, _RESULTS, RecordBatchResults, 404, 422, idempotent=True),
        tags=tag,
    )
    def batch_create(
        collection: Collection,
        body: Annotated[RecordBatchCreateInput, Body()],
        batch: Batch,
        idempotency_key: http.RequestIdempotencyKey,
    ):
        return http.outcome_response(batch.create(_inputs(body), idempotency_key))

    @router.post(
        f"{base}/batch/update",
        operation_id=f"batch_update_{id_suffix}s",
        summary="Update records in a batch",
        description=f"{_BATCH} Each input is a 200 with its record, or a 404 (no such active record), 409, 412 (its "
        "version is not the record's) or 422 problem.",
        responses=http.documented(200, _RESULTS, RecordBatchResults, 404, 422, idempotent=True),
        tags=tag,
    )
    def batch_update(
        collection: Collection,
        body: Annotated[RecordBatchUpdateInput, Body()],
        batch: Batch,
        idempotency_key: http.RequestIdempotencyKey,
    ):
        return http.outcome_response(batch.update(_inputs(body), idempotency_key))

    @router.post(
        f"{base}/batch/upsert",
        operation_id=f"batch_upsert_{id_suffix}s",
        summary="Create or update records in a batch, by a unique property",
        description=f"{_BATCH} Each input is a 200 (the active record holding its id_property value, updated), a "
        "201 (none did: created) or a 409 or 422 problem. Two inputs with one value make one record.",
        responses=http.documented(200, _RESULTS, RecordBatchResults, 404, 422, idempotent=True),
        tags=tag,
    )
    def batch_upsert(
        collection: Collection,
        body: Annotated[RecordBatchUpsertInput, Body()],
        batch: Batch,
        idempotency_key: http.RequestIdempotencyKey,
    ):
        return http.outcome_response(batch.upsert(body.id_property, _inputs(body), idempotency_key))

    @router.post(
        f"{base}/batch/archive",
        operation_id=f"batch_archive_{id_suffix}s",
        summary="Archive records in a batch (soft delete)",
        description=f"{_BATCH} Each input is a 204 (archived, restorable; its unique values freed), or a 404 or "
        "412 problem.",
        responses=http.documented(200, _RESULTS, BatchArchiveResults, 404, 422, idempotent=True),
        tags=tag,
    )
    def batch_archive(
        collection: Collection,
        body: Annotated[BatchArchiveInput, Body()],
        batch: Batch,
        idempotency_key: http.RequestIdempotencyKey,
    ):
        return http.outcome_response(batch.archive(_inputs(body), idempotency_key))


def _inputs(body: Any) -> list[dict[str, Any]]:
    return [item.model_dump() for item in body.inputs]


# /objects/<collection> first: Powertools tries dynamic routes in registration order, and
# /<collection>/<record_id> would otherwise read /objects/contacts as collection "objects".
_register("/objects", "object_record")
_register("", "record")

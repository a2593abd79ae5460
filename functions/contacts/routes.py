"""Routes for record collections: one set of routes for every object type, reachable as
`/v1/<collection>` (e.g. /v1/contacts) and `/v1/objects/<collection>`. The object type is resolved
per request from the tenant's schema registry, so custom object types get exactly this API."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.depends import Depends
from aws_lambda_powertools.event_handler.openapi.params import Body, Path, Query
from aws_lambda_powertools.event_handler.request import Request
from pydantic import BaseModel, ConfigDict, Field

from contacts.registry import SchemaRegistry
from contacts.schema import ValidationContext
from contacts.service import RecordService
from crm import http
from crm.errors import FieldError, ValidationFailed
from crm.idempotency import Outcome

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
    next_cursor: str | None = Field(description="Pass as ?cursor= for the next page; null on the last")


def records_service(request: Request, tenant_id: Annotated[str, Depends(http.tenant_for("records"))]) -> RecordService:
    """The records service for this request's object type, in the caller's tenant."""
    object_type = SchemaRegistry(tenant_id).by_collection(request.path_parameters.get("collection", ""))
    region = http.authorizer_context(request).get("region") or "US"
    return RecordService(tenant_id, object_type, validation=ValidationContext(default_region=region))


Records = Annotated[RecordService, Depends(records_service)]
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


# /objects/<collection> first: Powertools tries dynamic routes in registration order, and
# /<collection>/<record_id> would otherwise read /objects/contacts as collection "objects".
_register("/objects", "object_record")
_register("", "record")

"""Routes for record collections. Contacts, companies and deals share one set of routes, generated per
object type, so custom object types will get the same API by adding an ObjectType."""

from typing import Annotated, Any

from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.openapi.params import Body, Path, Query
from pydantic import BaseModel, ConfigDict, Field

from contacts.schema import BUILTIN_OBJECT_TYPES, ObjectType, ValidationContext
from contacts.service import RecordService
from crm import http
from crm.errors import FieldError, ValidationFailed
from crm.idempotency import Outcome

router = Router()


class RecordInput(BaseModel):
    model_config = ConfigDict(extra="forbid")
    properties: dict[str, Any] = Field(description="Property name -> value; on PATCH, null removes a property.")


class RecordOut(BaseModel):
    id: str
    object: str
    properties: dict[str, Any]
    version: int
    created_at: str
    updated_at: str
    archived_at: str | None = None


class RecordPage(BaseModel):
    data: list[RecordOut]
    next_cursor: str | None


def _service(object_type: ObjectType) -> RecordService:
    caller = http.caller(router)
    action = "records:read" if router.current_event.http_method == "GET" else "records:write"
    tenant_id = caller.require_tenant(action)
    region = (router.current_event.raw_event.get("requestContext") or {}).get("authorizer", {}).get("region")
    return RecordService(tenant_id, object_type, validation=ValidationContext(default_region=region or "US"))


def _record_response(result: Outcome, object_type: ObjectType):
    record = result.body
    headers = {"ETag": http.etag(record["version"])}
    if result.status == 201:
        headers["Location"] = f"/v1/{object_type.collection}/{record['id']}"
    return http.outcome_response(result, headers)


def _register(object_type: ObjectType) -> None:
    name, base = object_type.name, f"/{object_type.collection}"
    unique = object_type.unique_properties
    lookup_doc = f" Filter by a unique property with ?{'=...&'.join(unique)}=... ." if unique else ""
    properties_doc = ", ".join(object_type.properties)

    @router.post(
        base,
        operation_id=f"create_{name}",
        summary=f"Create a {name}",
        description=f"Properties: {properties_doc}. Honours Idempotency-Key.",
        responses=http.documented(201, "Created", RecordOut, 400, 409, 413, 422),
        tags=[object_type.collection],
    )
    def create(body: Annotated[RecordInput, Body()]):
        service = _service(object_type)
        result = service.create(body.properties, idempotency_key=http.idempotency_key(router, body.model_dump()))
        return _record_response(result, object_type)

    @router.get(
        base,
        operation_id=f"list_{name}s",
        summary=f"List {object_type.collection}, newest first",
        description=f"Pages of up to `limit` records.{lookup_doc}",
        responses=http.documented(200, "A page of records", RecordPage, 400, 422),
        tags=[object_type.collection],
    )
    def list_records(
        limit: Annotated[int, Query(ge=1, le=http.MAX_PAGE)] = 25,
        cursor: Annotated[str | None, Query(max_length=2048)] = None,
        archived: Annotated[bool, Query(description="Include archived records")] = False,
    ):
        service = _service(object_type)
        params = router.current_event.query_string_parameters or {}
        lookups = {p: params[p] for p in unique if p in params}
        if lookups:
            prop, value = next(iter(lookups.items()))
            try:
                found = service.find_unique(prop, value)
            except ValidationFailed as error:  # the value came from the query string: point there
                raise ValidationFailed(
                    error.detail, errors=[FieldError(f"/query/{prop}", e.detail) for e in error.errors]
                ) from None
            return http.json_response(200, {"data": [found] if found else [], "next_cursor": None})
        records, next_cursor = service.list(limit=limit, cursor_token=cursor, include_archived=archived)
        return http.json_response(200, {"data": records, "next_cursor": next_cursor})

    @router.get(
        f"{base}/<record_id>",
        operation_id=f"get_{name}",
        summary=f"Get a {name}",
        responses=http.documented(200, "The record, with its ETag", RecordOut, 404),
        tags=[object_type.collection],
    )
    def get_record(
        record_id: Annotated[str, Path(max_length=64)],
        archived: Annotated[bool, Query(description="Also return an archived record")] = False,
    ):
        record = _service(object_type).get(record_id, include_archived=archived)
        return http.json_response(200, record, {"ETag": http.etag(record["version"])})

    @router.patch(
        f"{base}/<record_id>",
        operation_id=f"update_{name}",
        summary=f"Update a {name}",
        description="Merges properties; null removes one. Honours If-Match and Idempotency-Key.",
        responses=http.documented(200, "Updated", RecordOut, 400, 404, 409, 412, 413, 422),
        tags=[object_type.collection],
    )
    def update_record(record_id: Annotated[str, Path(max_length=64)], body: Annotated[RecordInput, Body()]):
        service = _service(object_type)
        result = service.update(
            record_id,
            body.properties,
            if_match=http.if_match(router),
            idempotency_key=http.idempotency_key(router, body.model_dump()),
        )
        return _record_response(result, object_type)

    @router.delete(
        f"{base}/<record_id>",
        operation_id=f"archive_{name}",
        summary=f"Archive a {name} (soft delete)",
        responses=http.documented(204, "Archived", None, 404, 412),
        tags=[object_type.collection],
    )
    def archive_record(record_id: Annotated[str, Path(max_length=64)]):
        service = _service(object_type)
        result = service.archive(
            record_id, if_match=http.if_match(router), idempotency_key=http.idempotency_key(router)
        )
        return _record_response(result, object_type)

    @router.post(
        f"{base}/<record_id>/restore",
        operation_id=f"restore_{name}",
        summary=f"Restore an archived {name}",
        responses=http.documented(200, "Restored", RecordOut, 404, 409),
        tags=[object_type.collection],
    )
    def restore_record(record_id: Annotated[str, Path(max_length=64)]):
        service = _service(object_type)
        result = service.restore(record_id, idempotency_key=http.idempotency_key(router))
        return _record_response(result, object_type)


for _object_type in BUILTIN_OBJECT_TYPES.values():
    _register(_object_type)

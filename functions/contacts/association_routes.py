"""Routes: associations of a record with records of another object type, for every object type, under
`/v1/<collection>/<id>/associations/...` and `/v1/objects/<collection>/<id>/associations/...` (the document
expands them per object type, as the record routes)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.depends import Depends
from aws_lambda_powertools.event_handler.openapi.params import Body, Path, Query
from pydantic import BaseModel, ConfigDict, Field

from contacts.associations import Associations
from crm import http

router = Router()
Collection = Annotated[str, Path(max_length=64, description="The object type's collection, e.g. contacts")]
RecordId = Annotated[str, Path(max_length=64)]


class AssociationInput(BaseModel):
    model_config = ConfigDict(extra="forbid")
    label: str | None = Field(
        default=None, max_length=100, description="One of the pair's labels (GET /v1/schemas/{a}/associations/{b})"
    )


class Association(BaseModel):
    object: str = Field(description="The associated record's object type")
    id: str = Field(description="The associated record's id")
    label: str | None
    via: Literal["association", "property"] = Field(
        description="property: the record's own reference property (its name is the label) rather than an "
        "association made through this API"
    )
    created_at: datetime | None


class AssociationPage(BaseModel):
    data: list[Association]
    next_cursor: str | None = Field(description="Pass as ?cursor= for the next page; null on the last")


def associations_service(tenant_id: Annotated[str, Depends(http.tenant_for("records"))]) -> Associations:
    return Associations(tenant_id)


Service = Annotated[Associations, Depends(associations_service)]
Key = http.RequestIdempotencyKey


def _register(prefix: str, id_suffix: str) -> None:
    base = f"{prefix}/<collection>/<record_id>/associations/<to_collection>"
    tag = ["objects" if prefix else "records"]

    @router.get(
        base,
        operation_id=f"list_associations_of_{id_suffix}",
        summary="List its associations with one object type (both directions)",
        description="Its own reference properties pointing there come first, then the associations made "
        "through this API (either side), then the records whose reference properties point at it (a company "
        "lists the contacts whose company_id it is); reference links are labelled with the property's name. "
        "Only a null next_cursor says the list is done.",
        responses=http.documented(200, "A page of associations", AssociationPage, 400, 404, 422),
        tags=tag,
    )
    def list_associations(
        collection: Collection,
        record_id: RecordId,
        to_collection: Collection,
        associations: Service,
        limit: Annotated[int, Query(ge=1, le=http.MAX_PAGE)] = 25,
        cursor: Annotated[str | None, Query(max_length=2048)] = None,
    ):
        data, next_cursor = associations.list(collection, record_id, to_collection, limit=limit, cursor_token=cursor)
        return http.json_response(200, {"data": data, "next_cursor": next_cursor})

    @router.put(
        f"{base}/<to_id>",
        operation_id=f"associate_{id_suffix}",
        summary="Associate it with another object (idempotent; both must exist in the tenant)",
        description="Visible from both records. Sending it again changes nothing; another label replaces the label. "
        "Events association.created / association.updated.",
        responses=http.documented(200, "The association", Association, 404, 422, idempotent=True),
        tags=tag,
    )
    def associate(
        collection: Collection,
        record_id: RecordId,
        to_collection: Collection,
        to_id: RecordId,
        body: Annotated[AssociationInput, Body()],
        associations: Service,
        key: Key,
    ):
        result = associations.associate(collection, record_id, to_collection, to_id, body.label, key)
        return http.outcome_response(result)

    @router.delete(
        f"{base}/<to_id>",
        operation_id=f"dissociate_{id_suffix}",
        summary="Remove an association (from both sides)",
        description="Event association.deleted. A reference property is changed on the record instead.",
        responses=http.documented(204, "Removed", None, 404, idempotent=True),
        tags=tag,
    )
    def dissociate(
        collection: Collection,
        record_id: RecordId,
        to_collection: Collection,
        to_id: RecordId,
        associations: Service,
        key: Key,
    ):
        return http.outcome_response(associations.dissociate(collection, record_id, to_collection, to_id, key))


_register("/objects", "object_record")
_register("", "record")

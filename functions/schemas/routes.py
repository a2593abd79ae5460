"""Routes: /v1/schemas — the tenant's data model: every object type (built-in and custom) with its
properties; custom properties added, changed, archived and restored; custom object types defined."""

from datetime import datetime
from typing import Annotated, Literal

from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.depends import Depends
from aws_lambda_powertools.event_handler.openapi.params import Body, Path, Query
from pydantic import BaseModel, Field

from crm import http
from schemas.definition import (
    AssociationLabel,
    AssociationLabels,
    ObjectTypeInput,
    OptionInput,
    PropertyInput,
    PropertyPatch,
    PropertyTypeName,
)
from schemas.service import Schemas

router = Router()
TAG = ["schemas"]
Collection = Annotated[str, Path(max_length=64, description="The object type's collection, e.g. contacts")]
PropertyName = Annotated[str, Path(max_length=64)]


# --- what the routes answer (documentation: the service builds these bodies) -----------------------


class PropertySchema(BaseModel):
    name: str
    label: str
    type: PropertyTypeName | Literal["references", "amounts", "domain", "moments"] = Field(
        description="Custom properties have one of the types a property may be created with; built-ins may "
        "also be references (a list of ids), amounts (money per currency), domain or moments (name -> when)"
    )
    options: list[OptionInput] | None = Field(description="enum and multi_enum: the ordered options")
    target: str | None = Field(description="reference(s): the object type referred to")
    description: str | None
    required: bool
    unique: bool
    indexed: bool
    custom: bool = Field(description="The tenant's own; built-ins cannot change")
    read_only: bool = Field(description="Computed by the CRM; writes are refused")
    archived: bool = Field(description="Hidden from records and refused on writes; values kept; restorable")
    created_at: datetime | None = Field(description="Custom properties only")
    updated_at: datetime | None = Field(description="Custom properties only")


class ObjectSchema(BaseModel):
    name: str = Field(description="Singular, as in event types: contact -> contact.created")
    collection: str = Field(description="The URL segment: /v1/objects/<collection>")
    label: str
    custom: bool
    identifying: list[str] = Field(description="A new record needs at least one of these")
    properties: list[PropertySchema] = Field(description="Built-ins first, then custom ones, archived too")
    schema_version: int = Field(description="The tenant's schema version; every schema change raises it")


class ObjectSchemaList(BaseModel):
    data: list[ObjectSchema]


class PropertyUsage(BaseModel):
    filled: int = Field(description="How many active records hold a value")
    fill_rate: float | None = Field(description="filled / records (null while there are no records)")
    last_written_at: datetime | None = Field(description="When a record last set or changed it")


class PropertyWithUsage(PropertySchema):
    usage: PropertyUsage | None = Field(default=None, description="With ?include=usage")


class PropertyList(BaseModel):
    data: list[PropertyWithUsage]
    records: int | None = Field(
        default=None, description="With ?include=usage: the object type's active records the counts are out of"
    )


def schemas_service(tenant_id: Annotated[str, Depends(http.tenant_for("schemas"))]) -> Schemas:
    return Schemas(tenant_id)


Service = Annotated[Schemas, Depends(schemas_service)]
Key = http.RequestIdempotencyKey


@router.get(
    "/schemas",
    operation_id="list_schemas",
    summary="Every object type of the tenant, built-in and custom, with its properties",
    responses=http.documented(200, "The tenant's object types", ObjectSchemaList),
    tags=TAG,
)
def list_schemas(schemas: Service):
    return http.json_response(200, {"data": schemas.list()})


@router.post(
    "/schemas",
    operation_id="create_schema",
    summary="Define a custom object type",
    description="Its records live at /v1/objects/<collection> and behave as contacts do; events "
    "<name>.created|updated|deleted|restored. Limits: 25 custom object types per tenant, 200 custom "
    "properties per object type.",
    responses=http.documented(201, "Created", ObjectSchema, 409, 422, headers=["Location"], idempotent=True),
    tags=TAG,
)
def create_schema(body: Annotated[ObjectTypeInput, Body()], schemas: Service, key: Key):
    result = schemas.create_object_type(body, key)
    return http.outcome_response(result, {"Location": f"/v1/schemas/{result.body['collection']}"})


@router.get(
    "/schemas/<collection>",
    operation_id="get_schema",
    summary="One object type with its properties",
    responses=http.documented(200, "The object type", ObjectSchema, 404, 422),
    tags=TAG,
)
def get_schema(collection: Collection, schemas: Service):
    return http.json_response(200, schemas.get(collection))


@router.get(
    "/schemas/<collection>/properties",
    operation_id="list_schema_properties",
    summary="An object type's properties",
    description="Counts in `usage` follow record changes within seconds (no scan); they start when the counting "
    "was deployed, so records untouched since are not in them.",
    responses=http.documented(200, "Its properties", PropertyList, 404, 422),
    tags=TAG,
)
def list_schema_properties(
    collection: Collection,
    schemas: Service,
    archived: Annotated[bool, Query(description="Include archived properties")] = False,
    include: Annotated[
        Literal["usage"] | None,
        Query(description="usage: each property's fill rate and last write, to find fields nobody uses"),
    ] = None,
):
    properties = schemas.properties(collection, archived=archived)
    if include != "usage":
        return http.json_response(200, {"data": properties})
    with_usage, records = schemas.usage(collection, properties)
    return http.json_response(200, {"data": with_usage, "records": records})


@router.post(
    "/schemas/<collection>/properties",
    operation_id="create_schema_property",
    summary="Add a custom property",
    description="Writes are validated against it from the next request on. 409 if the name is taken (an "
    "archived property keeps its name: restore it).",
    responses=http.documented(201, "Created", PropertySchema, 404, 409, 422, headers=["Location"], idempotent=True),
    tags=TAG,
)
def create_schema_property(collection: Collection, body: Annotated[PropertyInput, Body()], schemas: Service, key: Key):
    result = schemas.add_property(collection, body, key)
    return http.outcome_response(result, {"Location": f"/v1/schemas/{collection}/properties/{body.name}"})


@router.get(
    "/schemas/<collection>/properties/<name>",
    operation_id="get_schema_property",
    summary="One property",
    responses=http.documented(200, "The property", PropertySchema, 404, 422),
    tags=TAG,
)
def get_schema_property(collection: Collection, name: PropertyName, schemas: Service):
    return http.json_response(200, schemas.property(collection, name))


@router.patch(
    "/schemas/<collection>/properties/<name>",
    operation_id="update_schema_property",
    summary="Change a custom property",
    description="Label, description and required always; options may be added, relabelled and reordered. "
    "Removing an option or changing the type is refused (409, `records` says how many) while records hold "
    "values it would not accept. `unique: true` on a property with values claims each existing value first "
    "and is refused (409, `duplicates` lists the shared values) while two active records share one; the "
    "answer comes once every value is claimed. `indexed: true` indexes the records that hold it first; searches "
    "use the index from the answer on. Built-in properties cannot change (409).",
    responses=http.documented(200, "Updated", PropertySchema, 404, 409, 422, idempotent=True),
    tags=TAG,
)
def update_schema_property(
    collection: Collection, name: PropertyName, body: Annotated[PropertyPatch, Body()], schemas: Service, key: Key
):
    return http.outcome_response(schemas.update_property(collection, name, body, key))


@router.delete(
    "/schemas/<collection>/properties/<name>",
    operation_id="archive_schema_property",
    summary="Archive a custom property",
    description="Hidden from records and refused on writes; the values stay stored; restorable. A property "
    "that identifies the object type cannot be archived (409).",
    responses=http.documented(204, "Archived", None, 404, 409, idempotent=True),
    tags=TAG,
)
def archive_schema_property(collection: Collection, name: PropertyName, schemas: Service, key: Key):
    return http.outcome_response(schemas.archive_property(collection, name, key))


@router.post(
    "/schemas/<collection>/properties/<name>/restore",
    operation_id="restore_schema_property",
    summary="Restore an archived property (its values reappear)",
    responses=http.documented(200, "Restored", PropertySchema, 404, 409, idempotent=True),
    tags=TAG,
)
def restore_schema_property(collection: Collection, name: PropertyName, schemas: Service, key: Key):
    return http.outcome_response(schemas.restore_property(collection, name, key))


class AssociationLabelSet(BaseModel):
    object: str
    to_object: str
    labels: list[AssociationLabel]


@router.get(
    "/schemas/<collection>/associations/<to_collection>",
    operation_id="get_association_labels",
    summary="The labels associations between two object types may carry (either direction)",
    responses=http.documented(200, "The labels", AssociationLabelSet, 404, 422),
    tags=TAG,
)
def get_association_labels(collection: Collection, to_collection: Collection, schemas: Service):
    return http.json_response(200, schemas.association_labels(collection, to_collection))


@router.put(
    "/schemas/<collection>/associations/<to_collection>",
    operation_id="set_association_labels",
    summary="Define the labels of associations between two object types (replaces the list)",
    description="One list per pair: setting contacts -> partners also sets partners -> contacts. Associations "
    "already carrying a label that goes keep it.",
    responses=http.documented(200, "The labels", AssociationLabelSet, 404, 422, idempotent=True),
    tags=TAG,
)
def set_association_labels(
    collection: Collection,
    to_collection: Collection,
    body: Annotated[AssociationLabels, Body()],
    schemas: Service,
    key: Key,
):
    return http.outcome_response(schemas.set_association_labels(collection, to_collection, body, key))

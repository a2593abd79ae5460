"""Health, the OpenAPI 3.1 document and Swagger UI. The document is generated from the routers of every
API function, so it always describes the code that runs. Those routers are imported on the first
docs request, not at cold start: health checks stay as light as any handler.

What the routes cannot say through Powertools is added here, each from the code that decides it: the
request headers a route's dependencies read (crm.http), which routes the gateway authorizes and
meters (crm.catalogue: security, 401, 429), one typed set of record routes and schemas per object
type (contacts.schema), and the framework's own 422 replaced by the API's ValidationProblem."""

import copy
import json
from typing import Any, Literal

from aws_lambda_powertools.event_handler import APIGatewayRestResolver, Response
from aws_lambda_powertools.event_handler.api_gateway import Router
from pydantic import BaseModel

from crm import catalogue, http
from crm.catalogue import API_PREFIX, stage_path
from crm.http import create_resolver, json_response, lambda_handler

router = Router()
docs_router = Router()
DOCS_PATHS = ("/openapi.json", "/docs")
SCHEMAS = "#/components/schemas/"


class Health(BaseModel):
    status: Literal["ok"]


@router.get(
    "/health",
    operation_id="health",
    summary="Liveness check (no auth)",
    responses={200: {"description": "The API is up", "content": {http.JSON: {"model": Health}}}},
    tags=["meta"],
)
def health():
    return json_response(200, {"status": "ok"})


@docs_router.get(
    "/openapi.json",
    operation_id="openapi",
    summary="This API's OpenAPI 3.1 document",
    responses={
        200: {
            "description": "The OpenAPI 3.1 document",
            "content": {http.JSON: {"schema": {"type": "object", "additionalProperties": True}}},
        }
    },
    tags=["meta"],
)
def openapi():
    return Response(status_code=200, content_type="application/json", body=_openapi_json())


def _document() -> dict[str, Any]:
    from aws_lambda_powertools.event_handler.openapi.models import HTTPBearer, Server

    return {
        "title": "CRM API",
        "version": "1",
        "description": "Multi-tenant CRM. Authenticate with `Authorization: Bearer <API key>`; errors are "
        "RFC 9457 application/problem+json.",
        "servers": [Server(url=API_PREFIX)],
        "security_schemes": {"api_key": HTTPBearer(description="A tenant API key (or the operator key)")},
        "security": [{"api_key": []}],
    }


_documented: APIGatewayRestResolver | None = None
_openapi: str | None = None


def documented_app() -> APIGatewayRestResolver:
    """Every API function's routes in one resolver (described here, served by their own functions)."""
    global _documented
    if _documented is None:
        from contacts.routes import router as records_router
        from tenants.routes import router as tenants_router
        from webhooks.routes import router as webhooks_router

        _documented = create_resolver(router, docs_router, records_router, tenants_router, webhooks_router)
        _documented.get("/docs", include_in_schema=False)(_swagger_ui)
    return _documented


def _openapi_json() -> str:
    global _openapi
    if _openapi is None:
        from contacts.registry import SchemaRegistry

        app = documented_app()
        document = json.loads(app.get_openapi_json_schema(**_document()))
        document = with_request_headers(document, app)
        document = with_validation_problems(document)
        document = expand_collections(document, SchemaRegistry(None).object_types())
        document = with_gateway(with_docs_page(document))
        _openapi = json.dumps(without_unused_schemas(document))
    return _openapi


def _operations(document: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [(path, method, op) for path, item in document["paths"].items() for method, op in item.items()]


# --- request headers: what a route's dependencies read ------------------------------------------------


def with_request_headers(document: dict[str, Any], app: APIGatewayRestResolver) -> dict[str, Any]:
    """Routes read Idempotency-Key and If-Match through dependencies (crm.http), which Powertools does not
    document: declare each as a header parameter of every operation whose dependencies read it."""
    document = copy.deepcopy(document)
    for route in [*app._static_routes, *app._dynamic_routes]:
        operation = document["paths"].get(route.openapi_path, {}).get(route.method.lower())
        if operation is None:
            continue  # not in the document (Swagger UI)
        for name in http.request_headers_read(route.func):
            operation.setdefault("parameters", []).append(copy.deepcopy(http.REQUEST_HEADERS[name]))
    return document


# --- the framework's 422 -------------------------------------------------------------------------------

_FRAMEWORK_422 = SCHEMAS + "HTTPValidationError"


def with_validation_problems(document: dict[str, Any]) -> dict[str, Any]:
    """Powertools documents a 422 of its own (HTTPValidationError) on every route. Our resolver answers
    its validation errors as a ValidationProblem, and only a route with parameters or a body has any: the
    422 becomes a ValidationProblem there and goes elsewhere. Also undone: content on a 204, the title
    "Return" Powertools gives every response schema, and null as a value of an optional parameter."""
    document = copy.deepcopy(document)
    for _, _, operation in _operations(document):
        responses = operation["responses"]
        for response in responses.values():
            for media in response.get("content", {}).values():
                if media.get("schema", {}).get("title") == "Return":
                    del media["schema"]["title"]
        if _FRAMEWORK_422 in json.dumps(responses.get("422", {})):
            if operation.get("parameters") or operation.get("requestBody"):
                responses["422"] = http.problem_response_json(422)
            else:
                del responses["422"]
        if "204" in responses:
            responses["204"].pop("content", None)
        for parameter in operation.get("parameters", []):
            parameter["schema"] = _without_null(parameter["schema"])
    return document


def _without_null(schema: dict[str, Any]) -> dict[str, Any]:
    """`X | None = None` on a parameter means "may be left out": a query string or header cannot send null."""
    choices = [c for c in schema.get("anyOf", []) if c != {"type": "null"}]
    if len(choices) != 1 or len(schema["anyOf"]) != 2:
        return schema
    return {**{k: v for k, v in schema.items() if k != "anyOf"}, **choices[0]}


def without_unused_schemas(document: dict[str, Any]) -> dict[str, Any]:
    """Drop component schemas nothing refers to any more (the framework's validation errors)."""
    document = copy.deepcopy(document)
    schemas = document["components"]["schemas"]
    while True:
        text = json.dumps({k: v for k, v in document.items() if k != "components"}) + json.dumps(schemas)
        unused = [name for name in schemas if f'"{SCHEMAS}{name}"' not in text]
        if not unused:
            return document
        for name in unused:
            del schemas[name]


# --- the gateway: who may call, and metering ---------------------------------------------------------


def gateway_route(path: str) -> catalogue.Route | None:
    """The catalogue route API Gateway serves a document path by (exact paths before `{proxy+}`)."""
    full = API_PREFIX + path
    routes = [route for spec in catalogue.API_FUNCTIONS for route in spec.routes]
    for route in routes:
        if route.path == full:
            return route
    for route in routes:
        base = route.path.removesuffix("{proxy+}")
        if route.path.endswith("/{proxy+}") and full.startswith(base) and len(full) > len(base):
            return route
    return None


def with_gateway(document: dict[str, Any]) -> dict[str, Any]:
    """What API Gateway does before any function runs, per route as the catalogue declares it: public
    routes need no key (`security: []`); authorized ones need a bearer key (401 without a valid one, 403
    for a key without a usage plan on a metered route) and metered ones are throttled (429)."""
    document = copy.deepcopy(document)
    for path, _, operation in _operations(document):
        route = gateway_route(path)
        if route is not None and not route.authorized:
            operation["security"] = []
            continue
        operation["security"] = [{"api_key": []}]
        statuses = [401, 403, *([429] if route is None or route.metered else [])]
        for status in statuses:
            operation["responses"].setdefault(str(status), http.problem_response_json(status))
        operation["responses"] = dict(sorted(operation["responses"].items()))
    return document


def _swagger_ui():  # no return annotation: Powertools would try to model it
    """Swagger UI over the served document (the exact, post-processed one, not the raw generated one),
    with Powertools' bundled assets inlined: the page works offline."""
    from pathlib import Path

    from aws_lambda_powertools.event_handler.openapi import swagger_ui
    from aws_lambda_powertools.event_handler.openapi.swagger_ui.html import generate_swagger_html

    assets = Path(swagger_ui.__file__).parent
    page = generate_swagger_html(
        _openapi_json().replace("</", "<\\/"),
        (assets / "swagger-ui-bundle.min.js").read_text(encoding="utf-8"),
        (assets / "swagger-ui.min.css").read_text(encoding="utf-8"),
        "",
        None,
        False,
    )
    return Response(status_code=200, content_type="text/html", body=page)


def with_docs_page(document: dict[str, Any]) -> dict[str, Any]:
    """Swagger UI is served from the code (Powertools), outside the generated document: list it too."""
    page = {
        "tags": ["meta"],
        "summary": "Swagger UI for this document",
        "operationId": "docs",
        "responses": {"200": {"description": "An HTML page", "content": {"text/html": {"schema": {"type": "string"}}}}},
    }
    return {**document, "paths": {**document["paths"], "/docs": {"get": page}}}


# --- record routes: one typed set per object type --------------------------------------------------


def expand_collections(document: dict[str, Any], object_types: Any) -> dict[str, Any]:
    """Record routes are served once for every object type (`/{collection}`); the document lists them
    once per object type (`/contacts`, `/companies`, ...) with their own operation ids, tags and typed
    schemas (`Contact`, `ContactInput`, `ContactPatch`, `ContactPage`, `ContactProperties`), and
    `/objects/{collection}` with the collections as an enum and generic records. (Per tenant, custom
    types join here.)"""
    paths: dict[str, Any] = {}
    schemas = dict(document["components"]["schemas"])
    schemas["Collection"] = {
        "type": "string",
        "title": "Collection",
        "description": "An object type's collection",
        "enum": [t.collection for t in object_types],
    }
    for path, item in document["paths"].items():
        if path.startswith("/objects/{collection}"):
            paths[path] = _with_collection_enum(item)
        elif path.startswith("/{collection}"):
            for object_type in object_types:
                paths[path.replace("{collection}", object_type.collection, 1)] = _for_type(item, object_type)
        else:
            paths[path] = item
    for object_type in object_types:
        schemas.update(typed_schemas(object_type, schemas))
    return {**document, "paths": paths, "components": {**document["components"], "schemas": schemas}}


def _type_name(object_type: Any) -> str:
    return "".join(part.capitalize() for part in object_type.name.split("_"))


def _for_type(item: dict[str, Any], object_type: Any) -> dict[str, Any]:
    typed = json.loads(json.dumps(item))  # a deep copy per type
    name = _type_name(object_type)
    for method, operation in typed.items():
        operation["parameters"] = [p for p in operation.get("parameters", []) if p.get("name") != "collection"]
        verb = operation["operationId"].split("_", 1)[0]
        operation["operationId"] = f"list_{object_type.collection}" if verb == "list" else f"{verb}_{object_type.name}"
        operation["summary"] = (
            operation["summary"].replace("records", object_type.collection).replace("record", object_type.name)
        )
        operation["tags"] = [object_type.collection]
        if verb == "list":
            operation["parameters"] += _lookup_parameters(object_type)
        body = f"{name}Patch" if method == "patch" else f"{name}Input"
        text = json.dumps(operation)
        for generic, specific in (("RecordOut", name), ("RecordPage", f"{name}Page"), ("RecordInput", body)):
            text = text.replace(f'"{SCHEMAS}{generic}"', f'"{SCHEMAS}{specific}"')
        typed[method] = json.loads(text)
    return typed


def _lookup_parameters(object_type: Any) -> list[dict[str, Any]]:
    """`?email=` on contacts, `?domain=` on companies: each unique property looks one record up."""
    return [
        {
            "name": prop,
            "in": "query",
            "required": False,
            "description": f"Look up the {object_type.name} with this {object_type.properties[prop].label.lower()} "
            "(compared as stored, normalised): the page holds it, or nothing. limit, cursor and archived are ignored.",
            "schema": {"type": "string"},
        }
        for prop in object_type.unique_properties
    ]


def _with_collection_enum(item: dict[str, Any]) -> dict[str, Any]:
    item = json.loads(json.dumps(item))
    for operation in item.values():
        for parameter in operation.get("parameters", []):
            if parameter.get("name") == "collection":
                parameter["schema"] = {"$ref": SCHEMAS + "Collection"}
    return item


def typed_schemas(object_type: Any, schemas: dict[str, Any]) -> dict[str, Any]:
    """An object type's schemas, from its definition and the generic record schemas (RecordOut,
    RecordInput, RecordPage): its properties typed (enumerations as components of their own), required
    on create, nullable (to remove) on PATCH."""
    name = _type_name(object_type)
    out: dict[str, Any] = {}
    properties: dict[str, Any] = {}
    for prop, spec in object_type.properties.items():
        schema = property_schema(spec)
        if "enum" in schema:  # one component, shared by the record and its PATCH (one enum in clients)
            enum_name = name + "".join(part.capitalize() for part in prop.split("_"))
            out[enum_name] = {"title": enum_name, **schema}
            schema = {"$ref": SCHEMAS + enum_name}
        properties[prop] = schema
    required = [p for p in object_type.required if p in properties]
    out[f"{name}Properties"] = {
        "type": "object",
        "title": f"{name}Properties",
        "description": f"The properties of a {object_type.name}.",
        "properties": properties,
        **({"required": required} if required else {}),
        "additionalProperties": False,
    }
    out[f"{name}PatchProperties"] = {
        "type": "object",
        "title": f"{name}PatchProperties",
        "description": f"The properties to change; null removes one{_but_required(required)}.",
        "properties": {p: s if p in required else {"anyOf": [s, {"type": "null"}]} for p, s in properties.items()},
        "additionalProperties": False,
    }
    record = copy.deepcopy(schemas["RecordOut"])
    record.update(title=name, description=f"A {object_type.name}.")
    record["properties"]["object"] = {"type": "string", "const": object_type.name}
    record["properties"]["properties"] = {"$ref": f"{SCHEMAS}{name}Properties"}
    out[name] = record
    page = copy.deepcopy(schemas["RecordPage"])
    page.update(title=f"{name}Page")
    page["properties"]["data"] = {"type": "array", "items": {"$ref": SCHEMAS + name}}
    out[f"{name}Page"] = page
    for suffix, target, description in (
        ("Input", "Properties", f"A new {object_type.name}{_identified_by(object_type)}."),
        ("Patch", "PatchProperties", f"Changes to a {object_type.name}: the properties sent are merged."),
    ):
        body = copy.deepcopy(schemas["RecordInput"])
        body.update(title=name + suffix, description=description)
        body["properties"]["properties"] = {"$ref": SCHEMAS + name + target}
        out[name + suffix] = body
    return out


def _but_required(required: list[str]) -> str:
    return f" ({', '.join(required)} cannot be removed)" if required else ""


def _identified_by(object_type: Any) -> str:
    wanted = object_type.identifying
    return f": it needs at least one of {', '.join(wanted)}" if wanted else ""


_ULID = "^[0-9A-HJKMNP-TV-Z]{26}$"


def property_schema(spec: Any) -> dict[str, Any]:
    """The JSON schema of a property's values as records hold them (normalised). Writes may send looser
    forms, which are normalised: a national phone number, a URL for a domain, a date-time for a date."""
    from contacts import schema as types

    kind = spec.type
    schema: dict[str, Any]
    if isinstance(kind, types.Email):
        schema = {"type": "string", "format": "email"}
    elif isinstance(kind, types.Phone):
        schema = {"type": "string", "description": "E.164, e.g. +14155550123 (without +<country>: the tenant's region)"}
    elif isinstance(kind, types.Choice):
        schema = {"type": "string", "enum": list(kind.options)}
    elif isinstance(kind, types.Number):
        schema = {"type": "number", "description": "Exact: below 1e21, at most 6 decimal places"}
        if kind.minimum is not None:
            schema["minimum"] = int(kind.minimum) if kind.minimum == int(kind.minimum) else float(kind.minimum)
    elif isinstance(kind, types.Currency):
        schema = {"type": "string", "enum": sorted(types.CURRENCY_CODES), "description": "ISO 4217"}
    elif isinstance(kind, types.Day):
        schema = {"type": "string", "format": "date"}
    elif isinstance(kind, types.Domain):
        schema = {"type": "string", "format": "hostname", "description": "e.g. example.com (IDNA: xn--...)"}
    elif isinstance(kind, types.Reference):
        schema = {"type": "string", "pattern": _ULID, "description": f"The id of a {kind.target}"}
    elif isinstance(kind, types.References):
        schema = {
            "type": "array",
            "items": {"type": "string", "pattern": _ULID},
            "maxItems": types.MAX_REFERENCES,
            "uniqueItems": True,
            "description": f"Ids of {kind.target} records",
        }
    elif isinstance(kind, types.Text):
        schema = {"type": "string", "minLength": 1, "maxLength": kind.max_length}
    else:  # a property type this document does not know yet: any value (a test keeps built-ins typed)
        schema = {}
    description = schema.pop("description", None)
    return {**schema, "description": spec.label + (f". {description}" if description else "")}


app = create_resolver(router)
_light = lambda_handler(app)


def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    if stage_path(event.get("path") or "") in DOCS_PATHS:
        return lambda_handler(documented_app())(event, context)
    return _light(event, context)

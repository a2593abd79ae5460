"""Health, the OpenAPI 3.1 document and Swagger UI. The document is generated from the routers of every
API function, so it always describes the code that runs. Those routers are imported on the first
docs request, not at cold start: health checks stay as light as any handler.

What the routes cannot say through Powertools is added here, each from the code that decides it: the
request headers a route's dependencies read (crm.http), which routes the gateway authorizes and
meters (crm.catalogue: security, 401, 429), one typed set of record routes and schemas per object
type (contacts.schema), and the framework's own 422 replaced by the API's ValidationProblem."""

import copy
import json
import re
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
    summary="This API's OpenAPI 3.1 document (typed for your tenant when you send your key)",
    description="Without a key: every route, with the built-in object types. With a tenant's key: the same, "
    "plus the tenant's custom object types (`/objects/<collection>` and their schemas) and custom properties, "
    "so a client generated from it is typed for the tenant. An invalid key is a 401.",
    responses={
        200: {
            "description": "The OpenAPI 3.1 document",
            "content": {http.JSON: {"schema": {"type": "object", "additionalProperties": True}}},
        },
        401: http.problem_response_json(401),
    },
    tags=["meta"],
)
def openapi():
    # The header from the event being resolved (a Request dependency here would be built, and cached, for the
    # documented app that includes this router too).
    authorization = http.header_of(docs_app().current_event.headers, "Authorization")
    if authorization is None:
        return Response(status_code=200, content_type="application/json", body=_openapi_json())
    from authorizer.handler import identify
    from crm.errors import Unauthorized

    identified = identify(authorization)
    if identified is None:
        raise Unauthorized("The API key is invalid or revoked; send none for the public document.")
    tenant_id = identified[0]["tenant_id"]
    body = _tenant_openapi_json(tenant_id) if tenant_id else _openapi_json()
    return Response(status_code=200, content_type="application/json", body=body)


def _document() -> dict[str, Any]:
    from aws_lambda_powertools.event_handler.openapi.models import HTTPBearer, Server

    return {
        "title": "CRM API",
        "version": "1",
        "description": "Multi-tenant CRM. Authenticate with `Authorization: Bearer <API key>`; errors are "
        "RFC 9457 application/problem+json. A method a path does not serve is a 405 whose `Allow` header names "
        "those it does; a method API Gateway does not route at all (TRACE, CONNECT...) is its 404 problem.",
        "servers": [Server(url=API_PREFIX)],
        "security_schemes": {"api_key": HTTPBearer(description="A tenant API key (or the operator key)")},
        "security": [{"api_key": []}],
    }


_documented: APIGatewayRestResolver | None = None
_docs: APIGatewayRestResolver | None = None
_openapi: str | None = None
_generic: dict[str, Any] | None = None
_tenant_openapi: dict[str, tuple[int, str]] = {}  # tenant -> (schema version, its document)


def documented_app() -> APIGatewayRestResolver:
    """Every API function's routes in one resolver: described here, served by their own functions."""
    global _documented
    if _documented is None:
        from activity.routes import router as activity_router
        from contacts.association_routes import router as associations_router
        from contacts.routes import router as records_router
        from forms.routes import router as forms_router
        from schemas.pipeline_routes import router as pipelines_router
        from schemas.routes import router as schemas_router
        from search.routes import router as search_router
        from tenants.routes import router as tenants_router
        from webhooks.routes import router as webhooks_router
        from workflows.routes import router as workflows_router
        from workflows.run_routes import router as workflow_runs_router

        _documented = create_resolver(
            router,
            docs_router,
            activity_router,
            records_router,
            associations_router,
            schemas_router,
            search_router,
            pipelines_router,
            tenants_router,
            webhooks_router,
            workflows_router,
            workflow_runs_router,
            forms_router,
        )
    return _documented


def docs_app() -> APIGatewayRestResolver:
    """What this function serves on the docs paths: the document and Swagger UI. Not documented_app, whose
    record routes (`/{collection}`) would answer `POST /docs` as a record to create instead of a 405."""
    global _docs
    if _docs is None:
        _docs = create_resolver(router, docs_router)
        _docs.get("/docs", include_in_schema=False)(_swagger_ui)
    return _docs


def _generic_document() -> dict[str, Any]:
    """The document before record routes are typed per object type (built once per container)."""
    global _generic
    if _generic is None:
        app = documented_app()
        document = json.loads(app.get_openapi_json_schema(**_document()))
        document = with_request_headers(document, app)
        _generic = with_validation_problems(document)
    return _generic


def _typed_document(object_types: Any) -> str:
    document = expand_collections(_generic_document(), object_types)
    document = with_method_not_allowed(with_gateway(with_docs_page(document)))
    return json.dumps(without_unused_schemas(document))


def _openapi_json() -> str:
    global _openapi
    if _openapi is None:
        from contacts.registry import SchemaRegistry

        _openapi = _typed_document(SchemaRegistry(None).object_types())
    return _openapi


def _tenant_openapi_json(tenant_id: str) -> str:
    """The document typed for one tenant's object types, cached per tenant and schema version."""
    from contacts.registry import SchemaRegistry

    registry = SchemaRegistry(tenant_id)
    version, _ = registry.stored()
    if version == 0:
        return _openapi_json()  # nothing of its own yet
    cached = _tenant_openapi.get(tenant_id)
    if cached is None or cached[0] != version:
        cached = (version, _typed_document(registry.object_types()))
        _tenant_openapi[tenant_id] = cached
    return cached[1]


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
    its validation errors as a ValidationProblem, and only a route with a body or a parameter some value
    fails has any (any path segment is a string, so an unconstrained one never fails): the
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
            if operation.get("requestBody") or any(map(_may_refuse, operation.get("parameters", []))):
                responses["422"] = http.problem_response_json(422)
            else:
                del responses["422"]
        if "204" in responses:
            responses["204"].pop("content", None)
        for parameter in operation.get("parameters", []):
            parameter["schema"] = _without_null(parameter["schema"])
    return document


def _may_refuse(parameter: dict[str, Any]) -> bool:
    """Whether some value of the parameter is refused: anything but a path segment taken as any string."""
    schema = {k: v for k, v in parameter["schema"].items() if k not in ("title", "description")}
    return parameter["in"] != "path" or schema != {"type": "string"}


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
            # A public route that also knows callers by their key (and so may answer 401) takes one optionally.
            operation["security"] = [{}, {"api_key": []}] if "401" in operation["responses"] else []
            continue
        operation["security"] = [{"api_key": []}]
        statuses = [401, 403, *([429] if route is None or route.metered else [])]
        for status in statuses:
            operation["responses"].setdefault(str(status), http.problem_response_json(status))
        operation["responses"] = dict(sorted(operation["responses"].items()))
    return document


def with_method_not_allowed(document: dict[str, Any]) -> dict[str, Any]:
    """Every path is served by a function for every method API Gateway routes (infra/api.py gateway_methods),
    and a function answers the methods a path does not serve with a 405 naming those it does (`Allow`):
    each operation of the path lists that 405, the answer to the same request with another method."""
    document = copy.deepcopy(document)
    for _, _, operation in _operations(document):
        operation["responses"].setdefault("405", http.problem_response_json(405))
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
    """Record routes are served once for every object type (`/{collection}` and `/objects/{collection}`);
    the document lists them once per object type and form (`/contacts`, `/objects/contacts`, ...) with
    their own operation ids and typed schemas (`Contact`, `ContactInput`, `ContactPatch`, `ContactPage`,
    `ContactProperties`): a body is only valid for its own collection, which a generic record schema could
    not say. (Per tenant, custom types join here.)"""
    paths: dict[str, Any] = {}
    for path, item in document["paths"].items():
        for prefix in RECORD_PREFIXES:
            template = f"{prefix}/{{collection}}"
            if path == template or path.startswith(f"{template}/"):
                for object_type in object_types:
                    typed_path = f"{prefix}/{object_type.collection}{path.removeprefix(template)}"
                    typed = _for_type(item, object_type, objects=bool(prefix))
                    if typed:  # (no batch upsert for a type without a unique property)
                        paths[typed_path] = typed
                break
        else:
            paths[path] = item
    schemas = dict(document["components"]["schemas"])
    for object_type in object_types:
        schemas.update(typed_schemas(object_type, schemas))
        schemas.update(typed_batch_schemas(object_type, schemas))
    return {**document, "paths": paths, "components": {**document["components"], "schemas": schemas}}


# The record routes' two forms (contacts.routes): `/objects/<collection>...` and `/<collection>...`.
RECORD_PREFIXES = ("/objects", "")
# The generic schemas of batch writes (contacts.routes) typed per object type: `RecordBatchCreateInput` becomes
# `ContactBatchCreateInput`, ... (an archive's schemas name no property and stay generic: `BatchArchiveInput`).
BATCH = "RecordBatch"


def _type_name(object_type: Any) -> str:
    return "".join(part.capitalize() for part in object_type.name.split("_"))


def _for_type(item: dict[str, Any], object_type: Any, *, objects: bool) -> dict[str, Any]:
    """One object type's operations of a record path: `create_contact`, `list_contacts` (tagged
    `contacts`); under /objects `create_object_contact`, `list_object_contacts` (tagged `objects`)."""
    typed = json.loads(json.dumps(item))  # a deep copy per type
    name = _type_name(object_type)
    for method, operation in list(typed.items()):
        operation["parameters"] = [p for p in operation.get("parameters", []) if p.get("name") != "collection"]
        # `list_records` -> list_contacts, `batch_create_object_records` -> batch_create_object_contacts: what
        # precedes the generic noun is the verb; a plural noun (lists, batches, searches) stays plural.
        generic = operation["operationId"]
        verb = re.sub(r"_(?:object_)?records?$", "", generic)
        if verb == "batch_upsert" and not object_type.unique_properties:  # nothing to upsert by
            del typed[method]
            continue
        noun = object_type.collection if generic.endswith("s") else object_type.name
        operation["operationId"] = f"{verb}_object_{noun}" if objects else f"{verb}_{noun}"
        operation["summary"] = (
            operation["summary"].replace("records", object_type.collection).replace("record", object_type.name)
        )
        operation["tags"] = ["objects"] if objects else [object_type.collection]
        if verb == "list":
            operation["parameters"] += _lookup_parameters(object_type)
        body = f"{name}Patch" if method == "patch" else f"{name}Input"
        text = json.dumps(operation)
        for generic, specific in (("RecordOut", name), ("RecordPage", f"{name}Page"), ("RecordInput", body)):
            text = text.replace(f'"{SCHEMAS}{generic}"', f'"{SCHEMAS}{specific}"')
        text = text.replace(f'"{SCHEMAS}{BATCH}', f'"{SCHEMAS}{name}Batch')
        typed[method] = json.loads(text)
    return typed


def typed_batch_schemas(object_type: Any, schemas: dict[str, Any]) -> dict[str, Any]:
    """An object type's batch schemas: each generic `RecordBatch...` with its records and inputs typed (a create
    or upsert input is a `ContactInput`, an update's properties are `ContactPatchProperties`) and an upsert's
    `id_property` one of the type's unique properties (no upsert without one)."""
    name = _type_name(object_type)
    out: dict[str, Any] = {}
    for generic, schema in schemas.items():
        if not generic.startswith(BATCH) or (generic == f"{BATCH}UpsertInput" and not object_type.unique_properties):
            continue
        text = json.dumps(schema)
        for was, now in (("RecordOut", name), ("RecordInput", f"{name}Input")):
            text = text.replace(f'"{SCHEMAS}{was}"', f'"{SCHEMAS}{now}"')
        specific = name + generic.removeprefix("Record")
        typed = {**json.loads(text.replace(f'"{SCHEMAS}{BATCH}', f'"{SCHEMAS}{name}Batch')), "title": specific}
        if generic == f"{BATCH}UpdateItem":
            typed["properties"]["properties"] = {"$ref": f"{SCHEMAS}{name}PatchProperties"}
        if generic == f"{BATCH}UpsertInput":
            id_property = typed["properties"]["id_property"]
            typed["properties"]["id_property"] = {
                "type": "string",
                "enum": list(object_type.unique_properties),
                "description": id_property["description"],
            }
        out[specific] = typed
    return out


def _lookup_parameters(object_type: Any) -> list[dict[str, Any]]:
    """`?email=` on contacts, `?domain=` on companies: each unique property looks one record up, by a
    value of the property's own schema (another is a 422 pointing at the parameter)."""
    parameters = []
    for prop in object_type.unique_properties:
        spec = object_type.properties[prop]
        schema = {k: v for k, v in property_schema(spec).items() if k != "description"}
        parameters.append(
            {
                "name": prop,
                "in": "query",
                "required": False,
                "description": f"Look up the {object_type.name} with this {spec.label.lower()} (compared as stored, "
                "normalised): the page holds it, or nothing. limit, cursor and archived are ignored.",
                "schema": schema,
            }
        )
    return parameters


def typed_schemas(object_type: Any, schemas: dict[str, Any]) -> dict[str, Any]:
    """An object type's schemas, from its definition and the generic record schemas (RecordOut,
    RecordInput, RecordPage): its properties typed (enumerations as components of their own), required
    on create, nullable (to remove) on PATCH."""
    name = _type_name(object_type)
    out: dict[str, Any] = {}
    properties: dict[str, Any] = {}
    for prop, spec in object_type.properties.items():
        schema = property_schema(spec)
        if getattr(spec, "read_only", False):  # computed by the CRM: in records, never in a write
            schema["description"] += ". Computed by the CRM: read-only"
        if "enum" in schema:  # one component, shared by the record and its PATCH (one enum in clients)
            enum_name = name + "".join(part.capitalize() for part in prop.split("_"))
            out[enum_name] = {"title": enum_name, **schema}
            schema = {"$ref": SCHEMAS + enum_name}
        properties[prop] = {**schema, "readOnly": True} if getattr(spec, "read_only", False) else schema
    required = [p for p in object_type.required if p in properties]
    out[f"{name}Properties"] = {
        "type": "object",
        "title": f"{name}Properties",
        "description": f"The properties of a {object_type.name}.",
        "properties": properties,
        **({"required": required} if required else {}),
        **_identifying(object_type),
        "additionalProperties": False,
    }
    read_only = {p for p, spec in object_type.properties.items() if getattr(spec, "read_only", False)}
    written = {p: _as_written(s) for p, s in properties.items() if p not in read_only}
    out[f"{name}InputProperties"] = {
        "type": "object",
        "title": f"{name}InputProperties",
        "description": f"The properties of a new {object_type.name}; null leaves an optional one unset.",
        "properties": {p: s if p in required else {"anyOf": [s, {"type": "null"}]} for p, s in written.items()},
        **({"required": required} if required else {}),
        **_identifying(object_type),
        "additionalProperties": False,
    }
    out[f"{name}PatchProperties"] = {
        "type": "object",
        "title": f"{name}PatchProperties",
        "description": f"The properties to change; null removes one{_but_required(required)}.",
        "properties": {p: s if p in required else {"anyOf": [s, {"type": "null"}]} for p, s in written.items()},
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
        ("Input", "InputProperties", f"A new {object_type.name}{_identified_by(object_type)}."),
        ("Patch", "PatchProperties", f"Changes to a {object_type.name}: the properties sent are merged."),
    ):
        body = copy.deepcopy(schemas["RecordInput"])
        body.update(title=name + suffix, description=description)
        body["properties"]["properties"] = {"$ref": SCHEMAS + name + target}
        out[name + suffix] = body
    return out


def _as_written(schema: dict[str, Any]) -> dict[str, Any]:
    """A property's schema in a write: repeated ids are accepted (and stored once)."""
    return {k: v for k, v in schema.items() if k != "uniqueItems"}


def _but_required(required: list[str]) -> str:
    return f" ({', '.join(required)} cannot be removed)" if required else ""


def _identifying(object_type: Any) -> dict[str, Any]:
    """A record has at least one of its identifying properties (a create needs one, a PATCH may not remove
    the last): not all of them absent or null. Written with `not` rather than an `anyOf` of `required`,
    which client generators read as a union of untyped objects."""
    if not object_type.identifying:
        return {}
    return {"not": {"properties": {prop: {"type": "null"} for prop in object_type.identifying}}}


def _identified_by(object_type: Any) -> str:
    wanted = object_type.identifying
    return f": it needs at least one of {', '.join(wanted)}" if wanted else ""


_ULID = "^[0-9A-HJKMNP-TV-Z]{26}$"


def _option_labels(kind: Any) -> str:
    labels = kind.labels or kind.options
    return "Options: " + ", ".join(f"{v} ({label})" for v, label in zip(kind.options, labels, strict=True))


def property_schema(spec: Any) -> dict[str, Any]:
    """The JSON schema of a property's values as records hold them (normalised). Writes may send looser
    forms, which are normalised: a national phone number, a URL for a domain, a date-time for a date."""
    from contacts import schema as types

    kind = spec.type
    schema: dict[str, Any]
    if isinstance(kind, types.Email):
        schema = email_schema()
    elif isinstance(kind, types.Phone):
        # No pattern can say which numbers exist: `phone` names the rule, the description says it.
        schema = {
            "type": "string",
            "format": "phone",
            "pattern": r"^\+?[0-9][0-9 ().-]{2,30}[0-9]$",
            "examples": ["+12015550123"],
            "description": "A valid phone number: E.164, or national (read in the tenant's region)",
        }
    elif isinstance(kind, types.MultiChoice):
        schema = {
            "type": "array",
            "items": {"type": "string", "enum": list(kind.options)},
            "uniqueItems": True,
            "description": _option_labels(kind),
        }
    elif isinstance(kind, types.Choice):
        schema = {"type": "string", "enum": list(kind.options)}
        if kind.labels:
            schema["description"] = _option_labels(kind)
    elif isinstance(kind, types.Moments):
        schema = {
            "type": "object",
            "additionalProperties": {"type": "string", "format": "date-time"},
            "description": "name -> when (UTC)",
        }
    elif isinstance(kind, types.Boolean):
        schema = {"type": "boolean"}
    elif isinstance(kind, types.Url):
        schema = {"type": "string", "format": "uri", "pattern": "^[hH][tT][tT][pP][sS]?://", "maxLength": types.MAX_URL}
    elif isinstance(kind, types.Number):
        schema = {**_number_schema(kind.minimum), "description": "Exact: below 1e21, at most 6 decimal places"}
    elif isinstance(kind, types.Currency):
        schema = {"type": "string", "enum": sorted(types.CURRENCY_CODES), "description": "ISO 4217"}
    elif isinstance(kind, types.Day):
        schema = {"type": "string", "format": "date"}
    elif isinstance(kind, types.DateTime):
        schema = {"type": "string", "format": "date-time", "description": "UTC"}
    elif isinstance(kind, getattr(types, "Amounts", ())):  # money per currency (newer than some trees)
        schema = {
            "type": "object",
            "propertyNames": {"enum": sorted(types.CURRENCY_CODES)},
            "additionalProperties": _number_schema(0),
            "description": "ISO 4217 currency code -> exact amount, at least 0",
        }
    elif isinstance(kind, types.Domain):
        schema = {
            "type": "string",
            "format": "hostname",
            # At least two labels once a leading `www.` is dropped, as contacts.schema.Domain keeps them.
            "pattern": r"^(?![wW][wW][wW]\.[^.]+\.?$)[^.]+(?:\.[^.]+)+\.?$",
            "examples": ["example.com"],
            "description": "e.g. example.com (IDNA: xn--...)",
        }
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
        schema = {**http.text_schema(kind.max_length), "description": f"1-{kind.max_length} characters, trimmed"}
    else:  # a property type this document does not know yet: any value (a test keeps built-ins typed)
        schema = {}
    description = schema.pop("description", None)
    return {**schema, "description": spec.label + (f". {description}" if description else "")}


def _number_schema(minimum: Any) -> dict[str, Any]:
    """An exact number (contacts.schema.exact_number): below 1e21 in magnitude, at most 6 decimal places."""
    from contacts import schema as types

    limit = 10**types.MAX_INTEGER_DIGITS
    schema: dict[str, Any] = {"type": "number", "exclusiveMinimum": -limit, "exclusiveMaximum": limit}
    if minimum is not None:
        del schema["exclusiveMinimum"]
        schema["minimum"] = int(minimum) if minimum == int(minimum) else float(minimum)
    return {**schema, "multipleOf": 10.0**-types.MAX_DECIMALS}


def email_schema() -> dict[str, Any]:
    """An email address as records take it: email-validator's syntax, which also refuses the special-use
    domains no mail reaches (RFC 6761: .test, .invalid, .localhost...)."""
    from email_validator import SPECIAL_USE_DOMAIN_NAMES

    # ECMA-262 has no inline case-insensitivity: each letter is a class of both cases.
    names = sorted(SPECIAL_USE_DOMAIN_NAMES)
    special = "|".join("".join(f"[{c}{c.upper()}]" if c.isalpha() else c for c in name) for name in names)
    return {
        "type": "string",
        "format": "email",
        "pattern": f"^(?![^@]*@(?:[^@]*\\.)?(?:{special})\\.?$)",
        "description": f"Not at a special-use domain ({', '.join(names)})",
    }


app = create_resolver(router)
_light = lambda_handler(app)


def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    if stage_path(event.get("path") or "") in DOCS_PATHS:
        return lambda_handler(docs_app())(event, context)
    return _light(event, context)

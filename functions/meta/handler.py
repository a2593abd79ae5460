"""Health, the OpenAPI 3.1 document and Swagger UI. The document is generated from the routers of every
API function, so it always describes the code that runs. Those routers are imported on the first
docs request, not at cold start: health checks stay as light as any handler."""

import json
from typing import Any

from aws_lambda_powertools.event_handler import APIGatewayRestResolver, Response
from aws_lambda_powertools.event_handler.api_gateway import Router

from crm.catalogue import API_PREFIX, stage_path
from crm.http import create_resolver, json_response, lambda_handler

router = Router()
docs_router = Router()
DOCS_PATHS = ("/openapi.json", "/docs")


@router.get("/health", operation_id="health", summary="Liveness check (no auth)", tags=["meta"])
def health():
    return json_response(200, {"status": "ok"})


@docs_router.get("/openapi.json", operation_id="openapi", summary="This API's OpenAPI 3.1 document", tags=["meta"])
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
        _documented.enable_swagger(path="/docs", **_document())
    return _documented


def _openapi_json() -> str:
    global _openapi
    if _openapi is None:
        from contacts.registry import SchemaRegistry

        document = json.loads(documented_app().get_openapi_json_schema(**_document()))
        _openapi = json.dumps(expand_collections(document, SchemaRegistry(None).object_types()))
    return _openapi


def expand_collections(document: dict[str, Any], object_types: Any) -> dict[str, Any]:
    """Record routes are served once for every object type (`/{collection}`); the document lists them
    once per object type (`/contacts`, `/companies`, ...) with their own operation ids and tags, and
    `/objects/{collection}` with the collections as an enum. (Per tenant, custom types join here.)"""
    paths: dict[str, Any] = {}
    collections = [t.collection for t in object_types]
    for path, item in document["paths"].items():
        if path.startswith("/objects/{collection}"):
            paths[path] = _with_collection_enum(item, collections)
        elif path.startswith("/{collection}"):
            for object_type in object_types:
                paths[path.replace("{collection}", object_type.collection, 1)] = _for_type(item, object_type)
        else:
            paths[path] = item
    return {**document, "paths": paths}


def _for_type(item: dict[str, Any], object_type: Any) -> dict[str, Any]:
    typed = json.loads(json.dumps(item))  # a deep copy per type
    for operation in typed.values():
        operation["parameters"] = [p for p in operation.get("parameters", []) if p.get("name") != "collection"]
        verb = operation["operationId"].split("_", 1)[0]
        operation["operationId"] = f"list_{object_type.collection}" if verb == "list" else f"{verb}_{object_type.name}"
        operation["summary"] = (
            operation["summary"].replace("records", object_type.collection).replace("record", object_type.name)
        )
        operation["tags"] = [object_type.collection]
    return typed


def _with_collection_enum(item: dict[str, Any], collections: list[str]) -> dict[str, Any]:
    item = json.loads(json.dumps(item))
    for operation in item.values():
        for parameter in operation.get("parameters", []):
            if parameter.get("name") == "collection":
                parameter["schema"] = {**parameter["schema"], "enum": collections}
    return item


app = create_resolver(router)
_light = lambda_handler(app)


def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    if stage_path(event.get("path") or "") in DOCS_PATHS:
        return lambda_handler(documented_app())(event, context)
    return _light(event, context)

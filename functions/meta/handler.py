"""Health, the OpenAPI 3.1 document and Swagger UI. The document is generated from the routers of every
API function, so it always describes the code that runs. Those routers are imported on the first
docs request, not at cold start: health checks stay as light as any handler."""

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
        _openapi = documented_app().get_openapi_json_schema(**_document())
    return _openapi


app = create_resolver(router)
_light = lambda_handler(app)


def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    if stage_path(event.get("path") or "") in DOCS_PATHS:
        return lambda_handler(documented_app())(event, context)
    return _light(event, context)

"""Health, the OpenAPI 3.1 document and Swagger UI. The document is generated from the routers of every
API function, so it always describes the code that runs. (API Gateway sends only /v1/health,
/v1/openapi.json and /v1/docs here; the other routers are included to be described, not served.)"""

from typing import Any

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.openapi.models import HTTPBearer, Server

from contacts.routes import router as records_router
from crm.catalogue import API_PREFIX
from crm.http import create_resolver, json_response, lambda_handler
from tenants.routes import router as tenants_router
from webhooks.routes import router as webhooks_router

router = Router()

DOCUMENT: dict[str, Any] = {
    "title": "CRM API",
    "version": "1",
    "description": "Multi-tenant CRM. Authenticate with `Authorization: Bearer <API key>`; errors are "
    "RFC 9457 application/problem+json.",
    "servers": [Server(url=API_PREFIX)],
    "security_schemes": {"api_key": HTTPBearer(description="A tenant API key (or the operator key)")},
    "security": [{"api_key": []}],
}


@router.get("/health", operation_id="health", summary="Liveness check (no auth)", tags=["meta"])
def health():
    return json_response(200, {"status": "ok"})


_openapi_json: str | None = None


@router.get("/openapi.json", operation_id="openapi", summary="This API's OpenAPI 3.1 document", tags=["meta"])
def openapi():
    global _openapi_json
    if _openapi_json is None:
        _openapi_json = app.get_openapi_json_schema(**DOCUMENT)
    return Response(status_code=200, content_type="application/json", body=_openapi_json)


app = create_resolver(router, records_router, tenants_router, webhooks_router)
app.enable_swagger(path="/docs", **DOCUMENT)
handler = lambda_handler(app)

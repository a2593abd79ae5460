"""Lambda entry point for forms: definitions (tenant API) and public submissions."""

from typing import Any

from crm.http import create_resolver, header_of, lambda_handler
from forms.routes import ORIGINAL_CONTENT_TYPE, SUBMISSIONS_RESOURCE, router

app = create_resolver(router)
_resolve = lambda_handler(app)


def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    # crm.http reads every body as JSON (and rewrites Content-Type to say so); a submission may be urlencoded,
    # so the type it came with travels on in a header of ours (never one the client sent).
    headers = {k: v for k, v in (event.get("headers") or {}).items() if k.lower() != ORIGINAL_CONTENT_TYPE.lower()}
    content_type = header_of(headers, "Content-Type")
    if content_type is not None:
        headers[ORIGINAL_CONTENT_TYPE] = content_type
    response = _resolve({**event, "headers": headers}, context)
    if event.get("resource") == SUBMISSIONS_RESOURCE:
        # Websites' scripts may read the answer (a form's id is all a caller needs; no credentials are involved).
        response["headers"] = {**(response.get("headers") or {}), "Access-Control-Allow-Origin": "*"}
    return response

"""A local API Gateway: real HTTP in, the same Lambda proxy events the cloud sends, the same handlers.

Routing, authorization, usage-plan checks and gateway-generated errors all come from the catalogue,
as they do in the CDK stack. The authorizer runs on every request (API Gateway caches its result for
catalogue.AUTHORIZER_CACHE_TTL_S; locally a revoked key stops at once)."""

from __future__ import annotations

import base64
import importlib
import json
import re
import sys
import threading
import time
import traceback
import uuid
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from crm import catalogue
from crm.catalogue import FunctionSpec

Handler = Callable[[dict[str, Any], Any], dict[str, Any]]
ACCOUNT = "000000000000"
MAX_PAYLOAD_BYTES = 10 * 1024 * 1024  # API Gateway's request payload limit
# The methods an ANY resource answers in API Gateway; any other method (TRACE, CONNECT, PROPFIND...)
# matches no method of any resource.
ANY_METHODS = frozenset({"DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT"})


@dataclass(frozen=True)
class Route:
    function: FunctionSpec
    resource: catalogue.Route
    pattern: re.Pattern[str]


@dataclass
class HttpResponse:
    status: int
    headers: dict[str, str]
    body: bytes


class LambdaContext:
    def __init__(self, spec: FunctionSpec) -> None:
        self.function_name = f"crm-{spec.name}"
        self.function_version = "$LATEST"
        self.memory_limit_in_mb = spec.memory_mb
        self.invoked_function_arn = f"arn:aws:lambda:us-east-1:{ACCOUNT}:function:{self.function_name}"
        self.aws_request_id = str(uuid.uuid4())
        self.log_group_name = f"/aws/lambda/{self.function_name}"
        self.log_stream_name = "local"
        self._deadline = time.monotonic() + spec.timeout_s

    def get_remaining_time_in_millis(self) -> int:
        return max(0, int((self._deadline - time.monotonic()) * 1000))


def _pattern(path: str) -> re.Pattern[str]:
    """A resource path as API Gateway matches it: `{proxy+}` takes the rest of the path, `{name}` one
    segment."""
    regex = re.escape(path).replace(re.escape("{proxy+}"), "(?P<proxy>.+)")
    regex = re.sub(r"\\\{(\w+)\\\}", r"(?P<\1>[^/]+)", regex)
    return re.compile(f"^{regex}$")


def _routes() -> list[Route]:
    """The route table, as API Gateway has it (infra/api.py gateway_methods): each catalogue route, and
    for one that lists its methods, an ANY route to the same function after it, so every other method
    reaches the function, which answers 405 with `Allow`."""
    routes = []
    for spec in catalogue.API_FUNCTIONS:
        for resource in spec.routes:
            routes.append(Route(spec, resource, _pattern(resource.path)))
            if "ANY" not in resource.methods:
                routes.append(Route(spec, replace(resource, methods=("ANY",)), _pattern(resource.path)))
    # Exact paths win over {proxy+}, as in API Gateway (a stable sort: explicit methods before their ANY).
    routes.sort(key=lambda r: "{proxy+}" in r.resource.path)
    return routes


def gateway_error(response_type: str) -> HttpResponse:
    spec = catalogue.gateway_response(response_type)
    body = catalogue.gateway_problem(spec)
    return HttpResponse(spec.status, {"Content-Type": catalogue.PROBLEM_JSON}, json.dumps(body).encode())


def log_failure(function: FunctionSpec, what: str) -> None:
    """A function failed and the caller only sees a gateway 5xx: show the developer why (Lambda would log the
    traceback to the function's log group)."""
    sys.stderr.write(f"crm-{function.name} {what}; answered DEFAULT_5XX:\n{traceback.format_exc()}")


def invocation_locks(functions: tuple[FunctionSpec, ...]) -> dict[str, threading.Lock]:
    """Which invocations may run at the same time in this one process.

    Lambda runs one invocation per container; here every function shares a process. Powertools keeps
    the request being resolved on its `BaseRouter` class, which every resolver in the process shares,
    so two API functions resolving at once would read each other's event (and with it the caller's
    tenant). Every function that serves routes therefore takes the same lock; the authorizer and the
    queue consumers keep no request state of that kind and each take their own, so a slow webhook
    receiver never holds up the API."""
    api_lock = threading.Lock()
    return {spec.name: api_lock if spec.routes else threading.Lock() for spec in functions}


class LocalGateway:
    def __init__(self) -> None:
        self._routes = _routes()
        self._handlers: dict[str, Handler] = {}
        self._import_lock = threading.Lock()
        self._function_locks = invocation_locks(catalogue.ALL_FUNCTIONS)

    def _handler(self, spec: FunctionSpec) -> Handler:
        # Two threads importing one module at once can see it half-initialised: import under a lock.
        with self._import_lock:
            if spec.name not in self._handlers:
                module_name, _, attribute = spec.handler.rpartition(".")
                self._handlers[spec.name] = getattr(importlib.import_module(module_name), attribute)
            return self._handlers[spec.name]

    def warm(self) -> None:
        """Import every handler now, so the first requests never race an import."""
        for spec in catalogue.ALL_FUNCTIONS:
            self._handler(spec)

    def invoke(self, spec: FunctionSpec, event: dict[str, Any]) -> Any:
        handler = self._handler(spec)
        with self._function_locks[spec.name]:
            return handler(event, LambdaContext(spec))

    def handle(self, method: str, raw_path: str, headers: dict[str, str], body: bytes) -> HttpResponse:
        try:
            url = urlsplit(raw_path)
        except ValueError:  # e.g. an unclosed IPv6 literal in an absolute-form target: no route can match
            return gateway_error("MISSING_AUTHENTICATION_TOKEN")
        path = url.path
        matched = [(r, m) for r in self._routes if (m := r.pattern.match(path))]
        if not matched:
            return gateway_error("MISSING_AUTHENTICATION_TOKEN")
        allowed = [
            (r, m)
            for r, m in matched
            if method in r.resource.methods or ("ANY" in r.resource.methods and method in ANY_METHODS)
        ]
        if not allowed:
            return gateway_error("MISSING_AUTHENTICATION_TOKEN")
        route, match = allowed[0]
        if len(body) > MAX_PAYLOAD_BYTES:
            return gateway_error("REQUEST_TOO_LARGE")
        event = self._event(route, match, method, path, url.query, headers, body)
        if route.resource.authorized:
            denied = self._authorize(route, event)
            if denied:
                return denied
        try:
            result = self.invoke(route.function, event)
        except Exception:
            log_failure(route.function, f"raised on {method} {path}")
            return gateway_error("DEFAULT_5XX")
        try:
            return self._response(result)
        except Exception:  # not a proxy response: API Gateway answers 502 "Malformed Lambda proxy response"
            log_failure(route.function, f"returned a malformed proxy response on {method} {path}")
            return gateway_error("DEFAULT_5XX")

    def _event(
        self,
        route: Route,
        match: re.Match[str],
        method: str,
        path: str,
        query: str,
        headers: dict[str, str],
        body: bytes,
    ) -> dict[str, Any]:
        multi_query = parse_qs(query, keep_blank_values=True)
        try:
            text, is_base64 = body.decode(), False
        except UnicodeDecodeError:
            text, is_base64 = base64.b64encode(body).decode(), True
        resource = catalogue.stage_path(route.resource.path)
        return {
            "resource": resource,
            "path": catalogue.stage_path(path),
            "httpMethod": method,
            "headers": dict(headers),
            "multiValueHeaders": {k: [v] for k, v in headers.items()},
            "queryStringParameters": {k: v[-1] for k, v in multi_query.items()} or None,
            "multiValueQueryStringParameters": multi_query or None,
            # API Gateway passes the path as sent (percent-encoded) but path parameters decoded.
            "pathParameters": {name: unquote(value) for name, value in match.groupdict().items()} or None,
            "stageVariables": None,
            "requestContext": {
                "accountId": ACCOUNT,
                "apiId": "local",
                "resourcePath": resource,
                "httpMethod": method,
                "path": path,
                "stage": catalogue.API_STAGE,
                "requestId": str(uuid.uuid4()),
                "requestTimeEpoch": int(time.time() * 1000),
                "identity": {"sourceIp": "127.0.0.1", "userAgent": headers.get("User-Agent", "")},
            },
            "body": text if body else None,
            "isBase64Encoded": is_base64,
        }

    def _authorize(self, route: Route, event: dict[str, Any]) -> HttpResponse | None:
        headers = {k.lower(): v for k, v in event["headers"].items()}
        if not headers.get("authorization"):
            return gateway_error("UNAUTHORIZED")  # identity source missing: the authorizer is not called
        stage = catalogue.API_STAGE
        method_arn = f"arn:aws:execute-api:us-east-1:{ACCOUNT}:local/{stage}/{event['httpMethod']}{event['path']}"
        request = {
            "type": "REQUEST",
            "methodArn": method_arn,
            **{
                k: event[k]
                for k in (
                    "resource",
                    "path",
                    "httpMethod",
                    "headers",
                    "queryStringParameters",
                    "pathParameters",
                    "requestContext",
                )
            },
        }
        try:
            result = self.invoke(catalogue.AUTHORIZER, request)
        except Exception as error:
            if str(error) == "Unauthorized":
                return gateway_error("UNAUTHORIZED")
            log_failure(catalogue.AUTHORIZER, f"raised on {event['httpMethod']} {event['path']}")
            return gateway_error("DEFAULT_5XX")
        statements = result.get("policyDocument", {}).get("Statement", [])
        if not any(s.get("Effect") == "Allow" for s in statements):
            return gateway_error("ACCESS_DENIED")
        if route.resource.metered and not result.get("usageIdentifierKey"):
            return gateway_error("INVALID_API_KEY")
        event["requestContext"]["authorizer"] = {
            "principalId": result.get("principalId"),
            **result.get("context", {}),
        }
        return None

    @staticmethod
    def _response(result: dict[str, Any]) -> HttpResponse:
        headers = dict(result.get("headers") or {})
        for name, values in (result.get("multiValueHeaders") or {}).items():
            headers[name] = ", ".join(values)
        body = result.get("body") or ""
        raw = base64.b64decode(body) if result.get("isBase64Encoded") else body.encode()
        return HttpResponse(int(result.get("statusCode", 200)), headers, raw)

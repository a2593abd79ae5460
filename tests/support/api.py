"""The one test client: a Reply type both the in-process gateway client (integration) and the
real-HTTP client (e2e) return, and the Api that drives the local gateway as a client would."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

OPERATOR_KEY = "crm_operator_test-operator-key-0123456789"


@dataclass
class Reply:
    status: int
    headers: dict[str, str]
    body: Any

    def header(self, name: str) -> str | None:
        return next((v for k, v in self.headers.items() if k.lower() == name.lower()), None)

    @classmethod
    def parse(cls, status: int, headers: dict[str, str], raw: bytes) -> Reply:
        """A body is JSON where the Content-Type says so (problem+json included), else text."""
        text = raw.decode()
        content_type = next((v for k, v in headers.items() if k.lower() == "content-type"), "")
        body = json.loads(text) if text and "json" in content_type else (text or None)
        return cls(status, headers, body)


class Api:
    """Calls the API as a client would, through the same gateway emulation the local stack serves."""

    def __init__(self, gateway: Any) -> None:
        self.gateway = gateway

    def request(
        self,
        method: str,
        path: str,
        body: Any = None,
        *,
        key: str | None = None,
        headers: dict[str, str] | None = None,
        raw: bytes | None = None,
    ) -> Reply:
        sent = {"Content-Type": "application/json", **(headers or {})}
        if key:
            sent["Authorization"] = f"Bearer {key}"
        data = raw if raw is not None else (json.dumps(body).encode() if body is not None else b"")
        response = self.gateway.handle(method, path, sent, data)
        return Reply.parse(response.status, response.headers, response.body)

    def get(self, path: str, **kw: Any) -> Reply:
        return self.request("GET", path, **kw)

    def post(self, path: str, body: Any = None, **kw: Any) -> Reply:
        return self.request("POST", path, body, **kw)

    def patch(self, path: str, body: Any = None, **kw: Any) -> Reply:
        return self.request("PATCH", path, body, **kw)

    def delete(self, path: str, **kw: Any) -> Reply:
        return self.request("DELETE", path, **kw)

    def new_tenant(self, name: str = "Acme", tier: str = "basic", **extra: Any) -> Tenant:
        reply = self.post("/v1/tenants", {"name": name, "tier": tier, **extra}, key=OPERATOR_KEY)
        assert reply.status == 201, reply.body
        return Tenant(reply.body["tenant"]["id"], reply.body["api_key"]["key"], reply.body)


@dataclass
class Tenant:
    id: str
    key: str
    created: dict[str, Any]

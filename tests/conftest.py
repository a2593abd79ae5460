"""Shared fixtures: an embedded AWS (moto) provisioned from the catalogue, and an API client that sends
real API Gateway proxy events through the local gateway (authorizer included) to the real handlers."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from crm import catalogue, clock, store

OPERATOR_KEY = "crm_operator_test-operator-key-0123456789"


@dataclass
class Reply:
    status: int
    headers: dict[str, str]
    body: Any

    def header(self, name: str) -> str | None:
        return next((v for k, v in self.headers.items() if k.lower() == name.lower()), None)


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
        text = response.body.decode()
        return Reply(response.status, response.headers, json.loads(text) if text else None)

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


@pytest.fixture
def aws(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """A fresh moto account with the catalogue's table and usage plans."""
    from moto import mock_aws

    from local import aws as local_aws

    local_aws.fake_credentials()
    monkeypatch.setenv(catalogue.ENV_OPERATOR_KEY, OPERATOR_KEY)
    monkeypatch.setenv("POWERTOOLS_LOG_LEVEL", "CRITICAL")
    with mock_aws():
        store.reset_clients()
        _reset_function_state()
        local_aws.provision()
        yield
    store.reset_clients()
    _reset_function_state()
    os.environ.pop(catalogue.ENV_USAGE_PLANS, None)


def _reset_function_state() -> None:
    """Forget per-container caches of the functions, as a new Lambda container would."""
    from authorizer import handler as authorizer
    from tenants import usage_plans

    authorizer._operator_digest = None
    usage_plans.reset()


@pytest.fixture
def api(aws: None) -> Api:
    from local.gateway import LocalGateway

    return Api(LocalGateway())


@pytest.fixture
def tenant(api: Api) -> Tenant:
    return api.new_tenant("Acme")


@pytest.fixture
def other_tenant(api: Api) -> Tenant:
    return api.new_tenant("Globex")


@pytest.fixture
def frozen_clock() -> Iterator[list]:
    """A controllable clock: tests move time by assigning moment[0]; nothing ever sleeps."""
    from datetime import UTC, datetime

    moment = [datetime(2026, 1, 1, tzinfo=UTC)]
    clock.set_clock(lambda: moment[0])
    yield moment
    clock.set_clock(None)

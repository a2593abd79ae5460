"""The `crm` command against a fake API: an httpx.MockTransport that answers canned responses and keeps
every request, driven through typer's CliRunner. No server, no network."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
from typer.testing import CliRunner, Result

from crm_cli.main import app
from crm_cli.session import State

KEY = "crm_tenant-key-for-cli-tests"
OPERATOR = "crm_operator_cli-tests"
ID = "01JCLI0000000000000000000A"
WHEN = "2026-11-20T10:00:00.000Z"


@dataclass
class FakeApi:
    """Answers (method, path) with a canned (status, body, headers); a callable answer may raise."""

    answers: dict[tuple[str, str], Any] = field(default_factory=dict)
    requests: list[httpx.Request] = field(default_factory=list)

    def answer(self, method: str, path: str, status: int = 200, body: Any = None, **headers: str) -> None:
        self.answers[(method, path)] = (status, body, headers)

    def fail_with(self, error: Callable[[httpx.Request], httpx.Response]) -> None:
        self.answers[("*", "*")] = error

    def handle(self, request: httpx.Request) -> httpx.Response:
        request.read()
        self.requests.append(request)
        if ("*", "*") in self.answers:
            return self.answers[("*", "*")](request)
        status, body, headers = self.answers.get((request.method, request.url.path), (404, None, {}))
        if body is None and status == 404:
            body = problem(404, "Not Found", f"nothing at {request.url.path} in this fake")
        if isinstance(body, bytes):
            return httpx.Response(status, content=body, headers=headers)
        if body is None:
            return httpx.Response(status, headers=headers)
        content_type = "application/problem+json" if status >= 400 else "application/json"
        return httpx.Response(
            status, content=json.dumps(body).encode(), headers={"Content-Type": content_type, **headers}
        )

    @property
    def last(self) -> httpx.Request:
        assert self.requests, "no request was sent"
        return self.requests[-1]


def problem(status: int, title: str, detail: str, **extra: Any) -> dict[str, Any]:
    return {
        "type": f"https://crm.invalid/problems/{status}",
        "title": title,
        "status": status,
        "detail": detail,
        **extra,
    }


def contact(record_id: str = ID, **properties: Any) -> dict[str, Any]:
    return {
        "id": record_id,
        "object": "contact",
        "properties": properties or {"email": "ada@acme.co.uk", "first_name": "Ada"},
        "version": 1,
        "created_at": WHEN,
        "updated_at": WHEN,
        "archived_at": None,
    }


def tenant_created(key: str | None = "crm_new-admin-key", **api_key: Any) -> dict[str, Any]:
    return {
        "tenant": {
            "id": ID,
            "name": "Acme",
            "tier": "standard",
            "status": "active",
            "default_region": "GB",
            "created_at": WHEN,
        },
        "api_key": {
            "id": "01JKEY0000000000000000000A",
            "name": "Initial admin key",
            "role": "admin",
            "key": key,
            **api_key,
        },
    }


def api_key(key_id: str = "01JKEY0000000000000000000B", **extra: Any) -> dict[str, Any]:
    return {
        "id": key_id,
        "name": "reporting",
        "role": "read_only",
        "scopes": ["records:read"],
        "created_at": WHEN,
        "revoked_at": None,
        "created_by": "01JKEY0000000000000000000A",
        **extra,
    }


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Nothing from the developer's shell or home directory reaches a test; wide tables keep cells whole."""
    for name in ("CRM_URL", "CRM_API_KEY", "CRM_PROFILE", "CRM_CONFIG", "CRM_DEBUG"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    monkeypatch.setenv("COLUMNS", "200")


@pytest.fixture
def fake() -> FakeApi:
    return FakeApi()


@pytest.fixture
def crm(fake: FakeApi) -> Callable[..., Result]:
    """Runs `crm ARGS...` against the fake API; `env` adds environment variables for that run."""
    runner = CliRunner()

    def run(*args: str, env: dict[str, str] | None = None) -> Result:
        state = State(transport=httpx.MockTransport(fake.handle))
        return runner.invoke(app, list(args), obj=state, env=env)

    return run

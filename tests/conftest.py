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

    from local import provision

    provision.fake_credentials()
    monkeypatch.setenv(catalogue.ENV_OPERATOR_KEY, OPERATOR_KEY)
    monkeypatch.setenv("POWERTOOLS_LOG_LEVEL", "CRITICAL")
    with mock_aws():
        store.reset_clients()
        _reset_function_state()
        provision.all_resources()
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


# --- webhooks: a real receiver on loopback and the event chain driven by an injected clock ---------


class Receiver:
    """A webhook subscriber on 127.0.0.1. `behaviour(n, request)` decides each response (default 200)."""

    def __init__(self) -> None:
        import threading
        from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

        self.requests: list[dict[str, Any]] = []
        self.answers: list[int] = []
        self.behaviour: Any = lambda n, request: (200, {})
        self._lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0)).decode()
                request = {"path": self.path, "headers": {k.lower(): v for k, v in self.headers.items()}, "body": body}
                with receiver._lock:
                    receiver.requests.append(request)
                    status, headers = receiver.behaviour(len(receiver.requests), request)
                    receiver.answers.append(status)
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                return None

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def events(self) -> list[dict[str, Any]]:
        return [json.loads(r["body"]) for r in self.requests]

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    server = Receiver()
    yield server
    server.close()


@pytest.fixture
def private_targets_allowed(monkeypatch: pytest.MonkeyPatch) -> None:
    """As the local stack runs: a receiver on 127.0.0.1 may be called."""
    monkeypatch.setenv(catalogue.ENV_ALLOW_PRIVATE_WEBHOOKS, "true")


class ClockedQueue:
    """Stands in for SQS delays under an injected clock: a message becomes receivable at its due time."""

    def __init__(self, moment: list) -> None:
        self.moment = moment
        self.pending: list[tuple[Any, int, str, dict[str, Any]]] = []
        self._sequence = 0

    def __call__(self, queue_name: str, body: dict[str, Any], delay_s: int) -> None:
        import heapq
        from datetime import timedelta

        self._sequence += 1
        heapq.heappush(self.pending, (self.moment[0] + timedelta(seconds=delay_s), self._sequence, queue_name, body))

    def take_due(self) -> list[tuple[str, dict[str, Any]]]:
        import heapq

        due = []
        while self.pending and self.pending[0][0] <= self.moment[0]:
            _, _, name, body = heapq.heappop(self.pending)
            due.append((name, body))
        return due

    def next_due(self) -> Any:
        return self.pending[0][0] if self.pending else None


class EventChain:
    """The local stack's event chain (stream -> pipe -> bus -> rule -> fan-out queue) on moto, with the
    delivery queue's delays following the injected clock. Nothing sleeps."""

    def __init__(self, gateway: Any, moment: list) -> None:
        from crm import queues
        from local import provision
        from local.event_chain import OutboxPipe, QueuePoller
        from local.persistence import StreamReader

        self.gateway = gateway
        self.moment = moment
        self.stream = StreamReader(provision.TABLE_NAME)
        self.pipe = OutboxPipe(gateway.invoke)
        self.poller = QueuePoller(gateway.invoke)
        self.delayed = ClockedQueue(moment)
        queues.set_transport(self.delayed)

    def run(self) -> None:
        """Work until nothing is left that is due now."""
        from local.event_chain import sqs_record

        while True:
            busy = self.pipe.forward(self.stream.read()) + self.poller.poll()
            due = self.delayed.take_due()
            for start in range(0, len(due), 10):
                batch = due[start : start + 10]
                records = [
                    sqs_record({"MessageId": str(i), "ReceiptHandle": str(i), "Body": json.dumps(body)}, name)
                    for i, (name, body) in enumerate(batch)
                ]
                result = self.gateway.invoke(catalogue.function_by_name("webhook_sender"), {"Records": records}) or {}
                failed = {int(f["itemIdentifier"]) for f in result.get("batchItemFailures", [])}
                for index in failed:  # as SQS would: visible again after the visibility timeout
                    self.delayed(batch[index][0], batch[index][1], 600)
            busy += len(due)
            if not busy:
                return

    def advance(self, delta: Any) -> None:
        self.moment[0] += delta
        self.run()

    def run_until_quiet(self, limit: Any) -> None:
        """Advance the clock from due time to due time until nothing is scheduled (or `limit` passes)."""
        end = self.moment[0] + limit
        self.run()
        while (due := self.delayed.next_due()) is not None and due <= end:
            self.moment[0] = max(self.moment[0], due)
            self.run()

    def close(self) -> None:
        from crm import queues

        queues.set_transport(None)


@pytest.fixture
def real_time_clock() -> Iterator[list]:
    """An injected clock that starts at the real time (so signatures verify) and moves only when told."""
    from datetime import UTC, datetime

    moment = [datetime.now(UTC)]
    clock.set_clock(lambda: moment[0])
    yield moment
    clock.set_clock(None)


@pytest.fixture
def event_chain(api: Api, real_time_clock: list) -> Iterator[EventChain]:
    chain = EventChain(api.gateway, real_time_clock)
    yield chain
    chain.close()


@pytest.fixture
def subscriber_clock(real_time_clock: list, monkeypatch: pytest.MonkeyPatch) -> list:
    """The standardwebhooks library checks timestamps against its own clock: give it ours, as a
    subscriber whose clock agrees with the sender's."""
    from datetime import datetime

    import standardwebhooks.webhooks as library

    class SubscriberDatetime(datetime):
        @classmethod
        def now(cls, tz: Any = None) -> datetime:  # type: ignore[override]
            return real_time_clock[0]

    monkeypatch.setattr(library, "datetime", SubscriberDatetime)
    return real_time_clock

"""The local stack's HTTP server as a careless, hostile or impatient client meets it: every request gets an HTTP
answer (problem+json when refused), bursts of clients are all served, and nothing is served before the stack is
ready. Malformed requests go over raw sockets, since a client library would refuse to send them."""

from __future__ import annotations

import http.client
import json
import os
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import pytest

from crm import catalogue
from local import persistence
from local.gateway import MAX_PAYLOAD_BYTES, HttpResponse, LocalGateway, gateway_error
from local.server import make_server
from tests.e2e.conftest import OPERATOR_KEY, ROOT, LocalStackProcess, free_port

PROBLEM = "application/problem+json"
NO_ROUTE = gateway_error("MISSING_AUTHENTICATION_TOKEN")


@pytest.fixture(scope="module")
def shared_stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalStackProcess]:
    """One `python -m local` for the module: these tests only add data of their own."""
    stack = LocalStackProcess(tmp_path_factory.mktemp("data"), free_port())
    stack.start()
    yield stack
    stack.stop()


@dataclass
class RawReply:
    status: int
    headers: http.client.HTTPMessage
    body: bytes
    closed: bool  # the server closed the connection after this answer

    @property
    def problem(self) -> dict[str, Any]:
        assert self.headers["Content-Type"] == PROBLEM, (self.status, self.headers["Content-Type"], self.body)
        problem = json.loads(self.body)
        assert {"type", "title", "status", "detail"} <= set(problem), problem
        assert problem["status"] == self.status
        return problem


def exchange(port: int, raw: bytes, *, method: str = "GET", half_close: bool = False, timeout: float = 10) -> RawReply:
    """Send these exact bytes on a new connection and read one answer (and whether the server then closed)."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as connection:
        connection.sendall(raw)
        if half_close:
            connection.shutdown(socket.SHUT_WR)
        response = http.client.HTTPResponse(connection, method=method)
        response.begin()
        body = response.read()
        connection.settimeout(0.3)
        try:
            closed = connection.recv(1) == b""
        except TimeoutError:  # still open, waiting for the next request
            closed = False
        return RawReply(response.status, response.headers, body, closed)


def post(path: str, framing: str, body: bytes = b"", key: str | None = OPERATOR_KEY) -> bytes:
    auth = f"Authorization: Bearer {key}\r\n" if key else ""
    return f"POST {path} HTTP/1.1\r\nHost: local\r\n{auth}{framing}\r\n".encode() + body


MALFORMED = {
    "a negative Content-Length": (post("/v1/contacts", "Content-Length: -1\r\n"), 400),
    "a non-numeric Content-Length": (post("/v1/contacts", "Content-Length: abc\r\n"), 400),
    "a signed Content-Length": (post("/v1/contacts", "Content-Length: +2\r\n", b"{}"), 400),
    "an empty Content-Length": (post("/v1/contacts", "Content-Length: \r\n"), 400),
    "two Content-Lengths": (post("/v1/contacts", "Content-Length: 2\r\nContent-Length: 3\r\n", b"{}"), 400),
    "Content-Length and chunked": (
        post("/v1/contacts", "Content-Length: 5\r\nTransfer-Encoding: chunked\r\n", b"0\r\n\r\n"),
        400,
    ),
    "a 30-digit Content-Length": (post("/v1/contacts", f"Content-Length: {'9' * 30}\r\n"), 413),
    "a Content-Length one byte over 10 MB, and the first MB of its body": (
        post("/v1/contacts", f"Content-Length: {MAX_PAYLOAD_BYTES + 1}\r\n", b"x" * 1024 * 1024),
        413,
    ),
    "a chunk size that is not hexadecimal": (post("/v1/contacts", "Transfer-Encoding: chunked\r\n", b"zz\r\n"), 400),
    "a chunk over 10 MB": (post("/v1/contacts", "Transfer-Encoding: chunked\r\n", b"A00001\r\n"), 413),
    "a transfer coding other than chunked": (
        post("/v1/contacts", "Transfer-Encoding: gzip, chunked\r\n", b"0\r\n\r\n"),
        501,
    ),
    "a 100 KB Authorization header": (
        b"GET /v1/contacts HTTP/1.1\r\nHost: local\r\nAuthorization: Bearer " + b"a" * 100_000 + b"\r\n\r\n",
        431,
    ),
    "101 header fields": (
        b"GET /v1/health HTTP/1.1\r\n" + b"".join(b"X-Field-%d: 1\r\n" % n for n in range(101)) + b"\r\n",
        431,
    ),
    "a 70 KB request target": (b"GET /v1/" + b"a" * 70_000 + b" HTTP/1.1\r\nHost: local\r\n\r\n", 414),
    "a request line of one word": (b"GARBAGE\r\n\r\n", 400),
    "a request line with an unknown protocol": (b"GET /v1/health FOO/1.1\r\n\r\n", 400),
    "an HTTP/2.0 request line": (b"GET /v1/health HTTP/2.0\r\n\r\n", 505),
    "an HTTP/0.9 request": (b"GET /v1/health\r\n\r\n", 505),
}


@pytest.mark.parametrize(("raw", "status"), MALFORMED.values(), ids=MALFORMED.keys())
def test_given_a_malformed_request_when_it_is_sent_then_it_gets_a_problem_and_the_connection_closes(
    shared_stack, raw, status
):
    # Given a request no API Gateway would pass on (framing, size, request line or header fields)
    # When it is sent as is
    reply = exchange(shared_stack.port, raw)

    # Then the answer is a problem with the right status, and the connection ends with it
    assert reply.status == status, reply.body
    assert reply.problem["status"] == status
    assert reply.headers["Connection"] == "close"
    assert reply.closed


def test_given_a_body_shorter_than_its_content_length_when_the_client_stops_sending_then_400(shared_stack):
    # Given a request that declares 10 bytes and sends 3
    raw = post("/v1/contacts", "Content-Length: 10\r\n", b'{"a')

    # When the client stops sending (half-closes)
    reply = exchange(shared_stack.port, raw, half_close=True)

    # Then it gets a 400 problem naming what arrived, never more read than declared
    assert reply.status == 400
    assert "3 of the 10 bytes" in reply.problem["detail"]


def test_given_a_chunked_body_when_posted_then_it_is_decoded_as_api_gateway_would(shared_stack):
    # Given a JSON body sent in three chunks, with a chunk extension and a trailer field
    chunks = b'8;note=x\r\n{"name":\r\n9\r\n "Chunky"\r\n1\r\n}\r\n0\r\nX-Trailer: ignored\r\n\r\n'

    # When it is posted without a Content-Length
    reply = exchange(shared_stack.port, post("/v1/tenants", "Transfer-Encoding: chunked\r\n", chunks), method="POST")

    # Then the handler got the whole body
    assert reply.status == 201, reply.body
    assert json.loads(reply.body)["tenant"]["name"] == "Chunky"
    assert not reply.closed


def test_given_a_post_without_body_or_length_when_sent_then_the_handler_sees_an_empty_body(shared_stack):
    # Given a POST with neither Content-Length nor Transfer-Encoding (no body, as RFC 9112 reads it)
    # When it is sent
    reply = exchange(shared_stack.port, post("/v1/tenants", ""), method="POST")

    # Then the handler answers it (its own 422 for a missing JSON object), not 411 or a framing error
    assert reply.status == 422
    assert reply.problem["detail"] == "The request body must be a JSON object."


@pytest.mark.parametrize("method", ["TRACE", "CONNECT", "FOO", "PROPFIND", "get"])
def test_given_a_method_api_gateway_does_not_route_when_sent_then_the_no_route_gateway_response(shared_stack, method):
    # Given a method that no resource has (ANY covers only the seven standard methods)
    raw = f"{method} /v1/contacts HTTP/1.1\r\nHost: local\r\nAuthorization: Bearer {OPERATOR_KEY}\r\n\r\n"

    # When it is sent to a known path
    reply = exchange(shared_stack.port, raw.encode())

    # Then it gets the gateway's MISSING_AUTHENTICATION_TOKEN problem, on a connection that stays open
    assert reply.status == NO_ROUTE.status
    assert reply.problem == json.loads(NO_ROUTE.body)
    assert not reply.closed


SERVED_ELSEWHERE = {
    # A method API Gateway routes (ANY) on a path whose function serves others: the function answers 405.
    ("PUT", "/v1/health", None): "GET",
    ("POST", "/v1/openapi.json", None): "GET",
    ("DELETE", "/v1/docs", None): "GET",
    ("PATCH", "/v1/tenants", "operator"): "GET, POST",
    ("OPTIONS", "/v1/api-keys/01ARZ3NDEKTSV4RRFFQ69G5FAV", "tenant"): "DELETE",
    ("PUT", "/v1/objects/contacts", "tenant"): "GET, POST",
    ("POST", "/v1/webhooks/01ARZ3NDEKTSV4RRFFQ69G5FAV/deliveries", "tenant"): "GET",
}


@pytest.fixture(scope="module")
def tenant_key(shared_stack: LocalStackProcess) -> str:
    return shared_stack.request("POST", "/v1/tenants", {"name": "Methods"}, key=OPERATOR_KEY).body["api_key"]["key"]


@pytest.mark.parametrize(("method", "path", "caller"), SERVED_ELSEWHERE, ids=lambda v: str(v)[:40])
def test_given_a_method_the_path_does_not_serve_when_sent_then_405_naming_the_methods_it_serves(
    shared_stack, tenant_key, method, path, caller
):
    # Given a path the API serves, and a method it does not serve there
    key = {"operator": OPERATOR_KEY, "tenant": tenant_key}.get(caller)
    auth = f"Authorization: Bearer {key}\r\n" if key else ""
    raw = f"{method} {path} HTTP/1.1\r\nHost: local\r\n{auth}Content-Length: 0\r\n\r\n"

    # When it is sent
    reply = exchange(shared_stack.port, raw.encode(), method=method)

    # Then the function answers 405 as problem+json, its Allow header naming what the path serves, as the
    # cloud answers (every resource has ANY), on a connection that stays open
    assert reply.status == 405, reply.body
    assert reply.headers["Allow"] == SERVED_ELSEWHERE[(method, path, caller)]
    assert reply.problem["detail"] == f"{method} is not allowed here."
    assert not reply.closed


def test_given_a_head_request_when_refused_then_the_answer_has_no_body_and_the_connection_stays_usable(
    shared_stack,
):
    # Given one keep-alive connection
    connection = http.client.HTTPConnection("127.0.0.1", shared_stack.port, timeout=10)
    try:
        # When a HEAD is refused (no API key) and then a GET follows on the same connection
        connection.request("HEAD", "/v1/contacts")
        head = connection.getresponse()
        head_body = head.read()
        connection.request("GET", "/v1/health")
        health = connection.getresponse()

        # Then the HEAD answer carried headers only, so the GET's answer is read cleanly after it
        assert head.status == 401 and head.getheader("Content-Type") == PROBLEM and head_body == b""
        assert int(head.getheader("Content-Length")) > 0
        assert health.status == 200 and json.loads(health.read()) == {"status": "ok"}
    finally:
        connection.close()


CLIENTS, REQUESTS_PER_CLIENT = 64, 20


def test_given_64_clients_when_each_sends_20_requests_at_once_then_every_one_is_answered(shared_stack):
    # Given a tenant and 64 clients that start together, each opening a new connection per request
    key = shared_stack.request("POST", "/v1/tenants", {"name": "Load"}, key=OPERATOR_KEY).body["api_key"]["key"]
    start = threading.Barrier(CLIENTS)

    def one(client: int, n: int) -> str:
        kind = (client + n) % 10  # 10% writes, 30% authorized reads, 60% health checks
        if kind == 0:
            method, path, expected = "POST", "/v1/contacts", 201
            body = json.dumps({"properties": {"email": f"c{client}n{n}@load.example"}})
        elif kind <= 3:
            method, path, body, expected = "GET", "/v1/contacts?limit=5", None, 200
        else:
            method, path, body, expected = "GET", "/v1/health", None, 200
        headers = {"Authorization": f"Bearer {key}", "Content-Type": "application/json"} if kind <= 3 else {}
        connection = http.client.HTTPConnection("127.0.0.1", shared_stack.port, timeout=30)
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            response.read()
            return "ok" if response.status == expected else f"{method} {path}: {response.status}"
        except OSError as error:  # a reset, a refused connection or a timeout
            return f"{method} {path}: {type(error).__name__}"
        finally:
            connection.close()

    def client(number: int) -> list[str]:
        start.wait()
        return [one(number, n) for n in range(REQUESTS_PER_CLIENT)]

    # When they all run at once
    began = time.monotonic()
    with ThreadPoolExecutor(max_workers=CLIENTS) as pool:
        outcomes = Counter(outcome for outcomes in pool.map(client, range(CLIENTS)) for outcome in outcomes)
    elapsed = time.monotonic() - began

    # Then every request got its proper answer (no resets, no timeouts, no 5xx), in bounded time
    assert outcomes == Counter({"ok": CLIENTS * REQUESTS_PER_CLIENT})
    assert elapsed < 45, f"{CLIENTS * REQUESTS_PER_CLIENT} requests took {elapsed:.1f} s"


# --- the server before its stack is ready, and a stalled client (in-process, with a stand-in gateway) -----------


class EchoGateway:
    def handle(self, method: str, path: str, headers: dict[str, str], body: bytes) -> HttpResponse:
        answer = {"method": method, "path": path, "body": body.decode()}
        return HttpResponse(200, {"Content-Type": "application/json"}, json.dumps(answer).encode())


class StartingStack:
    """Stands in for LocalStack: the test decides when it is ready."""

    def __init__(self) -> None:
        self.ready = threading.Event()
        self.gateway = EchoGateway()
        self.writes = 0

    def after_write(self) -> None:
        self.writes += 1


@contextmanager
def serving(stack: StartingStack, **options: Any) -> Iterator[int]:
    server = make_server(stack, "127.0.0.1", 0, **options)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_address[1]
    finally:
        server.shutdown()
        server.server_close()


def test_given_a_stack_not_yet_ready_when_requests_arrive_then_503_until_it_is_ready():
    # Given a server whose stack is still starting
    stack = StartingStack()
    with serving(stack) as port:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        try:
            # When a health check, a write and a HEAD arrive on one connection
            answers = []
            requests = (("GET", "/v1/health", None), ("POST", "/v1/contacts", b"{}"), ("HEAD", "/", None))
            for method, path, body in requests:
                connection.request(method, path, body=body)
                response = connection.getresponse()
                answers.append((response, response.read()))

            # Then each gets 503 problem+json with Retry-After: 1 (HEAD without a body), the connection
            # stays usable, and nothing reached the gateway
            for response, _ in answers:
                assert response.status == 503
                assert response.getheader("Content-Type") == PROBLEM
                assert response.getheader("Retry-After") == "1"
            assert [json.loads(body)["status"] for _, body in answers[:2]] == [503, 503]
            assert answers[2][1] == b""
            assert stack.writes == 0

            # And once the stack is ready, the same connection is served by the gateway
            stack.ready.set()
            connection.request("POST", "/v1/contacts", body=b'{"a": 1}')
            served = connection.getresponse()
            assert served.status == 200
            assert json.loads(served.read()) == {"method": "POST", "path": "/v1/contacts", "body": '{"a": 1}'}
            assert stack.writes == 1
        finally:
            connection.close()


def test_given_a_client_that_declares_more_body_than_it_sends_when_it_stalls_then_it_is_dropped_with_408():
    # Given a server with a short socket timeout
    stack = StartingStack()
    stack.ready.set()
    with serving(stack, timeout_s=0.5) as port:
        # When a client declares 10 bytes, sends 3 and then waits
        began = time.monotonic()
        reply = exchange(port, b"POST /v1/contacts HTTP/1.1\r\nContent-Length: 10\r\n\r\nabc", method="POST")

        # Then after the timeout it gets a 408 problem and the connection is closed, and the server still serves
        assert reply.status == 408 and reply.problem["status"] == 408
        assert reply.closed
        assert time.monotonic() - began < 5
        assert exchange(port, b"GET /v1/health HTTP/1.1\r\n\r\n").status == 200


def test_given_a_handler_that_raises_when_called_then_502_and_its_traceback_on_stderr(capsys):
    # Given the gateway with a function that raises
    gateway = LocalGateway()

    def broken(spec: catalogue.FunctionSpec, event: dict[str, Any]) -> Any:
        raise RuntimeError("the handler broke")

    gateway.invoke = broken

    # When a request reaches it
    response = gateway.handle("GET", "/v1/health", {}, b"")

    # Then the caller sees the gateway's 502 problem and the developer sees which function failed, and why
    assert (response.status, response.body) == (502, gateway_error("DEFAULT_5XX").body)
    logged = capsys.readouterr().err
    assert "crm-meta raised on GET /v1/health" in logged
    assert "Traceback" in logged and "RuntimeError: the handler broke" in logged


# --- the real process as it starts ------------------------------------------------------------------------------


def poll_health(port: int) -> tuple[int, str | None, str | None] | None:
    """One health check on a new connection: (status, Content-Type, Retry-After), None if refused."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request("GET", "/v1/health")
        response = connection.getresponse()
        body = response.read()
    except ConnectionRefusedError:
        return None
    finally:
        connection.close()
    if response.status != 200:
        assert json.loads(body)["status"] == response.status
    return response.status, response.getheader("Content-Type"), response.getheader("Retry-After")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="holds the start-up open with a named pipe")
def test_given_the_stack_process_restoring_its_data_when_requests_arrive_then_503_problems_until_it_serves(tmp_path):
    # Given `python -m local` whose saved data is a named pipe: restoring it waits until the test writes it,
    # so the stack is certainly not ready until then (no race with its start-up time)
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    snapshot = data_dir / persistence.SNAPSHOT
    os.mkfifo(snapshot)
    port = free_port()
    env = {
        **os.environ,
        "PORT": str(port),
        "CRM_DATA_DIR": str(data_dir),
        "CRM_OPERATOR_KEY": OPERATOR_KEY,
        "CRM_LOCAL_ACCESS_LOG": "0",
    }
    stack = LocalStackProcess(data_dir, port)
    stack.process = subprocess.Popen(
        [sys.executable, "-m", "local"], cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    try:
        # When requests arrive from the moment the port accepts connections
        deadline = time.monotonic() + 30
        while (first := poll_health(port)) is None:
            assert time.monotonic() < deadline and stack.process.poll() is None, "the port never opened"
            time.sleep(0.02)
        early = [first, poll_health(port), poll_health(port)]
        write = stack.request("POST", "/v1/tenants", {"name": "Early"}, key=OPERATOR_KEY)

        # Then each is answered 503 problem+json with Retry-After: 1 (not a refused connection, not a 502)
        assert early == [(503, PROBLEM, "1")] * 3
        assert (write.status, write.headers["Content-Type"], write.headers["Retry-After"]) == (503, PROBLEM, "1")
        assert write.body["status"] == 503

        # And once the data is restored, the very next requests are served (every handler was imported before)
        writer = threading.Thread(target=snapshot.write_text, args=("{}",), daemon=True)
        writer.start()
        writer.join(timeout=30)
        assert not writer.is_alive(), "the stack never read its saved data"
        answers = [poll_health(port)]
        while answers[-1] != (200, "application/json", None):
            assert time.monotonic() < deadline + 30 and len(answers) < 3000, answers[-3:]
            time.sleep(0.01)
            answers.append(poll_health(port))
        assert set(answers[:-1]) <= {(503, PROBLEM, "1")}
        assert stack.request("POST", "/v1/tenants", {"name": "First"}, key=OPERATOR_KEY).status == 201
    finally:
        output = stack.stop()
    assert output.count("CRM running on") == 1, output

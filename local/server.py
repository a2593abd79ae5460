"""The local stack: moto + the catalogue's resources + an HTTP server in front of the real handlers."""

from __future__ import annotations

import json
import os
import re
import secrets
import socket
import sys
import threading
import time
import traceback
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from crm import catalogue
from local.gateway import MAX_PAYLOAD_BYTES, HttpResponse, gateway_error


class LocalStack:
    """Starts moto, provisions it from the catalogue, restores saved data and serves HTTP."""

    def __init__(self, data_dir: Path, operator_key: str) -> None:
        self.data_dir = data_dir
        self.operator_key = operator_key
        self.lock = threading.RLock()  # one reader of the table's stream at a time (journal order)
        self.ready = threading.Event()  # set once start_aws has finished: until then the server answers 503
        self._mock: Any = None

    def start_aws(self) -> None:
        """Start moto, provision it, restore the saved data and import every handler; then be ready."""
        from moto import mock_aws

        from local import moto_patches, persistence, provision
        from local.gateway import LocalGateway

        provision.fake_credentials()
        moto_patches.serialize_aws_calls()
        # Step Functions really executes the workflow state machine; its Lambda tasks are routed to the
        # handlers in-process below (moto cannot run them without Docker).
        self._mock = mock_aws(
            config={"stepfunctions": {"execute_state_machine": True}, "lambda": {"use_docker": False}}
        )
        self._mock.start()
        provision.all_resources()
        os.environ[catalogue.ENV_OPERATOR_KEY] = self.operator_key
        os.environ[catalogue.ENV_ALLOW_PRIVATE_WEBHOOKS] = "true"
        os.environ.setdefault("POWERTOOLS_LOG_LEVEL", "WARNING")
        # EMF metric lines belong in CloudWatch; locally they would flood the terminal
        # (POWERTOOLS_METRICS_DISABLED=false make dev shows them).
        os.environ.setdefault("POWERTOOLS_METRICS_DISABLED", "true")
        self.journal = persistence.Journal(self.data_dir)
        saved = self.journal.load()
        persistence.restore(provision.TABLE_NAME, saved)
        self.stream = persistence.StreamReader(provision.TABLE_NAME)
        self.stream.read()  # the restore itself is not a change: skip its stream records
        self.restored = len(saved)
        self.resumed = resume_pending_deliveries(saved)
        self.gateway = LocalGateway()
        from local.event_chain import OutboxPipe, QueuePoller

        self.pipe = OutboxPipe(self.gateway.invoke)
        self.poller = QueuePoller(self.gateway.invoke)
        self.gateway.warm()  # no request races a handler's first import
        moto_patches.route_lambda_invocations(self.gateway.invoke)
        from local.workflows import resume_unfinished_runs

        self.resumed_runs = resume_unfinished_runs(saved)
        self.ready.set()

    def after_write(self) -> None:
        """Carry the table's stream forward: journal every change (before the response is sent) and
        pass outbox items through the pipe to the bus."""
        with self.lock:
            records = self.stream.read()
            self.journal.append(records)
            self.pipe.forward(records)

    def pump(self) -> int:
        """One turn of the background work Lambda would do: stream -> bus, queues -> consumers."""
        self.after_write()
        return self.poller.poll()

    def run_background(self, stop: threading.Event, interval_s: float = 0.05) -> threading.Thread:
        def loop() -> None:
            while not stop.is_set():
                try:
                    busy = self.pump()
                except Exception as error:  # keep serving; the queue redelivers what failed
                    sys.stderr.write(f"background work failed: {type(error).__name__}: {error}\n")
                    busy = 0
                if not busy:
                    stop.wait(interval_s)

        thread = threading.Thread(target=loop, name="crm-local-events", daemon=True)
        thread.start()
        return thread

    def stop(self) -> None:
        if self._mock is not None:
            self._mock.stop()
            self._mock = None


def resume_pending_deliveries(saved: dict[str, dict[str, Any]]) -> int:
    """moto's queues do not outlive the process, so a delivery that was waiting for its next attempt
    is scheduled again from the restored table (the attempt counter makes any duplicate harmless)."""
    from datetime import UTC, datetime

    from crm import clock
    from crm.store import from_item
    from webhooks import delivery

    resumed = 0
    for raw in saved.values():
        item = from_item(raw)
        if item.get("kind") != "delivery" or item.get("status") != "pending":
            continue
        tenant_id = item["pk"].removeprefix(catalogue.TENANT_KEY_PREFIX).split("#", 1)[0]
        attempts = len(json.loads(item.get("attempts_log") or "[]"))
        due = item.get("next_attempt_at")
        due_at = datetime.fromisoformat(due.replace("Z", "+00:00")) if due else datetime.now(UTC)
        delivery.enqueue(tenant_id, item["webhook_id"], item["id"], attempts + 1, max(due_at, clock.now()))
        resumed += 1
    return resumed


SOCKET_TIMEOUT_S = 30.0  # a client that stalls (declares more body than it sends, never reads...) is dropped
LISTEN_BACKLOG = 256  # connections waiting to be accepted; http.server's default of 5 resets bursts
LINGER_S = 2.0  # after an early answer (413, 431...), how long to read and discard what the client still sends
MAX_LINE_BYTES = 65536  # the longest chunk-size or trailer line read (http.server's own header line limit)
MAX_TRAILER_FIELDS = 100  # as http.server's limit on header fields
WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
_DECIMAL = re.compile(r"[0-9]+")
_HEXADECIMAL = re.compile(rb"[0-9A-Fa-f]+")


def problem(status: int, detail: str, headers: dict[str, str] | None = None) -> HttpResponse:
    """A refusal the HTTP server itself makes, in the shape of the gateway's responses (gateway.gateway_error)."""
    try:
        title = HTTPStatus(status).phrase
    except ValueError:
        title = "Error"
    body = {"type": "about:blank", "title": title, "status": status, "detail": detail}
    return HttpResponse(
        status, {"Content-Type": "application/problem+json", **(headers or {})}, json.dumps(body).encode()
    )


def starting() -> HttpResponse:
    return problem(503, "The local stack is still starting; retry in a moment.", {"Retry-After": "1"})


class Refused(Exception):
    """The request cannot be read as sent (framing, size, a stalled body): answer this and close."""

    def __init__(self, response: HttpResponse) -> None:
        super().__init__(response.status)
        self.response = response


def _bad_request(detail: str) -> Refused:
    return Refused(problem(400, detail))


def _shown(value: str) -> str:
    return repr(value if len(value) <= 40 else value[:40] + "...")


class LocalHTTPServer(ThreadingHTTPServer):
    """A thread per connection, a deep listen queue, and closes that do not lose an early answer."""

    request_queue_size = LISTEN_BACKLOG
    daemon_threads = True

    def shutdown_request(self, request: Any) -> None:
        # Closing a socket that still holds unread request bytes makes the kernel send a reset, which can
        # destroy the answer before the client reads it (a 413 sent before a large body, a 431...). Stop
        # sending, read and discard what the client still sends for a moment, then close.
        try:
            request.shutdown(socket.SHUT_WR)
            deadline = time.monotonic() + LINGER_S
            while (left := deadline - time.monotonic()) > 0:
                request.settimeout(left)
                if not request.recv(65536):
                    break
        except OSError:
            pass
        self.close_request(request)


def make_server(stack: LocalStack, host: str, port: int, *, timeout_s: float = SOCKET_TIMEOUT_S) -> ThreadingHTTPServer:
    """Bind now and answer every request with HTTP and, when refusing, problem+json: 503 (Retry-After: 1)
    until `stack.ready` is set, then whatever the gateway answers."""

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        server_version = "crm-local"
        timeout = timeout_s  # StreamRequestHandler.setup sets it on the connection's socket
        # Headers and body leave in two writes: with Nagle's algorithm the body would wait for the client's
        # delayed ACK of the headers, 40 ms on every answer of a keep-alive connection.
        disable_nagle_algorithm = True

        def __getattr__(self, name: str) -> Any:
            # Every method reaches the gateway, which answers those API Gateway does not route (TRACE,
            # CONNECT, PROPFIND...) as the cloud does, instead of http.server's HTML 501 page.
            if name.startswith("do_"):
                return self._serve
            raise AttributeError(name)

        def handle_one_request(self) -> None:
            try:
                super().handle_one_request()
            except ConnectionError:  # the client went away mid-request or mid-answer: nothing left to say
                self.close_connection = True

        def handle_expect_100(self) -> bool:
            # Refuse before the client sends a body that would be refused anyway.
            try:
                self._body_length()
            except Refused as refused:
                self._send(refused.response, close=True)
                return False
            if not stack.ready.is_set():
                self._send(starting(), close=True)
                return False
            return super().handle_expect_100()

        def _serve(self) -> None:
            self._answering = False
            try:
                self._answer()
            except (ConnectionError, TimeoutError):
                raise  # the connection is gone or stalled: handle_one_request drops it
            except Exception:  # a bug here must still end in an answer, and be seen
                sys.stderr.write(f"crm-local: {self.command} {self.path[:200]} failed:\n{traceback.format_exc()}")
                if self._answering:
                    self.close_connection = True
                else:
                    self._send(gateway_error("DEFAULT_5XX"), close=True)

        def _answer(self) -> None:
            if self.request_version == "HTTP/0.9":
                self.send_error(HTTPStatus.HTTP_VERSION_NOT_SUPPORTED, "HTTP/0.9 requests are not served")
                return
            try:
                body = self._read_body()
            except Refused as refused:
                self._send(refused.response, close=True)
                return
            except TimeoutError:
                detail = f"The request body did not arrive within {timeout_s:g} s."
                self._send(problem(HTTPStatus.REQUEST_TIMEOUT, detail), close=True)
                return
            if not stack.ready.is_set():
                self._send(starting())
                return
            headers = {k: v for k, v in self.headers.items()}
            response = stack.gateway.handle(self.command, self.path, headers, body)
            if self.command in WRITE_METHODS and response.status < 400:
                # Journal the change before the answer is sent. A refused write changed nothing of its own
                # (whatever else did, the background loop carries the stream forward within moments).
                stack.after_write()
            self._send(response)

        def _body_length(self) -> int | None:
            """The body's length as the headers declare it, None for a chunked body (RFC 9112 section 6)."""
            codings = self.headers.get_all("Transfer-Encoding") or []
            lengths = self.headers.get_all("Content-Length") or []
            if codings:
                if lengths:
                    raise _bad_request("Send either Content-Length or Transfer-Encoding, not both.")
                names = [name.strip().lower() for value in codings for name in value.split(",") if name.strip()]
                if names == ["chunked"]:
                    return None
                if not names or names[-1] != "chunked":
                    raise _bad_request("The body's length cannot be determined: Transfer-Encoding must end in chunked.")
                detail = f"Transfer-Encoding {', '.join(names)} is not supported; send the body chunked."
                raise Refused(problem(HTTPStatus.NOT_IMPLEMENTED, detail))
            if not lengths:
                return 0  # no framing header: no body (RFC 9112 section 6.3)
            if len(lengths) > 1:
                raise _bad_request("Send Content-Length once.")
            value = lengths[0].strip(" \t")
            if not _DECIMAL.fullmatch(value):
                raise _bad_request(f"Content-Length must be a whole number of bytes, not {_shown(value)}.")
            if len(value.lstrip("0")) > len(str(MAX_PAYLOAD_BYTES)) or int(value) > MAX_PAYLOAD_BYTES:
                raise Refused(gateway_error("REQUEST_TOO_LARGE"))
            return int(value)

        def _read_body(self) -> bytes:
            length = self._body_length()
            deadline = time.monotonic() + timeout_s
            if length is not None:
                return self._read_exactly(length, deadline, "Content-Length")
            return self._read_chunked(deadline)

        def _read_exactly(self, size: int, deadline: float, declared_by: str) -> bytes:
            """Exactly `size` bytes, never more; a client that stalls is timed out, one that stops is refused."""
            parts: list[bytes] = []
            left = size
            while left:
                if time.monotonic() > deadline:
                    raise TimeoutError
                part = self.rfile.read1(min(left, 65536))
                if not part:
                    got = size - left
                    raise _bad_request(f"The request body ended after {got} of the {size} bytes {declared_by} set.")
                parts.append(part)
                left -= len(part)
            return b"".join(parts)

        def _read_line(self, deadline: float, what: str) -> bytes:
            if time.monotonic() > deadline:
                raise TimeoutError
            line = self.rfile.readline(MAX_LINE_BYTES + 1)
            if not line.endswith(b"\n"):
                if len(line) > MAX_LINE_BYTES:
                    raise _bad_request(f"The {what} line is longer than {MAX_LINE_BYTES} bytes.")
                raise _bad_request("The chunked request body ended before its last chunk.")
            return line

        def _read_chunked(self, deadline: float) -> bytes:
            body = bytearray()
            while True:
                line = self._read_line(deadline, "chunk size")
                size_text = line.rstrip(b"\r\n").split(b";", 1)[0].strip(b" \t")
                if not _HEXADECIMAL.fullmatch(size_text):
                    shown = _shown(size_text.decode("latin-1"))
                    raise _bad_request(f"A chunk size must be hexadecimal digits, not {shown}.")
                size = int(size_text[-16:], 16) if len(size_text.lstrip(b"0")) <= 16 else MAX_PAYLOAD_BYTES + 1
                if size == 0:
                    break
                if len(body) + size > MAX_PAYLOAD_BYTES:
                    raise Refused(gateway_error("REQUEST_TOO_LARGE"))
                body += self._read_exactly(size, deadline, "its chunk size")
                if self._read_line(deadline, "chunk end").rstrip(b"\r\n"):
                    raise _bad_request("A chunk's data must be followed by CRLF.")
            for _ in range(MAX_TRAILER_FIELDS + 1):  # the trailer section, ignored, then the final CRLF
                if not self._read_line(deadline, "trailer field").rstrip(b"\r\n"):
                    return bytes(body)
            raise _bad_request(f"More than {MAX_TRAILER_FIELDS} trailer fields.")

        def _send(self, response: HttpResponse, *, close: bool = False) -> None:
            self._answering = True
            self.send_response(response.status)
            for name, value in response.headers.items():
                if name.lower() not in ("content-length", "connection", "transfer-encoding"):
                    self.send_header(name, value)
            if close:
                self.send_header("Connection", "close")  # also ends the connection after this answer
            self.send_header("Content-Length", str(len(response.body)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(response.body)

        def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
            """http.server's own refusals (bad request line, URI or header fields too long, HTTP/2...) as
            problem+json with the same status, closing the connection as http.server does."""
            self.log_error("code %d, message %s", code, message)
            if self.request_version == "HTTP/0.9":  # a request line too broken to tell: answer in HTTP/1.x
                self.request_version = "HTTP/1.0"
            try:
                description = HTTPStatus(code).description
            except ValueError:
                description = ""
            detail = ": ".join(part for part in (message, explain) if part) or description
            self._send(problem(code, detail[:500]), close=True)

        def log_message(self, format: str, *args: Any) -> None:
            if os.environ.get("CRM_LOCAL_ACCESS_LOG", "1") != "0":
                sys.stderr.write(f"{self.address_string()} {format % args}\n")

    return LocalHTTPServer((host, port), Handler)


def operator_key(data_dir: Path) -> str:
    """CRM_OPERATOR_KEY if set; otherwise one generated on first start and kept in the data directory."""
    from_env = os.environ.get(catalogue.ENV_OPERATOR_KEY)
    if from_env:
        return from_env
    stored = data_dir / "operator-key"
    if stored.exists():
        return stored.read_text().strip()
    data_dir.mkdir(parents=True, exist_ok=True)
    key = f"crm_operator_{secrets.token_urlsafe(32)}"
    stored.write_text(key + "\n")
    stored.chmod(0o600)
    return key

"""The local stack: moto + the catalogue's resources + an HTTP server in front of the real handlers."""

from __future__ import annotations

import json
import os
import secrets
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from crm import catalogue

ROOT = Path(__file__).resolve().parent.parent
for _path in (ROOT / "functions", ROOT / "layers" / "shared" / "python"):
    if str(_path) not in sys.path:
        sys.path.insert(0, str(_path))


class LocalStack:
    """Starts moto, provisions it from the catalogue, restores saved data and serves HTTP."""

    def __init__(self, data_dir: Path, operator_key: str) -> None:
        self.data_dir = data_dir
        self.operator_key = operator_key
        self.lock = threading.RLock()  # one reader of the table's stream at a time (journal order)
        self._mock: Any = None

    def start_aws(self) -> None:
        from moto import mock_aws

        from local import aws, moto_patches, persistence
        from local.gateway import LocalGateway

        aws.fake_credentials()
        moto_patches.serialize_aws_calls()
        self._mock = mock_aws()
        self._mock.start()
        aws.provision()
        os.environ[catalogue.ENV_OPERATOR_KEY] = self.operator_key
        os.environ[catalogue.ENV_ALLOW_PRIVATE_WEBHOOKS] = "true"
        os.environ.setdefault("POWERTOOLS_LOG_LEVEL", "WARNING")
        self.journal = persistence.Journal(self.data_dir)
        saved = self.journal.load()
        persistence.restore(aws.TABLE_NAME, saved)
        self.stream = persistence.StreamReader(aws.TABLE_NAME)
        self.stream.read()  # the restore itself is not a change: skip its stream records
        self.restored = len(saved)
        self.resumed = resume_pending_deliveries(saved)
        self.gateway = LocalGateway()
        from local.events import OutboxPipe, QueuePoller

        self.pipe = OutboxPipe(self.gateway.invoke)
        self.poller = QueuePoller(self.gateway.invoke)

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


def make_server(stack: LocalStack, host: str, port: int) -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        server_version = "crm-local"

        def _serve(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            headers = {k: v for k, v in self.headers.items()}
            response = stack.gateway.handle(self.command, self.path, headers, body)
            if self.command not in ("GET", "HEAD", "OPTIONS"):
                stack.after_write()
            self.send_response(response.status)
            for name, value in response.headers.items():
                if name.lower() not in ("content-length", "connection"):
                    self.send_header(name, value)
            self.send_header("Content-Length", str(len(response.body)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(response.body)

        do_GET = do_POST = do_PATCH = do_PUT = do_DELETE = do_HEAD = do_OPTIONS = _serve

        def log_message(self, format: str, *args: Any) -> None:
            if os.environ.get("CRM_LOCAL_ACCESS_LOG", "1") != "0":
                sys.stderr.write(f"{self.address_string()} {format % args}\n")

    server = ThreadingHTTPServer((host, port), Handler)
    server.daemon_threads = True
    return server


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

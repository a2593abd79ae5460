"""Webhook test doubles: a real subscriber on loopback, and the local stack's event chain driven by an
injected clock (SQS delays follow the clock; nothing sleeps)."""

from __future__ import annotations

import json
from typing import Any

from crm import catalogue


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
        # serve_forever notices shutdown() once per poll interval (0.5 s by default): each test's close
        # waited that long for nothing.
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
        self.thread.start()

    def events(self) -> list[dict[str, Any]]:
        return [json.loads(r["body"]) for r in self.requests]

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


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

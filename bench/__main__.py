"""`make bench`: speed figures as ratios measured in one run, on this machine, against moto.

- Cold import: each Lambda handler module imported in a fresh interpreter, vs a floor (a bare
  Powertools APIGatewayRestResolver with validation + pydantic + boto3), medians of several runs.
- Warm requests: each handler invoked with a real API Gateway event; the time spent inside the
  DynamoDB calls the request makes (botocore's _make_api_call) is the "raw" cost, everything else is
  ours. Also DynamoDB calls per request and Scans (must be 0).
- Batch upsert: 100 contacts per request (new ones, then the same ones changed), the time inside the
  handler's TransactWriteItems calls (the writes themselves) against the handler's (goal: >= 0.7x), and the
  share of the BatchGetItem reads before them (an update reads its record and, in an upsert, its guard).
- Search (bench/search.py): write units per contact create and update with the search indexes, items read by a
  page of an indexed search at 1,000 and 100,000 contacts, and by an unindexed search as the collection grows.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PATHS = [str(ROOT / "layers" / "shared" / "python"), str(ROOT / "functions"), str(ROOT)]
sys.path[:0] = PATHS

IMPORT_RUNS = 7
WARM_REQUESTS = 100
BATCH_REQUESTS = 5  # of BATCH_SIZE upserts each: of new contacts, then of the same contacts changed
BATCH_SIZE = 100

FLOOR = (
    "from aws_lambda_powertools.event_handler import APIGatewayRestResolver\n"
    "import pydantic, boto3\n"
    "APIGatewayRestResolver(enable_validation=True)\n"
)


def _import_seconds(code: str) -> float:
    program = (
        f"import sys, time\nsys.path[:0] = {PATHS!r}\nt = time.perf_counter()\n{code}\nprint(time.perf_counter() - t)\n"
    )
    env = {**os.environ, "AWS_DEFAULT_REGION": "us-east-1", "CRM_TABLE_NAME": "bench"}
    result = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, env=env, check=True)
    return float(result.stdout.strip().splitlines()[-1])


def cold_imports() -> list[tuple[str, float, float]]:
    from crm import catalogue

    floor = statistics.median(_import_seconds(FLOOR) for _ in range(IMPORT_RUNS))
    rows = [("floor (resolver+pydantic+boto3)", floor, 1.0)]
    for spec in catalogue.ALL_FUNCTIONS:
        module = spec.handler.rsplit(".", 1)[0]
        seconds = statistics.median(_import_seconds(f"import {module}") for _ in range(IMPORT_RUNS))
        rows.append((spec.name, seconds, seconds / floor))
    return rows


class CallMeter:
    """Times every botocore call of the process and counts operations."""

    def __init__(self) -> None:
        from botocore.client import BaseClient

        self.in_calls = 0.0
        self.operations: Counter[str] = Counter()
        self.seconds: Counter[str] = Counter()  # time inside each operation
        original = BaseClient._make_api_call
        meter = self

        def timed(client: Any, operation: str, params: dict[str, Any]) -> Any:
            started = time.perf_counter()
            try:
                return original(client, operation, params)
            finally:
                spent = time.perf_counter() - started
                name = f"{client.meta.service_model.service_name}:{operation}"
                meter.in_calls += spent
                meter.operations[name] += 1
                meter.seconds[name] += spent

        BaseClient._make_api_call = timed  # type: ignore[method-assign]

    def reset(self) -> None:
        self.in_calls = 0.0
        self.operations.clear()
        self.seconds.clear()


def warm_requests() -> list[dict[str, Any]]:
    from moto import mock_aws

    from local import provision
    from local.gateway import LambdaContext, LocalGateway

    provision.fake_credentials()
    os.environ["CRM_OPERATOR_KEY"] = "crm_operator_bench"
    os.environ["POWERTOOLS_LOG_LEVEL"] = "CRITICAL"
    with mock_aws():
        provision.all_resources()
        gateway = LocalGateway()
        sent = gateway.handle(
            "POST", "/v1/tenants", {"Authorization": "Bearer crm_operator_bench"}, b'{"name":"Bench"}'
        )
        key = json.loads(sent.body)["api_key"]["key"]
        headers = {"Authorization": f"Bearer {key}", "Content-Type": "application/json"}

        # Build each request's event once through the gateway (authorizer included), then time only the
        # records function, as API Gateway caches the authorizer's answer in the cloud.
        from crm import catalogue

        contacts = catalogue.function_by_name("contacts")
        handler = gateway._handler(contacts)
        captured: dict[str, Any] = {}
        original_invoke = gateway.invoke

        def capture(spec: Any, event: dict[str, Any]) -> Any:
            if spec.name == "contacts":
                captured["event"] = event
            return original_invoke(spec, event)

        gateway.invoke = capture  # type: ignore[method-assign]

        def event_for(method: str, path: str, body: Any = None) -> dict[str, Any]:
            raw = json.dumps(body).encode() if body is not None else b""
            reply = gateway.handle(method, path, headers, raw)
            assert reply.status < 300, reply.body
            return captured["event"]

        seed = json.loads(gateway.handle("POST", "/v1/contacts", headers, b'{"properties":{"first_name":"Seed"}}').body)
        for i in range(50):  # a table with some data in it, so lists and writes are not trivially small
            gateway.handle(
                "POST", "/v1/contacts", headers, json.dumps({"properties": {"email": f"s{i}@x.io"}}).encode()
            )

        meter = CallMeter()
        results = []
        scenarios = {
            "create contact": lambda i: event_for(
                "POST", "/v1/contacts", {"properties": {"email": f"bench{i}@example.com", "first_name": "B"}}
            ),
            "get contact": lambda i: event_for("GET", f"/v1/contacts/{seed['id']}"),
            "patch contact": lambda i: event_for(
                "PATCH", f"/v1/contacts/{seed['id']}", {"properties": {"last_name": f"v{i}"}}
            ),
            "list contacts (25)": lambda i: event_for("GET", "/v1/contacts?limit=25"),
            "batch upsert 100 new": lambda i: event_for("POST", "/v1/contacts/batch/upsert", _upserts(f"wn{i}", "a")),
            "batch upsert 100 known": lambda i: event_for("POST", "/v1/contacts/batch/upsert", _upserts(f"wk{i}", "a")),
        }
        for name, make_event in scenarios.items():
            # Events are made (and, for writes, made unique) before timing; the timed call replays
            # the records function alone on a fresh, equivalent request.
            events = []
            for i in range(BATCH_REQUESTS if name.startswith("batch") else WARM_REQUESTS):
                events.append(make_event(i))
            if name.startswith("batch"):  # the new ones, then the same contacts known, and changed
                change = "new" if name.endswith("new") else "changed"
                events = [_with_body(e, _upserts(f"t{i}", change)) for i, e in enumerate(events)]
            if name.startswith("create"):
                events = [
                    _with_body(e, {"properties": {"email": f"timed{i}@example.com"}}) for i, e in enumerate(events)
                ]
            if name.startswith("patch"):
                events = [_with_body(e, {"properties": {"last_name": f"t{i}"}}) for i, e in enumerate(events)]
            meter.reset()
            total = 0.0
            for event in events:
                started = time.perf_counter()
                response = handler(event, LambdaContext(contacts))
                total += time.perf_counter() - started
                assert response["statusCode"] < 300, response
            calls = sum(meter.operations.values())
            dynamodb = {op: n for op, n in meter.operations.items() if op.startswith("dynamodb:")}
            results.append(
                {
                    "request": name,
                    "handler_ms": 1000 * total / len(events),
                    "raw_ms": 1000 * meter.in_calls / len(events),
                    "ratio": total / meter.in_calls,
                    "ours_ms": 1000 * (total - meter.in_calls) / len(events),
                    "calls_per_request": calls / len(events),
                    "scans": sum(n for op, n in dynamodb.items() if op.endswith(":Scan")),
                    "operations": ", ".join(
                        f"{op.split(':')[1]}x{n / len(events):g}" for op, n in sorted(dynamodb.items())
                    ),
                    "transact_share": meter.seconds["dynamodb:TransactWriteItems"] / total,
                    "read_share": meter.seconds["dynamodb:BatchGetItem"] / total,
                }
            )
        return results


def webhook_figures(writes: int = 30, subscribers: int = 10, burst: int = 50) -> dict[str, float]:
    """On the local stack as `make dev` runs it (HTTP server, background event chain, real time):
    write -> first delivery attempt at a loopback receiver, and delivery throughput."""
    import tempfile
    import threading
    import urllib.request
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    from local.server import LocalStack, make_server

    arrivals: list[tuple[float, str]] = []

    class Receiver(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            self.rfile.read(int(self.headers.get("Content-Length") or 0))
            arrivals.append((time.perf_counter(), self.path))
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args: Any) -> None:
            return None

    receiver = ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
    threading.Thread(target=receiver.serve_forever, daemon=True).start()
    hook_url = f"http://127.0.0.1:{receiver.server_address[1]}"

    os.environ["CRM_LOCAL_ACCESS_LOG"] = "0"
    stack = LocalStack(Path(tempfile.mkdtemp(prefix="crm-bench-")), "crm_operator_bench")
    stack.start_aws()
    server = make_server(stack, "127.0.0.1", 0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    stopping = threading.Event()
    stack.run_background(stopping, interval_s=0.005)
    base = f"http://127.0.0.1:{server.server_address[1]}/v1"

    def call(method: str, path: str, body: Any, key: str) -> Any:
        request = urllib.request.Request(base + path, data=json.dumps(body).encode(), method=method)
        request.add_header("Authorization", f"Bearer {key}")
        with urllib.request.urlopen(request, timeout=30) as response:
            return json.loads(response.read() or b"null")

    def wait_for(count: int, timeout_s: float = 120) -> None:
        deadline = time.perf_counter() + timeout_s
        while len(arrivals) < count and time.perf_counter() < deadline:
            time.sleep(0.001)
        if len(arrivals) < count:
            raise RuntimeError(f"only {len(arrivals)} of {count} deliveries arrived")

    try:
        key = call("POST", "/tenants", {"name": "Bench"}, "crm_operator_bench")["api_key"]["key"]
        call("POST", "/webhooks", {"url": f"{hook_url}/latency", "event_types": ["contact.created"]}, key)
        latencies = []
        for i in range(writes):
            started = time.perf_counter()
            call("POST", "/contacts", {"properties": {"email": f"latency{i}@example.com"}}, key)
            wait_for(i + 1)
            latencies.append(arrivals[i][0] - started)
        for n in range(subscribers):
            call("POST", "/webhooks", {"url": f"{hook_url}/s{n}", "event_types": ["company.created"]}, key)
        arrivals.clear()
        started = time.perf_counter()
        for i in range(burst):
            call("POST", "/companies", {"properties": {"name": f"Burst {i}"}}, key)
        wait_for(burst * subscribers)
        elapsed = arrivals[-1][0] - started
    finally:
        stopping.set()
        server.shutdown()
        receiver.shutdown()
        stack.stop()
    return {
        "median_write_to_delivery_ms": 1000 * statistics.median(latencies),
        "p90_write_to_delivery_ms": 1000 * sorted(latencies)[int(0.9 * len(latencies))],
        "deliveries": burst * subscribers,
        "deliveries_per_s": burst * subscribers / elapsed,
    }


# Step Functions Standard: USD per state transition (25 per million).
STANDARD_TRANSITION_USD = 25 / 1_000_000


def workflow_figures(latency_runs: int = 15, burst: int = 40) -> dict[str, float]:
    """On the local stack (moto's Step Functions running the catalogue's state machine, tasks routed to
    the runner in-process): change event -> first step done, runs started per second, and the state
    transitions one run of a 5-step workflow with one wait costs."""
    import tempfile
    import threading
    import urllib.request

    import boto3

    from crm import catalogue
    from local.server import LocalStack, make_server

    os.environ["CRM_LOCAL_ACCESS_LOG"] = "0"
    stack = LocalStack(Path(tempfile.mkdtemp(prefix="crm-bench-wf-")), "crm_operator_bench")
    stack.start_aws()
    server = make_server(stack, "127.0.0.1", 0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    stopping = threading.Event()
    stack.run_background(stopping, interval_s=0.005)
    base = f"http://127.0.0.1:{server.server_address[1]}/v1"

    def call(method: str, path: str, body: Any, key: str) -> Any:
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(base + path, data=data, method=method)
        request.add_header("Authorization", f"Bearer {key}")
        with urllib.request.urlopen(request, timeout=30) as response:
            return json.loads(response.read() or b"null")

    def runs(key: str, workflow_id: str, status: str) -> list[dict[str, Any]]:
        found, cursor = [], None
        while True:
            page = call(
                "GET",
                f"/workflows/{workflow_id}/runs?status={status}&limit=100" + (f"&cursor={cursor}" if cursor else ""),
                None,
                key,
            )
            found += page["data"]
            cursor = page["next_cursor"]
            if not cursor:
                return found

    def wait_until(predicate: Any, timeout_s: float = 180) -> None:
        deadline = time.perf_counter() + timeout_s
        while not predicate():
            if time.perf_counter() > deadline:
                raise RuntimeError("timed out")
            time.sleep(0.002)

    try:
        key = call("POST", "/tenants", {"name": "Bench"}, "crm_operator_bench")["api_key"]["key"]
        first_step = {
            "name": "Qualify",
            "object": "contact",
            "trigger": {"event": "contact.created"},
            "steps": [{"id": "qualify", "type": "set_property", "property": "lifecycle_stage", "value": "lead"}],
        }
        workflow = call("POST", "/workflows", first_step, key)
        latencies = []
        for i in range(latency_runs):
            started = time.perf_counter()
            contact = call("POST", "/contacts", {"properties": {"email": f"wf{i}@example.com"}}, key)
            wait_until(
                lambda c=contact: call("GET", f"/contacts/{c['id']}", None, key)["properties"].get("lifecycle_stage")
            )
            latencies.append(time.perf_counter() - started)
        call("PATCH", f"/workflows/{workflow['id']}", {"enabled": False}, key)

        burst_workflow = call(
            "POST",
            "/workflows",
            {
                **first_step,
                "name": "Burst",
                "trigger": {"event": "company.created"},
                "object": "company",
                "steps": [{"id": "tag", "type": "set_property", "property": "industry", "value": "software"}],
            },
            key,
        )
        started = time.perf_counter()
        for i in range(burst):
            call("POST", "/companies", {"properties": {"name": f"Burst {i}"}}, key)
        wait_until(lambda: len(runs(key, burst_workflow["id"], "succeeded")) >= burst)
        burst_s = time.perf_counter() - started

        five_steps = {
            "name": "Five steps",
            "object": "contact",
            "trigger": {
                "event": "contact.created",
                "conditions": {"property": "last_name", "op": "eq", "value": "Five"},
            },
            "steps": [
                {"id": "owner", "type": "assign_owner", "owners": ["ana@acme.io", "bo@acme.io"]},
                {"id": "pause", "type": "wait", "seconds": 1},
                {
                    "id": "vip",
                    "type": "branch",
                    "conditions": {"property": "email", "op": "ends_with", "value": "@vip.example"},
                    "then": "mark",
                    "else": "done",
                },
                {"id": "mark", "type": "set_property", "property": "lifecycle_stage", "value": "opportunity"},
                {"id": "done", "type": "stop"},
            ],
        }
        measured = call("POST", "/workflows", five_steps, key)
        call("POST", "/contacts", {"properties": {"email": "big@vip.example", "last_name": "Five"}}, key)
        wait_until(lambda: len(runs(key, measured["id"], "succeeded")) >= 1)
        (run,) = runs(key, measured["id"], "succeeded")
        client = boto3.client("stepfunctions")
        execution = (
            f"{os.environ[catalogue.ENV_WORKFLOW_MACHINE_ARN].replace(':stateMachine:', ':execution:')}:{run['id']}-1"
        )
        history = client.get_execution_history(executionArn=execution, maxResults=1000)["events"]
        transitions = sum(1 for event in history if event["type"].endswith("StateEntered"))
    finally:
        stopping.set()
        server.shutdown()
        stack.stop()
    return {
        "median_event_to_first_step_ms": 1000 * statistics.median(latencies),
        "p90_event_to_first_step_ms": 1000 * sorted(latencies)[int(0.9 * len(latencies))],
        "runs_per_s": burst / burst_s,
        "burst": burst,
        "transitions": transitions,
        "steps_run": len(run["steps"]),
        "usd_per_million_runs": transitions * STANDARD_TRANSITION_USD * 1_000_000,
    }


def print_workflow_figures() -> None:
    figures = workflow_figures()
    print()
    print("Workflows on the local stack (moto Step Functions runs the deployed definition; tasks in-process)")
    print(
        f"  change event -> first step done: median {figures['median_event_to_first_step_ms']:.0f} ms,"
        f" p90 {figures['p90_event_to_first_step_ms']:.0f} ms (15 runs)"
    )
    print(f"  runs started and finished: {figures['runs_per_s']:.1f} runs/s ({figures['burst']} runs of 1 step)")
    print(
        f"  state transitions for a 5-step run with one wait: {figures['transitions']}"
        f" ({figures['steps_run']} steps ran);"
        f" at Standard pricing ${figures['usd_per_million_runs']:.0f} per million runs"
    )


def _with_body(event: dict[str, Any], body: Any) -> dict[str, Any]:
    return {**event, "body": json.dumps(body)}


def _upserts(group: str, last_name: str) -> dict[str, Any]:
    """A batch upsert of the contacts of `group`: created the first time, changed by another last_name after."""
    contacts = [
        {"properties": {"email": f"{group}-{n}@example.com", "last_name": last_name}} for n in range(BATCH_SIZE)
    ]
    return {"id_property": "email", "inputs": contacts}


def main() -> None:
    print("Cold import (fresh interpreter, median of", IMPORT_RUNS, "runs)")
    print(f"  {'handler':34} {'ms':>8} {'x floor':>8}")
    for name, seconds, ratio in cold_imports():
        print(f"  {name:34} {seconds * 1000:8.1f} {ratio:8.2f}")
    print()
    print(f"Warm requests on moto ({WARM_REQUESTS} each; raw = time inside the DynamoDB calls the request makes)")
    print(
        f"  {'request':22} {'handler ms':>10} {'raw ms':>8} {'ours ms':>8} {'x raw':>6} {'calls':>6} {'scans':>6}"
        "  operations"
    )
    rows = warm_requests()
    for row in rows:
        print(
            f"  {row['request']:22} {row['handler_ms']:10.2f} {row['raw_ms']:8.2f} {row['ours_ms']:8.2f}"
            f" {row['ratio']:6.2f}"
            f" {row['calls_per_request']:6.1f} {row['scans']:6d}  {row['operations']}"
        )
    batches = [row for row in rows if row["request"].startswith("batch")]
    new, known = (row["transact_share"] for row in batches)
    print(
        f"  batch upsert of {BATCH_SIZE} contacts: the raw TransactWriteItems take {new:.2f}x the handler's time"
        f" for new contacts, {known:.2f}x for known ones (goal >= 0.7x)"
    )
    new, known = (row["read_share"] for row in batches)
    print(f"  (the raw BatchGetItem reads before them take {new:.2f}x and {known:.2f}x)")
    print_webhook_figures()
    print_workflow_figures()
    from bench.search import print_search_figures  # after sys.path is set up (above)

    print_search_figures()


def print_webhook_figures() -> None:
    figures = webhook_figures()
    print()
    print("Webhooks on the local stack (HTTP server + background event chain on moto, loopback receiver)")
    print(
        f"  write -> first delivery attempt: median {figures['median_write_to_delivery_ms']:.1f} ms,"
        f" p90 {figures['p90_write_to_delivery_ms']:.1f} ms (30 writes)"
    )
    print(
        f"  throughput with 10 subscribers: {figures['deliveries_per_s']:.0f} deliveries/s"
        f" ({figures['deliveries']} deliveries from 50 writes)"
    )


if __name__ == "__main__":
    main()

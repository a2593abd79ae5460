"""Logs and metrics at the edges (crm.observability): the Lambda context and the tenant on every log
line and never on the next invocation's, and per-tenant EMF counts with tier as the dimension."""

from __future__ import annotations

import io
import json
import logging
import os
import subprocess
import sys
import threading
import uuid
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from crm import observability
from crm.idempotency import Outcome
from crm.store import ConditionsFailed, Put
from crm.writes import WritePlan, Writer

ROOT = Path(__file__).resolve().parents[3]


def lambda_context(name: str | None = None, request_id: str | None = None) -> SimpleNamespace:
    name = name or f"crm-test-{uuid.uuid4().hex[:8]}"  # a fresh function: its first invocation is cold
    return SimpleNamespace(
        function_name=name,
        function_version="$LATEST",
        memory_limit_in_mb=256,
        invoked_function_arn=f"arn:aws:lambda:us-east-1:000000000000:function:{name}",
        aws_request_id=request_id or str(uuid.uuid4()),
    )


def api_event(tenant_id: str = "t_acme", tier: str = "premium", role: str = "admin") -> dict[str, Any]:
    return {
        "httpMethod": "GET",
        "path": "/v1/contacts",
        "requestContext": {
            "requestId": "apigw-request-1",
            "authorizer": {"tenant_id": tenant_id, "key_id": "k_1", "role": role, "scopes": "", "tier": tier},
        },
    }


@pytest.fixture
def log_lines() -> Any:
    """What the Powertools Logger writes (stdout in Lambda), one parsed JSON object per line."""
    logger = observability.get_logger()
    stream = io.StringIO()
    previous_stream = logger.registered_handler.setStream(stream)
    previous_level = logger.log_level
    logger.setLevel(logging.INFO)
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    logger.registered_handler.setStream(previous_stream)
    logger.setLevel(previous_level)


@pytest.fixture
def metrics_on(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("POWERTOOLS_METRICS_DISABLED", "false")
    monkeypatch.setenv("POWERTOOLS_METRICS_NAMESPACE", "CrmTest")
    monkeypatch.setenv("POWERTOOLS_SERVICE_NAME", "contacts")


def emf_lines(out: str) -> list[dict[str, Any]]:
    blobs = [json.loads(line) for line in out.splitlines() if line.startswith("{")]
    return [b for b in blobs if "_aws" in b]


def metric(blobs: list[dict[str, Any]], name: str) -> list[dict[str, Any]]:
    """The EMF blobs carrying `name`, each with its dimension names alongside."""
    found = []
    for blob in blobs:
        [directive] = blob["_aws"]["CloudWatchMetrics"]
        if any(m["Name"] == name for m in directive["Metrics"]):
            found.append({**blob, "dimensions": directive["Dimensions"][0], "namespace": directive["Namespace"]})
    return found


def api_handler(status: int = 200, *, log: str | None = "handled", writes: int = 0) -> Any:
    def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
        if log:
            observability.get_logger().info(log)
        for _ in range(writes):
            observability.count_write()
        return {"statusCode": status, "headers": {}, "body": ""}

    return observability.observed_api(handler)


# --- logs ---------------------------------------------------------------------------------------------


def test_given_a_lambda_context_and_an_authorizer_event_when_the_handler_logs_then_the_line_carries_both(
    log_lines,
):
    context = lambda_context(request_id="req-1")

    api_handler()(api_event(), context)

    [line] = log_lines()
    assert line["message"] == "handled"
    assert line["function_request_id"] == "req-1"
    assert line["function_name"] == context.function_name
    assert line["function_arn"] == context.invoked_function_arn
    assert line["function_memory_size"] == 256
    assert line["cold_start"] is True
    assert line["tenant_id"] == "t_acme"
    assert line["key_id"] == "k_1"
    assert line["correlation_id"] == "apigw-request-1"


def test_given_two_invocations_when_the_second_has_no_tenant_then_nothing_of_the_first_is_on_its_lines(log_lines):
    context = lambda_context(request_id="req-1")
    handler = api_handler()
    handler(api_event(tenant_id="t_first"), context)

    context.aws_request_id = "req-2"
    handler({"httpMethod": "GET", "path": "/v1/health", "requestContext": {}}, context)

    first, second = log_lines()
    assert first["tenant_id"] == "t_first" and first["function_request_id"] == "req-1"
    assert second["function_request_id"] == "req-2"
    assert second["cold_start"] is False
    for key in ("tenant_id", "key_id", "correlation_id"):
        assert key not in second


def test_given_an_invocation_that_ended_when_something_logs_afterwards_then_it_carries_no_invocation_keys(log_lines):
    api_handler(log=None)(api_event(), lambda_context())

    observability.get_logger().info("between invocations")

    [line] = log_lines()
    assert not {"tenant_id", "function_request_id", "cold_start"} & set(line)


def test_given_a_batch_when_records_of_two_tenants_are_handled_then_each_line_has_its_own_record_keys(log_lines):
    def record(body: dict[str, Any]) -> None:
        with observability.record(message_id=body["id"]):
            observability.append_keys(tenant_id=body.get("tenant_id"))
            observability.get_logger().info("record")

    @observability.observed
    def consumer(event: dict[str, Any], context: Any) -> None:
        for body in event["Records"]:
            record(body)
        observability.get_logger().info("batch done")

    consumer({"Records": [{"id": "m1", "tenant_id": "t_a"}, {"id": "m2"}]}, lambda_context(request_id="req-b"))

    first, second, done = log_lines()
    assert first["tenant_id"] == "t_a" and first["message_id"] == "m1"
    assert second["message_id"] == "m2" and "tenant_id" not in second
    assert "message_id" not in done and done["function_request_id"] == "req-b"
    assert all(line["function_request_id"] == "req-b" for line in (first, second, done))


def test_given_a_record_that_raises_when_handled_then_it_is_logged_with_its_keys_and_re_raised(log_lines):
    @observability.observed
    def consumer(event: dict[str, Any], context: Any) -> None:
        with observability.record(tenant_id="t_a", delivery_id="d_1"):
            raise ValueError("bad record")

    with pytest.raises(ValueError):
        consumer({}, lambda_context())

    [line] = log_lines()
    assert line["level"] == "ERROR" and line["message"] == "record failed"
    assert line["tenant_id"] == "t_a" and line["delivery_id"] == "d_1"
    assert line["exception_name"] == "ValueError"


def test_given_two_threads_when_invocations_overlap_then_neither_sees_the_others_tenant(log_lines):
    """As on the local stack: every function in one process, consumers and API on their own threads."""
    inside = threading.Event()
    resume = threading.Event()

    def slow(event: dict[str, Any], context: Any) -> dict[str, Any]:
        inside.set()
        resume.wait(5)
        observability.get_logger().info("slow")
        return {"statusCode": 200}

    thread = threading.Thread(target=observability.observed_api(slow), args=(api_event(tenant_id="t_slow"), None))
    thread.start()
    inside.wait(5)
    api_handler(log="fast")(api_event(tenant_id="t_fast"), lambda_context())
    resume.set()
    thread.join(5)

    lines = {line["message"]: line for line in log_lines()}
    assert lines["fast"]["tenant_id"] == "t_fast"
    assert lines["slow"]["tenant_id"] == "t_slow"


def test_given_the_authorizer_when_reading_the_key_fails_then_the_error_line_has_the_context_and_the_claimed_key(
    log_lines, monkeypatch
):
    from authorizer import handler as authorizer
    from tenants import apikeys

    def unavailable(*args: Any) -> Any:
        raise RuntimeError("throttled")

    monkeypatch.setattr(authorizer, "read_key", unavailable)
    monkeypatch.setattr(authorizer, "SystemTable", lambda: None)
    monkeypatch.setattr(authorizer, "_operator_key_digest", lambda: None)
    tenant_id, key_id = "01J0000000000000000000000T", "01J0000000000000000000000K"
    event = {"headers": {"Authorization": f"Bearer {apikeys.issue(tenant_id, key_id)}"}, "methodArn": "arn/v1/GET/x"}

    with pytest.raises(RuntimeError):
        authorizer.handler(event, lambda_context(request_id="auth-1"))

    [line] = log_lines()
    assert line["level"] == "ERROR" and line["function_request_id"] == "auth-1"
    assert line["claimed_tenant_id"] == tenant_id and line["claimed_key_id"] == key_id
    assert "tenant_id" not in line  # not verified: never reported as the caller's tenant


# --- metrics ------------------------------------------------------------------------------------------


def test_given_an_api_request_when_it_is_answered_then_requests_has_the_tier_dimension_and_tenant_metadata(
    metrics_on, capsys
):
    api_handler(201, log=None)(api_event(tier="premium"), lambda_context())

    [requests] = metric(emf_lines(capsys.readouterr().out), "Requests")
    assert requests["namespace"] == "CrmTest"
    assert set(requests["dimensions"]) == {"service", "tier", "status_class"}
    assert requests["tier"] == "premium" and requests["status_class"] == "2xx" and requests["service"] == "contacts"
    assert requests["tenant_id"] == "t_acme"  # metadata: on the line, never a dimension
    assert "tenant_id" not in requests["dimensions"]
    assert requests["Requests"] == [1.0]


def test_given_writes_and_a_5xx_when_flushed_then_writes_and_failures_share_one_line_per_tenant(metrics_on, capsys):
    api_handler(503, log=None, writes=2)(api_event(tier="basic"), lambda_context())

    blobs = emf_lines(capsys.readouterr().out)
    [requests] = metric(blobs, "Requests")
    assert requests["status_class"] == "5xx"
    [writes] = metric(blobs, "Writes")
    assert writes["Writes"] == [2.0] and writes["Failures"] == [1.0]
    assert set(writes["dimensions"]) == {"service", "tier"} and writes["tier"] == "basic"
    assert writes["tenant_id"] == "t_acme"


def test_given_a_handler_that_raises_when_invoked_then_a_5xx_and_a_failure_are_counted_and_it_re_raises(
    metrics_on, capsys
):
    def broken(event: dict[str, Any], context: Any) -> dict[str, Any]:
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        observability.observed_api(broken)(api_event(), lambda_context())

    blobs = emf_lines(capsys.readouterr().out)
    assert metric(blobs, "Requests")[0]["status_class"] == "5xx"
    assert metric(blobs, "Failures")[0]["Failures"] == [1.0]


def test_given_a_handler_wrapped_twice_when_invoked_then_the_request_is_counted_once(metrics_on, capsys):
    twice = observability.observed_api(api_handler(log=None))

    twice(api_event(), lambda_context())

    assert len(metric(emf_lines(capsys.readouterr().out), "Requests")) == 1


@pytest.mark.parametrize(
    ("authorizer", "tier"),
    [
        ({"tenant_id": "t_a", "tier": "standard", "role": "member"}, "standard"),
        ({"tenant_id": "", "tier": "", "role": "operator"}, "operator"),
        ({}, "unknown"),
    ],
)
def test_given_a_caller_when_its_tier_is_read_then_it_is_the_tenants_tier_operator_or_unknown(authorizer, tier):
    assert observability.tier_of(authorizer) == tier


def test_given_the_operator_when_it_calls_then_its_metrics_have_no_tenant_metadata(metrics_on, capsys):
    api_handler(log=None)(api_event(tenant_id="", tier="", role="operator"), lambda_context())

    [requests] = metric(emf_lines(capsys.readouterr().out), "Requests")
    assert requests["tier"] == "operator" and "tenant_id" not in requests


def test_given_a_batch_of_two_tenants_when_flushed_then_each_tenant_has_its_own_line(metrics_on, capsys):
    @observability.observed
    def consumer(event: dict[str, Any], context: Any) -> None:
        for tenant_id, succeeded in (("t_a", True), ("t_b", False), ("t_a", True)):
            with observability.record(tenant_id=tenant_id):
                observability.count_delivery(succeeded)

    consumer({}, lambda_context())

    blobs = emf_lines(capsys.readouterr().out)
    deliveries = metric(blobs, "Deliveries")
    by_tenant = {(d["tenant_id"], d["outcome"]): d["Deliveries"] for d in deliveries}
    assert by_tenant == {("t_a", "succeeded"): [2.0], ("t_b", "failed"): [1.0]}
    assert all(d["tier"] == "unknown" and set(d["dimensions"]) == {"service", "tier", "outcome"} for d in deliveries)
    [failures] = metric(blobs, "Failures")
    assert failures["tenant_id"] == "t_b" and failures["Failures"] == [1.0]
    assert set(failures["dimensions"]) == {"service", "tier"}


def test_given_an_invocation_that_counted_nothing_when_it_ends_then_nothing_is_printed_and_nothing_warns(
    metrics_on, capsys, recwarn
):
    observability.observed(lambda event, context: None)({}, lambda_context())

    assert capsys.readouterr().out == ""
    assert not [w for w in recwarn if "metric" in str(w.message).lower()]


def test_given_no_invocation_when_a_write_is_counted_then_nothing_happens(metrics_on, capsys):
    observability.count_write()
    observability.count_delivery(False)

    assert capsys.readouterr().out == ""


@pytest.mark.parametrize(
    ("environment", "enabled"),
    [
        ({}, False),  # tests, `make dev`, scripts: no EMF on stdout
        ({"AWS_LAMBDA_FUNCTION_NAME": "crm-contacts"}, True),
        ({"AWS_LAMBDA_FUNCTION_NAME": "crm-contacts", "POWERTOOLS_METRICS_DISABLED": "true"}, False),
        ({"AWS_LAMBDA_FUNCTION_NAME": "crm-contacts", "POWERTOOLS_DEV": "true"}, False),
        ({"POWERTOOLS_METRICS_DISABLED": "false"}, True),
        ({"POWERTOOLS_METRICS_DISABLED": "TRUE"}, False),
    ],
)
def test_given_an_environment_when_asked_whether_metrics_are_emitted_then_only_lambda_or_an_explicit_false_says_so(
    monkeypatch, environment, enabled
):
    for name in ("AWS_LAMBDA_FUNCTION_NAME", "POWERTOOLS_METRICS_DISABLED", "POWERTOOLS_DEV"):
        monkeypatch.delenv(name, raising=False)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)

    assert observability.metrics_enabled() is enabled


def test_given_metrics_off_when_many_invocations_count_then_nothing_is_printed_or_kept(monkeypatch, capsys):
    monkeypatch.setenv("POWERTOOLS_METRICS_DISABLED", "true")
    handler = api_handler(log=None, writes=1)

    for _ in range(150):  # Powertools prints at 100 values even when disabled, if it is ever given them
        handler(api_event(), lambda_context())

    assert capsys.readouterr().out == ""


def test_given_emitting_fails_when_flushed_then_the_response_still_returns(metrics_on, monkeypatch, log_lines):
    monkeypatch.setenv("POWERTOOLS_METRICS_DISABLED", "not-a-boolean")  # Powertools itself cannot read this

    response = api_handler(log=None)(api_event(), lambda_context())

    assert response["statusCode"] == 200
    assert [line["message"] for line in log_lines()] == ["metrics not emitted"]


# --- writes are counted where they commit -------------------------------------------------------------


class FakeTable:
    def __init__(self, fail: bool = False) -> None:
        self.fail = fail

    def transact(self, actions: list[Any]) -> None:
        if self.fail:
            raise ConditionsFailed([0], {0: {"record_id": "other"}})


def test_given_a_plan_of_several_actions_when_committed_then_one_write_is_counted(metrics_on, capsys):
    plan = WritePlan().add(Put("p", "a", {})).add(Put("p", "b", {})).add(Put("p", "c", {}))

    @observability.observed
    def handler(event: Any, context: Any) -> None:
        with observability.record(tenant_id="t_a"):
            Writer(FakeTable(), idempotency_pk="p").commit(plan, Outcome(201, {}))

    handler({}, lambda_context())

    [writes] = metric(emf_lines(capsys.readouterr().out), "Writes")
    assert writes["Writes"] == [1.0] and writes["tenant_id"] == "t_a"


def test_given_a_plan_whose_condition_fails_when_committed_then_no_write_is_counted(metrics_on, capsys):
    plan = WritePlan().add(Put("p", "a", {}), "duplicate", "email")

    @observability.observed
    def handler(event: Any, context: Any) -> None:
        Writer(FakeTable(fail=True), idempotency_pk="p").commit(plan, Outcome(201, {}))

    with pytest.raises(Exception, match="already has this email"):
        handler({}, lambda_context())

    assert metric(emf_lines(capsys.readouterr().out), "Writes") == []


# --- cold starts --------------------------------------------------------------------------------------


def _fresh_modules(code: str) -> set[str]:
    paths = [str(ROOT / "layers" / "shared" / "python"), str(ROOT / "functions")]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(paths), "AWS_DEFAULT_REGION": "us-east-1"}
    program = f"{code}\nimport sys\nprint('\\n'.join(sys.modules))"
    result = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, env=env, check=True)
    return set(result.stdout.split())


def test_given_a_fresh_interpreter_when_observability_and_the_writer_are_imported_then_powertools_is_not():
    loaded = _fresh_modules("import crm.observability, crm.writes")
    assert not {m for m in loaded if m.startswith("aws_lambda_powertools")}


def test_given_the_authorizer_when_it_is_imported_then_it_still_loads_no_powertools():
    loaded = _fresh_modules("import authorizer.handler")
    assert "crm.observability" in loaded
    assert not {m for m in loaded if m.startswith("aws_lambda_powertools")}

"""The small pieces the stack is made of, tested without synthesizing anything."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import pytest

from crm.catalogue import ENV_ALLOW_PRIVATE_WEBHOOKS, FunctionSpec, QueueSpec, Route, stage_path, visibility_timeout_s
from infra import compute
from infra.compute import CloudFunction, PipInstallLocally, check_cloud_environment, pascal_case
from infra.event_bus import event_pattern


def test_routes_lose_the_v1_prefix_the_stage_supplies() -> None:
    """Given catalogue routes under /v1, when placed in the API, then the `v1` stage supplies the prefix:
    `/v1` itself is the stage's root resource."""
    assert stage_path("/v1/contacts/{proxy+}") == "/contacts/{proxy+}"
    assert stage_path("/v1") == "/"
    assert stage_path("/contacts") == "/contacts"  # a Lambda event's path is already stage-relative


@pytest.mark.parametrize("route", ["/v2/contacts", "/v1contacts", "/contacts"])
def test_routes_outside_v1_are_refused(route: str) -> None:
    with pytest.raises(ValueError, match="outside"):
        Route(route)


def test_pascal_case_makes_construct_ids() -> None:
    assert pascal_case("api-keys") == "ApiKeys"
    assert pascal_case("DEFAULT_5XX") == "Default5xx"


def test_dependency_layer_is_built_by_pip_for_lambda_arm64(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Given the local bundler, when CDK asks it to bundle, then pip installs Linux arm64 CPython 3.12
    wheels (never sdists) into <output>/python, the layer layout, and no Docker is needed."""
    calls: list[list[str]] = []

    def fake_run(command: list[str], **kwargs: Any) -> subprocess.CompletedProcess[str]:
        calls.append(command)
        assert kwargs.get("check") is True
        return subprocess.CompletedProcess(command, 0)

    monkeypatch.setattr(compute.subprocess, "run", fake_run)
    requirements = tmp_path / "requirements.txt"

    assert PipInstallLocally(requirements).try_bundle(str(tmp_path / "out")) is True

    (command,) = calls
    assert command[1:4] == ["-m", "pip", "install"]
    for flag, value in {
        "--platform": "manylinux2014_aarch64",
        "--python-version": "3.12",
        "--implementation": "cp",
        "--requirement": str(requirements),
        "--target": str(tmp_path / "out" / "python"),
    }.items():
        assert command[command.index(flag) + 1] == value
    assert "--only-binary=:all:" in command


def _consumer(timeout_s: int) -> FunctionSpec:
    return FunctionSpec(name="worker", handler="worker.handler", description="", consumes="q", timeout_s=timeout_s)


def test_visibility_timeout_is_raised_to_six_consumer_timeouts() -> None:
    """Given a catalogue visibility timeout shorter than 6x a consumer's timeout, then the consumer's wins;
    a longer catalogue value, or no consumer at all, keeps the catalogue's."""
    assert visibility_timeout_s(QueueSpec("q", visibility_timeout_s=120), [_consumer(60)]) == 360
    assert visibility_timeout_s(QueueSpec("q", visibility_timeout_s=900), [_consumer(60)]) == 900
    assert visibility_timeout_s(QueueSpec("q", visibility_timeout_s=30), []) == 30
    assert visibility_timeout_s(QueueSpec("q", visibility_timeout_s=30), [_consumer(10), _consumer(100)]) == 600


def test_visibility_timeout_beyond_the_sqs_limit_is_refused() -> None:
    with pytest.raises(ValueError, match="limit"):
        visibility_timeout_s(QueueSpec("q", visibility_timeout_s=30), [_consumer(2 * 60 * 60 + 1)])


def test_catalogue_event_patterns_keep_eventbridge_key_names() -> None:
    """Given a pattern in EventBridge's JSON (`detail-type`), then the CDK pattern carries each part."""
    pattern = event_pattern({"source": ["crm"], "detail-type": ["contact.created"], "detail": {"tenant_id": ["t1"]}})
    assert pattern.source == ["crm"]
    assert pattern.detail_type == ["contact.created"]
    assert pattern.detail == {"tenant_id": ["t1"]}


def test_event_pattern_keys_eventbridge_does_not_know_are_refused() -> None:
    with pytest.raises(ValueError, match="unsupported event pattern"):
        event_pattern({"sauce": ["crm"]})


def test_the_cloud_never_allows_private_webhook_targets() -> None:
    """Given an environment that would switch off the sender's private-address refusal, then the stack
    refuses it, whether a function is built with it or any part of the stack adds it later."""
    from aws_cdk import App, Stack
    from aws_cdk import aws_lambda as lambda_

    with pytest.raises(ValueError, match="local stack only"):
        check_cloud_environment("webhook_sender", {ENV_ALLOW_PRIVATE_WEBHOOKS: "1"})

    stack = Stack(App(), "Probe")
    settings: dict[str, Any] = {
        "runtime": lambda_.Runtime.PYTHON_3_12,
        "handler": "webhooks.sender.handler",
        "code": lambda_.Code.from_inline("handler = None"),
    }
    with pytest.raises(ValueError, match="local stack only"):
        CloudFunction(stack, "Built", environment={ENV_ALLOW_PRIVATE_WEBHOOKS: "1"}, **settings)
    function = CloudFunction(stack, "Added", environment={}, **settings)
    with pytest.raises(ValueError, match="local stack only"):
        function.add_environment(ENV_ALLOW_PRIVATE_WEBHOOKS, "1")

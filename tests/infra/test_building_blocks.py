"""The small pieces the stack is made of, tested without synthesizing anything."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import pytest

from infra import compute
from infra.api import stage_relative_path
from infra.compute import PipInstallLocally, pascal_case


def test_routes_lose_the_v1_prefix_the_stage_supplies() -> None:
    """Given catalogue routes under /v1, when placed in the API, then the `v1` stage supplies the prefix."""
    assert stage_relative_path("/v1/contacts/{proxy+}") == "/contacts/{proxy+}"
    assert stage_relative_path("/v1") == ""


@pytest.mark.parametrize("route", ["/v2/contacts", "/v1contacts", "/contacts"])
def test_routes_outside_v1_are_refused(route: str) -> None:
    with pytest.raises(ValueError, match="outside"):
        stage_relative_path(route)


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

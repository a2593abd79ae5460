"""Regenerate the typed Python SDK from the OpenAPI document the API serves (`make sdk`).

1. GET /v1/openapi.json, answered in-process by the function the catalogue routes it to (no server, no
   network): the exact public document a client downloads, written to sdk/openapi.json.
2. openapi-python-client (pinned in pyproject) turns it into the package sdk/crm_client, which ruff then
   fixes and formats with the repository's settings.

Deterministic: the same code gives byte-identical files in any directory, so a test can regenerate into a
temporary one and compare (tests/infra/test_sdk_is_current.py)."""

from __future__ import annotations

import contextlib
import importlib
import io
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SDK = ROOT / "sdk"
DOCUMENT = SDK / "openapi.json"
PACKAGE = SDK / "crm_client"
CONFIG = SDK / "openapi-python-client.yml"
PUBLIC_PATH = "/v1/openapi.json"

# Generated code keeps the generator's docstrings (the document's descriptions, some long) and idioms; the
# rest of the repository's rules hold. A nested ruff config applies to this package only.
RUFF_TOML = """\
# Written by sdk/generate.py: the repository's ruff settings, less what generated code cannot meet
# (long description lines in docstrings, the generator's union order, isinstance chains and if/else blocks).
extend = "../../pyproject.toml"

[lint]
extend-ignore = ["E501", "RUF036", "SIM101", "SIM108"]
"""


def served_document() -> dict[str, Any]:
    """The document as API Gateway would serve it: the catalogue's function for the path, called with the
    proxy event of an unauthenticated GET."""
    from crm import catalogue

    spec = next(s for s in catalogue.API_FUNCTIONS for r in s.routes if r.path == PUBLIC_PATH)
    module_name, _, attribute = spec.handler.rpartition(".")
    handler = getattr(importlib.import_module(module_name), attribute)
    path = catalogue.stage_path(PUBLIC_PATH)
    event = {
        "resource": path,
        "path": path,
        "httpMethod": "GET",
        "headers": {"Accept": "application/json"},
        "multiValueHeaders": {"Accept": ["application/json"]},
        "queryStringParameters": None,
        "multiValueQueryStringParameters": None,
        "pathParameters": None,
        "stageVariables": None,
        "requestContext": {
            "resourcePath": path,
            "httpMethod": "GET",
            "path": PUBLIC_PATH,
            "stage": catalogue.API_STAGE,
            "requestId": "sdk-generate",
            "identity": {"sourceIp": "127.0.0.1"},
        },
        "body": None,
        "isBase64Encoded": False,
    }
    response = handler(event, None)
    if response["statusCode"] != 200:
        raise RuntimeError(f"GET {PUBLIC_PATH} answered {response['statusCode']}: {response.get('body')}")
    return json.loads(response["body"])


def render(document: dict[str, Any]) -> str:
    """Pretty, in the order the API serves it (deterministic: the code builds it in one order)."""
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def build(directory: Path, served: dict[str, Any] | None = None) -> list[str]:
    """Write openapi.json and the crm_client package into `directory`; return the generator's warnings.
    `served` is another document to generate from, e.g. one tenant's (GET /v1/openapi.json with its key)."""
    from openapi_python_client import generate
    from openapi_python_client.config import Config, ConfigFile, MetaType

    document = directory / DOCUMENT.name
    package = directory / PACKAGE.name
    document.write_text(render(served if served is not None else served_document()), encoding="utf-8")
    config = Config.from_sources(
        ConfigFile.load_from_path(CONFIG), MetaType.NONE, document, "utf-8", overwrite=True, output_path=package
    )
    with contextlib.redirect_stdout(io.StringIO()):  # it prints "Generating ..."
        problems = generate(config=config)
    warnings = [f"{p.level.value}: {p.header}" + (f": {p.detail}" if p.detail else "") for p in problems]
    if any(p.level.value == "ERROR" for p in problems):
        raise RuntimeError("openapi-python-client failed:\n" + "\n".join(warnings))
    (package / "ruff.toml").write_text(RUFF_TOML, encoding="utf-8")
    _ruff("check", "--fix-only", "--quiet", str(package))
    _ruff("format", "--quiet", str(package))
    return warnings


def _ruff(*args: str) -> None:
    from ruff.__main__ import find_ruff_bin

    # The repository's settings whatever the directory, so a temporary copy formats as the committed one.
    command = [find_ruff_bin(), *args, "--config", str(ROOT / "pyproject.toml")]
    subprocess.run(command, check=True, capture_output=True)


def generated_files(package: Path) -> dict[str, bytes]:
    """Every file of a generated package by relative path (bytecode and tool caches left out)."""
    files = {}
    for path in sorted(package.rglob("*")):
        relative = path.relative_to(package)
        if path.is_file() and not any(part == "__pycache__" or part.startswith(".") for part in relative.parts):
            files[relative.as_posix()] = path.read_bytes()
    return files


def main() -> int:
    with tempfile.TemporaryDirectory() as scratch:
        # Generate aside, then replace: an interrupted run never leaves a half-written package.
        warnings = build(Path(scratch))
        shutil.rmtree(PACKAGE, ignore_errors=True)
        shutil.move(Path(scratch) / PACKAGE.name, PACKAGE)
        shutil.copyfile(Path(scratch) / DOCUMENT.name, DOCUMENT)
    for warning in warnings:
        print(f"sdk/generate.py: {warning}", file=sys.stderr)
    count = len(generated_files(PACKAGE))
    print(f"wrote {DOCUMENT.relative_to(ROOT)} and {PACKAGE.relative_to(ROOT)}/ ({count} files)")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Lambda layers and one function per catalogue `FunctionSpec`."""

from __future__ import annotations

import hashlib
import re
import subprocess
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import jsii
from aws_cdk import AssetHashType, BundlingOptions, DockerImage, Duration, ILocalBundling, Stack
from aws_cdk import aws_dynamodb as dynamodb
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_logs as logs
from constructs import Construct

from crm.catalogue import ENV_ALLOW_PRIVATE_WEBHOOKS, ENV_TABLE_NAME, FunctionSpec
from infra.nag import acknowledge

REPO_ROOT = Path(__file__).resolve().parent.parent
FUNCTIONS_DIR = REPO_ROOT / "functions"
SHARED_LAYER_DIR = REPO_ROOT / "layers" / "shared"
# The runtime dependencies ([project].dependencies) pinned with hashes by `make lock`; the dev install (Makefile)
# installs the same file, so the layer carries exactly what the tests ran against.
REQUIREMENTS_LOCK = REPO_ROOT / "requirements.lock"
# The layer's recipe: it names the lock (tests/infra/test_lock.py keeps it so).
DEPENDENCIES_REQUIREMENTS = REPO_ROOT / "layers" / "dependencies" / "requirements.txt"

RUNTIME = lambda_.Runtime.PYTHON_3_12
ARCHITECTURE = lambda_.Architecture.ARM_64
# pip must fetch wheels for the Lambda platform, not for this machine.
PIP_PLATFORM = "manylinux2014_aarch64"
PIP_PYTHON_VERSION = RUNTIME.name.removeprefix("python")
# PEP 508 marker values on that platform, for checking offline that the lock (resolved by pip-compile for the
# interpreter it ran on) holds every dependency Lambda's interpreter needs.
LAMBDA_MARKER_ENVIRONMENT = {
    "implementation_name": "cpython",
    "implementation_version": f"{PIP_PYTHON_VERSION}.0",
    "os_name": "posix",
    "platform_machine": "aarch64",
    "platform_python_implementation": "CPython",
    "platform_system": "Linux",
    "python_full_version": f"{PIP_PYTHON_VERSION}.0",
    "python_version": PIP_PYTHON_VERSION,
    "sys_platform": "linux",
}
METRICS_NAMESPACE = "Crm"
LOG_RETENTION = logs.RetentionDays.ONE_MONTH
MAX_FUNCTION_NAME_LENGTH = 64  # a Lambda limit
# Local-only switches no cloud function may carry: the webhook sender must keep refusing private, loopback,
# link-local and metadata addresses.
LOCAL_ONLY_ENVIRONMENT = (ENV_ALLOW_PRIVATE_WEBHOOKS,)
# Local caches and tests never ship to Lambda.
CODE_EXCLUDES = [
    "**/__pycache__",
    "**/*.pyc",
    "**/.pytest_cache",
    "**/.ruff_cache",
    "**/.mypy_cache",
    "**/tests",
    "**/.DS_Store",
]


def pascal_case(name: str) -> str:
    """`api-keys` -> `ApiKeys`, for construct ids."""
    return "".join(part.capitalize() for part in re.split(r"[^A-Za-z0-9]+", name) if part)


def check_cloud_environment(function: str, environment: Mapping[str, object]) -> None:
    """Refuse an environment that would switch on a local-only behaviour in the cloud."""
    local_only = sorted(set(environment) & set(LOCAL_ONLY_ENVIRONMENT))
    if local_only:
        raise ValueError(f"{function}: {', '.join(local_only)} is for the local stack only, never the cloud")


class CloudFunction(lambda_.Function):
    """A Lambda function whose environment never carries a local-only switch, whichever part of the stack
    sets it: at construction or later through add_environment (access.py, event_bus.py)."""

    def __init__(self, scope: Construct, construct_id: str, *, environment: Mapping[str, str], **kwargs: Any) -> None:
        check_cloud_environment(construct_id, environment)
        super().__init__(scope, construct_id, environment=dict(environment), **kwargs)

    def add_environment(self, key: str, value: str, *, remove_in_edge: bool | None = None) -> lambda_.Function:
        check_cloud_environment(self.node.id, {key: value})
        return super().add_environment(key, value, remove_in_edge=remove_in_edge)


@jsii.implements(ILocalBundling)
class PipInstallLocally:
    """Builds the dependency layer with this machine's pip instead of a Docker image (there is no Docker).

    `--platform/--only-binary` make pip pick the Lambda (Linux arm64, CPython 3.12) wheels whatever the host.
    `--require-hashes --no-deps` install exactly the lock, each file checked against its hash: pip would evaluate
    dependency markers for the interpreter it runs on, not Lambda's, so nothing is resolved here (the lock's
    completeness for Lambda is checked by tests/infra/test_lock.py).
    """

    def __init__(self, requirements: Path) -> None:
        self._requirements = requirements

    # jsii passes the BundlingOptions struct too; it is not needed here.
    def try_bundle(self, output_dir: str, *_options: object, **_keyword_options: object) -> bool:
        command = [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
            "--no-compile",  # bytecode of this host's Python would be useless to Lambda's
            "--require-hashes",
            "--no-deps",
            "--requirement",
            str(self._requirements),
            "--platform",
            PIP_PLATFORM,
            "--only-binary=:all:",
            "--python-version",
            PIP_PYTHON_VERSION,
            "--implementation",
            "cp",
            "--target",
            str(Path(output_dir) / "python"),  # the Lambda layer layout: /opt/python
        ]
        # pip's output is kept for a failure: on success it is only noise from this machine's pip configuration
        # in the middle of `cdk synth`.
        try:
            subprocess.run(command, check=True, capture_output=True, text=True)
        except subprocess.CalledProcessError as failed:
            raise RuntimeError(
                f"building the dependency layer failed: {' '.join(command)}\n{failed.stdout}{failed.stderr}"
            ) from None
        return True


def dependencies_asset_hash(requirements: Path = DEPENDENCIES_REQUIREMENTS, lock: Path = REQUIREMENTS_LOCK) -> str:
    """What the dependency layer is made of: the lock's bytes, the recipe naming it and the platform pip targets.
    The same lock reuses the built layer (no pip run, no new layer version); any change to it rebuilds."""
    digest = hashlib.sha256()
    for part in (f"{PIP_PLATFORM} cp{PIP_PYTHON_VERSION}".encode(), requirements.read_bytes(), lock.read_bytes()):
        digest.update(hashlib.sha256(part).digest())  # hashes of the parts: no two splits give the same input
    return digest.hexdigest()


def dependencies_layer(
    scope: Construct,
    construct_id: str,
    *,
    requirements: Path = DEPENDENCIES_REQUIREMENTS,
    lock: Path = REQUIREMENTS_LOCK,
) -> lambda_.LayerVersion:
    """The third-party layer, built by pip from the recipe, which includes the lock (no Docker). `lock` is that
    included file: pip reads it through the recipe, the asset hash and the description from here."""
    lock_digest = hashlib.sha256(lock.read_bytes()).hexdigest()
    return lambda_.LayerVersion(
        scope,
        construct_id,
        code=lambda_.Code.from_asset(
            str(requirements.parent),
            # The layer's content lives in the lock, outside this directory, so CDK cannot fingerprint it.
            asset_hash_type=AssetHashType.CUSTOM,
            asset_hash=dependencies_asset_hash(requirements, lock),
            bundling=BundlingOptions(
                image=DockerImage.from_registry("unused"),  # never pulled: local bundling succeeds
                local=PipInstallLocally(requirements),
            ),
        ),
        compatible_runtimes=[RUNTIME],
        compatible_architectures=[ARCHITECTURE],
        # Which lock a deployed layer version came from: compare with `sha256sum requirements.lock`.
        description=f"CRM third-party dependencies ({lock.name} sha256 {lock_digest[:12]})",
    )


class Compute(Construct):
    """The shared-code and dependency layers, and one function (own role, own log group) per spec."""

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        specs: Sequence[FunctionSpec],
        table: dynamodb.ITable,
    ) -> None:
        super().__init__(scope, construct_id)
        self.shared_layer = lambda_.LayerVersion(
            self,
            "SharedLayer",
            code=lambda_.Code.from_asset(str(SHARED_LAYER_DIR), exclude=CODE_EXCLUDES),
            compatible_runtimes=[RUNTIME],
            compatible_architectures=[ARCHITECTURE],
            description="CRM shared code (crm package)",
        )
        self.dependencies_layer = dependencies_layer(self, "DependenciesLayer")
        # One asset for every function: each handler string points into its own package.
        code = lambda_.Code.from_asset(str(FUNCTIONS_DIR), exclude=CODE_EXCLUDES)

        self.functions: dict[str, lambda_.Function] = {}
        # Physical names are fixed so the API can integrate a function by name (see api.py).
        self.function_names: dict[str, str] = {}
        self.roles: dict[str, iam.Role] = {}
        for spec in specs:
            self._add_function(spec, code, table)

    def _add_function(self, spec: FunctionSpec, code: lambda_.Code, table: dynamodb.ITable) -> None:
        construct_id = pascal_case(spec.name)
        function_name = f"{Stack.of(self).stack_name}-{spec.name}"
        if len(function_name) > MAX_FUNCTION_NAME_LENGTH:
            raise ValueError(f"function name {function_name!r} is too long: use a shorter stack name")
        # An explicit role per function: it starts empty and gains only what its spec asks for (access.py).
        role = iam.Role(
            self,
            f"{construct_id}Role",
            assumed_by=iam.ServicePrincipal("lambda.amazonaws.com"),
            description=f"Execution role of the {spec.name} function",
        )
        acknowledge(
            role,
            "AwsSolutions-IAM5[Resource::*]",
            "Active tracing: xray:PutTraceSegments/PutTelemetryRecords have no resource-level permissions.",
        )
        log_group = logs.LogGroup(self, f"{construct_id}Logs", retention=LOG_RETENTION)
        log_group.grant_write(role)
        function = CloudFunction(
            self,
            construct_id,
            function_name=function_name,
            description=spec.description,
            runtime=RUNTIME,
            architecture=ARCHITECTURE,
            code=code,
            handler=spec.handler,
            layers=[self.shared_layer, self.dependencies_layer],
            memory_size=spec.memory_mb,
            timeout=Duration.seconds(spec.timeout_s),
            role=role,
            log_group=log_group,
            tracing=lambda_.Tracing.ACTIVE,
            environment={
                ENV_TABLE_NAME: table.table_name,
                "POWERTOOLS_SERVICE_NAME": spec.name,
                "POWERTOOLS_METRICS_NAMESPACE": METRICS_NAMESPACE,
            },
        )
        acknowledge(
            function,
            "AwsSolutions-L1",
            "Pinned to Python 3.12: the dependency layer is built for exactly this runtime.",
        )
        self.functions[spec.name] = function
        self.function_names[spec.name] = function_name
        self.roles[spec.name] = role

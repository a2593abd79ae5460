"""The Step Functions adapter: start an execution of the one workflow state machine for a run.

Execution names are `<run id>-<generation>`: deterministic, so starting the same generation twice (a
redelivered trigger, a retried request) never makes a second execution; a retry, a resumed run or a
continuation starts the next generation."""

from __future__ import annotations

import json
import os
from typing import Any

from crm.catalogue import ENV_WORKFLOW_MACHINE_ARN
from crm.errors import ServiceUnavailable

_client: Any = None


def _stepfunctions() -> Any:
    global _client
    if _client is None:
        import boto3

        _client = boto3.client("stepfunctions")
    return _client


def reset_client() -> None:
    global _client
    _client = None


def execution_name(run_id: str, generation: int) -> str:
    return f"{run_id}-{generation}"


def start(tenant_id: str, run_id: str, generation: int) -> str:
    """Start (or find already started) this generation's execution; returns its name."""
    from botocore.exceptions import BotoCoreError, ClientError

    name = execution_name(run_id, generation)
    try:
        _stepfunctions().start_execution(
            stateMachineArn=os.environ[ENV_WORKFLOW_MACHINE_ARN],
            name=name,
            input=json.dumps({"tenant_id": tenant_id, "run_id": run_id}),
        )
    except ClientError as error:
        if error.response.get("Error", {}).get("Code") != "ExecutionAlreadyExists":
            raise ServiceUnavailable("The workflow engine could not start the run; retry shortly.") from None
    except BotoCoreError:
        raise ServiceUnavailable("The workflow engine could not be reached; retry shortly.") from None
    return name

"""What an operator needs after `make deploy` / `make destroy`, read from the outputs file `cdk deploy` wrote.

    python scripts/deploy_outputs.py deployed cdk.out/Crm.outputs.json Crm
    python scripts/deploy_outputs.py destroyed cdk.out/Crm.outputs.json Crm

Standard library only: it runs right after the CDK CLI, with nothing of the app imported.
"""

from __future__ import annotations

import argparse
import json
import shlex
import sys
from collections.abc import Mapping
from pathlib import Path

# Output names of infra/stack.py (tests/infra/test_deployability.py keeps them in step).
API_URL = "ApiUrl"
OPERATOR_SECRET_ARN = "OperatorSecretArn"
TABLE_NAME = "TableName"
ALARM_TOPIC_ARN = "AlarmTopicArn"


def stack_outputs(outputs_file: Path, stack_name: str) -> dict[str, str]:
    """The named stack's outputs from `cdk deploy --outputs-file` ({stack name: {output: value}})."""
    document = json.loads(outputs_file.read_text(encoding="utf-8"))
    if stack_name not in document:
        raise SystemExit(f"{outputs_file} has no outputs of stack {stack_name!r} (it has: {', '.join(document)})")
    return document[stack_name]


def arn_region(arn: str) -> str:
    """arn:partition:service:REGION:account:resource -> REGION."""
    return arn.split(":")[3]


def read_operator_key_command(secret_arn: str) -> str:
    """The aws CLI command that prints the operator key (the secret's whole string)."""
    return shlex.join(
        [
            "aws",
            "secretsmanager",
            "get-secret-value",
            "--region",
            arn_region(secret_arn),
            "--secret-id",
            secret_arn,
            "--query",
            "SecretString",
            "--output",
            "text",
        ]
    )


def deployed_report(outputs: Mapping[str, str], stack_name: str, outputs_file: Path) -> str:
    url, secret = outputs[API_URL], outputs[OPERATOR_SECRET_ARN]
    return "\n".join(
        [
            f"Stack {stack_name} is deployed (all outputs: {outputs_file}).",
            "",
            f"  API URL              {url}",
            f"  Operator key secret  {secret}",
            f"  Alarm topic          {outputs.get(ALARM_TOPIC_ARN, '-')}  (subscribe to receive alarms)",
            "",
            "Onboard the first tenant with the crm command (in .venv/bin; it reads CRM_URL and CRM_API_KEY):",
            "",
            f"  export CRM_URL={shlex.quote(url)}",
            f'  export CRM_API_KEY="$({read_operator_key_command(secret)})"',
            "  curl -s ${CRM_URL}health",
            "  .venv/bin/crm tenants create acme",
        ]
    )


def destroyed_report(table_name: str | None, stack_name: str) -> str:
    table = f"DynamoDB table {table_name}" if table_name else "DynamoDB table"
    return "\n".join(
        [
            f"Stack {stack_name} is deleted. Kept on purpose (README, Deploy to AWS, says how to delete them):",
            f"  - the {table} (with its data; deletion protection is on)",
            "  - the log groups of its functions and pipe (each keeps a month of logs)",
            "  - with api_cloudwatch_role=true: API Gateway's account-wide CloudWatch role setting and its role",
        ]
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("event", choices=("deployed", "destroyed"))
    parser.add_argument("outputs_file", type=Path)
    parser.add_argument("stack_name")
    arguments = parser.parse_args(argv)
    if arguments.event == "deployed":
        outputs = stack_outputs(arguments.outputs_file, arguments.stack_name)
        print(deployed_report(outputs, arguments.stack_name, arguments.outputs_file))
    else:
        # The outputs of the last deploy from this checkout, if any, name the retained table.
        document = json.loads(arguments.outputs_file.read_text()) if arguments.outputs_file.is_file() else {}
        print(destroyed_report(document.get(arguments.stack_name, {}).get(TABLE_NAME), arguments.stack_name))
    return 0


if __name__ == "__main__":
    sys.exit(main())

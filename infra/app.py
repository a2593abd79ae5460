"""CDK entry point: `python -m infra.app` (cdk.json's "app") synthesizes the CRM stack.

Run directly from the repository root it writes `cdk.out/`, like `cdk synth` does. Context switches (`-c key=value`
on the CDK CLI):

- `stack_name` (default `Crm`): every physical name derives from it, so stacks with different names deploy side by
  side in one account and region.
- `region`: the target region (else CDK_DEFAULT_REGION, which the CLI sets from AWS_REGION or the profile);
  synthesis refuses a region without EventBridge Pipes (infra/regions.py). Without one, the template is
  region-agnostic and unchecked.
- `api_cloudwatch_role` (default false): create API Gateway's account-wide CloudWatch role, and log the API's
  access and errors to CloudWatch (infra/api.py says why this is opt-in).
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import aws_cdk as cdk

from infra.regions import REGION_CONTEXT_KEY, target_region
from infra.stack import CrmStack

REPO_ROOT = Path(__file__).resolve().parent.parent

DEFAULT_STACK_NAME = "Crm"


def cdk_json_context() -> dict[str, Any]:
    """The feature flags in cdk.json, so a direct run (and the tests) match what the CDK CLI synthesizes."""
    return json.loads((REPO_ROOT / "cdk.json").read_text()).get("context", {})


def build_app(
    context: dict[str, Any] | None = None, outdir: str | None = None, *, builtin_validation: bool = True
) -> tuple[cdk.App, CrmStack]:
    """The app and its one stack. Tests may skip CDK's built-in template validation (seconds per synth)
    because they lint the template with cfn-lint themselves."""
    app = cdk.App(
        # Context from the CLI (CDK_CONTEXT_JSON) still overrides these defaults.
        context={**cdk_json_context(), **(context or {})},
        outdir=outdir,
        builtin_cloud_formation_validation=builtin_validation,
    )
    stack = CrmStack(
        app,
        "CrmStack",
        stack_name=app.node.try_get_context("stack_name") or DEFAULT_STACK_NAME,
        env=cdk.Environment(
            account=os.environ.get("CDK_DEFAULT_ACCOUNT"),
            region=target_region(app.node.try_get_context(REGION_CONTEXT_KEY)),
        ),
    )
    return app, stack


def main() -> None:
    # The CLI says where to write (CDK_OUTDIR); a direct run writes cdk.out/ beside cdk.json.
    app, _ = build_app(outdir=os.environ.get("CDK_OUTDIR", str(REPO_ROOT / "cdk.out")))
    app.synth()


if __name__ == "__main__":
    main()

"""Where the stack can be deployed: the outbox pipe needs EventBridge Pipes, which not every region offers."""

from __future__ import annotations

import os
from collections.abc import Mapping

# Commercial (aws partition) regions where EventBridge Pipes exists and CloudFormation can create an
# AWS::Pipes::Pipe. Source: the AWS regional services list (AWS General Reference, "Amazon EventBridge Pipes
# endpoints and quotas") as of 2026, intersected with the regions whose CloudFormation registers AWS::Pipes::Pipe
# in cfn-lint 1.58's per-region schemas; tests/infra/test_compliance.py lints the template for every region here,
# so a region listed without the resource type fails there. Left out: me-south-1 (cfn-lint ships no schema for
# it, so it cannot be checked offline); regions without the resource type in those schemas (ap-east-2,
# ap-southeast-4 to -7, ca-west-1, il-central-1, mx-central-1); and the other partitions (China, GovCloud, ISO,
# European Sovereign Cloud: other ARNs and service principals, never tried with this stack). Revisit when AWS
# adds regions: a region missing here only refuses synthesis, it deploys nothing wrong.
PIPES_REGIONS: frozenset[str] = frozenset(
    {
        "af-south-1",
        "ap-east-1",
        "ap-northeast-1",
        "ap-northeast-2",
        "ap-northeast-3",
        "ap-south-1",
        "ap-south-2",
        "ap-southeast-1",
        "ap-southeast-2",
        "ap-southeast-3",
        "ca-central-1",
        "eu-central-1",
        "eu-central-2",
        "eu-north-1",
        "eu-south-1",
        "eu-south-2",
        "eu-west-1",
        "eu-west-2",
        "eu-west-3",
        "me-central-1",
        "sa-east-1",
        "us-east-1",
        "us-east-2",
        "us-west-1",
        "us-west-2",
    }
)

# Where the target region comes from, first match wins: `-c region=...`, then the region the CDK CLI resolved
# from AWS_REGION or the profile. AWS_REGION itself is not read: the local stack sets it in-process for moto,
# and a direct `python -m infra.app` run should stay region-agnostic, as CDK's own default is.
REGION_CONTEXT_KEY = "region"
REGION_ENVIRONMENT_VARIABLE = "CDK_DEFAULT_REGION"


def target_region(context_region: object, environ: Mapping[str, str] = os.environ) -> str | None:
    """The region the stack is synthesized for, or None when nothing says (a region-agnostic template)."""
    if context_region:
        return str(context_region)
    return environ.get(REGION_ENVIRONMENT_VARIABLE) or None


def require_pipes(region: str) -> None:
    """Refuse a region without EventBridge Pipes: the outbox pipe, hence every change event, needs it."""
    if region not in PIPES_REGIONS:
        raise ValueError(
            f"EventBridge Pipes (the outbox pipe) is not available in region {region!r}; "
            f"deploy to one of: {', '.join(sorted(PIPES_REGIONS))}"
        )

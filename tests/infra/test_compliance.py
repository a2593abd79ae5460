"""Linters that know CloudFormation (for every region the stack may target) and AWS best practice agree with the
synthesized stack."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from aws_cdk import Validations
from cdk_nag import AwsSolutionsChecks
from cfnlint.api import lint

from infra.app import build_app
from infra.regions import PIPES_REGIONS
from tests.infra.synth import NO_BUNDLING, Synthesized, synthesize


def lint_errors(template: dict[str, Any], regions: list[str]) -> list[str]:
    matches = lint(json.dumps(template), regions=regions)
    return [f"{m.rule.id} {m.message}" for m in matches if m.rule.id.startswith("E")]


def test_cfn_lint_finds_no_errors_in_any_region_the_stack_may_target(synthesized: Synthesized) -> None:
    """Given the template, when cfn-lint checks it for every region synthesis accepts (infra/regions.py), then it
    reports no errors, resource types available there included (warnings such as W3005 are CDK's doing)."""
    assert lint_errors(synthesized.cfn, sorted(PIPES_REGIONS)) == []


def test_cfn_lint_for_a_region_without_pipes_says_so(synthesized: Synthesized) -> None:
    """Given a region CloudFormation has no AWS::Pipes::Pipe in, then cfn-lint reports exactly that: the check
    above would catch a region listed by mistake."""
    assert lint_errors(synthesized.cfn, ["il-central-1"]) == [
        "E3006 Resource type 'AWS::Pipes::Pipe' does not exist in 'il-central-1'"
    ]


@pytest.mark.parametrize("region", ["us-east-1", "eu-central-1"])
def test_cfn_lint_finds_no_errors_in_a_region_bound_template(region: str) -> None:
    """Given `-c region=...` (literal partition, region and ARNs), then cfn-lint for that region finds no errors."""
    assert lint_errors(synthesize({"region": region, "api_cloudwatch_role": True}).cfn, [region]) == []


@pytest.mark.parametrize(
    "context",
    [{}, {"api_cloudwatch_role": "true", "region": "eu-west-1"}],
    ids=["default", "cloudwatch-role-in-eu-west-1"],
)
def test_cdk_nag_aws_solutions_has_no_unacknowledged_findings(tmp_path: Path, context: dict[str, Any]) -> None:
    """Given the AwsSolutions pack, then every finding is fixed or acknowledged with a reason in infra/, with the
    API Gateway CloudWatch role off (default) or on, in a region-agnostic or region-bound template.

    cdk-nag 3 runs as a CDK validation plugin, so this needs its own app (the plugin runs on synth).
    """
    app, _ = build_app(context={**NO_BUNDLING, **context}, outdir=str(tmp_path), builtin_validation=False)
    Validations.of(app).add_plugins(AwsSolutionsChecks(app))
    try:
        app.synth()
    except Exception:  # the plugin fails synthesis; the report says which rule and construct
        report = json.loads((tmp_path / "validation-report.json").read_text())
        findings = [
            f"{violation['ruleName']} at {construct['constructPath']}"
            for plugin in report["pluginReports"]
            for violation in plugin["violations"]
            for construct in violation["violatingConstructs"]
        ]
        raise AssertionError("cdk-nag findings:\n" + "\n".join(findings)) from None

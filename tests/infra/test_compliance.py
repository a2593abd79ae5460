"""Linters that know CloudFormation and AWS best practice agree with the synthesized stack."""

from __future__ import annotations

import json
from pathlib import Path

from aws_cdk import Validations
from cdk_nag import AwsSolutionsChecks
from cfnlint.api import lint

from infra.app import build_app
from tests.infra.synth import NO_BUNDLING, Synthesized


def test_cfn_lint_finds_no_errors(synthesized: Synthesized) -> None:
    """Given the template, then cfn-lint reports no errors (warnings such as W3005 are CDK's doing)."""
    matches = lint(json.dumps(synthesized.cfn))
    errors = [f"{m.rule.id} {m.message}" for m in matches if m.rule.id.startswith("E")]
    assert errors == []


def test_cdk_nag_aws_solutions_has_no_unacknowledged_findings(tmp_path: Path) -> None:
    """Given the AwsSolutions pack, then every finding is fixed or acknowledged with a reason in infra/.

    cdk-nag 3 runs as a CDK validation plugin, so this needs its own app (the plugin runs on synth).
    """
    app, _ = build_app(context=NO_BUNDLING, outdir=str(tmp_path), builtin_validation=False)
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

"""The stack deploys into a fresh account: current CDK feature flags, no account-wide setting overwritten unless
asked, side by side with another copy of itself, and only into regions that have what it needs."""

from __future__ import annotations

import json
import subprocess
import tarfile
from pathlib import Path
from typing import Any

import aws_cdk
import pytest
from aws_cdk import App, Token
from aws_cdk.assertions import Annotations, Match
from constructs import Construct

from infra.app import DEFAULT_STACK_NAME, build_app, cdk_json_context
from infra.regions import PIPES_REGIONS, require_pipes, target_region
from infra.stack import context_switch
from scripts import deploy_outputs
from tests.infra.cfn import of_type, render
from tests.infra.synth import NO_BUNDLING, Synthesized, synthesize

ROOT = Path(__file__).resolve().parents[2]
# The aws-cdk-lib the app runs on: its jsii assembly carries the flags `cdk init` would write today.
CDK_LIB_ASSEMBLY = Path(aws_cdk.__file__).parent / "_jsii"
RECOMMENDED_FLAGS_MEMBER = "package/recommended-feature-flags.json"
# Flags cdk.json deliberately sets otherwise than recommended, each with its reason. None today.
FLAG_DEVIATIONS: dict[str, str] = {}
# The regions the issue names; the list may hold more.
REQUIRED_PIPES_REGIONS = {
    "us-east-1",
    "us-east-2",
    "us-west-1",
    "us-west-2",
    "eu-west-1",
    "eu-west-2",
    "eu-west-3",
    "eu-central-1",
    "eu-north-1",
    "ap-northeast-1",
    "ap-northeast-2",
    "ap-southeast-1",
    "ap-southeast-2",
    "ap-south-1",
    "ca-central-1",
    "sa-east-1",
}
# Regions without EventBridge Pipes in CloudFormation (cfn-lint agrees: test_compliance.py).
REGIONS_WITHOUT_PIPES = ["il-central-1", "ap-southeast-5", "us-gov-west-1", "xx-nowhere-1"]
PUSH_TO_CLOUDWATCH_POLICY = "arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs"


def recommended_flags() -> dict[str, Any]:
    (assembly,) = CDK_LIB_ASSEMBLY.glob("aws-cdk-lib@*.jsii.tgz")
    with tarfile.open(assembly, "r|gz") as archive:
        for member in archive:
            if member.name == RECOMMENDED_FLAGS_MEMBER:
                extracted = archive.extractfile(member)
                assert extracted is not None
                return json.load(extracted)
    raise AssertionError(f"{RECOMMENDED_FLAGS_MEMBER} not in {assembly}")


# --- feature flags ---------------------------------------------------------------------------------


def test_cdk_json_carries_every_feature_flag_the_installed_cdk_recommends() -> None:
    """Given the flags aws-cdk-lib recommends (what `cdk init` writes), then cdk.json sets each to the recommended
    value, unless FLAG_DEVIATIONS says why not; the app (and so every test) synthesizes with them."""
    recommended = recommended_flags()
    context = json.loads((ROOT / "cdk.json").read_text())["context"]

    assert len(recommended) > 50  # the real list, not an empty file
    differing = {flag: context.get(flag) for flag, value in recommended.items() if context.get(flag) != value}
    assert differing.keys() == FLAG_DEVIATIONS.keys()
    assert cdk_json_context() == context


# --- API Gateway's account-wide CloudWatch role ----------------------------------------------------


@pytest.fixture(scope="module")
def with_cloudwatch_role() -> Synthesized:
    return synthesize({"api_cloudwatch_role": "true"})  # as `-c api_cloudwatch_role=true` passes it


def stage(synthesized: Synthesized) -> tuple[str, dict[str, Any]]:
    (item,) = of_type(synthesized.resources, "AWS::ApiGateway::Stage").items()
    return item


def test_by_default_the_accounts_api_gateway_cloudwatch_role_is_left_alone(synthesized: Synthesized) -> None:
    """Given no `api_cloudwatch_role`, then the stack neither creates nor sets API Gateway's account-wide
    CloudWatch role, and its stage asks for no logs that need one (API Gateway would refuse the stage in an
    account without the role); traces and metrics stay on."""
    assert of_type(synthesized.resources, "AWS::ApiGateway::Account") == {}
    managed_policies = [
        render(arn)
        for role in of_type(synthesized.resources, "AWS::IAM::Role").values()
        for arn in role.get("ManagedPolicyArns", [])
    ]
    assert PUSH_TO_CLOUDWATCH_POLICY not in managed_policies

    _, properties = stage(synthesized)
    assert "AccessLogSetting" not in properties
    (settings,) = properties["MethodSettings"]
    assert settings["LoggingLevel"] == "OFF"
    assert settings["DataTraceEnabled"] is False
    assert settings["MetricsEnabled"] is True
    assert properties["TracingEnabled"] is True


def test_when_opted_in_the_role_is_created_and_the_api_logs_errors_and_access(
    with_cloudwatch_role: Synthesized,
) -> None:
    """Given `-c api_cloudwatch_role=true`, then one retained role with AWS's push-to-CloudWatch policy becomes the
    account's API Gateway CloudWatch role before the stage exists, and the stage logs errors (never bodies) and
    access to a log group kept a month."""
    resources = with_cloudwatch_role.resources
    (account_id,) = of_type(resources, "AWS::ApiGateway::Account")
    role_id = resources[account_id]["Properties"]["CloudWatchRoleArn"]["Fn::GetAtt"][0]
    role = resources[role_id]
    assert [render(arn) for arn in role["Properties"]["ManagedPolicyArns"]] == [PUSH_TO_CLOUDWATCH_POLICY]
    assert role["Properties"]["AssumeRolePolicyDocument"]["Statement"][0]["Principal"] == {
        "Service": "apigateway.amazonaws.com"
    }
    assert role["DeletionPolicy"] == resources[account_id]["DeletionPolicy"] == "Retain"

    stage_id, properties = stage(with_cloudwatch_role)
    assert account_id in resources[stage_id]["DependsOn"]
    (settings,) = properties["MethodSettings"]
    assert settings["LoggingLevel"] == "ERROR"
    assert settings["DataTraceEnabled"] is False
    access_logs = render(properties["AccessLogSetting"]["DestinationArn"]).rsplit(":log-group:", 1)[1]
    assert of_type(resources, "AWS::Logs::LogGroup")[access_logs.strip("<>")]["RetentionInDays"] == 30


@pytest.mark.parametrize(
    ("value", "expected"),
    [(None, False), (True, True), (False, False), ("true", True), ("True", True), ("false", False), ("0", False)],
)
def test_the_switch_reads_json_and_command_line_values(value: object, expected: bool) -> None:
    """Given the context value cdk.json (JSON) or `-c key=value` (text) gives, then the switch reads it;
    absent, it is off."""
    scope = Construct(App(context={} if value is None else {"api_cloudwatch_role": value}), "Probe")

    assert context_switch(scope, "api_cloudwatch_role") is expected


def test_a_switch_value_that_is_not_a_boolean_is_refused() -> None:
    scope = Construct(App(context={"api_cloudwatch_role": "maybe"}), "Probe")

    with pytest.raises(ValueError, match="api_cloudwatch_role='maybe'"):
        context_switch(scope, "api_cloudwatch_role")


# --- two stacks in one account -----------------------------------------------------------------------

# Top-level `...Name` properties that name nothing account- or region-wide, so two stacks may share them.
SCOPED_NAMES = {
    ("AWS::ApiGateway::Authorizer", "Name"): "unique within its REST API",
    ("AWS::ApiGateway::Stage", "StageName"): "unique within its REST API",
    ("AWS::ApiGateway::Deployment", "StageName"): "unique within its REST API",
    ("AWS::IAM::Policy", "PolicyName"): "an inline policy, unique within its role",
    ("AWS::CloudWatch::Alarm", "MetricName"): "the metric watched, not a name of the alarm",
    ("AWS::SNS::Topic", "DisplayName"): "a label in notifications, not the topic's name",
}


def physical_names(synthesized: Synthesized) -> dict[tuple[str, str, str], str]:
    """(type, property, rendered name) -> logical id, for every name the template fixes. A reference to another
    resource (Ref, GetAtt) is not a name of its own: that resource's name is checked where it is defined."""
    names = {}
    for logical_id, resource in synthesized.resources.items():
        for key, value in resource.get("Properties", {}).items():
            if not key.endswith("Name") or (resource["Type"], key) in SCOPED_NAMES:
                continue
            if isinstance(value, dict) and ("Ref" in value or "Fn::GetAtt" in value):
                continue
            names[(resource["Type"], key, render(value))] = logical_id
    return names


@pytest.fixture(scope="module")
def two_stacks() -> tuple[Synthesized, Synthesized]:
    return synthesize({"stack_name": "CrmBlue"}), synthesize({"stack_name": "CrmGreen"})


def test_two_stacks_with_different_names_share_no_physical_name(two_stacks: tuple[Synthesized, Synthesized]) -> None:
    """Given two stacks synthesized with `-c stack_name=CrmBlue` and `-c stack_name=CrmGreen`, then no physical
    name (table, queue, bus, function, API, usage plan, archive, pipe, secret, log group...) of one is a name in
    the other: each is derived from the stack name or left to CloudFormation, which derives it from the stack's."""
    blue, green = two_stacks
    blue_names, green_names = physical_names(blue), physical_names(green)

    assert blue_names, "expected some fixed names (functions, queues, the bus, usage plans)"
    assert {name for _, _, name in blue_names}.isdisjoint({name for _, _, name in green_names})
    for stack, names in ((blue, blue_names), (green, green_names)):
        for resource_type, key, name in names:
            assert stack.stack.stack_name in name, f"{resource_type}.{key} = {name!r} does not derive from the stack"


def test_the_stack_name_comes_from_the_context(two_stacks: tuple[Synthesized, Synthesized]) -> None:
    blue, green = two_stacks

    assert (blue.stack.stack_name, green.stack.stack_name) == ("CrmBlue", "CrmGreen")
    assert DEFAULT_STACK_NAME == "Crm"


def test_two_stacks_set_no_account_wide_setting_by_default(two_stacks: tuple[Synthesized, Synthesized]) -> None:
    """Given two default stacks in one account, then neither holds the account's single API Gateway settings
    resource, so neither overwrites (or, deleted, removes) what the other relies on."""
    for stack in two_stacks:
        assert of_type(stack.resources, "AWS::ApiGateway::Account") == {}


# --- regions ---------------------------------------------------------------------------------------


def test_the_pipes_region_list_holds_at_least_the_main_commercial_regions() -> None:
    assert REQUIRED_PIPES_REGIONS <= PIPES_REGIONS
    assert not set(REGIONS_WITHOUT_PIPES) & PIPES_REGIONS


@pytest.mark.parametrize("region", REGIONS_WITHOUT_PIPES)
def test_synthesis_refuses_a_region_without_pipes_by_name(region: str) -> None:
    """Given `-c region=<a region without EventBridge Pipes>`, when the app is built, then it fails with a
    ValueError naming the region and the regions it could deploy to."""
    with pytest.raises(ValueError) as refused:
        build_app(context={**NO_BUNDLING, "region": region}, builtin_validation=False)

    message = str(refused.value)
    assert repr(region) in message
    assert all(supported in message for supported in PIPES_REGIONS)


def test_the_cli_region_is_checked_too(monkeypatch: pytest.MonkeyPatch) -> None:
    """Given no `-c region` but CDK_DEFAULT_REGION (what the CLI resolves from the profile), then it is checked."""
    monkeypatch.setenv("CDK_DEFAULT_REGION", "il-central-1")

    with pytest.raises(ValueError, match="'il-central-1'"):
        build_app(context=NO_BUNDLING, builtin_validation=False)


def test_the_context_region_wins_over_the_cli_default(monkeypatch: pytest.MonkeyPatch) -> None:
    """Given `-c region=eu-west-1` and a CDK_DEFAULT_REGION without Pipes, then the stack targets eu-west-1."""
    monkeypatch.setenv("CDK_DEFAULT_REGION", "il-central-1")

    _, stack = build_app(context={**NO_BUNDLING, "region": "eu-west-1"}, builtin_validation=False)

    assert stack.region == "eu-west-1"


def test_without_a_known_region_the_template_is_region_agnostic(monkeypatch: pytest.MonkeyPatch) -> None:
    """Given no region anywhere, then nothing is refused and the stack's region is CloudFormation's AWS::Region."""
    monkeypatch.delenv("CDK_DEFAULT_REGION", raising=False)

    _, stack = build_app(context=NO_BUNDLING, builtin_validation=False)

    assert Token.is_unresolved(stack.region)


def test_region_resolution_order() -> None:
    assert target_region("eu-west-1", {"CDK_DEFAULT_REGION": "us-east-1"}) == "eu-west-1"
    assert target_region(None, {"CDK_DEFAULT_REGION": "us-east-1"}) == "us-east-1"
    assert target_region(None, {"AWS_REGION": "us-east-1"}) is None  # the CLI turns it into CDK_DEFAULT_REGION
    assert target_region("", {}) is None


@pytest.mark.parametrize("region", sorted(PIPES_REGIONS))
def test_every_listed_region_is_accepted(region: str) -> None:
    require_pipes(region)


# --- a clean synth -------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def region_bound() -> Synthesized:
    return synthesize({"region": "eu-west-1"})


@pytest.mark.parametrize("variant", ["synthesized", "with_cloudwatch_role", "region_bound"])
def test_the_stack_synthesizes_without_a_warning(request: pytest.FixtureRequest, variant: str) -> None:
    """Given the stack as `make synth` builds it, opted in to the CloudWatch role, or bound to a region, then CDK
    attaches no warning (deprecated API, feature flag, validation) that `cdk synth` would print."""
    stack: Synthesized = request.getfixturevalue(variant)

    annotations = Annotations.from_stack(stack.stack)

    assert annotations.find_warning("*", Match.any_value()) == []
    assert annotations.find_error("*", Match.any_value()) == []


# --- what `make destroy` leaves behind -------------------------------------------------------------------

# Resource types the stack keeps when it is deleted, and why; README "Deploy to AWS" says how to delete them.
RETAINED = {
    "AWS::DynamoDB::Table": "the tenants' data: deleting the stack must never delete it (deletion protection too)",
    "AWS::Logs::LogGroup": "the logs of what ran, for after the stack is gone; each expires its events after a month",
}
# Only with `-c api_cloudwatch_role=true`.
RETAINED_WHEN_OPTED_IN = {
    "AWS::ApiGateway::Account": "account-wide: other APIs in the account and region may log through it",
    "AWS::IAM::Role": "the role that account setting names",
}


def retained(synthesized: Synthesized) -> dict[str, dict[str, Any]]:
    return {
        logical_id: resource
        for logical_id, resource in synthesized.resources.items()
        if "Retain" in (resource.get("DeletionPolicy"), resource.get("UpdateReplacePolicy"))
    }


@pytest.mark.parametrize("opted_in", [False, True], ids=["default", "api_cloudwatch_role"])
def test_deleting_the_stack_keeps_exactly_the_documented_resources(
    synthesized: Synthesized, with_cloudwatch_role: Synthesized, opted_in: bool
) -> None:
    """Given a stack, then the resources it keeps on deletion are of the documented types only (queues, bus,
    secret, topic, functions go with it), and every one of them is kept on replacement too."""
    stack = with_cloudwatch_role if opted_in else synthesized
    expected = RETAINED | (RETAINED_WHEN_OPTED_IN if opted_in else {})
    kept = retained(stack)

    assert {resource["Type"] for resource in kept.values()} == expected.keys()
    for resource in kept.values():
        assert resource["DeletionPolicy"] == resource["UpdateReplacePolicy"] == "Retain"


def test_what_is_kept_bears_no_fixed_name_so_the_same_stack_deploys_again_after_destroy(
    with_cloudwatch_role: Synthesized,
) -> None:
    """Given `make destroy` then `make deploy` with the same stack name, then no kept resource holds a name the new
    stack asks for: CloudFormation names each (`<stack>-<id>-<random>`), and the table cannot be deleted by
    accident; kept log groups expire their events."""
    kept = retained(with_cloudwatch_role)
    fixed_names = {
        (logical_id, key)
        for logical_id, resource in kept.items()
        for key in resource.get("Properties", {})
        if key.endswith("Name")
    }

    assert fixed_names == set()
    (table,) = [resource for resource in kept.values() if resource["Type"] == "AWS::DynamoDB::Table"]
    assert table["Properties"]["DeletionProtectionEnabled"] is True
    for resource in kept.values():
        if resource["Type"] == "AWS::Logs::LogGroup":
            assert resource["Properties"]["RetentionInDays"] <= 31


# --- outputs and `make deploy` ----------------------------------------------------------------------------


def test_the_outputs_name_the_api_url_and_the_operator_key_secret_make_deploy_prints(
    synthesized: Synthesized,
) -> None:
    """Given the outputs `make deploy` reads (scripts/deploy_outputs.py), then the stack has each: the stage URL,
    the operator key secret's ARN (what `aws secretsmanager get-secret-value --secret-id` takes), the table."""
    outputs = synthesized.cfn["Outputs"]
    (secret_id,) = of_type(synthesized.resources, "AWS::SecretsManager::Secret")
    (table_id,) = of_type(synthesized.resources, "AWS::DynamoDB::Table")

    assert outputs[deploy_outputs.OPERATOR_SECRET_ARN]["Value"] == {"Ref": secret_id}  # a secret's Ref is its ARN
    assert outputs[deploy_outputs.TABLE_NAME]["Value"] == {"Ref": table_id}
    assert render(outputs[deploy_outputs.API_URL]["Value"]).endswith(
        ".execute-api.<AWS::Region>.<AWS::URLSuffix>/<" + stage(synthesized)[0] + ">/"
    )
    assert deploy_outputs.ALARM_TOPIC_ARN in outputs


SECRET_ARN = "arn:aws:secretsmanager:eu-west-2:123456789012:secret:AccessOperatorKey46410F4F-Ab12Cd34Ef56-x1Y2z3"
URL = "https://a1b2c3d4e5.execute-api.eu-west-2.amazonaws.com/v1/"


def test_after_deploy_the_operator_reads_the_url_and_how_to_get_the_operator_key(tmp_path: Path) -> None:
    """Given the outputs file `cdk deploy --outputs-file` writes, then the report gives the API URL and the exact
    aws CLI command printing the operator key, in the secret's region, ready for CRM_URL/CRM_API_KEY."""
    outputs_file = tmp_path / "Crm.outputs.json"
    outputs_file.write_text(json.dumps({"Crm": {"ApiUrl": URL, "OperatorSecretArn": SECRET_ARN}}))

    report = deploy_outputs.deployed_report(deploy_outputs.stack_outputs(outputs_file, "Crm"), "Crm", outputs_file)

    assert f"API URL              {URL}" in report
    assert f"export CRM_URL={URL}" in report
    assert (
        'export CRM_API_KEY="$(aws secretsmanager get-secret-value --region eu-west-2 '
        f'--secret-id {SECRET_ARN} --query SecretString --output text)"'
    ) in report
    assert "crm tenants create acme" in report


def test_another_stacks_outputs_are_refused_by_name(tmp_path: Path) -> None:
    outputs_file = tmp_path / "outputs.json"
    outputs_file.write_text(json.dumps({"CrmBlue": {"ApiUrl": URL}}))

    with pytest.raises(SystemExit, match="no outputs of stack 'CrmGreen'"):
        deploy_outputs.stack_outputs(outputs_file, "CrmGreen")


def test_after_destroy_the_operator_learns_what_was_kept() -> None:
    report = deploy_outputs.destroyed_report("Crm-DataRecords27C8EFFC-1A2B3C", "Crm")

    assert "DynamoDB table Crm-DataRecords27C8EFFC-1A2B3C" in report
    assert "log groups" in report


def make_dry_run(*arguments: str) -> list[str]:
    """The commands `make` would run, without running them (nothing is deployed)."""
    result = subprocess.run(
        ["make", "--no-print-directory", "-n", *arguments], cwd=ROOT, capture_output=True, text=True, check=True
    )
    return result.stdout.splitlines()


def cdk_command(target: str, *arguments: str) -> list[str]:
    (command,) = [line for line in make_dry_run(target, *arguments) if line.startswith("node_modules/.bin/cdk ")]
    return command.split()


def test_make_deploy_asks_before_broadening_permissions_and_writes_the_outputs() -> None:
    """Given `make deploy` with nothing set, then the default stack is deployed after approval of any security
    broadening, its outputs written to a file and printed."""
    command = cdk_command("deploy", "AWS_REGION=")

    assert command[:2] == ["node_modules/.bin/cdk", "deploy"]
    assert "-c stack_name=Crm" in " ".join(command)
    assert "region=" not in " ".join(command)
    assert command[command.index("--require-approval") + 1] == "broadening"
    assert command[command.index("--outputs-file") + 1] == "cdk.out/Crm.outputs.json"
    assert "scripts/deploy_outputs.py deployed cdk.out/Crm.outputs.json Crm" in make_dry_run("deploy")[-1]


def test_make_deploy_takes_the_stack_name_region_approval_and_context_from_the_environment() -> None:
    command = " ".join(
        cdk_command(
            "deploy",
            "STACK_NAME=CrmBlue",
            "AWS_REGION=eu-west-1",
            "APPROVE=never",
            "CDK_ARGS=-c api_cloudwatch_role=true",
        )
    )

    assert "-c stack_name=CrmBlue -c region=eu-west-1 -c api_cloudwatch_role=true" in command
    assert "--require-approval never" in command
    assert "--outputs-file cdk.out/CrmBlue.outputs.json" in command


def test_make_destroy_deletes_the_same_stack_and_asks_unless_told_not_to() -> None:
    asking = cdk_command("destroy", "STACK_NAME=CrmBlue", "AWS_REGION=eu-west-1")
    unattended = cdk_command("destroy", "STACK_NAME=CrmBlue", "AWS_REGION=eu-west-1", "APPROVE=never")

    assert asking[:2] == ["node_modules/.bin/cdk", "destroy"]
    assert "-c stack_name=CrmBlue -c region=eu-west-1" in " ".join(asking)
    assert "--force" not in asking
    assert "--force" in unattended


def test_make_synth_builds_what_make_deploy_would_deploy() -> None:
    command = " ".join(cdk_command("synth", "STACK_NAME=CrmBlue", "AWS_REGION="))

    assert command.startswith("node_modules/.bin/cdk synth --no-notices --quiet -c stack_name=CrmBlue")

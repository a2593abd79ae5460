"""The synthesized template holds exactly what the catalogue describes, with least privilege.

Every expectation is derived from `crm.catalogue`, so adding a function, route or tier there is
checked here without editing a test.
"""

from __future__ import annotations

import ast
import fnmatch
import json
from pathlib import Path
from typing import Any

import pytest
from aws_cdk.assertions import Match

from crm.catalogue import (
    ALL_FUNCTIONS,
    API_FUNCTIONS,
    API_STAGE,
    AUTHORIZER,
    AUTHORIZER_CACHE_TTL_S,
    ENV_OPERATOR_SECRET_ARN,
    ENV_TABLE_NAME,
    ENV_TENANT_ROLE_ARN,
    ENV_USAGE_PLANS,
    GATEWAY_RESPONSES,
    TABLE,
    TIER_NAMES,
    TIERS,
    FunctionSpec,
    gateway_problem,
    stage_path,
)
from tests.infra.cfn import (
    actions,
    all_identity_statements,
    as_list,
    function_with_handler,
    of_type,
    render,
    resource_paths,
    role_logical_id,
    role_statements,
)
from tests.infra.synth import Synthesized

# What each table_access level may do, stated independently of infra/ so the test is a real check.
READ = {"dynamodb:GetItem", "dynamodb:Query", "dynamodb:BatchGetItem"}
READ_WRITE = READ | {
    "dynamodb:PutItem",
    "dynamodb:UpdateItem",
    "dynamodb:DeleteItem",
    "dynamodb:ConditionCheckItem",
}
EXPECTED_TABLE_ACTIONS = {"none": set(), "read": READ, "read_write": READ_WRITE}
LEADING_KEYS = ["T#${aws:PrincipalTag/tenant_id}", "T#${aws:PrincipalTag/tenant_id}#*"]


def function_of(synthesized: Synthesized, spec: FunctionSpec) -> tuple[str, dict[str, Any]]:
    """The Lambda function built for a spec, found by its handler."""
    return function_with_handler(synthesized.resources, spec.handler)


def dynamodb_actions(statements: list[dict[str, Any]]) -> set[str]:
    return {action for statement in statements for action in actions(statement) if action.startswith("dynamodb:")}


def tenant_data_role(synthesized: Synthesized) -> tuple[str, dict[str, Any]]:
    roles = {
        logical_id: properties
        for logical_id, properties in of_type(synthesized.resources, "AWS::IAM::Role").items()
        if logical_id.startswith("AccessTenantDataRole")
    }
    assert len(roles) == 1
    return next(iter(roles.items()))


def specs_granted(kind: str) -> list[FunctionSpec]:
    return [spec for spec in ALL_FUNCTIONS if any(k == kind for _, k in spec.extra_permissions)]


# --- data ------------------------------------------------------------------------------------------


def test_the_single_table_matches_the_catalogue(synthesized: Synthesized) -> None:
    """Given TABLE, then one on-demand table with string pk/sk, PITR, stream, TTL, protection, retained."""
    synthesized.template.resource_count_is("AWS::DynamoDB::Table", 1)
    synthesized.template.has_resource(
        "AWS::DynamoDB::Table",
        {
            "DeletionPolicy": "Retain",
            "UpdateReplacePolicy": "Retain",
            "Properties": {
                "KeySchema": [
                    {"AttributeName": TABLE.partition_key, "KeyType": "HASH"},
                    {"AttributeName": TABLE.sort_key, "KeyType": "RANGE"},
                ],
                "AttributeDefinitions": Match.array_with(
                    [
                        {"AttributeName": TABLE.partition_key, "AttributeType": "S"},
                        {"AttributeName": TABLE.sort_key, "AttributeType": "S"},
                    ]
                ),
                "BillingMode": "PAY_PER_REQUEST",
                "PointInTimeRecoverySpecification": {"PointInTimeRecoveryEnabled": True},
                "DeletionProtectionEnabled": True,
                "StreamSpecification": {"StreamViewType": TABLE.stream_view},
                "TimeToLiveSpecification": {"AttributeName": TABLE.ttl_attribute, "Enabled": True},
            },
        },
    )
    (table,) = of_type(synthesized.resources, "AWS::DynamoDB::Table").values()
    indexes = {index["IndexName"] for index in table.get("GlobalSecondaryIndexes", [])}
    assert indexes == {index.name for index in TABLE.indexes}


# --- functions -------------------------------------------------------------------------------------


def test_one_function_per_catalogue_spec(synthesized: Synthesized) -> None:
    """Given the catalogue, then exactly its functions exist (no helper Lambdas sneak in)."""
    functions = of_type(synthesized.resources, "AWS::Lambda::Function")
    assert sorted(f["Handler"] for f in functions.values()) == sorted(spec.handler for spec in ALL_FUNCTIONS)


@pytest.mark.parametrize("spec", ALL_FUNCTIONS, ids=lambda spec: spec.name)
def test_function_runtime_sizing_layers_and_environment(synthesized: Synthesized, spec: FunctionSpec) -> None:
    """Given a spec, then its function runs Python 3.12 on arm64 with both layers and the spec's settings."""
    _, function = function_of(synthesized, spec)
    assert function["Runtime"] == "python3.12"
    assert function["Architectures"] == ["arm64"]
    assert function["MemorySize"] == spec.memory_mb
    assert function["Timeout"] == spec.timeout_s
    assert function["Description"] == spec.description
    assert function["TracingConfig"] == {"Mode": "Active"}
    assert len(function["Layers"]) == 2
    assert "LogGroup" in function["LoggingConfig"]

    environment = function["Environment"]["Variables"]
    table_id = next(iter(of_type(synthesized.resources, "AWS::DynamoDB::Table")))
    assert environment[ENV_TABLE_NAME] == {"Ref": table_id}
    assert environment["POWERTOOLS_SERVICE_NAME"] == spec.name
    assert environment["POWERTOOLS_METRICS_NAMESPACE"] == "Crm"


def test_layers_are_built_for_the_function_runtime(synthesized: Synthesized) -> None:
    """Then both layers (shared code, dependencies) declare python3.12 on arm64."""
    layers = of_type(synthesized.resources, "AWS::Lambda::LayerVersion")
    assert len(layers) == 2
    for layer in layers.values():
        assert layer["CompatibleRuntimes"] == ["python3.12"]
        assert layer["CompatibleArchitectures"] == ["arm64"]


def test_function_log_groups_keep_logs_for_a_month(synthesized: Synthesized) -> None:
    log_groups = of_type(synthesized.resources, "AWS::Logs::LogGroup")
    for _, function in of_type(synthesized.resources, "AWS::Lambda::Function").items():
        log_group_id = function["LoggingConfig"]["LogGroup"]["Ref"]
        assert log_groups[log_group_id]["RetentionInDays"] == 30


# API Gateway gives up on an integration (and a Lambda authorizer) after 29 s and answers 504; a function still
# running then works for nobody and may finish a write the client believes failed.
API_GATEWAY_INTEGRATION_TIMEOUT_S = 29


@pytest.mark.parametrize("spec", [*API_FUNCTIONS, AUTHORIZER], ids=lambda spec: spec.name)
def test_functions_api_gateway_waits_for_time_out_before_it_gives_up(
    synthesized: Synthesized, spec: FunctionSpec
) -> None:
    """Given a catalogue function behind a route (or the authorizer), then its timeout, in the catalogue and in the
    template, is below API Gateway's 29 s integration limit."""
    _, function = function_of(synthesized, spec)

    assert spec.timeout_s < API_GATEWAY_INTEGRATION_TIMEOUT_S
    assert function["Timeout"] < API_GATEWAY_INTEGRATION_TIMEOUT_S


# --- least privilege -------------------------------------------------------------------------------


def test_no_policy_anywhere_allows_scan(synthesized: Synthesized) -> None:
    """Given every identity policy in the stack, then no action pattern covers dynamodb:Scan."""
    granted = [action for statement in all_identity_statements(synthesized.resources) for action in actions(statement)]
    assert granted, "expected some IAM statements"
    covering_scan = [action for action in granted if fnmatch.fnmatch("dynamodb:scan", action.lower())]
    assert covering_scan == []


# Step Functions' log delivery to CloudWatch Logs: these actions have no resource-level permissions.
LOG_DELIVERY_ACTIONS = {
    "logs:CreateLogDelivery",
    "logs:DeleteLogDelivery",
    "logs:DescribeLogGroups",
    "logs:DescribeResourcePolicies",
    "logs:GetLogDelivery",
    "logs:ListLogDeliveries",
    "logs:PutResourcePolicy",
    "logs:UpdateLogDelivery",
}


def test_only_xray_and_log_delivery_are_granted_on_every_resource(synthesized: Synthesized) -> None:
    """`Resource: *` is acknowledged for X-Ray and Step Functions' log delivery (no resource-level
    permissions); nothing else may use it."""
    for statement in all_identity_statements(synthesized.resources):
        if "*" in as_list(statement["Resource"]):
            assert all(a.startswith("xray:") or a in LOG_DELIVERY_ACTIONS for a in actions(statement)), statement


@pytest.mark.parametrize("spec", [s for s in ALL_FUNCTIONS if not s.tenant_scoped], ids=lambda s: s.name)
def test_direct_table_access_is_exactly_the_spec_level(synthesized: Synthesized, spec: FunctionSpec) -> None:
    """Given table_access, then the function's own role gets exactly that level's DynamoDB actions."""
    _, function = function_of(synthesized, spec)
    statements = role_statements(synthesized.resources, role_logical_id(function))
    assert dynamodb_actions(statements) == EXPECTED_TABLE_ACTIONS[spec.table_access]
    assert ENV_TENANT_ROLE_ARN not in function["Environment"]["Variables"]


@pytest.mark.parametrize("spec", [s for s in ALL_FUNCTIONS if s.tenant_scoped], ids=lambda s: s.name)
def test_tenant_scoped_functions_reach_the_table_only_through_the_tenant_role(
    synthesized: Synthesized, spec: FunctionSpec
) -> None:
    """Given a tenant-scoped spec, then its role has no DynamoDB action, only AssumeRole+TagSession on the
    tenant data role, whose ARN it gets in its environment."""
    _, function = function_of(synthesized, spec)
    statements = role_statements(synthesized.resources, role_logical_id(function))
    assert dynamodb_actions(statements) == set()

    tenant_role_id, _ = tenant_data_role(synthesized)
    sts = [s for s in statements if any(a.startswith("sts:") for a in actions(s))]
    assert len(sts) == 1
    assert set(actions(sts[0])) == {"sts:AssumeRole", "sts:TagSession"}
    assert sts[0]["Resource"] == {"Fn::GetAtt": [tenant_role_id, "Arn"]}
    assert function["Environment"]["Variables"][ENV_TENANT_ROLE_ARN] == {"Fn::GetAtt": [tenant_role_id, "Arn"]}


def test_tenant_data_role_is_limited_to_the_callers_tenant_keys(synthesized: Synthesized) -> None:
    """Given the tenant data role, then it allows read/write only on keys leading with the session's tenant
    tag, and only tenant-scoped function roles may assume it, and only with a tenant_id tag."""
    tenant_role_id, tenant_role = tenant_data_role(synthesized)
    statements = role_statements(synthesized.resources, tenant_role_id)
    assert dynamodb_actions(statements) == READ_WRITE
    for statement in statements:
        condition = statement["Condition"]
        assert condition["ForAllValues:StringLike"]["dynamodb:LeadingKeys"] == LEADING_KEYS

    (trust,) = tenant_role["AssumeRolePolicyDocument"]["Statement"]
    assert set(actions(trust)) == {"sts:AssumeRole", "sts:TagSession"}
    assert trust["Condition"]["StringLike"] == {"aws:RequestTag/tenant_id": "*"}
    trusted_roles = {principal["Fn::GetAtt"][0] for principal in as_list(trust["Principal"]["AWS"])}
    expected = {role_logical_id(function_of(synthesized, s)[1]) for s in ALL_FUNCTIONS if s.tenant_scoped}
    assert trusted_roles == expected


def test_operator_secret_is_generated_and_readable_only_by_its_grantees(synthesized: Synthesized) -> None:
    """Given the operator key secret, then it is a generated 48-char key without punctuation, and only the
    functions whose spec asks for it may read it (and get its ARN)."""
    secrets = of_type(synthesized.resources, "AWS::SecretsManager::Secret")
    assert len(secrets) == 1
    (secret_id, secret), grantees = next(iter(secrets.items())), specs_granted("operator_secret")
    assert secret["GenerateSecretString"] == {"ExcludePunctuation": True, "PasswordLength": 48}
    assert grantees

    for spec in ALL_FUNCTIONS:
        _, function = function_of(synthesized, spec)
        statements = role_statements(synthesized.resources, role_logical_id(function))
        secret_actions = {a for s in statements for a in actions(s) if a.startswith("secretsmanager:")}
        environment = function["Environment"]["Variables"]
        if spec in grantees:
            assert secret_actions == {"secretsmanager:GetSecretValue"}
            assert environment[ENV_OPERATOR_SECRET_ARN] == {"Ref": secret_id}
        else:
            assert secret_actions == set()
            assert ENV_OPERATOR_SECRET_ARN not in environment


# Every API Gateway call functions/tenants/usage_plans.py makes -> the IAM action API Gateway authorizes it as ->
# the resource(s) it needs, rendered (`{plan}`: each usage plan of this API). Nothing else may be granted.
APIGATEWAY_ARN = "arn:<AWS::Partition>:apigateway:<AWS::Region>::"
USAGE_PLAN_CALLS: list[tuple[str, str, str]] = [
    ("create_api_key", "apigateway:POST", "/apikeys"),
    # tag on create is authorized as TagResource on the new key's tags
    ("create_api_key(tags=...)", "apigateway:PUT", "/tags/*"),
    ("create_usage_plan_key", "apigateway:POST", "/usageplans/{plan}/keys"),
]
USAGE_PLANS_MODULE = Path(__file__).resolve().parents[2] / "functions" / "tenants" / "usage_plans.py"


def apigateway_calls_in(module: Path) -> dict[str, set[str]]:
    """boto3 client method -> the keyword arguments of each `client.<method>(...)` call in a module."""
    calls: dict[str, set[str]] = {}
    for node in ast.walk(ast.parse(module.read_text())):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and isinstance(node.func.value, ast.Name)
            and node.func.value.id == "client"
        ):
            calls.setdefault(node.func.attr, set()).update(k.arg for k in node.keywords if k.arg)
    return calls


def apigateway_grants(synthesized: Synthesized, spec: FunctionSpec) -> set[tuple[str, str, str]]:
    """(action, rendered resource, condition as JSON) of every API Gateway statement on a function's role."""
    _, function = function_of(synthesized, spec)
    return {
        (action, render(resource), json.dumps(statement.get("Condition"), sort_keys=True))
        for statement in role_statements(synthesized.resources, role_logical_id(function))
        for action in actions(statement)
        if action.startswith("apigateway:")
        for resource in as_list(statement["Resource"])
    }


def expected_resources(synthesized: Synthesized, path: str) -> set[str]:
    plans = of_type(synthesized.resources, "AWS::ApiGateway::UsagePlan")
    if "{plan}" not in path:
        return {APIGATEWAY_ARN + path}
    return {APIGATEWAY_ARN + path.format(plan=f"<{plan_id}>") for plan_id in plans}


def test_the_call_table_lists_every_api_gateway_call_onboarding_makes() -> None:
    """Given functions/tenants/usage_plans.py, when its boto3 calls are listed, then the table below has exactly
    them (a new call there fails here until its permission is added), and the key is tagged with `tenant_id` only,
    the one tag key the tagging permission allows."""
    calls = apigateway_calls_in(USAGE_PLANS_MODULE)

    assert set(calls) == {call.split("(")[0] for call, _, _ in USAGE_PLAN_CALLS}
    assert "tags" in calls["create_api_key"]
    tag_keys = {
        key.value
        for node in ast.walk(ast.parse(USAGE_PLANS_MODULE.read_text()))
        if isinstance(node, ast.keyword) and node.arg == "tags" and isinstance(node.value, ast.Dict)
        for key in node.value.keys
        if isinstance(key, ast.Constant)
    }
    assert tag_keys == {"tenant_id"}


@pytest.mark.parametrize(("call", "action", "path"), USAGE_PLAN_CALLS, ids=[c for c, _, _ in USAGE_PLAN_CALLS])
def test_onboarding_may_make_each_api_gateway_call_on_its_narrowest_resource(
    synthesized: Synthesized, call: str, action: str, path: str
) -> None:
    """Given a call onboarding makes, then every function granted `usage_plans` may make it on exactly its
    resource (the API's own plans, not every plan), so tenant onboarding does not fail on IAM."""
    assert specs_granted("usage_plans")
    for spec in specs_granted("usage_plans"):
        granted = {(a, resource) for a, resource, _ in apigateway_grants(synthesized, spec)}
        assert {(action, resource) for resource in expected_resources(synthesized, path)} <= granted, call


def test_onboarding_may_do_nothing_else_in_api_gateway(synthesized: Synthesized) -> None:
    """Given the call table, then functions granted `usage_plans` get exactly its permissions (no reads of key
    values, no other plans, no keys by id, tagging only with `tenant_id`), and every other function none."""
    expected = {
        (action, resource) for _, action, path in USAGE_PLAN_CALLS for resource in expected_resources(synthesized, path)
    }
    only_the_tenant_tag = json.dumps({"ForAllValues:StringEquals": {"aws:TagKeys": ["tenant_id"]}}, sort_keys=True)
    for spec in ALL_FUNCTIONS:
        grants = apigateway_grants(synthesized, spec)
        if spec not in specs_granted("usage_plans"):
            assert grants == set()
            continue
        assert {(action, resource) for action, resource, _ in grants} == expected
        for action, _, condition in grants:
            assert condition == (only_the_tenant_tag if action == "apigateway:PUT" else "null")


# --- API -------------------------------------------------------------------------------------------


def test_rest_api_meters_the_key_the_authorizer_returns(synthesized: Synthesized) -> None:
    synthesized.template.has_resource_properties("AWS::ApiGateway::RestApi", {"ApiKeySourceType": "AUTHORIZER"})
    synthesized.template.has_resource_properties(
        "AWS::ApiGateway::Stage", {"StageName": API_STAGE, "TracingEnabled": True}
    )


def test_request_authorizer_caches_per_authorization_header(synthesized: Synthesized) -> None:
    synthesized.template.resource_count_is("AWS::ApiGateway::Authorizer", 1)
    synthesized.template.has_resource_properties(
        "AWS::ApiGateway::Authorizer",
        {
            "Type": "REQUEST",
            "IdentitySource": "method.request.header.Authorization",
            "AuthorizerResultTtlInSeconds": AUTHORIZER_CACHE_TTL_S,
        },
    )


def _methods_by_path(synthesized: Synthesized) -> dict[str, dict[str, dict[str, Any]]]:
    """Stage-relative path -> HTTP method -> Method properties."""
    paths = resource_paths(synthesized.resources)
    methods: dict[str, dict[str, dict[str, Any]]] = {}
    for method in of_type(synthesized.resources, "AWS::ApiGateway::Method").values():
        resource_id = method["ResourceId"]
        path = paths[resource_id["Ref"]] if "Ref" in resource_id else "/"
        methods.setdefault(path, {})[method["HttpMethod"]] = method
    return methods


def test_every_catalogue_route_and_nothing_else_is_exposed(synthesized: Synthesized) -> None:
    """Given the catalogue routes, then the API has exactly those paths and methods (under stage /v1), and
    ANY on each: a route listing its methods also takes every other one, for its function to refuse."""
    expected = {
        (stage_path(route.path), method)
        for spec in API_FUNCTIONS
        for route in spec.routes
        for method in {*route.methods, "ANY"}
    }
    actual = {(path, method) for path, methods in _methods_by_path(synthesized).items() for method in methods}
    assert actual == expected


@pytest.mark.parametrize("spec", API_FUNCTIONS, ids=lambda spec: spec.name)
def test_given_a_method_a_route_does_not_list_then_it_reaches_the_function_to_answer_405(
    synthesized: Synthesized, spec: FunctionSpec
) -> None:
    """Given any route, when a request uses a method the route does not list, then API Gateway's ANY
    method on its resource takes it to the route's own function (which answers 405 with Allow), behind
    the same guard as the route's methods; a method ANY does not cover (TRACE...) gets the gateway's
    no-route problem, MISSING_AUTHENTICATION_TOKEN."""
    methods = _methods_by_path(synthesized)
    function_name = f"{synthesized.stack.stack_name}-{spec.name}"
    for route in spec.routes:
        on_resource = methods[stage_path(route.path)]
        fallback = on_resource["ANY"]
        assert fallback["Integration"]["Type"] == "AWS_PROXY"
        assert render(fallback["Integration"]["Uri"]).endswith(f":function:{function_name}/invocations")
        for method in route.methods:
            listed = on_resource[method]
            for guard in ("AuthorizationType", "AuthorizerId", "ApiKeyRequired"):
                assert fallback.get(guard) == listed.get(guard), (route.path, method, guard)
    no_route = [
        r
        for r in of_type(synthesized.resources, "AWS::ApiGateway::GatewayResponse").values()
        if r["ResponseType"] == "MISSING_AUTHENTICATION_TOKEN"
    ]
    assert [r["ResponseParameters"]["gatewayresponse.header.Content-Type"] for r in no_route] == [
        "'application/problem+json'"
    ]


@pytest.mark.parametrize("spec", API_FUNCTIONS, ids=lambda spec: spec.name)
def test_routes_integrate_their_function_with_the_right_guard(synthesized: Synthesized, spec: FunctionSpec) -> None:
    """Given a route, then it proxies to its function; authorized routes use the Lambda authorizer, and
    authorized + metered routes also require the usage-plan key; public routes need neither."""
    methods = _methods_by_path(synthesized)
    (authorizer_id,) = of_type(synthesized.resources, "AWS::ApiGateway::Authorizer")
    function_name = f"{synthesized.stack.stack_name}-{spec.name}"
    for route in spec.routes:
        for http_method in route.methods:
            method = methods[stage_path(route.path)][http_method]
            integration = method["Integration"]
            assert integration["Type"] == "AWS_PROXY"
            assert render(integration["Uri"]).endswith(f":function:{function_name}/invocations")
            if route.authorized:
                assert method["AuthorizationType"] == "CUSTOM"
                assert method["AuthorizerId"] == {"Ref": authorizer_id}
                assert method.get("ApiKeyRequired", False) is route.metered
            else:
                assert method["AuthorizationType"] == "NONE"
                assert "AuthorizerId" not in method
                assert method.get("ApiKeyRequired", False) is False


@pytest.mark.parametrize("spec", API_FUNCTIONS, ids=lambda spec: spec.name)
def test_api_may_invoke_each_route_function(synthesized: Synthesized, spec: FunctionSpec) -> None:
    function_id, _ = function_of(synthesized, spec)
    permissions = [
        p
        for p in of_type(synthesized.resources, "AWS::Lambda::Permission").values()
        if p["FunctionName"] == {"Fn::GetAtt": [function_id, "Arn"]}
    ]
    assert [p["Principal"] for p in permissions] == ["apigateway.amazonaws.com"]
    assert render(permissions[0]["SourceArn"]).endswith(f"/{API_STAGE}/*/*")


def test_usage_plans_match_the_tiers(synthesized: Synthesized) -> None:
    """Given TIERS, then one usage plan per tier on the API stage with its throttle and daily quota."""
    plans = of_type(synthesized.resources, "AWS::ApiGateway::UsagePlan")
    assert len(plans) == len(TIERS)
    (stage_id,) = of_type(synthesized.resources, "AWS::ApiGateway::Stage")
    by_tier = {plan["UsagePlanName"].rsplit("-", 1)[1]: plan for plan in plans.values()}
    for tier in TIERS:
        plan = by_tier[tier.name]
        assert plan["Throttle"] == {"RateLimit": tier.rate_limit, "BurstLimit": tier.burst_limit}
        assert plan["Quota"] == {"Limit": tier.quota_per_day, "Period": "DAY"}
        assert [stage["Stage"] for stage in plan["ApiStages"]] == [{"Ref": stage_id}]


def test_onboarding_function_knows_each_tiers_plan_id(synthesized: Synthesized) -> None:
    """Given specs granted `usage_plans`, then their env holds {"tier": "<plan id>"} for every tier."""
    plans = of_type(synthesized.resources, "AWS::ApiGateway::UsagePlan")
    assert specs_granted("usage_plans")
    for spec in specs_granted("usage_plans"):
        _, function = function_of(synthesized, spec)
        plan_refs = json.loads(render(function["Environment"]["Variables"][ENV_USAGE_PLANS]))
        assert set(plan_refs) == set(TIER_NAMES)
        for tier, plan_ref in plan_refs.items():
            assert plans[plan_ref.strip("<>")]["UsagePlanName"].endswith(f"-{tier}")


@pytest.mark.parametrize("response", GATEWAY_RESPONSES, ids=lambda response: response.response_type)
def test_gateway_responses_are_problem_json(synthesized: Synthesized, response: Any) -> None:
    """Given a catalogue gateway response, then API Gateway answers with its status as problem+json."""
    matches = [
        r
        for r in of_type(synthesized.resources, "AWS::ApiGateway::GatewayResponse").values()
        if r["ResponseType"] == response.response_type
    ]
    assert len(matches) == 1
    (gateway_response,) = matches
    assert gateway_response["StatusCode"] == str(response.status)
    assert gateway_response["ResponseParameters"]["gatewayresponse.header.Content-Type"] == (
        "'application/problem+json'"
    )
    body = json.loads(gateway_response["ResponseTemplates"]["application/json"])
    assert body == gateway_problem(response)
    assert body == {
        "type": "about:blank",
        "title": response.title,
        "status": response.status,
        "detail": response.detail,
    }


# --- monitoring and outputs ------------------------------------------------------------------------


def test_every_function_alarms_on_errors_and_throttles(synthesized: Synthesized) -> None:
    """Then each function has Errors and Throttles alarms (>= 1 in 5 min) notifying the alarm topic."""
    alarms = of_type(synthesized.resources, "AWS::CloudWatch::Alarm")
    (topic_id,) = of_type(synthesized.resources, "AWS::SNS::Topic")
    for alarm in alarms.values():
        assert alarm["AlarmActions"] == [{"Ref": topic_id}]
        assert alarm["Period"] == 300
        assert alarm["ComparisonOperator"] == "GreaterThanOrEqualToThreshold"

    function_alarms = [
        alarm
        for alarm in alarms.values()
        if any(dimension["Name"] == "FunctionName" for dimension in alarm.get("Dimensions", []))
    ]
    assert all(alarm["Threshold"] == 1 for alarm in function_alarms)
    watched = {
        (alarm["MetricName"], dimension["Value"]["Ref"])
        for alarm in function_alarms
        for dimension in alarm["Dimensions"]
    }
    for spec in ALL_FUNCTIONS:
        function_id, _ = function_of(synthesized, spec)
        assert {("Errors", function_id), ("Throttles", function_id)} <= watched


def test_alarm_topic_lets_cloudwatch_publish_for_this_accounts_alarms_over_tls_only(synthesized: Synthesized) -> None:
    """Given the alarm topic's policy (which replaces SNS's default one), when CloudWatch publishes an alarm,
    then one statement allows cloudwatch.amazonaws.com to publish on behalf of this account's alarms in this
    region, and the SSL-only deny still holds for everyone."""
    (topic_id,) = of_type(synthesized.resources, "AWS::SNS::Topic")
    (policy,) = [
        p for p in of_type(synthesized.resources, "AWS::SNS::TopicPolicy").values() if {"Ref": topic_id} in p["Topics"]
    ]
    statements = as_list(policy["PolicyDocument"]["Statement"])

    denies = [s for s in statements if s["Effect"] == "Deny"]
    assert [(d["Principal"], d["Action"], d["Condition"]) for d in denies] == [
        ("*", "sns:Publish", {"Bool": {"aws:SecureTransport": "false"}})
    ]
    (allow,) = [s for s in statements if s["Effect"] == "Allow"]
    assert allow["Principal"] == {"Service": "cloudwatch.amazonaws.com"}
    assert allow["Action"] == "sns:Publish"
    assert allow["Resource"] == {"Ref": topic_id}
    assert allow["Condition"]["StringEquals"] == {"aws:SourceAccount": {"Ref": "AWS::AccountId"}}
    assert render(allow["Condition"]["ArnLike"]["aws:SourceArn"]) == (
        "arn:<AWS::Partition>:cloudwatch:<AWS::Region>:<AWS::AccountId>:alarm:*"
    )


def test_api_alarms_on_5xx(synthesized: Synthesized) -> None:
    synthesized.template.has_resource_properties(
        "AWS::CloudWatch::Alarm", {"Namespace": "AWS/ApiGateway", "MetricName": "5XXError", "Threshold": 1}
    )


def test_outputs_tell_operators_where_things_are(synthesized: Synthesized) -> None:
    expected = {"ApiUrl", "TableName", "OperatorSecretArn", "AlarmTopicArn", "EventBusName"}
    assert expected <= set(synthesized.cfn["Outputs"])
    assert render(synthesized.cfn["Outputs"]["ApiUrl"]["Value"]).startswith("https://")

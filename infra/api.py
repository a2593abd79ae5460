"""The REST API: routes, the Lambda authorizer, usage plans per tier and problem+json gateway responses.

API Gateway's CloudWatch role is an account-wide (per region) setting, not part of one API: a stack that creates
it (an AWS::ApiGateway::Account resource) overwrites whatever role the account had, and other stacks (or a
second copy of this one) doing the same take turns overwriting it. So it is opt-in: `-c api_cloudwatch_role=true`
creates it (CDK retains the role when the stack is deleted). Execution and access logs cannot be written without
that role: API Gateway refuses to create a stage that asks for them while the account has none, so they are only
switched on together with it. Without it, the stage still has X-Ray traces and CloudWatch metrics (which need no
role), and every request that reaches a function is logged by that function (crm.observability). If the account
already has the role (set by hand or by another stack), enabling it here too only re-points it at this stack's
role: enable it in one stack per account and region.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from aws_cdk import ArnFormat, Aws, Duration, Stack
from aws_cdk import aws_apigateway as apigw
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_logs as logs
from constructs import Construct

from crm.catalogue import (
    API_STAGE,
    AUTHORIZER_CACHE_TTL_S,
    ENV_USAGE_PLANS,
    GATEWAY_RESPONSES,
    PROBLEM_JSON,
    TIERS,
    FunctionSpec,
    GatewayResponse,
    Route,
    Tier,
    gateway_problem,
    stage_path,
)
from infra.access import GrantableResource
from infra.compute import LOG_RETENTION, pascal_case
from infra.nag import acknowledge

# A stage-wide ceiling above every tier's own limit, so one API cannot drain the account's shared pool.
STAGE_RATE_LIMIT = 1000
STAGE_BURST_LIMIT = 2000

# The tag functions/tenants/usage_plans.py puts on each tenant's API key (tag on create).
USAGE_KEY_TAG = "tenant_id"


@dataclass(frozen=True)
class ApiGatewayCall:
    """One API Gateway call the tenants function makes, and the IAM action and resource paths it is authorized on
    (API Gateway authorizes by HTTP verb and resource path, e.g. `apigateway:POST` on `/apikeys`)."""

    call: str  # the boto3 method in functions/tenants/usage_plans.py
    action: str
    paths: tuple[str, ...]
    conditions: Mapping[str, Any] | None = None


def _access_log_format() -> apigw.AccessLogFormat:
    return apigw.AccessLogFormat.json_with_standard_fields(
        caller=False,
        http_method=True,
        ip=True,
        protocol=True,
        request_time=True,
        resource_path=True,
        response_length=True,
        status=True,
        user=False,
    )


def gateway_methods(route: Route) -> tuple[str, ...]:
    """The methods a route's resource has: those the catalogue lists and, where they are not ANY, ANY as
    well, proxying to the same function. API Gateway prefers a resource's explicit methods over its ANY,
    so every other method reaches the function, whose resolver answers 405 with `Allow` (crm.http), as it
    does on ANY routes: without it API Gateway would answer a no-route 404 for a path that exists. Methods
    ANY does not cover (TRACE, CONNECT, ...) get the MISSING_AUTHENTICATION_TOKEN gateway response.
    The local gateway (local/gateway.py) routes the same way."""
    return route.methods if "ANY" in route.methods else (*route.methods, "ANY")


class Api(Construct):
    """One RestApi, stage `v1`: each catalogue route proxies to its function behind the Lambda authorizer."""

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        authorizer_function: lambda_.IFunction,
        route_specs: Sequence[FunctionSpec],
        functions: Mapping[str, lambda_.IFunction],
        function_names: Mapping[str, str],
        cloud_watch_role: bool = False,
    ) -> None:
        super().__init__(scope, construct_id)
        stack = Stack.of(self)
        self.rest_api = apigw.RestApi(
            self,
            "RestApi",
            rest_api_name=f"{stack.stack_name}-api",
            description="CRM public REST API",
            endpoint_types=[apigw.EndpointType.REGIONAL],
            # Usage plans meter the key the authorizer returns (usageIdentifierKey), not an x-api-key header.
            api_key_source_type=apigw.ApiKeySourceType.AUTHORIZER,
            # Opt-in: the account-wide role (see the module docstring). CDK retains it when the stack goes.
            cloud_watch_role=cloud_watch_role,
            deploy_options=apigw.StageOptions(
                stage_name=API_STAGE,
                throttling_rate_limit=STAGE_RATE_LIMIT,
                throttling_burst_limit=STAGE_BURST_LIMIT,
                tracing_enabled=True,
                metrics_enabled=True,
                data_trace_enabled=False,  # bodies carry tenant data: never in execution logs
                **self._logging_options(cloud_watch_role),
            ),
        )
        # The stack outputs the URL as `ApiUrl`; drop RestApi's own hashed-name duplicate.
        self.rest_api.node.try_remove_child("Endpoint")
        if cloud_watch_role:
            acknowledge(
                self.rest_api,
                "AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/"
                "AmazonAPIGatewayPushToCloudWatchLogs]",
                "The account-level API Gateway logging role uses the AWS policy made for exactly that.",
            )
        else:
            reason = (
                "API Gateway writes execution and access logs only with the account-wide CloudWatch role, which "
                "this stack creates only when asked (-c api_cloudwatch_role=true): creating it silently would "
                "overwrite the account's setting. Requests reaching a function are logged by it (crm.observability); "
                "those API Gateway rejects show in its metrics and X-Ray traces."
            )
            acknowledge(self.rest_api, "AwsSolutions-APIG1", reason)
            acknowledge(self.rest_api, "AwsSolutions-APIG6", reason)
        acknowledge(
            self.rest_api,
            "AwsSolutions-APIG2",
            "Requests are validated by each function (Powertools enable_validation) into problem+json.",
        )
        acknowledge(
            self.rest_api,
            "AwsSolutions-APIG3",
            "Per-tenant usage plans throttle and meter; a WAF web ACL is a per-deployment cost choice.",
        )

        self.authorizer = apigw.RequestAuthorizer(
            self,
            "Authorizer",
            handler=authorizer_function,
            identity_sources=[apigw.IdentitySource.header("Authorization")],
            # A revoked key keeps working in the cloud for at most this long.
            results_cache_ttl=Duration.seconds(AUTHORIZER_CACHE_TTL_S),
        )
        for spec in route_specs:
            self._add_routes(spec, functions[spec.name], function_names[spec.name])

        self.usage_plans = {tier.name: self._add_usage_plan(tier) for tier in TIERS}
        for response in GATEWAY_RESPONSES:
            self._add_gateway_response(response)

    def _logging_options(self, cloud_watch_role: bool) -> dict[str, Any]:
        """Execution (errors only) and access logs, where the account's CloudWatch role lets API Gateway write."""
        if not cloud_watch_role:
            return {"logging_level": apigw.MethodLoggingLevel.OFF}
        access_logs = logs.LogGroup(self, "AccessLogs", retention=LOG_RETENTION)
        return {
            "logging_level": apigw.MethodLoggingLevel.ERROR,
            "access_log_destination": apigw.LogGroupLogDestination(access_logs),
            "access_log_format": _access_log_format(),
        }

    @property
    def usage_plan_calls(self) -> tuple[ApiGatewayCall, ...]:
        """Every API Gateway call functions/tenants/usage_plans.py makes, each on the narrowest resource."""
        plan_keys = tuple(f"/usageplans/{plan.usage_plan_id}/keys" for plan in self.usage_plans.values())
        return (
            ApiGatewayCall("create_api_key", "apigateway:POST", ("/apikeys",)),
            # Tagging on create is authorized separately, as TagResource (PUT /tags/<url-encoded key ARN>); the key
            # and so its ARN do not exist before the call. Only the tenant tag may be set.
            ApiGatewayCall(
                "create_api_key(tags=...)",
                "apigateway:PUT",
                ("/tags/*",),
                conditions={"ForAllValues:StringEquals": {"aws:TagKeys": [USAGE_KEY_TAG]}},
            ),
            ApiGatewayCall("create_usage_plan_key", "apigateway:POST", plan_keys),
        )

    @property
    def usage_plan_access(self) -> GrantableResource:
        """The `usage_plans` resource kind: create a tenant's API key and add it to its tier's plan."""

        def apigateway_arn(path: str) -> str:
            return f"arn:{Aws.PARTITION}:apigateway:{Aws.REGION}::{path}"

        plan_ids = Stack.of(self).to_json_string({tier: plan.usage_plan_id for tier, plan in self.usage_plans.items()})
        return GrantableResource(
            arns=(),
            statements=[
                iam.PolicyStatement(
                    actions=[call.action],
                    resources=[apigateway_arn(path) for path in call.paths],
                    conditions=dict(call.conditions) if call.conditions else None,
                )
                for call in self.usage_plan_calls
            ],
            environment={ENV_USAGE_PLANS: plan_ids},
            accepted_findings={
                "AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:apigateway:<AWS::Region>::/tags/*]": (
                    "Tagging a tenant's API key on creation is authorized on the tags of a key whose id does not "
                    f"exist yet; the statement only allows the {USAGE_KEY_TAG} tag key."
                )
            },
        )

    def _add_routes(self, spec: FunctionSpec, function: lambda_.IFunction, function_name: str) -> None:
        integration = self._lambda_proxy(function_name)
        for route in spec.routes:
            # The stage named `v1` supplies the prefix: repeating it in the tree would give `.../v1/v1/...`.
            resource = self.rest_api.root.resource_for_path(stage_path(route.path))
            for method in gateway_methods(route):
                resource.add_method(method, integration, **self._method_options(route))
                if not route.authorized:
                    acknowledge(
                        resource,
                        "AwsSolutions-APIG4",
                        "Public by design (catalogue: authorized=False): health, OpenAPI, docs.",
                    )
            acknowledge(
                resource,
                "AwsSolutions-COG4",
                "Tenants authenticate with API keys checked by the Lambda authorizer, not Cognito.",
            )
        function.add_permission(
            "InvokeFromApi",
            principal=iam.ServicePrincipal("apigateway.amazonaws.com"),
            source_arn=self.rest_api.arn_for_execute_api(stage=API_STAGE),
        )

    def _lambda_proxy(self, function_name: str) -> apigw.Integration:
        """A proxy integration addressing the function by its fixed name, not by a reference to it.

        The tenants function's environment holds the usage plan ids; plans depend on the stage, the stage
        on the deployment, the deployment on the methods. Were a method to reference the function, that
        would close a dependency cycle.
        """
        function_arn = Stack.of(self).format_arn(
            service="lambda",
            resource="function",
            resource_name=function_name,
            arn_format=ArnFormat.COLON_RESOURCE_NAME,
        )
        return apigw.Integration(
            type=apigw.IntegrationType.AWS_PROXY,
            integration_http_method="POST",
            uri=f"arn:{Aws.PARTITION}:apigateway:{Aws.REGION}:lambda:path/2015-03-31/functions/{function_arn}/invocations",
        )

    def _method_options(self, route: Route) -> dict[str, Any]:
        if not route.authorized:
            return {"authorization_type": apigw.AuthorizationType.NONE}
        return {
            "authorization_type": apigw.AuthorizationType.CUSTOM,
            "authorizer": self.authorizer,
            "api_key_required": route.metered,
        }

    def _add_usage_plan(self, tier: Tier) -> apigw.UsagePlan:
        return self.rest_api.add_usage_plan(
            f"{pascal_case(tier.name)}Plan",
            name=f"{Stack.of(self).stack_name}-{tier.name}",
            description=f"CRM {tier.name} tier",
            throttle=apigw.ThrottleSettings(rate_limit=tier.rate_limit, burst_limit=tier.burst_limit),
            quota=apigw.QuotaSettings(limit=tier.quota_per_day, period=apigw.Period.DAY),
            api_stages=[apigw.UsagePlanPerApiStage(api=self.rest_api, stage=self.rest_api.deployment_stage)],
        )

    def _add_gateway_response(self, response: GatewayResponse) -> None:
        self.rest_api.add_gateway_response(
            f"{pascal_case(response.response_type)}Response",
            # The catalogue uses API Gateway's own names (DEFAULT_5XX); jsii's Python attribute names differ.
            type=apigw.ResponseType.of(response.response_type),
            status_code=str(response.status),
            response_headers={"Content-Type": f"'{PROBLEM_JSON}'"},
            templates={"application/json": json.dumps(gateway_problem(response))},
        )

"""The REST API: routes, the Lambda authorizer, usage plans per tier and problem+json gateway responses."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
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
    ) -> None:
        super().__init__(scope, construct_id)
        stack = Stack.of(self)
        access_logs = logs.LogGroup(self, "AccessLogs", retention=LOG_RETENTION)
        self.rest_api = apigw.RestApi(
            self,
            "RestApi",
            rest_api_name=f"{stack.stack_name}-api",
            description="CRM public REST API",
            endpoint_types=[apigw.EndpointType.REGIONAL],
            # Usage plans meter the key the authorizer returns (usageIdentifierKey), not an x-api-key header.
            api_key_source_type=apigw.ApiKeySourceType.AUTHORIZER,
            # Stage logging needs the account-level API Gateway CloudWatch role; create it (it is retained).
            cloud_watch_role=True,
            deploy_options=apigw.StageOptions(
                stage_name=API_STAGE,
                throttling_rate_limit=STAGE_RATE_LIMIT,
                throttling_burst_limit=STAGE_BURST_LIMIT,
                tracing_enabled=True,
                metrics_enabled=True,
                logging_level=apigw.MethodLoggingLevel.ERROR,
                data_trace_enabled=False,  # bodies carry tenant data: never in execution logs
                access_log_destination=apigw.LogGroupLogDestination(access_logs),
                access_log_format=apigw.AccessLogFormat.json_with_standard_fields(
                    caller=False,
                    http_method=True,
                    ip=True,
                    protocol=True,
                    request_time=True,
                    resource_path=True,
                    response_length=True,
                    status=True,
                    user=False,
                ),
            ),
        )
        # The stack outputs the URL as `ApiUrl`; drop RestApi's own hashed-name duplicate.
        self.rest_api.node.try_remove_child("Endpoint")
        acknowledge(
            self.rest_api,
            "AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs]",
            "The account-level API Gateway logging role uses the AWS policy made for exactly that.",
        )
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

    @property
    def usage_plan_access(self) -> GrantableResource:
        """The `usage_plans` resource kind: create tenant API keys and add them to a tier's plan."""
        stack = Stack.of(self)

        def apigateway_arn(path: str) -> str:
            return f"arn:{stack.partition}:apigateway:{stack.region}::{path}"

        # Exactly the calls onboarding makes: add a key to a plan (POST .../keys), read plan and usage.
        plan_arns = [
            apigateway_arn(f"/usageplans/{plan.usage_plan_id}{suffix}")
            for plan in self.usage_plans.values()
            for suffix in ("", "/keys", "/usage")
        ]
        plan_ids = stack.to_json_string({tier: plan.usage_plan_id for tier, plan in self.usage_plans.items()})
        return GrantableResource(
            arns=[apigateway_arn("/apikeys"), apigateway_arn("/apikeys/*"), *plan_arns],
            environment={ENV_USAGE_PLANS: plan_ids},
            accepted_findings={
                "AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:apigateway:<AWS::Region>::/apikeys/*]": (
                    "Tenant API keys are created at onboarding; their ids do not exist at deploy time."
                )
            },
        )

    def _add_routes(self, spec: FunctionSpec, function: lambda_.IFunction, function_name: str) -> None:
        integration = self._lambda_proxy(function_name)
        for route in spec.routes:
            # The stage named `v1` supplies the prefix: repeating it in the tree would give `.../v1/v1/...`.
            resource = self.rest_api.root.resource_for_path(stage_path(route.path))
            for method in route.methods:
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

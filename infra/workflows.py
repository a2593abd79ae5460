"""The one state machine that runs every workflow run (crm.catalogue.workflow_machine_definition)."""

from __future__ import annotations

import json

from aws_cdk import ArnFormat, Duration, RemovalPolicy, Stack
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_logs as logs
from aws_cdk import aws_stepfunctions as sfn
from constructs import Construct

from crm.catalogue import ENV_WORKFLOW_MACHINE_ARN, WORKFLOW_MACHINE, workflow_machine_definition
from infra.access import GrantableResource
from infra.nag import acknowledge

# Filled in by CloudFormation: the definition is the catalogue's, byte for byte, with the runner's ARN.
RUNNER_ARN_SUBSTITUTION = "RunnerArn"


class WorkflowMachine(Construct):
    def __init__(self, scope: Construct, construct_id: str, *, runner: lambda_.IFunction) -> None:
        super().__init__(scope, construct_id)
        definition = workflow_machine_definition(f"${{{RUNNER_ARN_SUBSTITUTION}}}")
        log_group = logs.LogGroup(
            self, "Logs", retention=logs.RetentionDays.ONE_MONTH, removal_policy=RemovalPolicy.DESTROY
        )
        # A name known before deployment: the runner (which the definition names) may continue a run in a new
        # execution, so its policy cannot refer to the state machine resource without a dependency cycle.
        stack = Stack.of(self)
        name = f"{stack.stack_name}-{WORKFLOW_MACHINE.name}"
        machine_arn = stack.format_arn(
            service="states", resource="stateMachine", resource_name=name, arn_format=ArnFormat.COLON_RESOURCE_NAME
        )
        self.state_machine = sfn.StateMachine(
            self,
            "StateMachine",
            state_machine_name=name,
            state_machine_type=sfn.StateMachineType.STANDARD,
            definition_body=sfn.DefinitionBody.from_string(json.dumps(definition)),
            definition_substitutions={RUNNER_ARN_SUBSTITUTION: runner.function_arn},
            comment=f"{WORKFLOW_MACHINE.name}: interprets every workflow run (state lives in the table)",
            # Errors only: run data (record properties) stays out of the logs; the run item has the details.
            logs=sfn.LogOptions(destination=log_group, level=sfn.LogLevel.ERROR, include_execution_data=False),
            tracing_enabled=True,
        )
        # The unqualified function only (grant_invoke would add every version, <arn>:*).
        self.state_machine.add_to_role_policy(
            iam.PolicyStatement(actions=["lambda:InvokeFunction"], resources=[runner.function_arn])
        )
        acknowledge(
            self.state_machine,
            "AwsSolutions-IAM5[Resource::*]",
            "Step Functions' log delivery (logs:CreateLogDelivery and its kin) and X-Ray have no resource-level "
            "permissions.",
        )
        acknowledge(
            self.state_machine,
            "AwsSolutions-SF1",
            "Errors are logged; each run's steps, attempts, outputs and errors are kept in the table "
            "(GET /v1/workflow-runs/{id}), so logging ALL events would pay twice for the same history.",
        )
        # What functions that start runs are granted (catalogue resource kind "workflow_machine"). Cancelling
        # a run marks it in the table; its execution ends at its next step, so nothing stops executions.
        self.access = GrantableResource(arns=[machine_arn], environment={ENV_WORKFLOW_MACHINE_ARN: machine_arn})

    def metric_failed_runs(self) -> cloudwatch.Metric:
        return self.state_machine.metric_failed(period=Duration.minutes(5), statistic=cloudwatch.Stats.SUM)

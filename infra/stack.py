"""The CRM stack: everything is generated from the catalogue (crm.catalogue)."""

from __future__ import annotations

from typing import Any

from aws_cdk import CfnOutput, Stack, Token
from constructs import Construct

from crm.catalogue import ALL_FUNCTIONS, API_FUNCTIONS, AUTHORIZER, WORKFLOW_MACHINE
from infra.access import Access
from infra.api import Api
from infra.compute import Compute
from infra.data import DataStore
from infra.event_bus import Events
from infra.monitoring import Monitoring
from infra.regions import require_pipes
from infra.workflows import WorkflowMachine

# `-c api_cloudwatch_role=true`: opt in to API Gateway's account-wide CloudWatch role and the API's logs (api.py).
API_CLOUDWATCH_ROLE_CONTEXT_KEY = "api_cloudwatch_role"
_TRUE = ("true", "1", "yes", "on")
_FALSE = ("false", "0", "no", "off", "")


def context_switch(scope: Construct, key: str, *, default: bool = False) -> bool:
    """A boolean context value: JSON `true`/`false` (cdk.json, tests) or the text `-c key=value` gives."""
    value = scope.node.try_get_context(key)
    if value is None:
        return default
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in _TRUE + _FALSE:
        return value.strip().lower() in _TRUE
    raise ValueError(f"context {key}={value!r}: expected true or false")


class CrmStack(Stack):
    """Table, functions, API, permissions, events, alarms. Built in this order because each part refers to
    the ones before it: routes need the functions, permissions need the table and the API's usage plans,
    the outbox pipe needs the table's stream and its enrichment function, alarms need the queues."""

    def __init__(self, scope: Construct, construct_id: str, **kwargs: Any) -> None:
        super().__init__(scope, construct_id, **kwargs)
        # Unknown region (a region-agnostic template): CloudFormation itself refuses the pipe where there is none.
        if not Token.is_unresolved(self.region):
            require_pipes(self.region)
        data = DataStore(self, "Data")
        compute = Compute(self, "Compute", specs=ALL_FUNCTIONS, table=data.table)
        api = Api(
            self,
            "Api",
            authorizer_function=compute.functions[AUTHORIZER.name],
            route_specs=API_FUNCTIONS,
            functions=compute.functions,
            function_names=compute.function_names,
            cloud_watch_role=context_switch(self, API_CLOUDWATCH_ROLE_CONTEXT_KEY),
        )
        workflows = WorkflowMachine(self, "Workflows", runner=compute.functions[WORKFLOW_MACHINE.task_function])
        access = Access(
            self,
            "Access",
            specs=ALL_FUNCTIONS,
            functions=compute.functions,
            roles=compute.roles,
            data=data,
            usage_plans=api.usage_plan_access,
            workflow_machine=workflows.access,
        )
        events = Events(self, "Events", specs=ALL_FUNCTIONS, functions=compute.functions, table=data.table)
        monitoring = Monitoring(
            self,
            "Monitoring",
            functions=compute.functions,
            rest_api=api.rest_api,
            queues=events.queues,
            dead_letter_queues=events.dead_letter_queues,
            failed_runs=workflows.metric_failed_runs(),
        )

        self.table = data.table
        self.rest_api = api.rest_api
        CfnOutput(self, "ApiUrl", value=api.rest_api.url, description="Base URL; routes are <ApiUrl>contacts")
        CfnOutput(self, "TableName", value=data.table.table_name)
        CfnOutput(self, "OperatorSecretArn", value=access.operator_secret.secret_arn)
        CfnOutput(self, "AlarmTopicArn", value=monitoring.alarm_topic.topic_arn)
        CfnOutput(self, "WorkflowStateMachineArn", value=workflows.state_machine.state_machine_arn)
        CfnOutput(self, "EventBusName", value=events.bus.event_bus_name, description="Replay from its archive")

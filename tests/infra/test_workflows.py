"""The workflow state machine as deployed: the catalogue's definition, Standard, least privilege, alarmed."""

from __future__ import annotations

import json
from typing import Any

from crm import catalogue
from tests.infra.cfn import (
    actions,
    as_list,
    function_with_handler,
    get_att,
    of_type,
    role_logical_id,
    role_statements,
)
from tests.infra.synth import Synthesized

RUNNER_HANDLER = catalogue.function_by_name(catalogue.WORKFLOW_MACHINE.task_function).handler


def _machine(synthesized: Synthesized) -> dict[str, Any]:
    (machine,) = of_type(synthesized.resources, "AWS::StepFunctions::StateMachine").values()
    return machine


def _deployed_definition(synthesized: Synthesized) -> tuple[dict[str, Any], dict[str, Any]]:
    """The definition CloudFormation deploys, and what it substitutes into it."""
    machine = _machine(synthesized)
    return json.loads(machine["DefinitionString"]), machine["DefinitionSubstitutions"]


def test_given_the_stack_then_one_standard_state_machine_runs_the_catalogues_definition(synthesized):
    runner_id, _ = function_with_handler(synthesized.resources, RUNNER_HANDLER)

    machine = _machine(synthesized)

    definition, substitutions = _deployed_definition(synthesized)

    assert machine["StateMachineType"] == "STANDARD"
    assert definition == catalogue.workflow_machine_definition("${RunnerArn}")
    assert substitutions == {"RunnerArn": get_att(runner_id)}


def test_given_the_state_machine_then_its_role_may_invoke_only_the_runner(synthesized):
    runner_id, _ = function_with_handler(synthesized.resources, RUNNER_HANDLER)
    role_id = _machine(synthesized)["RoleArn"]["Fn::GetAtt"][0]

    statements = role_statements(synthesized.resources, role_id)
    lambda_statements = [s for s in statements if any(a.startswith("lambda:") for a in actions(s))]

    assert len(lambda_statements) == 1
    assert actions(lambda_statements[0]) == ["lambda:InvokeFunction"]
    assert as_list(lambda_statements[0]["Resource"]) == [get_att(runner_id)]
    others = {a.split(":")[0] for s in statements if s not in lambda_statements for a in actions(s)}
    assert others <= {"logs", "xray"}


def test_given_functions_that_start_runs_then_each_may_start_executions_of_this_machine_only(synthesized):
    machine_name = _machine(synthesized)["StateMachineName"]
    for spec in catalogue.ALL_FUNCTIONS:
        _, function = function_with_handler(synthesized.resources, spec.handler)
        statements = role_statements(synthesized.resources, role_logical_id(function))
        granted = [s for s in statements if any(a.startswith("states:") for a in actions(s))]
        wants = any(kind == "workflow_machine" for _, kind in spec.extra_permissions)
        if not wants:
            assert granted == [], spec.name
            continue
        (statement,) = granted
        assert actions(statement) == ["states:StartExecution"], spec.name
        (resource,) = as_list(statement["Resource"])
        rendered = json.dumps(resource)
        assert f":stateMachine:{machine_name}" in rendered and "*" not in rendered, spec.name
        env = function["Environment"]["Variables"][catalogue.ENV_WORKFLOW_MACHINE_ARN]
        assert env == resource, spec.name


def test_given_the_state_machine_then_a_failed_run_raises_an_alarm_that_notifies_operators(synthesized):
    alarms = [
        alarm
        for alarm in of_type(synthesized.resources, "AWS::CloudWatch::Alarm").values()
        if alarm.get("MetricName") == "ExecutionsFailed" and alarm.get("Namespace") == "AWS/States"
    ]

    (alarm,) = alarms
    assert alarm["AlarmActions"] and alarm["Threshold"] == 1


def test_given_the_trigger_rule_then_every_crm_event_reaches_the_matchers_queue(synthesized):
    rule = next(r for r in catalogue.RULES if r.queue == "workflow-triggers")
    (matcher,) = catalogue.consumers_of(rule.queue)
    matcher_id, _ = function_with_handler(synthesized.resources, matcher.handler)
    mappings = [
        m
        for m in of_type(synthesized.resources, "AWS::Lambda::EventSourceMapping").values()
        if m["FunctionName"] == {"Ref": matcher_id}
    ]

    assert rule.pattern == {"source": [catalogue.EVENT_BUS.source]}
    (mapping,) = mappings
    assert mapping["FunctionResponseTypes"] == ["ReportBatchItemFailures"]


def test_given_the_definition_then_a_run_with_one_wait_costs_at_most_ten_state_transitions():
    """Advance -> Decide -> Wait -> Advance -> Decide -> Done: consecutive steps share one task."""
    definition = catalogue.workflow_machine_definition("runner")
    path, state = [], definition["StartAt"]
    answers = iter(["wait", "end"])
    while True:
        path.append(state)
        spec = definition["States"][state]
        if spec["Type"] in ("Succeed", "Fail"):
            break
        if spec["Type"] == "Choice":
            answer = next(answers)
            state = next((c["Next"] for c in spec["Choices"] if c["StringEquals"] == answer), spec["Default"])
        else:
            state = spec["Next"]

    assert path == ["Advance", "Decide", "Wait", "Advance", "Decide", "Done"]
    assert len(path) <= 10

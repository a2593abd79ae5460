"""The event side of the template matches the catalogue: bus and archive, queues and their dead-letter
queues, rules, the outbox pipe, queue consumers and senders, and their alarms.

Every expectation is derived from `crm.catalogue`, so a new queue, rule or consumer there is checked here
without editing a test.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from crm.catalogue import (
    ALL_FUNCTIONS,
    ENV_ALLOW_PRIVATE_WEBHOOKS,
    EVENT_BUS,
    OUTBOX_PIPE,
    QUEUES,
    RULES,
    FunctionSpec,
    QueueSpec,
    RuleSpec,
    dead_letter_queue_name,
    function_by_name,
    queue_url_env,
    visibility_timeout_s,
)
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

DAY_S = 24 * 60 * 60
FOURTEEN_DAYS_S = 14 * DAY_S
CONSUMERS = [spec for spec in ALL_FUNCTIONS if spec.consumes is not None]


def queue_named(synthesized: Synthesized, name: str) -> tuple[str, dict[str, Any]]:
    """The queue the stack names `<stack>-<name>`."""
    queue_name = f"{synthesized.stack.stack_name}-{name}"
    matches = {
        logical_id: queue
        for logical_id, queue in of_type(synthesized.resources, "AWS::SQS::Queue").items()
        if queue.get("QueueName") == queue_name
    }
    assert len(matches) == 1, f"expected one queue named {queue_name}"
    return next(iter(matches.items()))


def dead_letter_queue_of(synthesized: Synthesized, queue: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    dlq_id = queue["RedrivePolicy"]["deadLetterTargetArn"]["Fn::GetAtt"][0]
    return dlq_id, synthesized.resources[dlq_id]["Properties"]


def queue_policy_statements(synthesized: Synthesized, queue_id: str) -> list[dict[str, Any]]:
    return [
        statement
        for policy in of_type(synthesized.resources, "AWS::SQS::QueuePolicy").values()
        if {"Ref": queue_id} in policy["Queues"]
        for statement in as_list(policy["PolicyDocument"]["Statement"])
    ]


def bus(synthesized: Synthesized) -> tuple[str, dict[str, Any]]:
    (bus_item,) = of_type(synthesized.resources, "AWS::Events::EventBus").items()
    return bus_item


def outbox_pipe(synthesized: Synthesized) -> dict[str, Any]:
    (pipe,) = of_type(synthesized.resources, "AWS::Pipes::Pipe").values()
    return pipe


def alarms_on(synthesized: Synthesized, metric_name: str, queue_id: str) -> list[dict[str, Any]]:
    return [
        alarm
        for alarm in of_type(synthesized.resources, "AWS::CloudWatch::Alarm").values()
        if alarm.get("Namespace") == "AWS/SQS"
        and alarm["MetricName"] == metric_name
        and {"Name": "QueueName", "Value": get_att(queue_id, "QueueName")} in alarm["Dimensions"]
    ]


def canonical(value: Any) -> str:
    """A CloudFormation value as comparable text that keeps `Arn` and `StreamArn` apart."""
    return json.dumps(value, sort_keys=True)


def granted(statements: list[dict[str, Any]]) -> set[tuple[str, str]]:
    """(action, resource) pairs of identity-policy statements."""
    return {
        (action, canonical(resource))
        for statement in statements
        for action in actions(statement)
        for resource in as_list(statement["Resource"])
    }


# --- bus -------------------------------------------------------------------------------------------


def test_bus_is_named_per_stack_and_archives_every_crm_event(synthesized: Synthesized) -> None:
    """Given EVENT_BUS, then one bus `<stack>-<name>` whose archive keeps every CRM-sourced event for the
    catalogue's retention, for replay."""
    bus_id, bus_properties = bus(synthesized)
    assert bus_properties["Name"] == f"{synthesized.stack.stack_name}-{EVENT_BUS.name}"

    (archive,) = of_type(synthesized.resources, "AWS::Events::Archive").values()
    assert archive["SourceArn"] == get_att(bus_id)
    assert archive["RetentionDays"] == EVENT_BUS.archive_retention_days
    assert archive["EventPattern"] == {"source": [EVENT_BUS.source]}


# --- queues ----------------------------------------------------------------------------------------


def test_one_queue_and_dead_letter_queue_per_queue_spec_plus_the_pipe_dlq(synthesized: Synthesized) -> None:
    assert len(of_type(synthesized.resources, "AWS::SQS::Queue")) == 2 * len(QUEUES) + 1


@pytest.mark.parametrize("spec", QUEUES, ids=lambda spec: spec.name)
def test_queue_redrives_into_its_own_dead_letter_queue(synthesized: Synthesized, spec: QueueSpec) -> None:
    """Given a QueueSpec, then its queue keeps messages the spec's days and moves one to its own DLQ after
    max_receive_count receives; the DLQ keeps messages 14 days (the SQS maximum)."""
    _, queue = queue_named(synthesized, spec.name)
    assert queue["MessageRetentionPeriod"] == spec.retention_days * DAY_S
    assert queue["RedrivePolicy"]["maxReceiveCount"] == spec.max_receive_count

    dlq_id, dlq = dead_letter_queue_of(synthesized, queue)
    assert dlq_id == queue_named(synthesized, dead_letter_queue_name(spec.name))[0]
    assert dlq["MessageRetentionPeriod"] == FOURTEEN_DAYS_S
    assert "RedrivePolicy" not in dlq


@pytest.mark.parametrize("spec", QUEUES, ids=lambda spec: spec.name)
def test_visibility_timeout_outlasts_six_consumer_timeouts(synthesized: Synthesized, spec: QueueSpec) -> None:
    """Given a queue and its consumers, then a message stays invisible at least the catalogue's timeout and
    at least six times each consumer's timeout (AWS guidance for SQS event sources)."""
    _, queue = queue_named(synthesized, spec.name)
    consumers = [consumer for consumer in CONSUMERS if consumer.consumes == spec.name]
    assert queue["VisibilityTimeout"] == visibility_timeout_s(spec)
    assert queue["VisibilityTimeout"] >= spec.visibility_timeout_s
    for consumer in consumers:
        assert queue["VisibilityTimeout"] >= 6 * consumer.timeout_s


def test_every_queue_is_encrypted_and_refuses_plain_http(synthesized: Synthesized) -> None:
    for queue_id, queue in of_type(synthesized.resources, "AWS::SQS::Queue").items():
        assert queue["SqsManagedSseEnabled"] is True
        denials = [s for s in queue_policy_statements(synthesized, queue_id) if s["Effect"] == "Deny"]
        assert [s["Condition"] for s in denials] == [{"Bool": {"aws:SecureTransport": "false"}}]


# --- rules -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("rule", RULES, ids=lambda rule: rule.name)
def test_rule_routes_matching_events_into_its_queue(synthesized: Synthesized, rule: RuleSpec) -> None:
    """Given a RuleSpec, then one rule on the CRM bus with exactly the catalogue pattern delivers into the
    rule's queue, retrying, and undeliverable events land in that queue's DLQ; both queue policies let
    EventBridge send from this rule only."""
    bus_id, _ = bus(synthesized)
    queue_id, queue = queue_named(synthesized, rule.queue)
    dlq_id, _ = dead_letter_queue_of(synthesized, queue)
    matches = {
        logical_id: properties
        for logical_id, properties in of_type(synthesized.resources, "AWS::Events::Rule").items()
        if properties["EventPattern"] == rule.pattern
        and [target["Arn"] for target in properties["Targets"]] == [get_att(queue_id)]
    }
    assert len(matches) == 1
    ((rule_id, rule_properties),) = matches.items()
    assert rule_properties["EventBusName"] == {"Ref": bus_id}
    assert rule_properties["State"] == "ENABLED"
    assert rule_properties.get("Description", "") == rule.description
    (target,) = rule_properties["Targets"]
    assert target["DeadLetterConfig"] == {"Arn": get_att(dlq_id)}
    assert target["RetryPolicy"]["MaximumRetryAttempts"] > 0
    # Grouped by tenant: the standard queue is a fair queue, one tenant's backlog does not delay another's.
    assert target["SqsParameters"] == {"MessageGroupId": "$.detail.tenant_id"}

    for delivered_to in (queue_id, dlq_id):
        allowed = [
            s
            for s in queue_policy_statements(synthesized, delivered_to)
            if s["Effect"] == "Allow" and s["Principal"] == {"Service": "events.amazonaws.com"}
        ]
        assert len(allowed) == 1
        assert "sqs:SendMessage" in actions(allowed[0])
        assert allowed[0]["Condition"] == {"ArnEquals": {"aws:SourceArn": get_att(rule_id)}}


def test_no_rule_beyond_the_catalogue(synthesized: Synthesized) -> None:
    assert len(of_type(synthesized.resources, "AWS::Events::Rule")) == len(RULES)


# --- outbox pipe -----------------------------------------------------------------------------------


def test_outbox_pipe_feeds_filtered_enriched_stream_records_to_the_bus(synthesized: Synthesized) -> None:
    """Given OUTBOX_PIPE, then the pipe reads the table's stream from LATEST with the catalogue filter and
    batch size, bisects failing batches and dead-letters what still fails, enriches through the catalogue's
    function, and puts events on the CRM bus with the CRM source and the envelope's type as detail-type."""
    pipe = outbox_pipe(synthesized)
    (table_id,) = of_type(synthesized.resources, "AWS::DynamoDB::Table")
    enrichment_id, _ = function_with_handler(
        synthesized.resources, function_by_name(OUTBOX_PIPE.enrichment_function).handler
    )
    bus_id, _ = bus(synthesized)
    pipe_dlq_id, _ = queue_named(synthesized, dead_letter_queue_name(OUTBOX_PIPE.name))

    assert pipe["Source"] == get_att(table_id, "StreamArn")
    (pipe_filter,) = pipe["SourceParameters"]["FilterCriteria"]["Filters"]
    assert json.loads(pipe_filter["Pattern"]) == OUTBOX_PIPE.filter_pattern
    stream = pipe["SourceParameters"]["DynamoDBStreamParameters"]
    assert stream["StartingPosition"] == "LATEST"
    assert stream["BatchSize"] == OUTBOX_PIPE.batch_size
    assert stream["OnPartialBatchItemFailure"] == "AUTOMATIC_BISECT"
    assert 0 < stream["MaximumRetryAttempts"] <= 185
    assert stream["DeadLetterConfig"] == {"Arn": get_att(pipe_dlq_id)}
    assert pipe["Enrichment"] == get_att(enrichment_id)
    assert pipe["Target"] == get_att(bus_id)
    assert pipe["TargetParameters"] == {
        "EventBridgeEventBusParameters": {"DetailType": "$.type", "Source": EVENT_BUS.source}
    }
    assert "IncludeExecutionData" not in pipe["LogConfiguration"]  # records carry tenant data


def test_pipe_role_may_do_exactly_what_the_pipe_does(synthesized: Synthesized) -> None:
    """Then the pipe's own role (trusted by EventBridge Pipes only) reads the stream, invokes the enrichment
    function, puts events on the bus, dead-letters and logs: nothing else, and nothing on the table."""
    pipe = outbox_pipe(synthesized)
    role_id = pipe["RoleArn"]["Fn::GetAtt"][0]
    role = synthesized.resources[role_id]["Properties"]
    (trust,) = role["AssumeRolePolicyDocument"]["Statement"]
    assert trust["Principal"] == {"Service": "pipes.amazonaws.com"}

    stream_actions = {"dynamodb:DescribeStream", "dynamodb:GetRecords", "dynamodb:GetShardIterator"}
    dead_letters = pipe["SourceParameters"]["DynamoDBStreamParameters"]["DeadLetterConfig"]["Arn"]
    expected = {(action, canonical(pipe["Source"])) for action in stream_actions} | {
        ("lambda:InvokeFunction", canonical(pipe["Enrichment"])),
        ("events:PutEvents", canonical(pipe["Target"])),
        ("sqs:SendMessage", canonical(dead_letters)),
    }
    log_group = canonical(pipe["LogConfiguration"]["CloudwatchLogsLogDestination"]["LogGroupArn"])
    # ListStreams may not be scoped to a stream ARN; on it, it grants nothing more than the stream itself.
    optional = {
        ("dynamodb:ListStreams", canonical(pipe["Source"])),
        ("logs:CreateLogStream", log_group),
        ("logs:PutLogEvents", log_group),
    }
    actual = granted(role_statements(synthesized.resources, role_id))
    assert expected <= actual <= expected | optional


# --- consumers and senders -------------------------------------------------------------------------


@pytest.mark.parametrize("spec", CONSUMERS, ids=lambda spec: spec.name)
def test_consumer_polls_its_queue_reporting_partial_batch_failures(
    synthesized: Synthesized, spec: FunctionSpec
) -> None:
    """Given `consumes`, then one SQS event source mapping with the spec's batch size that retries only the
    messages the function reports as failed."""
    function_id, _ = function_with_handler(synthesized.resources, spec.handler)
    queue_id, _ = queue_named(synthesized, spec.consumes or "")
    (mapping,) = [
        m
        for m in of_type(synthesized.resources, "AWS::Lambda::EventSourceMapping").values()
        if m["FunctionName"] == {"Ref": function_id}
    ]
    assert mapping["EventSourceArn"] == get_att(queue_id)
    assert mapping["BatchSize"] == spec.batch_size
    assert mapping["FunctionResponseTypes"] == ["ReportBatchItemFailures"]


def test_only_consumers_poll_queues(synthesized: Synthesized) -> None:
    assert len(of_type(synthesized.resources, "AWS::Lambda::EventSourceMapping")) == len(CONSUMERS)


@pytest.mark.parametrize("spec", ALL_FUNCTIONS, ids=lambda spec: spec.name)
def test_functions_send_to_exactly_their_sends_to_queues(synthesized: Synthesized, spec: FunctionSpec) -> None:
    """Given `sends_to`, then the function may SendMessage to those queues only and finds each one's URL in
    its environment."""
    _, function = function_with_handler(synthesized.resources, spec.handler)
    statements = role_statements(synthesized.resources, role_logical_id(function))
    send_targets = {
        resource["Fn::GetAtt"][0]
        for statement in statements
        if "sqs:SendMessage" in actions(statement)
        for resource in as_list(statement["Resource"])
    }
    assert send_targets == {queue_named(synthesized, name)[0] for name in spec.sends_to}

    environment = function["Environment"]["Variables"]
    for queue in QUEUES:
        if queue.name in spec.sends_to:
            assert environment[queue_url_env(queue.name)] == {"Ref": queue_named(synthesized, queue.name)[0]}
        else:
            assert queue_url_env(queue.name) not in environment


def test_no_function_may_send_webhooks_to_private_addresses(synthesized: Synthesized) -> None:
    """The switch that lets the local stack deliver to 127.0.0.1 never reaches the cloud, so the sender keeps
    refusing private, loopback, link-local and metadata addresses. It runs outside any VPC."""
    for spec in ALL_FUNCTIONS:
        _, function = function_with_handler(synthesized.resources, spec.handler)
        assert ENV_ALLOW_PRIVATE_WEBHOOKS not in function["Environment"]["Variables"], spec.name
        assert "VpcConfig" not in function, spec.name


# --- alarms ----------------------------------------------------------------------------------------


def test_every_dead_letter_queue_alarms_on_its_first_message(synthesized: Synthesized) -> None:
    """Given every DLQ (each queue's redrive target and the pipe's), then one message in it alarms."""
    queues = of_type(synthesized.resources, "AWS::SQS::Queue")
    dead_letter_ids = {dead_letter_queue_of(synthesized, q)[0] for q in queues.values() if "RedrivePolicy" in q}
    pipe_dlq = outbox_pipe(synthesized)["SourceParameters"]["DynamoDBStreamParameters"]["DeadLetterConfig"]
    dead_letter_ids.add(pipe_dlq["Arn"]["Fn::GetAtt"][0])
    assert len(dead_letter_ids) == len(QUEUES) + 1

    (topic_id,) = of_type(synthesized.resources, "AWS::SNS::Topic")
    for dlq_id in dead_letter_ids:
        (alarm,) = alarms_on(synthesized, "ApproximateNumberOfMessagesVisible", dlq_id)
        assert alarm["Threshold"] == 1
        assert alarm["ComparisonOperator"] == "GreaterThanOrEqualToThreshold"
        assert alarm["AlarmActions"] == [{"Ref": topic_id}]


@pytest.mark.parametrize("spec", QUEUES, ids=lambda spec: spec.name)
def test_queue_alarms_when_messages_wait_too_long(synthesized: Synthesized, spec: QueueSpec) -> None:
    queue_id, _ = queue_named(synthesized, spec.name)
    (alarm,) = alarms_on(synthesized, "ApproximateAgeOfOldestMessage", queue_id)
    assert alarm["Statistic"] == "Maximum"
    assert 0 < alarm["Threshold"] <= DAY_S

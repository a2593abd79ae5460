"""Change events: the outbox pipe from the table's stream to the CRM bus, the bus's replay archive, and the
rules that route events into queues, whose consumers (and senders) are the catalogue's functions.

Everything is built from `crm.catalogue` (EVENT_BUS, OUTBOX_PIPE, QUEUES, RULES and each FunctionSpec's
`consumes`, `batch_size` and `sends_to`).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from aws_cdk import Duration, Stack
from aws_cdk import aws_dynamodb as dynamodb
from aws_cdk import aws_events as events
from aws_cdk import aws_events_targets as targets
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_lambda_event_sources as event_sources
from aws_cdk import aws_logs as logs
from aws_cdk import aws_pipes as pipes
from aws_cdk import aws_sqs as sqs
from constructs import Construct

from crm.catalogue import (
    DEAD_LETTER_RETENTION_DAYS,
    EVENT_BUS,
    FAIR_QUEUE_GROUP_PATH,
    OUTBOX_PIPE,
    QUEUE_BATCHING_WINDOW_S,
    QUEUES,
    RULES,
    FunctionSpec,
    QueueSpec,
    dead_letter_queue_name,
    queue_url_env,
    visibility_timeout_s,
)
from infra.compute import LOG_RETENTION, pascal_case
from infra.nag import acknowledge

# The catalogue's batching window, which its visibility_timeout_s() rule counts in.
BATCHING_WINDOW = Duration.seconds(QUEUE_BATCHING_WINDOW_S)
DEAD_LETTER_RETENTION = Duration.days(DEAD_LETTER_RETENTION_DAYS)
# EventBridge's own ceilings for delivering to a rule target before the event goes to the target's DLQ.
RULE_TARGET_RETRY_ATTEMPTS = 185
RULE_TARGET_MAX_EVENT_AGE = Duration.hours(24)
# The pipe retries a failing batch (bisecting it to isolate a bad record) up to the service maximum;
# records never expire before that (the stream itself keeps them 24 hours).
PIPE_MAX_RETRY_ATTEMPTS = 185
PIPE_MAX_RECORD_AGE_S = -1
STREAM_READ_ACTIONS = (
    "dynamodb:DescribeStream",
    "dynamodb:GetRecords",
    "dynamodb:GetShardIterator",
    "dynamodb:ListStreams",
)


def event_pattern(pattern: Mapping[str, Any]) -> events.EventPattern:
    """A catalogue pattern (EventBridge's own JSON keys, e.g. `detail-type`) as a CDK EventPattern."""
    try:
        return events.EventPattern(**{key.replace("-", "_"): value for key, value in pattern.items()})
    except TypeError as error:  # a key EventPattern does not know
        raise ValueError(f"unsupported event pattern {pattern!r}: {error}") from None


class Events(Construct):
    """The bus and its archive, one queue (with its dead-letter queue) per QueueSpec, one rule per RuleSpec,
    the outbox pipe, and each function's queue consumption and sending."""

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        specs: Sequence[FunctionSpec],
        functions: Mapping[str, lambda_.Function],
        table: dynamodb.ITable,
    ) -> None:
        super().__init__(scope, construct_id)
        self._stack_name = Stack.of(self).stack_name
        self.bus = events.EventBus(self, "Bus", event_bus_name=f"{self._stack_name}-{EVENT_BUS.name}")
        self.bus.archive(
            "Archive",
            description="Every CRM change event, for replay",
            event_pattern=event_pattern(EVENT_BUS.archive_pattern),
            retention=Duration.days(EVENT_BUS.archive_retention_days),
        )

        self.queues: dict[str, sqs.Queue] = {}
        # Keyed by the queue they serve (or the outbox pipe): every one of them alarms (monitoring.py).
        self.dead_letter_queues: dict[str, sqs.Queue] = {}
        for queue_spec in QUEUES:
            self._add_queue(queue_spec, [spec for spec in specs if spec.consumes == queue_spec.name])

        for rule in RULES:
            queue = self._queue(rule.queue, f"rule {rule.name}")
            events.Rule(
                self,
                f"{pascal_case(rule.name)}Rule",
                event_bus=self.bus,
                description=rule.description or None,
                event_pattern=event_pattern(rule.pattern),
                targets=[
                    targets.SqsQueue(
                        queue,
                        # Undeliverable events land where the queue's failed messages do, so one redrive
                        # back into the queue serves both.
                        dead_letter_queue=self.dead_letter_queues[rule.queue],
                        retry_attempts=RULE_TARGET_RETRY_ATTEMPTS,
                        max_event_age=RULE_TARGET_MAX_EVENT_AGE,
                        message_group_id=events.EventField.from_path(FAIR_QUEUE_GROUP_PATH),
                    )
                ],
            )

        for spec in specs:
            function = functions[spec.name]
            if spec.consumes is not None:
                function.add_event_source(
                    event_sources.SqsEventSource(
                        self._queue(spec.consumes, spec.name),
                        batch_size=spec.batch_size,
                        max_batching_window=BATCHING_WINDOW,
                        report_batch_item_failures=True,
                    )
                )
            for name in spec.sends_to:
                queue = self._queue(name, spec.name)
                queue.grant_send_messages(function)
                function.add_environment(queue_url_env(name), queue.queue_url)

        self.pipe = self._outbox_pipe(table, functions[OUTBOX_PIPE.enrichment_function])

    def _queue(self, name: str, user: str) -> sqs.Queue:
        if name not in self.queues:
            raise ValueError(f"{user}: no queue {name!r} in the catalogue's QUEUES")
        return self.queues[name]

    def _encrypted_queue(self, construct_id: str, name: str, **kwargs: Any) -> sqs.Queue:
        return sqs.Queue(
            self,
            construct_id,
            queue_name=f"{self._stack_name}-{name}",
            encryption=sqs.QueueEncryption.SQS_MANAGED,
            enforce_ssl=True,
            **kwargs,
        )

    def _add_queue(self, spec: QueueSpec, consumers: Sequence[FunctionSpec]) -> None:
        construct_id = pascal_case(spec.name)
        dead_letters = self._encrypted_queue(
            f"{construct_id}Dlq", dead_letter_queue_name(spec.name), retention_period=DEAD_LETTER_RETENTION
        )
        self.queues[spec.name] = self._encrypted_queue(
            f"{construct_id}Queue",
            spec.name,
            visibility_timeout=Duration.seconds(visibility_timeout_s(spec, consumers)),
            retention_period=Duration.days(spec.retention_days),
            dead_letter_queue=sqs.DeadLetterQueue(max_receive_count=spec.max_receive_count, queue=dead_letters),
        )
        self.dead_letter_queues[spec.name] = dead_letters

    def _outbox_pipe(self, table: dynamodb.ITable, enrichment: lambda_.IFunction) -> pipes.CfnPipe:
        """Stream -> filter (outbox inserts only) -> enrichment (records to event envelopes) -> bus."""
        if table.table_stream_arn is None:
            raise ValueError("the outbox pipe needs the table's stream")
        dead_letters = self._encrypted_queue(
            "OutboxPipeDlq", dead_letter_queue_name(OUTBOX_PIPE.name), retention_period=DEAD_LETTER_RETENTION
        )
        acknowledge(
            dead_letters,
            "AwsSolutions-SQS3",
            "This queue is the outbox pipe's dead-letter queue; cdk-nag only recognises queue and Lambda DLQs.",
        )
        self.dead_letter_queues[OUTBOX_PIPE.name] = dead_letters
        log_group = logs.LogGroup(self, "OutboxPipeLogs", retention=LOG_RETENTION)

        # Inline, so the role can do all of this before the pipe is created (the pipe checks at creation).
        role = iam.Role(
            self,
            "OutboxPipeRole",
            assumed_by=iam.ServicePrincipal(
                "pipes.amazonaws.com", conditions={"StringEquals": {"aws:SourceAccount": Stack.of(self).account}}
            ),
            description="Execution role of the outbox pipe: table stream -> enrichment -> CRM bus",
            inline_policies={
                "OutboxPipe": iam.PolicyDocument(
                    statements=[
                        iam.PolicyStatement(actions=list(STREAM_READ_ACTIONS), resources=[table.table_stream_arn]),
                        iam.PolicyStatement(actions=["lambda:InvokeFunction"], resources=[enrichment.function_arn]),
                        iam.PolicyStatement(actions=["events:PutEvents"], resources=[self.bus.event_bus_arn]),
                        iam.PolicyStatement(actions=["sqs:SendMessage"], resources=[dead_letters.queue_arn]),
                        iam.PolicyStatement(
                            actions=["logs:CreateLogStream", "logs:PutLogEvents"],
                            resources=[log_group.log_group_arn],
                        ),
                    ]
                )
            },
        )
        return pipes.CfnPipe(
            self,
            "OutboxPipe",
            description="Outbox items from the table's stream, as CRM events, onto the CRM bus",
            role_arn=role.role_arn,
            source=table.table_stream_arn,
            source_parameters=pipes.CfnPipe.PipeSourceParametersProperty(
                dynamo_db_stream_parameters=pipes.CfnPipe.PipeSourceDynamoDBStreamParametersProperty(
                    starting_position="LATEST",
                    batch_size=OUTBOX_PIPE.batch_size,
                    maximum_retry_attempts=PIPE_MAX_RETRY_ATTEMPTS,
                    maximum_record_age_in_seconds=PIPE_MAX_RECORD_AGE_S,
                    on_partial_batch_item_failure="AUTOMATIC_BISECT",
                    dead_letter_config=pipes.CfnPipe.DeadLetterConfigProperty(arn=dead_letters.queue_arn),
                ),
                filter_criteria=pipes.CfnPipe.FilterCriteriaProperty(
                    filters=[pipes.CfnPipe.FilterProperty(pattern=json.dumps(OUTBOX_PIPE.filter_pattern))]
                ),
            ),
            enrichment=enrichment.function_arn,
            target=self.bus.event_bus_arn,
            target_parameters=pipes.CfnPipe.PipeTargetParametersProperty(
                event_bridge_event_bus_parameters=pipes.CfnPipe.PipeTargetEventBridgeEventBusParametersProperty(
                    detail_type=EVENT_BUS.detail_type_path, source=EVENT_BUS.source
                )
            ),
            # Errors only, and never execution data: records carry tenant data.
            log_configuration=pipes.CfnPipe.PipeLogConfigurationProperty(
                cloudwatch_logs_log_destination=pipes.CfnPipe.CloudwatchLogsLogDestinationProperty(
                    log_group_arn=log_group.log_group_arn
                ),
                level="ERROR",
            ),
        )

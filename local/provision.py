"""Provisions the embedded AWS (moto, in-process) with the resources the CDK stack deploys, derived from
the same catalogue by the same rules (visibility timeouts, dead-letter queue names, the archive
pattern). Nothing here is imported by the cloud code."""

from __future__ import annotations

import json
import os
from typing import Any

from crm import catalogue

REGION = "us-east-1"
TABLE_NAME = "crm-local-records"


def fake_credentials() -> None:
    """moto needs credentials to exist; they never leave this process."""
    for name, value in {
        "AWS_ACCESS_KEY_ID": "local",
        "AWS_SECRET_ACCESS_KEY": "local",
        "AWS_SESSION_TOKEN": "local",
        "AWS_DEFAULT_REGION": REGION,
        "AWS_REGION": REGION,
    }.items():
        os.environ[name] = value


def table_definition(name: str = TABLE_NAME) -> dict[str, Any]:
    """CreateTable arguments from catalogue.TABLE (the CDK stack builds its table from the same spec)."""
    spec = catalogue.TABLE
    attributes = {spec.partition_key, spec.sort_key}
    for index in spec.indexes:
        attributes |= {index.partition_key, index.sort_key}
    definition: dict[str, Any] = {
        "TableName": name,
        "KeySchema": [
            {"AttributeName": spec.partition_key, "KeyType": "HASH"},
            {"AttributeName": spec.sort_key, "KeyType": "RANGE"},
        ],
        "AttributeDefinitions": [{"AttributeName": a, "AttributeType": "S"} for a in sorted(attributes)],
        "BillingMode": "PAY_PER_REQUEST",
        "StreamSpecification": {"StreamEnabled": True, "StreamViewType": spec.stream_view},
    }
    if spec.indexes:
        definition["GlobalSecondaryIndexes"] = [
            {
                "IndexName": index.name,
                "KeySchema": [
                    {"AttributeName": index.partition_key, "KeyType": "HASH"},
                    {"AttributeName": index.sort_key, "KeyType": "RANGE"},
                ],
                "Projection": {"ProjectionType": "ALL"},
            }
            for index in spec.indexes
        ]
    return definition


def create_table(name: str = TABLE_NAME) -> str:
    import boto3

    client = boto3.client("dynamodb", region_name=REGION)
    client.create_table(**table_definition(name))
    client.update_time_to_live(
        TableName=name,
        TimeToLiveSpecification={"Enabled": True, "AttributeName": catalogue.TABLE.ttl_attribute},
    )
    os.environ[catalogue.ENV_TABLE_NAME] = name
    return name


def create_usage_plans() -> dict[str, str]:
    """One usage plan per tier, as in the stack; tenants get an API key in their tier's plan."""
    import boto3

    client = boto3.client("apigateway", region_name=REGION)
    plans = {}
    for tier in catalogue.TIERS:
        plan = client.create_usage_plan(
            name=f"crm-{tier.name}",
            throttle={"rateLimit": tier.rate_limit, "burstLimit": tier.burst_limit},
            quota={"limit": tier.quota_per_day, "period": "DAY"},
        )
        plans[tier.name] = plan["id"]
    os.environ[catalogue.ENV_USAGE_PLANS] = json.dumps(plans)
    return plans


def all_resources() -> None:
    """Everything the functions need, in a moto that is already started."""
    from local import moto_patches

    moto_patches.apply()
    fake_credentials()
    create_table()
    create_usage_plans()
    create_event_bus()
    create_rules(create_queues())
    create_workflow_machine()


def create_event_bus() -> str:
    """The CRM bus with its archive, as in the stack."""
    import boto3

    client = boto3.client("events", region_name=REGION)
    arn = client.create_event_bus(Name=catalogue.EVENT_BUS.name)["EventBusArn"]
    client.create_archive(
        ArchiveName=f"{catalogue.EVENT_BUS.name}-archive",
        EventSourceArn=arn,
        EventPattern=json.dumps(catalogue.EVENT_BUS.archive_pattern),
        RetentionDays=catalogue.EVENT_BUS.archive_retention_days,
    )
    return arn


def create_queues() -> dict[str, str]:
    """Every catalogue queue with its dead-letter queue; URLs go where the functions read them."""
    import boto3

    client = boto3.client("sqs", region_name=REGION)
    urls = {}
    for spec in catalogue.QUEUES:
        dlq_url = client.create_queue(
            QueueName=catalogue.dead_letter_queue_name(spec.name),
            Attributes={"MessageRetentionPeriod": str(catalogue.DEAD_LETTER_RETENTION_DAYS * 86400)},
        )["QueueUrl"]
        dlq_arn = client.get_queue_attributes(QueueUrl=dlq_url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
        redrive = {"deadLetterTargetArn": dlq_arn, "maxReceiveCount": str(spec.max_receive_count)}
        url = client.create_queue(
            QueueName=spec.name,
            Attributes={
                "VisibilityTimeout": str(catalogue.visibility_timeout_s(spec)),
                "MessageRetentionPeriod": str(spec.retention_days * 86400),
                "RedrivePolicy": json.dumps(redrive),
            },
        )["QueueUrl"]
        os.environ[catalogue.queue_url_env(spec.name)] = url
        urls[spec.name] = url
    return urls


def create_rules(queue_urls: dict[str, str]) -> None:
    """EventBridge rules into SQS queues (moto delivers to SQS targets; it cannot run Lambda targets)."""
    import boto3

    events = boto3.client("events", region_name=REGION)
    sqs = boto3.client("sqs", region_name=REGION)
    for rule in catalogue.RULES:
        events.put_rule(
            Name=rule.name,
            EventBusName=catalogue.EVENT_BUS.name,
            EventPattern=json.dumps(rule.pattern),
            Description=rule.description,
        )
        queue_arn = sqs.get_queue_attributes(QueueUrl=queue_urls[rule.queue], AttributeNames=["QueueArn"])[
            "Attributes"
        ]["QueueArn"]
        # moto resolves the group path once patched (moto_patches); fairness itself needs SQS's fair queues.
        target = {
            "Id": rule.queue,
            "Arn": queue_arn,
            "SqsParameters": {"MessageGroupId": catalogue.FAIR_QUEUE_GROUP_PATH},
        }
        events.put_targets(Rule=rule.name, EventBusName=catalogue.EVENT_BUS.name, Targets=[target])


ACCOUNT = "123456789012"  # moto's default account


def function_arn(name: str) -> str:
    return f"arn:aws:lambda:{REGION}:{ACCOUNT}:function:{name}"


def create_workflow_machine() -> str:
    """The one workflow state machine, from the catalogue's definition as the stack deploys it; its task
    names the runner by ARN, and moto's Lambda invocations are routed to the real handler in-process
    (moto_patches.route_lambda_invocations)."""
    import boto3

    machine = catalogue.WORKFLOW_MACHINE
    definition = catalogue.workflow_machine_definition(function_arn(machine.task_function))
    arn = boto3.client("stepfunctions", region_name=REGION).create_state_machine(
        name=machine.name,
        definition=json.dumps(definition),
        roleArn=f"arn:aws:iam::{ACCOUNT}:role/{machine.name}",
        type="STANDARD",
    )["stateMachineArn"]
    os.environ[catalogue.ENV_WORKFLOW_MACHINE_ARN] = arn
    return arn

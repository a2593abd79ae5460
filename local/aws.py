"""The embedded AWS: moto in-process, with resources created from the same catalogue the CDK stack
reads. Nothing here is imported by the cloud code."""

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


def provision() -> None:
    """Everything the functions need, in a moto that is already started."""
    from local import moto_patches

    moto_patches.apply()
    fake_credentials()
    create_table()
    create_usage_plans()

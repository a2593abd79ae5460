"""Every CRM queue is shared by all tenants; each message carries its tenant as the SQS message group, so
the standard queues act as fair queues (one tenant's backlog does not hold back another's messages)."""

from __future__ import annotations

import json
import os

import boto3
import pytest

from crm import catalogue, queues
from local.provision import REGION


@pytest.mark.parametrize("queue_name", ["webhook-deliveries", catalogue.CONTACT_ACTIVITY_QUEUE])
def test_given_a_tenants_message_when_sent_then_its_message_group_is_the_tenant(aws: None, queue_name: str) -> None:
    """Given the stack's queues, when the CRM sends a tenant's message, then SQS holds it in that tenant's
    message group, whatever the message is about."""
    queues.send(queue_name, {"tenant_id": "t_acme", "task": "anything"})

    url = os.environ[catalogue.queue_url_env(queue_name)]
    (message,) = boto3.client("sqs", region_name=REGION).receive_message(
        QueueUrl=url, MessageSystemAttributeNames=["MessageGroupId"], WaitTimeSeconds=0
    )["Messages"]
    assert message["Attributes"]["MessageGroupId"] == "t_acme"


def test_given_a_message_without_a_tenant_then_it_is_refused_before_it_is_sent(aws: None) -> None:
    """Given a message naming no tenant, then sending it fails loudly rather than joining no group."""
    with pytest.raises(KeyError):
        queues.send("webhook-deliveries", {"task": "anything"})


def test_given_a_tenants_change_event_on_the_bus_then_every_rule_queues_it_in_the_tenants_group(aws: None) -> None:
    """Given the catalogue's rules (each target grouped by FAIR_QUEUE_GROUP_PATH), when a tenant's change
    event reaches the bus, then each rule's queue holds it in that tenant's message group."""
    detail = {"id": "ev_1", "type": "contact.created", "tenant_id": "t_acme", "object": "contact"}
    boto3.client("events", region_name=REGION).put_events(
        Entries=[
            {
                "Source": catalogue.EVENT_BUS.source,
                "DetailType": "contact.created",
                "Detail": json.dumps(detail),
                "EventBusName": catalogue.EVENT_BUS.name,
            }
        ]
    )

    sqs = boto3.client("sqs", region_name=REGION)
    for queue_name in {rule.queue for rule in catalogue.RULES}:
        url = os.environ[catalogue.queue_url_env(queue_name)]
        (message,) = sqs.receive_message(
            QueueUrl=url, MessageSystemAttributeNames=["MessageGroupId"], WaitTimeSeconds=0
        )["Messages"]
        assert message["Attributes"]["MessageGroupId"] == "t_acme", queue_name

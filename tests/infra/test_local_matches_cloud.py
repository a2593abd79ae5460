"""The local stack builds what the CDK stack deploys.

Both stacks are derived from `crm.catalogue`; these tests compare what each one actually builds (the
moto resources `local/provision.py` creates and the local gateway's route table, against the synthesized
CloudFormation template), so a rule written on one side only, or twice and drifting, fails here.

Cloud names carry the stack's prefix (`<stack>-webhook-events`); local names are bare (`webhook-events`).
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from crm import catalogue
from local import provision
from local.gateway import LocalGateway, gateway_error
from tests.infra.cfn import get_att, of_type, render, resource_paths
from tests.infra.synth import Synthesized

SQS_DEFAULT_VISIBILITY_TIMEOUT_S = 30  # what a queue created without one gets, in the cloud and on moto


@dataclass(frozen=True)
class Queue:
    visibility_timeout_s: int
    retention_s: int
    dead_letter_queue: str | None  # the queue's own name for it, prefix removed
    max_receive_count: int | None


@dataclass(frozen=True)
class Rule:
    pattern: str  # canonical JSON
    target_queues: tuple[tuple[str, str | None], ...]  # (queue, the message group path: fair by tenant)
    description: str


@dataclass(frozen=True)
class Table:
    keys: tuple[tuple[str, str], ...]
    attributes: frozenset[tuple[str, str]]
    stream_view: str
    ttl_attribute: str
    indexes: frozenset[str]


@dataclass(frozen=True)
class Built:
    """What one stack built, in terms both stacks share."""

    queues: dict[str, Queue]
    rules: set[Rule]
    archive_patterns: list[dict[str, Any]]
    table: Table


def canonical(pattern: Any) -> str:
    return json.dumps(json.loads(pattern) if isinstance(pattern, str) else pattern, sort_keys=True)


# --- the cloud: read from the synthesized template -----------------------------------------------


def cloud_built(synthesized: Synthesized) -> Built:
    resources = synthesized.resources
    prefix = f"{synthesized.stack.stack_name}-"
    sqs = of_type(resources, "AWS::SQS::Queue")
    queue_names = {logical_id: queue["QueueName"].removeprefix(prefix) for logical_id, queue in sqs.items()}

    def queue(properties: dict[str, Any]) -> Queue:
        redrive = properties.get("RedrivePolicy")
        return Queue(
            visibility_timeout_s=properties.get("VisibilityTimeout", SQS_DEFAULT_VISIBILITY_TIMEOUT_S),
            retention_s=properties["MessageRetentionPeriod"],
            dead_letter_queue=queue_names[redrive["deadLetterTargetArn"]["Fn::GetAtt"][0]] if redrive else None,
            max_receive_count=int(redrive["maxReceiveCount"]) if redrive else None,
        )

    ((bus_id, _),) = of_type(resources, "AWS::Events::EventBus").items()
    rules = set()
    for rule in of_type(resources, "AWS::Events::Rule").values():
        assert rule["EventBusName"] == {"Ref": bus_id}
        targets = tuple(
            (queue_names[target["Arn"]["Fn::GetAtt"][0]], target.get("SqsParameters", {}).get("MessageGroupId"))
            for target in rule["Targets"]
        )
        rules.add(Rule(canonical(rule["EventPattern"]), targets, rule.get("Description", "")))

    archives = of_type(resources, "AWS::Events::Archive").values()
    assert all(archive["SourceArn"] == get_att(bus_id) for archive in archives)

    (table,) = of_type(resources, "AWS::DynamoDB::Table").values()
    return Built(
        queues={queue_names[logical_id]: queue(properties) for logical_id, properties in sqs.items()},
        rules=rules,
        archive_patterns=[archive["EventPattern"] for archive in archives],
        table=Table(
            keys=tuple((key["AttributeName"], key["KeyType"]) for key in table["KeySchema"]),
            attributes=frozenset((a["AttributeName"], a["AttributeType"]) for a in table["AttributeDefinitions"]),
            stream_view=table["StreamSpecification"]["StreamViewType"],
            ttl_attribute=table["TimeToLiveSpecification"]["AttributeName"],
            indexes=frozenset(index["IndexName"] for index in table.get("GlobalSecondaryIndexes", [])),
        ),
    )


# --- the local stack: provisioned on moto, read back through the AWS APIs --------------------------


def local_built() -> Built:
    import boto3

    sqs = boto3.client("sqs", region_name=provision.REGION)
    events = boto3.client("events", region_name=provision.REGION)
    dynamodb = boto3.client("dynamodb", region_name=provision.REGION)

    def name_of(arn: str) -> str:
        return arn.rsplit(":", 1)[1]

    queues = {}
    for url in sqs.list_queues()["QueueUrls"]:
        attributes = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]
        redrive = json.loads(attributes["RedrivePolicy"]) if "RedrivePolicy" in attributes else None
        queues[name_of(attributes["QueueArn"])] = Queue(
            visibility_timeout_s=int(attributes["VisibilityTimeout"]),
            retention_s=int(attributes["MessageRetentionPeriod"]),
            dead_letter_queue=name_of(redrive["deadLetterTargetArn"]) if redrive else None,
            max_receive_count=int(redrive["maxReceiveCount"]) if redrive else None,
        )

    bus = catalogue.EVENT_BUS.name
    rules = set()
    for rule in events.list_rules(EventBusName=bus)["Rules"]:
        if rule.get("ManagedBy"):  # the archive's own rule, which EventBridge makes (in the cloud too)
            continue
        targets = events.list_targets_by_rule(Rule=rule["Name"], EventBusName=bus)["Targets"]
        target_queues = tuple(
            (name_of(target["Arn"]), target.get("SqsParameters", {}).get("MessageGroupId")) for target in targets
        )
        rules.add(Rule(canonical(rule["EventPattern"]), target_queues, rule.get("Description", "")))

    archives = [
        events.describe_archive(ArchiveName=archive["ArchiveName"]) for archive in events.list_archives()["Archives"]
    ]
    assert all(name_of(archive["EventSourceArn"]).endswith(f"/{bus}") for archive in archives)

    table = dynamodb.describe_table(TableName=provision.TABLE_NAME)["Table"]
    ttl = dynamodb.describe_time_to_live(TableName=provision.TABLE_NAME)["TimeToLiveDescription"]
    return Built(
        queues=queues,
        rules=rules,
        archive_patterns=[json.loads(archive["EventPattern"]) for archive in archives],
        table=Table(
            keys=tuple((key["AttributeName"], key["KeyType"]) for key in table["KeySchema"]),
            attributes=frozenset((a["AttributeName"], a["AttributeType"]) for a in table["AttributeDefinitions"]),
            stream_view=table["StreamSpecification"]["StreamViewType"],
            ttl_attribute=ttl["AttributeName"],
            indexes=frozenset(index["IndexName"] for index in table.get("GlobalSecondaryIndexes", [])),
        ),
    )


@pytest.fixture(scope="module")
def local_aws() -> Iterator[None]:
    """A moto account provisioned as `make dev` provisions it; the environment it sets is undone after."""
    from moto import mock_aws

    saved = dict(os.environ)
    try:
        provision.fake_credentials()
        with mock_aws():
            provision.all_resources()
            yield
    finally:
        os.environ.clear()
        os.environ.update(saved)


@pytest.fixture(scope="module")
def local(local_aws: None) -> Built:
    return local_built()


@pytest.fixture(scope="module")
def cloud(synthesized: Synthesized) -> Built:
    return cloud_built(synthesized)


# --- queues and rules ------------------------------------------------------------------------------


def test_given_both_stacks_then_they_have_the_same_queues_but_the_pipes_dead_letter_queue(
    local: Built, cloud: Built
) -> None:
    """Given the catalogue's queues, when each stack is built, then both have the same queues (prefix
    aside); only the cloud has the outbox pipe's dead-letter queue, because the local pipe runs in-process
    and a failure there fails the write's request instead."""
    pipe_dlq = catalogue.dead_letter_queue_name(catalogue.OUTBOX_PIPE.name)
    assert set(cloud.queues) == set(local.queues) | {pipe_dlq}
    assert pipe_dlq not in local.queues


def test_given_both_stacks_then_each_queue_has_the_same_timeouts_retention_and_dead_letter_queue(
    local: Built, cloud: Built
) -> None:
    """Given a queue in both stacks, then its visibility timeout (the catalogue's rule: at least six
    consumer timeouts), retention, dead-letter queue and receive count before dead-lettering agree."""
    for name, queue in local.queues.items():
        assert queue == cloud.queues[name], name
    for spec in catalogue.QUEUES:
        assert local.queues[spec.name].visibility_timeout_s == catalogue.visibility_timeout_s(spec)
        assert local.queues[spec.name].dead_letter_queue == catalogue.dead_letter_queue_name(spec.name)


def test_given_both_stacks_then_the_same_rules_route_the_same_events_into_the_same_queues(
    local: Built, cloud: Built
) -> None:
    """Given the catalogue's rules, then both buses hold rules with the same patterns, targets and
    descriptions, and nothing else."""
    assert local.rules == cloud.rules
    assert len(local.rules) == len(catalogue.RULES)


def test_given_both_stacks_then_the_bus_archive_keeps_the_same_events(local: Built, cloud: Built) -> None:
    assert local.archive_patterns == cloud.archive_patterns == [catalogue.EVENT_BUS.archive_pattern]


def test_given_both_stacks_then_the_table_has_the_same_keys_stream_ttl_and_indexes(local: Built, cloud: Built) -> None:
    assert local.table == cloud.table


def test_given_an_outbox_record_when_the_local_pipe_forwards_it_then_it_reaches_the_bus_as_the_cloud_pipe_puts_it(
    local_aws: None, synthesized: Synthesized
) -> None:
    """Given an inserted outbox item on the table's stream, when the local pipe forwards it, then the event
    a rule delivers carries the source and detail-type the cloud pipe's target parameters name."""
    import boto3

    from local.event_chain import OutboxPipe

    (pipe,) = of_type(synthesized.resources, "AWS::Pipes::Pipe").values()
    target = pipe["TargetParameters"]["EventBridgeEventBusParameters"]
    envelope = {"id": "evt_1", "type": "contact.created", "tenant_id": "t1", "data": {}}
    record = {
        "eventName": "INSERT",
        "dynamodb": {"NewImage": {"kind": {"S": "event"}, "payload": {"S": json.dumps(envelope)}}},
    }

    assert OutboxPipe(LocalGateway().invoke).forward([record]) == 1

    sqs = boto3.client("sqs", region_name=provision.REGION)
    assert re.fullmatch(r"\$\.\w+", target["DetailType"])
    assert catalogue.RULES
    for rule in catalogue.RULES:  # every rule takes every CRM change event
        url = os.environ[catalogue.queue_url_env(rule.queue)]
        (message,) = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10)["Messages"]
        event = json.loads(message["Body"])
        assert event["detail-type"] == envelope[target["DetailType"].removeprefix("$.")], rule.name
        assert event["source"] == target["Source"], rule.name
        assert event["detail"] == envelope, rule.name


# --- the API ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Method:
    function: str
    authorized: bool
    metered: bool


def cloud_methods(synthesized: Synthesized) -> dict[tuple[str, str], Method]:
    """(stage-relative path, HTTP method) -> what API Gateway does with it."""
    paths = resource_paths(synthesized.resources)
    prefix = f"{synthesized.stack.stack_name}-"
    methods = {}
    for method in of_type(synthesized.resources, "AWS::ApiGateway::Method").values():
        resource_id = method["ResourceId"]
        path = paths[resource_id["Ref"]] if "Ref" in resource_id else "/"
        invoked = re.search(r":function:([^/]+)/invocations$", render(method["Integration"]["Uri"]))
        assert invoked, method["Integration"]["Uri"]
        methods[(path, method["HttpMethod"])] = Method(
            function=invoked.group(1).removeprefix(prefix),
            authorized=method["AuthorizationType"] != "NONE",
            metered=method.get("ApiKeyRequired", False),
        )
    return methods


def local_methods() -> dict[tuple[str, str], Method]:
    """The same, from the local gateway's route table."""
    from local.gateway import _routes

    return {
        (catalogue.stage_path(route.resource.path), method): Method(
            function=route.function.name,
            authorized=route.resource.authorized,
            metered=route.resource.authorized and route.resource.metered,
        )
        for route in _routes()
        for method in route.resource.methods
    }


def test_given_both_stacks_then_the_same_paths_and_methods_reach_the_same_functions_with_the_same_guards(
    synthesized: Synthesized,
) -> None:
    """Given the catalogue's routes, then API Gateway's resources and methods and the local gateway's
    route table agree: same paths and methods, same function, same authorizer and usage-plan guard."""
    assert local_methods() == cloud_methods(synthesized)


def test_given_a_cloud_route_when_the_local_gateway_is_called_there_then_it_invokes_the_same_function(
    synthesized: Synthesized, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Given each method the template deploys, when a request for it reaches the local gateway, then the
    gateway runs the authorizer exactly where the cloud does and then the function the cloud integrates."""
    gateway = LocalGateway()
    invoked: list[str] = []

    def invoke(spec: catalogue.FunctionSpec, event: dict[str, Any]) -> dict[str, Any]:
        invoked.append(spec.name)
        if spec is catalogue.AUTHORIZER:
            return {"policyDocument": {"Statement": [{"Effect": "Allow"}]}, "usageIdentifierKey": "k", "context": {}}
        return {"statusCode": 200, "body": ""}

    monkeypatch.setattr(gateway, "invoke", invoke)
    for (path, method), expected in cloud_methods(synthesized).items():
        invoked.clear()
        sent = "DELETE" if method == "ANY" else method
        url = catalogue.API_PREFIX + path.replace("{proxy+}", "probe/1").rstrip("/")
        response = gateway.handle(sent, url, {"Authorization": "Bearer probe"}, b"")
        assert response.status == 200, (method, path)
        authorizer = [catalogue.AUTHORIZER.name] if expected.authorized else []
        assert invoked == [*authorizer, expected.function], (method, path)


@pytest.mark.parametrize("response", catalogue.GATEWAY_RESPONSES, ids=lambda response: response.response_type)
def test_given_a_gateway_response_then_both_gateways_answer_with_the_same_status_type_and_body(
    synthesized: Synthesized, response: catalogue.GatewayResponse
) -> None:
    """Given a response API Gateway makes itself, when each gateway gives it, then the status, content type
    and problem+json body are the same."""
    (deployed,) = [
        r
        for r in of_type(synthesized.resources, "AWS::ApiGateway::GatewayResponse").values()
        if r["ResponseType"] == response.response_type
    ]
    local_answer = gateway_error(response.response_type)

    content_type = deployed["ResponseParameters"]["gatewayresponse.header.Content-Type"]
    assert local_answer.status == int(deployed["StatusCode"])
    assert local_answer.headers["Content-Type"] == content_type.strip("'")
    assert json.loads(local_answer.body) == json.loads(deployed["ResponseTemplates"]["application/json"])


def test_given_both_gateways_then_they_give_the_same_set_of_responses(synthesized: Synthesized) -> None:
    deployed = {r["ResponseType"] for r in of_type(synthesized.resources, "AWS::ApiGateway::GatewayResponse").values()}
    assert deployed == {response.response_type for response in catalogue.GATEWAY_RESPONSES}

"""local.moto_patches makes moto faster without changing what it answers. Each patched service is driven
through boto3 by a scripted, seeded run twice: here, on patched moto, and in a fresh interpreter on moto as
released; the two transcripts must be equal. SQS runs under a clock the script moves (delays, visibility
timeouts, receive counts, redrive to the dead-letter queue, FIFO groups and deduplication, purge, the
approximate counts), DynamoDB reads back items of every attribute type through every read API, and
EventBridge delivers through its rules' default input template."""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
REGION = "us-east-1"
STEPS = 600


@contextmanager
def moto_clock(start: datetime) -> Iterator[list[datetime]]:
    """moto reads the time through moto.core.utils.utcnow (naive UTC), which some of its modules bound at
    import: while this lasts, `moment[0]` is what each of them reads (a module first imported meanwhile
    binds a clock that reads the real time again afterwards)."""
    import moto.core.utils as utils

    original = utils.utcnow
    moment, running = [start], [True]

    def now() -> datetime:
        return moment[0] if running[0] else original()

    bound = [
        module
        for name, module in list(sys.modules.items())
        if name.startswith("moto") and getattr(module, "utcnow", None) is original
    ]
    for module in bound:
        module.utcnow = now
    try:
        yield moment
    finally:
        running[0] = False
        for module in bound:
            module.utcnow = original


@contextmanager
def fresh_aws() -> Iterator[None]:
    from moto import mock_aws

    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"):
        os.environ[name] = "testing"
    os.environ["AWS_DEFAULT_REGION"] = REGION
    with mock_aws():
        yield


def sqs_transcript(seed: int = 7) -> list[Any]:
    """A seeded mix of sends (some delayed, some grouped, some duplicates), receives (various batch sizes and
    visibility timeouts), deletes and visibility changes (with current, old and deleted handles), a purge,
    attribute reads and clock moves on a standard queue with a DLQ, a grouped standard queue and a FIFO
    queue; what moto answered, in order."""
    import boto3
    from botocore.exceptions import ClientError

    chance = random.Random(seed)
    seen: list[Any] = []
    with fresh_aws(), moto_clock(datetime(2026, 1, 1, 12, 0, 0)) as moment:
        sqs = boto3.client("sqs", region_name=REGION)
        dlq = sqs.create_queue(QueueName="work-dlq")["QueueUrl"]
        dlq_arn = sqs.get_queue_attributes(QueueUrl=dlq, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
        redrive = json.dumps({"deadLetterTargetArn": dlq_arn, "maxReceiveCount": "3"})
        urls = {
            "work": sqs.create_queue(QueueName="work", Attributes={"VisibilityTimeout": "2", "RedrivePolicy": redrive})[
                "QueueUrl"
            ],
            "fair": sqs.create_queue(QueueName="fair", Attributes={"DelaySeconds": "1"})["QueueUrl"],
            "ordered.fifo": sqs.create_queue(
                QueueName="ordered.fifo", Attributes={"FifoQueue": "true", "ContentBasedDeduplication": "true"}
            )["QueueUrl"],
            "work-dlq": dlq,
        }
        handles: list[tuple[str, str]] = []
        purged = False

        def attempt(call: Callable[..., Any], **asked: Any) -> str:
            try:
                call(**asked)
                return "ok"
            except ClientError as error:
                return error.response["Error"]["Code"]

        for step in range(STEPS):
            action = chance.choices(
                ["send", "receive", "delete", "visibility", "tick", "count", "purge"],
                weights=[34, 30, 10, 8, 13, 4, 1],
            )[0]
            if action == "send":
                name = chance.choice(["work", "fair", "ordered.fifo"])
                body = f"m{step}" if chance.random() > 0.05 or not seen else f"m{step - 1}"
                sent: dict[str, Any] = {"QueueUrl": urls[name], "MessageBody": body}
                if name == "work":
                    sent["DelaySeconds"] = chance.choice([0, 0, 0, 1, 2, 3])
                elif name == "fair":
                    sent["MessageGroupId"] = chance.choice(["t_a", "t_b"])
                    if chance.random() < 0.5:
                        sent["DelaySeconds"] = chance.choice([0, 2])
                else:
                    sent["MessageGroupId"] = chance.choice(["g1", "g2", "g3"])
                sqs.send_message(**sent)
                seen.append(["send", name, body])
            elif action == "receive":
                name = chance.choice(["work", "work", "fair", "ordered.fifo", "work-dlq"])
                asked: dict[str, Any] = {
                    "QueueUrl": urls[name],
                    "MaxNumberOfMessages": chance.randint(1, 10),
                    "WaitTimeSeconds": 0,
                    "MessageSystemAttributeNames": ["All"],
                }
                if chance.random() < 0.7:
                    asked["VisibilityTimeout"] = chance.choice([0, 1, 2, 3])
                got = sqs.receive_message(**asked).get("Messages", [])
                handles += [(name, m["ReceiptHandle"]) for m in got]
                seen.append(
                    ["receive", name]
                    + [
                        (m["Body"], m["Attributes"]["ApproximateReceiveCount"], m["Attributes"].get("MessageGroupId"))
                        for m in got
                    ]
                )
            elif action in ("delete", "visibility") and handles:
                name, handle = chance.choice(handles)
                if action == "delete":
                    outcome = attempt(sqs.delete_message, QueueUrl=urls[name], ReceiptHandle=handle)
                else:
                    timeout = chance.choice([0, 1, 3])
                    outcome = attempt(
                        sqs.change_message_visibility,
                        QueueUrl=urls[name],
                        ReceiptHandle=handle,
                        VisibilityTimeout=timeout,
                    )
                seen.append([action, name, outcome])
            elif action == "tick":
                moment[0] += timedelta(seconds=chance.choice([0.5, 1, 1, 1.5, 2]))
            elif action == "count":
                for name, url in urls.items():
                    counts = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]
                    seen.append(
                        [
                            "count",
                            name,
                            counts["ApproximateNumberOfMessages"],
                            counts["ApproximateNumberOfMessagesNotVisible"],
                            counts["ApproximateNumberOfMessagesDelayed"],
                        ]
                    )
            elif action == "purge" and not purged:
                purged = True
                sqs.purge_queue(QueueUrl=urls["fair"])
                seen.append(["purge", "fair"])
        moment[0] += timedelta(seconds=5)  # then drain everything that is left
        for name, url in urls.items():
            while got := sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, VisibilityTimeout=30).get(
                "Messages", []
            ):
                seen.append(["drain", name] + [m["Body"] for m in got])
                sqs.delete_message_batch(
                    QueueUrl=url,
                    Entries=[{"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(got)],
                )
    return seen


VOLATILE = {"eventID", "id", "ResponseMetadata"}  # random in each run (times are the clock's)


def _stable(value: Any) -> Any:
    """The answer without the ids that differ from run to run, as JSON."""
    if isinstance(value, dict):
        return {k: _stable(v) for k, v in value.items() if k not in VOLATILE}
    if isinstance(value, list | tuple):
        return [_stable(v) for v in value]
    if isinstance(value, bytes):
        return value.hex()
    if isinstance(value, datetime):
        return value.isoformat()
    return repr(value) if not isinstance(value, str | int | float | bool | type(None)) else value


def dynamodb_and_events_transcript() -> list[Any]:
    """Items of every attribute type written and read back by each read API, stream records included, and
    an event delivered by a rule to a queue through the rule's default input template."""
    import boto3
    from botocore.config import Config

    seen: list[Any] = []
    with fresh_aws(), moto_clock(datetime(2026, 1, 1, 12, 0, 0)):
        db = boto3.client("dynamodb", region_name=REGION)
        db.create_table(
            TableName="t",
            KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
            AttributeDefinitions=[
                {"AttributeName": "pk", "AttributeType": "S"},
                {"AttributeName": "sk", "AttributeType": "S"},
                {"AttributeName": "g", "AttributeType": "S"},
            ],
            GlobalSecondaryIndexes=[
                {
                    "IndexName": "by_g",
                    "KeySchema": [
                        {"AttributeName": "g", "KeyType": "HASH"},
                        {"AttributeName": "sk", "KeyType": "RANGE"},
                    ],
                    "Projection": {"ProjectionType": "ALL"},
                }
            ],
            BillingMode="PAY_PER_REQUEST",
            StreamSpecification={"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"},
        )
        for i in range(12):
            item = {
                "pk": {"S": "P#1"},
                "sk": {"S": f"S#{i:02}"},
                "g": {"S": f"G#{i % 3}"},
                "n": {"N": str(i * 1.5)},
                "b": {"B": bytes([i, 255 - i])},
                "flag": {"BOOL": i % 2 == 0},
                "nothing": {"NULL": True},
                "tags": {"SS": [f"x{i}", "y"]},
                "nums": {"NS": ["1", str(i + 2)]},
                "blobs": {"BS": [b"a", bytes([i])]},
                "doc": {"M": {"parts": {"L": [{"S": "deep"}, {"N": "7"}, {"M": {"k": {"S": f"v{i}"}}}]}}},
            }
            seen.append(_stable(db.put_item(TableName="t", Item=item, ReturnValues="ALL_OLD")))
        seen.append(
            _stable(
                db.update_item(
                    TableName="t",
                    Key={"pk": {"S": "P#1"}, "sk": {"S": "S#01"}},
                    UpdateExpression="SET n = n + :one, doc.parts[0] = :s",
                    ExpressionAttributeValues={":one": {"N": "1"}, ":s": {"S": "changed"}},
                    ReturnValues="ALL_NEW",
                )
            )
        )
        key = {"pk": {"S": "P#1"}, "sk": {"S": "S#03"}}
        seen.append(_stable(db.get_item(TableName="t", Key=key)))
        seen.append(
            _stable(
                db.query(
                    TableName="t",
                    KeyConditionExpression="pk = :p",
                    ExpressionAttributeValues={":p": {"S": "P#1"}},
                    Limit=5,
                )
            )
        )
        seen.append(
            _stable(
                db.query(
                    TableName="t",
                    IndexName="by_g",
                    KeyConditionExpression="g = :g",
                    ExpressionAttributeValues={":g": {"S": "G#1"}},
                    ProjectionExpression="sk, doc.parts",
                )
            )
        )
        seen.append(
            _stable(
                db.scan(TableName="t", FilterExpression="flag = :t", ExpressionAttributeValues={":t": {"BOOL": True}})
            )
        )
        keys = [{"pk": {"S": "P#1"}, "sk": {"S": f"S#{i:02}"}} for i in (0, 5, 11)]
        seen.append(_stable(db.batch_get_item(RequestItems={"t": {"Keys": keys}})))
        seven = {"pk": {"S": "P#1"}, "sk": {"S": "S#07"}}
        seen.append(_stable(db.transact_get_items(TransactItems=[{"Get": {"TableName": "t", "Key": seven}}])))
        four = {"pk": {"S": "P#1"}, "sk": {"S": "S#04"}}
        seen.append(_stable(db.delete_item(TableName="t", Key=four, ReturnValues="ALL_OLD")))
        described = db.describe_table(TableName="t")["Table"]
        unstable = ("LatestStreamLabel", "LatestStreamArn", "TableId")
        seen.append(_stable({k: v for k, v in described.items() if k not in unstable}))
        # moto routes DynamoDB Streams by the classic endpoint (local.persistence.StreamReader says the same)
        streams = boto3.client(
            "dynamodbstreams", region_name=REGION, config=Config(account_id_endpoint_mode="disabled")
        )
        shard = streams.describe_stream(StreamArn=described["LatestStreamArn"])["StreamDescription"]["Shards"][0]
        iterator = streams.get_shard_iterator(
            StreamArn=described["LatestStreamArn"], ShardId=shard["ShardId"], ShardIteratorType="TRIM_HORIZON"
        )["ShardIterator"]
        seen.append(_stable(streams.get_records(ShardIterator=iterator)["Records"]))

        events = boto3.client("events", region_name=REGION)
        sqs = boto3.client("sqs", region_name=REGION)
        url = sqs.create_queue(QueueName="fed")["QueueUrl"]
        arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
        events.put_rule(Name="all", EventPattern=json.dumps({"source": ["crm"]}))
        events.put_targets(Rule="all", Targets=[{"Id": "q", "Arn": arn}])
        detail = {"type": "contact.created", "data": {"n": 1.5, "list": [1, "two", None], "nested": {"ok": True}}}
        entry = {"Source": "crm", "DetailType": "contact.created", "Detail": json.dumps(detail)}
        events.put_events(Entries=[entry] * 3)
        bodies = [json.loads(m["Body"]) for m in sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10)["Messages"]]
        seen.append(_stable(bodies))
    return seen


TRANSCRIPTS = {"sqs": sqs_transcript, "dynamodb_and_events": dynamodb_and_events_transcript}


def as_released(name: str) -> Any:
    """The transcript on moto as released: a fresh interpreter that never loads local.moto_patches."""
    script = (
        "import json, sys\n"
        "from tests.integration import test_moto_patches as t\n"
        "assert 'local.moto_patches' not in sys.modules\n"
        f"print(json.dumps(t.TRANSCRIPTS[{name!r}]()))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=300, check=False
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.splitlines()[-1])


@pytest.fixture(scope="module")
def patched() -> None:
    from local import moto_patches

    moto_patches.apply()


@pytest.mark.parametrize("name", sorted(TRANSCRIPTS))
def test_given_the_same_calls_when_moto_is_patched_then_it_answers_exactly_as_released(patched, name):
    assert json.loads(json.dumps(TRANSCRIPTS[name]())) == as_released(name)


def test_given_thousands_of_waiting_messages_when_receiving_then_moto_does_not_look_at_each_of_them(patched):
    """Given 3,000 delayed messages and one receivable, a send, a receive and the counts read the clock a
    few times, not once or more per waiting message (moto as released reads it ~66,000 times here)."""
    import boto3
    import moto.core.utils as utils

    with fresh_aws(), moto_clock(datetime(2026, 1, 1)) as moment:
        sqs = boto3.client("sqs", region_name=REGION)
        url = sqs.create_queue(QueueName="busy")["QueueUrl"]
        for _ in range(300):
            sqs.send_message_batch(
                QueueUrl=url, Entries=[{"Id": str(i), "MessageBody": "late", "DelaySeconds": 900} for i in range(10)]
            )
        reads = [0]
        clock = utils.utcnow

        def counted() -> datetime:
            reads[0] += 1
            return clock()

        utils.utcnow = counted
        sqs.send_message(QueueUrl=url, MessageBody="now")
        (message,) = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10)["Messages"]
        counts = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]

        assert message["Body"] == "now"
        assert (counts["ApproximateNumberOfMessagesDelayed"], counts["ApproximateNumberOfMessagesNotVisible"]) == (
            "3000",
            "1",
        )
        assert reads[0] < 100, reads[0]
        moment[0] += timedelta(seconds=901)
        assert len(sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10)["Messages"]) == 10

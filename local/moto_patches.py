"""Local-emulation speed fix for moto (never loaded in the cloud).

moto 5.2's TransactWriteItems deep-copies the whole table once per action so that it can roll back,
which costs ~16 ms per action per 1,000 items: a contact create on a table of a few thousand items
took most of a second. DynamoDB evaluates every condition of a transaction against the state before
the transaction (each item may appear once), so checking all conditions first and then applying all
writes has the same all-or-nothing outcome without any copy. (Query gets a similar fix below.)"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

_applied = False


def apply() -> None:
    global _applied
    if _applied:
        return
    from moto.dynamodb.comparisons import get_filter_expression as condition_of
    from moto.dynamodb.exceptions import (
        MultipleTransactionsException,
        TooManyTransactionsException,
        TransactionCanceledException,
        TransactWriteSingleOpException,
    )
    from moto.dynamodb.models import DynamoDBBackend

    def transact_write_items(self: DynamoDBBackend, transact_items: list[dict[str, Any]]) -> None:
        if len(transact_items) > 100:
            raise TooManyTransactionsException()
        planned: list[tuple[str, dict[str, Any], dict[str, Any]]] = []
        seen: set[tuple[str, str]] = set()
        errors: list[tuple[str | None, str | None, dict[str, Any] | None]] = []
        for entry in transact_items:
            if len(entry) > 1:
                raise TransactWriteSingleOpException
            op_type, op = next(iter(entry.items()))
            table = self.get_table(op["TableName"])
            if op_type == "Put":
                key = {table.hash_key_attr: op["Item"][table.hash_key_attr]}
                if table.range_key_attr is not None:
                    key[table.range_key_attr] = op["Item"][table.range_key_attr]
            else:
                key = op["Key"]
            marker = (op["TableName"], str(dict(sorted(key.items()))))
            if marker in seen:
                raise MultipleTransactionsException()
            seen.add(marker)
            current = self.get_item(op["TableName"], key)
            condition = op.get("ConditionExpression")
            if condition is not None and not condition_of(
                condition, op.get("ExpressionAttributeNames"), op.get("ExpressionAttributeValues")
            ).expr(current):
                old = None
                if op.get("ReturnValuesOnConditionCheckFailure") == "ALL_OLD" and current:
                    old = current.to_json()["Attributes"]
                errors.append(("ConditionalCheckFailed", "The conditional request failed", old))
            else:
                errors.append((None, None, None))
            planned.append((op_type, op, key))
        if any(code is not None for code, _, _ in errors):
            raise TransactionCanceledException(errors)
        for op_type, op, key in planned:
            if op_type == "Put":
                self.put_item(op["TableName"], op["Item"])
            elif op_type == "Delete":
                self.delete_item(op["TableName"], key)
            elif op_type == "Update":
                self.update_item(
                    op["TableName"],
                    key,
                    update_expression=op["UpdateExpression"],
                    expression_attribute_names=op.get("ExpressionAttributeNames"),
                    expression_attribute_values=op.get("ExpressionAttributeValues"),
                )

    DynamoDBBackend.transact_write_items = transact_write_items  # type: ignore[method-assign]
    _index_queries_by_partition()
    _group_rule_targets_by_event_path()
    _applied = True


def serialize_aws_calls() -> None:
    """moto's backends are not built for concurrent mutation: the local stack's threads (HTTP requests,
    the event chain) take turns for each AWS call, and only for the call, so a handler waiting on a
    slow webhook receiver does not hold up the API."""
    import threading

    from botocore.client import BaseClient

    if getattr(BaseClient._make_api_call, "_serialized", False):
        return
    lock = threading.RLock()
    original = BaseClient._make_api_call

    def one_at_a_time(client: Any, operation: str, params: dict[str, Any]) -> Any:
        with lock:
            return original(client, operation, params)

    one_at_a_time._serialized = True  # type: ignore[attr-defined]
    BaseClient._make_api_call = one_at_a_time  # type: ignore[method-assign]


def _index_queries_by_partition() -> None:
    """moto's Query walks every item of the table and keeps those of the partition; a query on the
    table's own key now walks only its partition (moto already stores items by partition)."""
    from moto.dynamodb.models.table import Table

    original_query = Table.query
    original_all_items = Table.all_items

    def query(self: Table, hash_key: Any, *args: Any, **kwargs: Any) -> Any:
        index_name = kwargs.get("index_name", args[6] if len(args) > 6 else None)
        if index_name or hash_key is None or not self.range_key_attr:
            return original_query(self, hash_key, *args, **kwargs)
        self._partition_hint = hash_key  # type: ignore[attr-defined]
        try:
            return original_query(self, hash_key, *args, **kwargs)
        finally:
            del self._partition_hint  # type: ignore[attr-defined]

    def all_items(self: Table) -> Any:
        hint = self.__dict__.get("_partition_hint")
        if hint is not None:
            return list(self.items.get(hint, {}).values())
        return original_all_items(self)

    Table.query = query  # type: ignore[method-assign]
    Table.all_items = all_items  # type: ignore[method-assign]


def _group_rule_targets_by_event_path() -> None:
    """An EventBridge rule's SQS target may name its message group by a JSON path into the event (the
    stack's fair queues group by `$.detail.tenant_id`). moto takes the group literally and only for FIFO
    queues (on a standard queue it fails the delivery): resolve the path, as EventBridge does, and send to
    any queue with that group."""
    from moto.events.models import Rule
    from moto.sqs import sqs_backends

    original = Rule._send_to_sqs_queue

    def send_to_sqs_queue(self: Any, resource_id: str, event: dict[str, Any], group_id: str | None = None) -> None:
        if group_id is None or not group_id.startswith("$."):
            return original(self, resource_id, event, group_id)
        value: Any = event
        for part in group_id.removeprefix("$.").split("."):
            value = value.get(part) if isinstance(value, dict) else None
        queue = sqs_backends[self.account_id][self.region_name]
        queue.send_message(queue_name=resource_id, message_body=json.dumps(event), group_id=value)

    Rule._send_to_sqs_queue = send_to_sqs_queue  # type: ignore[method-assign]


def route_lambda_invocations(invoke: Callable[[Any, Any], Any]) -> None:
    """moto's Step Functions invokes Lambda tasks through moto's Lambda, which cannot run code without
    Docker: route each invocation of a catalogue function to its real handler, in-process, answering as
    Lambda does (a raised error becomes a function error whose type Step Functions matches on, as
    `TransientStepError` in the state machine's Retry)."""
    import json

    from moto.awslambda_simple.models import LambdaSimpleBackend

    from crm import catalogue

    def invoke_handler(
        self: Any, function_name: str, qualifier: Any, body: Any, headers: Any, response_headers: Any
    ) -> bytes:
        name = function_name.split("function:", 1)[-1].split(":", 1)[0]  # an ARN (maybe qualified) or a name
        spec = catalogue.function_by_name(name)
        try:
            result = invoke(spec, json.loads(body or b"{}"))
        except Exception as error:
            response_headers["x-amz-function-error"] = "Unhandled"
            return json.dumps({"errorType": type(error).__name__, "errorMessage": str(error)}).encode()
        return json.dumps(result).encode()

    LambdaSimpleBackend.invoke = invoke_handler  # type: ignore[method-assign]

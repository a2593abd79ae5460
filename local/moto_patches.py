"""Local-emulation speed fix for moto (never loaded in the cloud).

moto 5.2's TransactWriteItems deep-copies the whole table once per action so that it can roll back,
which costs ~16 ms per action per 1,000 items: a contact create on a table of a few thousand items
took most of a second. DynamoDB evaluates every condition of a transaction against the state before
the transaction (each item may appear once), so checking all conditions first and then applying all
writes has the same all-or-nothing outcome without any copy. (Query gets a similar fix below, and so do
SQS, whose calls looked at every waiting message, EventBridge's input templates and moto's response
serializer; tests/integration/test_moto_patches.py checks that patched moto answers as released moto does.)"""

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
    _index_queue_messages()
    _compile_event_input_paths_once()
    _pick_response_keys_from_dicts_directly()
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


def _index_queue_messages() -> None:
    """moto's SQS looks at every message of a queue to answer almost anything: each receive lists the
    visible ones (two clock reads per message), checks each received message's retention by computing all
    of the queue's attributes (three more passes), and each send computes them too; a delete rebuilds the
    list. Messages waiting out a delay or a visibility timeout (webhook retries, in the local stack) made
    every call slower. The queue's message list now keeps an index beside it: messages receivable now, a
    heap of the others by the time they become receivable, sorted visibility and delay times for the
    counts, and receipt handles. Semantics are moto's: the same messages come back in the same order (the
    order they were sent), with the same receive counts, visibility timeouts, delays, FIFO group blocking,
    redrive to the dead-letter queue and retention check."""
    import bisect
    import heapq
    import itertools
    from copy import deepcopy

    from moto.core.utils import unix_time, unix_time_millis
    from moto.sqs import models as sqs
    from moto.sqs.exceptions import InvalidParameterValue, ReceiptHandleIsInvalid

    def receivable(message: Any, now_ms: float) -> bool:
        return now_ms > message.visible_at and now_ms >= message.delayed_until  # moto's `visible and not delayed`

    class IndexedMessages(list):  # type: ignore[type-arg]
        """A queue's `_messages` (moto appends and removes; anything else rebuilds the index)."""

        def __init__(self, messages: Any = ()) -> None:
            super().__init__()
            self._rebuild(list(messages))

        def _rebuild(self, messages: list[Any]) -> None:
            super().clear()
            self._sequence = itertools.count()
            self._order: dict[Any, int] = {}  # message -> when it joined the queue
            self._times: dict[Any, tuple[float, float]] = {}  # message -> (visible_at, delayed_until) as indexed
            self._ready: dict[Any, None] = {}  # receivable when last looked (the rest wait in _waiting)
            self._waiting: list[tuple[float, int, float, float, Any]] = []  # heap; entries of old times are skipped
            self._visible_ats: list[float] = []
            self._delayed_untils: list[float] = []
            self.handles: dict[str, Any] = {}  # every receipt handle a queued message has had
            for message in messages:
                self.append(message)

        def append(self, message: Any) -> None:
            super().append(message)
            self._order[message] = next(self._sequence)
            self._times[message] = (message.visible_at, message.delayed_until)
            bisect.insort(self._visible_ats, message.visible_at)
            bisect.insort(self._delayed_untils, message.delayed_until)
            for handle in message.all_receipt_handles:
                if handle is not None:
                    self.handles[handle] = message
            self._place(message, unix_time_millis())

        def remove(self, message: Any) -> None:
            super().remove(message)
            del self._order[message]
            self._ready.pop(message, None)
            visible_at, delayed_until = self._times.pop(message)
            del self._visible_ats[bisect.bisect_left(self._visible_ats, visible_at)]
            del self._delayed_untils[bisect.bisect_left(self._delayed_untils, delayed_until)]
            for handle in message.all_receipt_handles:
                if self.handles.get(handle) is message:
                    del self.handles[handle]

        def _place(self, message: Any, now_ms: float) -> None:
            if receivable(message, now_ms):
                self._ready[message] = None
            else:
                self._ready.pop(message, None)
                visible_at, delayed_until = self._times[message]
                entry = (max(visible_at, delayed_until), self._order[message], visible_at, delayed_until, message)
                heapq.heappush(self._waiting, entry)

        def update(self, message: Any) -> None:
            """After the message's visibility or delay changed, or it was received (a new receipt handle)."""
            if message not in self._order:
                return
            if message.receipt_handle is not None:
                self.handles[message.receipt_handle] = message
            before = self._times[message]
            after = (message.visible_at, message.delayed_until)
            if after != before:
                del self._visible_ats[bisect.bisect_left(self._visible_ats, before[0])]
                del self._delayed_untils[bisect.bisect_left(self._delayed_untils, before[1])]
                bisect.insort(self._visible_ats, after[0])
                bisect.insort(self._delayed_untils, after[1])
                self._times[message] = after
            self._place(message, unix_time_millis())

        def receivable(self) -> list[Any]:
            """The messages receivable now, in the order they joined the queue."""
            now_ms = unix_time_millis()
            later = []
            while self._waiting and self._waiting[0][0] <= now_ms:
                entry = heapq.heappop(self._waiting)
                message = entry[4]
                if self._times.get(message) != (entry[2], entry[3]) or message in self._ready:
                    continue  # since re-timed (a newer entry stands for it), deleted or already receivable
                if receivable(message, now_ms):
                    self._ready[message] = None
                else:
                    later.append(entry)  # due exactly now: moto's visibility is strictly after visible_at
            for entry in later:
                heapq.heappush(self._waiting, entry)
            found = []
            for message in sorted(self._ready, key=self._order.__getitem__):
                if receivable(message, now_ms):
                    found.append(message)
                else:  # re-timed behind the index's back: wait again
                    self._times[message] = (message.visible_at, message.delayed_until)
                    self._place(message, now_ms)
            return found

        def find(self, receipt_handle: str) -> Any:
            """The queued message that has (or had) this receipt handle, if any."""
            message = self.handles.get(receipt_handle)
            if message is None:  # a handle given out behind the index's back: look as moto does
                message = next((m for m in self if m.had_receipt_handle(receipt_handle)), None)
            return message

        def count_delayed(self) -> int:
            return len(self._delayed_untils) - bisect.bisect_right(self._delayed_untils, unix_time_millis())

        def count_not_visible(self) -> int:
            return len(self._visible_ats) - bisect.bisect_left(self._visible_ats, unix_time_millis())

        def __iadd__(self, other: Any) -> IndexedMessages:
            self.extend(other)
            return self

        def __imul__(self, times: Any) -> IndexedMessages:
            self._rebuild(list(self) * times)
            return self

        def __deepcopy__(self, memo: Any) -> list[Any]:
            return deepcopy(list(self), memo)

    def rebuilding(name: str) -> Callable[..., Any]:
        def changed(self: IndexedMessages, *args: Any) -> Any:
            result = getattr(list, name)(self, *args)
            self._rebuild(list(self))
            return result

        return changed

    # Any other in-place change of the list (moto 5.2 makes none): rebuild the index from its new content.
    for name in ("extend", "insert", "pop", "clear", "sort", "reverse", "__setitem__", "__delitem__"):
        setattr(IndexedMessages, name, rebuilding(name))

    def indexed(queue: Any) -> IndexedMessages:
        """The queue's message list, indexed (a queue made before the patch, or purged, gets its index now)."""
        messages = queue._messages
        if type(messages) is not IndexedMessages:
            messages = queue._messages = IndexedMessages(messages)
        return messages

    sqs.Queue.messages = property(lambda self: indexed(self).receivable())  # type: ignore[assignment]
    sqs.Queue.approximate_number_of_messages_delayed = property(  # type: ignore[assignment]
        lambda self: indexed(self).count_delayed()
    )
    sqs.Queue.approximate_number_of_messages_not_visible = property(  # type: ignore[assignment]
        lambda self: indexed(self).count_not_visible()
    )

    original_add_message = sqs.Queue.add_message

    def add_message(self: Any, message: Any) -> None:
        indexed(self)
        original_add_message(self, message)

    def delete_message(self: Any, receipt_handle: str) -> None:
        if receipt_handle in self.deleted_messages:
            return  # already deleted: moto accepts a repeat
        messages = indexed(self)
        message = messages.find(receipt_handle)
        if message is None:
            raise ReceiptHandleIsInvalid()
        messages.remove(message)
        self.pending_messages.discard(message)
        self.deleted_messages.update(message.all_receipt_handles)

    def receive_message(
        self: Any,
        queue_name: str,
        count: int,
        wait_seconds_timeout: int,
        visibility_timeout: int,
        message_attribute_names: list[str] | None = None,
    ) -> list[Any]:
        # moto's SQSBackend.receive_message, step for step, over the index.
        if message_attribute_names is None:
            message_attribute_names = []
        queue = self.get_queue(queue_name)
        messages = indexed(queue)
        result: list[Any] = []
        previous_result_count = len(result)
        polling_end = unix_time() + wait_seconds_timeout
        currently_pending_groups = set(queue.pending_message_groups) if queue.fifo_queue else set()
        while True:
            if result or (wait_seconds_timeout and unix_time() > polling_end):
                break
            messages_to_dlq = []
            for message in messages.receivable():
                if message in queue.pending_messages:
                    # pending, yet visible again: the consumer timed out
                    queue.pending_messages.remove(message)
                    if queue.fifo_queue:
                        currently_pending_groups = set(queue.pending_message_groups)
                if message.group_id and queue.fifo_queue and message.group_id in currently_pending_groups:
                    continue  # an earlier message of its group is still being processed
                if (
                    queue.dead_letter_queue is not None
                    and queue.redrive_policy
                    and message.approximate_receive_count >= queue.redrive_policy["maxReceiveCount"]
                ):
                    messages_to_dlq.append(message)
                    continue
                queue.pending_messages.add(message)
                message.mark_received(visibility_timeout=visibility_timeout)
                messages.update(message)
                message_copy = deepcopy(message)
                sqs._filter_message_attributes(message_copy, message_attribute_names)
                if not self.is_message_valid_based_on_retention_period(queue_name, message):
                    break
                result.append(message_copy)
                if len(result) >= count:
                    break
            for message in messages_to_dlq:
                messages.remove(message)
                queue.dead_letter_queue.add_message(message)
            if previous_result_count == len(result):
                if wait_seconds_timeout == 0:
                    break
                queue.wait_for_messages(1)
                continue
            previous_result_count = len(result)
        return result

    def change_message_visibility(self: Any, queue_name: str, receipt_handle: str, visibility_timeout: int) -> None:
        queue = self.get_queue(queue_name)
        messages = indexed(queue)
        message = messages.find(receipt_handle)
        if message is None:
            raise ReceiptHandleIsInvalid
        given_visibility_timeout = unix_time_millis() + int(visibility_timeout) * 1000
        if given_visibility_timeout - message.sent_timestamp > 43200 * 1000:
            raise InvalidParameterValue(
                f"Value {visibility_timeout} for parameter VisibilityTimeout is invalid. Reason: Total "
                "VisibilityTimeout for the message is beyond the limit [43200 seconds]"
            )
        message.change_visibility(visibility_timeout)
        messages.update(message)
        if message.visible and message in queue.pending_messages:
            queue.pending_messages.remove(message)

    def is_message_valid_based_on_retention_period(self: Any, queue_name: str, message: Any) -> bool:
        retention_period = int(self.get_queue(queue_name).message_retention_period)
        return retention_period + message.sent_timestamp / 1000 > unix_time()

    sqs.Queue.add_message = add_message  # type: ignore[method-assign]
    sqs.Queue.delete_message = delete_message  # type: ignore[method-assign]
    sqs.SQSBackend.receive_message = receive_message  # type: ignore[method-assign]
    sqs.SQSBackend.change_message_visibility = change_message_visibility  # type: ignore[method-assign]
    sqs.SQSBackend.is_message_valid_based_on_retention_period = (  # type: ignore[method-assign]
        is_message_valid_based_on_retention_period
    )


def _compile_event_input_paths_once() -> None:
    """moto's EventBridge builds each event a rule delivers from an input template, reading 8 JSON paths
    from the event; jsonpath_ng builds a new parser (its grammar tables) for every path it parses: ~7 ms
    per event and target. A path's compiled form depends on the path alone: parse each once."""
    from functools import cache

    from jsonpath_ng.ext import parse as parse_path
    from moto.events.utils import EventTemplateParser

    compiled = cache(parse_path)

    def parse(input_template: str, input_paths_map: dict[str, Any], event: Any) -> dict[str, Any]:
        # moto's EventTemplateParser.parse, but with `compiled` for `jsonpath_ng.ext.parse`.
        template_to_use = input_template or EventTemplateParser.DEFAULT_EVENT_INPUT_TEMPLATE
        input_paths_map = input_paths_map or EventTemplateParser.DEFAULT_EVENT_INPUT_PATHS_MAP
        for input_path in input_paths_map:
            matches = compiled(input_paths_map[input_path]).find(event)
            result = EventTemplateParser._stringify(matches[0].value) if matches else None
            if result:
                template_to_use = template_to_use.replace(f"<{input_path}>", result)
        default_inputs_map = {
            "aws.events.event.json": event,
            "aws.events.event.ingestion-time": event["ingestion-time"],
        }
        for input_path in default_inputs_map:
            result = EventTemplateParser._stringify(default_inputs_map[input_path])
            template_to_use = template_to_use.replace(f"<{input_path}>", result)
        return json.loads(template_to_use)

    EventTemplateParser.parse = staticmethod(parse)  # type: ignore[method-assign]


def _pick_response_keys_from_dicts_directly() -> None:
    """moto serializes every response by looking up each member of each structure through a chain of
    alias providers (a context object, six provider objects and a generator per lookup), including the
    members that are absent: a DynamoDB attribute value is a structure of ten members, so an item of 20
    attributes costs 200 lookups, and reading items, stream records and batches spent most of its time
    there. When the value is a plain dict (as moto's DynamoDB responses are), the providers' answer depends
    only on the member (its shape, its parent, its name), so it is worked out once per member by the same
    providers and reused; other values, and pickers with response transformers, go the usual way."""
    from moto.core.serialize import (
        MISSING,
        AttributePickerContext,
        ResponseSerializer,
        XFormedAttributePicker,
    )
    from moto.core.utils import get_value as pick

    original = ResponseSerializer.get_value
    probe: dict[str, Any] = {}  # the providers look at a dict's type (no Meta, class name "dict"), never its keys

    def keys_for_dicts(picker: XFormedAttributePicker, shape: Any, key: str) -> tuple[str, ...] | None:
        parent = getattr(shape, "parent", None)
        cached = shape.__dict__.get("_keys_for_dicts")
        if cached is None or cached[0] is not parent or cached[1] is not picker.alias_providers:
            cached = shape._keys_for_dicts = (parent, picker.alias_providers, {})
        if key in cached[2]:
            return cached[2][key]
        try:
            keys = tuple(picker.get_possible_keys(AttributePickerContext(obj=probe, key=key, shape=shape)))
        except Exception:  # a provider that cannot answer for this member: leave it to moto every time
            keys = None
        cached[2][key] = keys
        return keys

    def get_value(self: Any, value: Any, key: str, shape: Any) -> Any:
        picker = self._value_picker
        if type(value) is not dict or type(picker) is not XFormedAttributePicker or picker.response_transformers:
            return original(self, value, key, shape)
        keys = keys_for_dicts(picker, shape, key)
        if keys is None:
            return original(self, value, key, shape)
        for possible_key in keys:
            found = value.get(possible_key, MISSING) if "." not in possible_key else pick(value, possible_key, MISSING)
            if found is not MISSING:
                return found
        return None

    base_member = ResponseSerializer._serialize_structure_member
    original_structure = ResponseSerializer._serialize_type_structure

    def serialize_structure(self: Any, serialized: Any, value: Any, shape: Any, key: str) -> None:
        # moto's ResponseSerializer._serialize_type_structure with its _serialize_structure_member and the
        # get_value above inlined, where they are moto's own (a REST serializer routes members itself).
        picker = self._value_picker
        if (
            type(value) is not dict
            or type(picker) is not XFormedAttributePicker
            or picker.response_transformers
            or type(self)._serialize_structure_member is not base_member
        ):
            return original_structure(self, serialized, value, shape, key)
        wrapper = self.MAP_TYPE() if key else serialized
        for member_key, member_shape in shape.members.items():
            member_shape.parent = shape
            keys = keys_for_dicts(picker, member_shape, member_key)
            if keys is None:
                member_value = original(self, value, member_key, member_shape)
            else:
                member_value = None
                for possible_key in keys:
                    found = (
                        value.get(possible_key, MISSING)
                        if "." not in possible_key
                        else pick(value, possible_key, MISSING)
                    )
                    if found is not MISSING:
                        member_value = found
                        break
            if member_value is not None:
                self._serialize(wrapper, member_value, member_shape, member_key)
        if key:
            self._default_serialize(serialized, wrapper, shape, key)

    ResponseSerializer.get_value = get_value  # type: ignore[method-assign]
    ResponseSerializer._serialize_type_structure = serialize_structure  # type: ignore[method-assign]


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

"""The DynamoDB adapter: the only module that talks to boto3 for table data.

`TenantTable` is what services get. It is constructed with the caller's tenant and builds every
partition key itself (`T#<tenant_id>#...`); it refuses any key outside that tenant, so no code path can
reach another tenant's items by passing an id, a cursor or a crafted key. In the cloud, tenant-scoped
functions also reach DynamoDB with credentials that IAM restricts to the tenant's leading keys.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from crm.catalogue import ENV_TABLE_NAME, ENV_TENANT_ROLE_ARN, TABLE, TENANT_KEY_PREFIX, TENANT_SESSION_TAG
from crm.errors import CrmError, ServiceUnavailable

Item = dict[str, Any]

_lock = threading.Lock()
_default_client: Any = None
_tenant_clients: dict[str, tuple[float, Any]] = {}
_TENANT_CREDENTIALS_S = 900
_RETRYABLE = frozenset(
    {
        "ProvisionedThroughputExceededException",
        "ThrottlingException",
        "RequestLimitExceeded",
        "TransactionInProgressException",
        "InternalServerError",
    }
)


def table_name() -> str:
    name = os.environ.get(ENV_TABLE_NAME)
    if not name:
        raise RuntimeError(f"{ENV_TABLE_NAME} is not set")
    return name


def _new_client(**credentials: str) -> Any:
    import boto3
    from botocore.config import Config

    config = Config(retries={"max_attempts": 4, "mode": "standard"}, connect_timeout=2, read_timeout=5)
    return boto3.client("dynamodb", config=config, **credentials)


def default_client() -> Any:
    """The function's own DynamoDB client, created once per container on first use."""
    global _default_client
    if _default_client is None:
        with _lock:
            if _default_client is None:
                _default_client = _new_client()
    return _default_client


def _client_for_tenant(tenant_id: str) -> Any:
    """Where the deployment names a tenant data role, use credentials scoped to this tenant (IAM
    `dynamodb:LeadingKeys`); cached per tenant until shortly before they expire."""
    role_arn = os.environ.get(ENV_TENANT_ROLE_ARN)
    if not role_arn:
        return default_client()
    cached = _tenant_clients.get(tenant_id)
    if cached and cached[0] > time.monotonic():
        return cached[1]
    import boto3

    credentials = boto3.client("sts").assume_role(
        RoleArn=role_arn,
        RoleSessionName=f"tenant-{tenant_id}"[:64],
        DurationSeconds=_TENANT_CREDENTIALS_S,
        Tags=[{"Key": TENANT_SESSION_TAG, "Value": tenant_id}],
    )["Credentials"]
    client = _new_client(
        aws_access_key_id=credentials["AccessKeyId"],
        aws_secret_access_key=credentials["SecretAccessKey"],
        aws_session_token=credentials["SessionToken"],
    )
    _tenant_clients[tenant_id] = (time.monotonic() + _TENANT_CREDENTIALS_S - 120, client)
    return client


def reset_clients() -> None:
    """Forget cached clients (tests switch moto backends between cases)."""
    global _default_client
    with _lock:
        _default_client = None
        _tenant_clients.clear()


# --- values ---------------------------------------------------------------------------------------


def to_attribute(value: Any) -> dict[str, Any]:
    kind = type(value)  # the common exact types first (a bool is no int here, nor a str subclass a str)
    if kind is str:
        return {"S": value}
    if kind is int:
        return {"N": str(value)}
    if kind is dict:
        return {"M": {k: to_attribute(v) for k, v in value.items()}}
    if value is None:
        return {"NULL": True}
    if isinstance(value, bool):
        return {"BOOL": value}
    if isinstance(value, str):
        return {"S": value}
    if isinstance(value, int | float | Decimal):
        return {"N": _number(value)}
    if isinstance(value, dict):
        return {"M": {k: to_attribute(v) for k, v in value.items()}}
    if isinstance(value, list | tuple):
        return {"L": [to_attribute(v) for v in value]}
    raise TypeError(f"cannot store {type(value).__name__}")


def _number(value: int | float | Decimal) -> str:
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, Decimal):
        return format(value, "f")  # plain digits, never 1E+3
    return str(value)


def _exact(number: Decimal) -> int | Decimal:
    """Exactly the stored number: an int when it has no fraction (1E+2, 1.0), else the Decimal."""
    _, digits, exponent = number.as_tuple()
    assert isinstance(exponent, int)  # DynamoDB numbers are finite
    if exponent >= 0 or not any(digits[exponent:]):
        return int(number)
    return number


def from_attribute(attribute: dict[str, Any]) -> Any:
    (kind, value), *_ = attribute.items()
    if kind == "S":
        return value
    if kind == "N":
        return _exact(Decimal(value))
    if kind == "BOOL":
        return value
    if kind == "NULL":
        return None
    if kind == "M":
        return {k: from_attribute(v) for k, v in value.items()}
    if kind == "L":
        return [from_attribute(v) for v in value]
    if kind == "SS":
        return set(value)
    raise TypeError(f"unexpected DynamoDB type {kind}")


def to_item(values: Item) -> dict[str, Any]:
    return {k: to_attribute(v) for k, v in values.items()}


def from_item(item: dict[str, Any]) -> Item:
    return {k: from_attribute(v) for k, v in item.items()}


# --- transactions ---------------------------------------------------------------------------------


@dataclass
class Put:
    pk: str
    sk: str
    item: Item
    condition: str | None = None
    values: Item = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)


@dataclass
class Delete:
    pk: str
    sk: str
    condition: str | None = None
    values: Item = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)


@dataclass
class Check:
    pk: str
    sk: str
    condition: str
    values: Item = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)


Action = Put | Delete | Check


class ConditionsFailed(Exception):
    """A transaction was cancelled because conditions failed; `failed` holds the action indexes.
    `items` holds the current item for each failed action where DynamoDB returned it."""

    def __init__(self, failed: list[int], items: dict[int, Item]) -> None:
        super().__init__(f"conditions failed at {failed}")
        self.failed = failed
        self.items = items


def _conditional(action: Put | Delete | Check, body: dict[str, Any]) -> dict[str, Any]:
    if action.condition:
        body["ConditionExpression"] = action.condition
        body["ReturnValuesOnConditionCheckFailure"] = "ALL_OLD"
        if action.values:
            body["ExpressionAttributeValues"] = to_item(action.values)
        if action.names:
            body["ExpressionAttributeNames"] = action.names
    return body


def _wire(action: Action, name: str) -> dict[str, Any]:
    if isinstance(action, Put):
        item = to_item({**action.item, TABLE.partition_key: action.pk, TABLE.sort_key: action.sk})
        return {"Put": _conditional(action, {"TableName": name, "Item": item})}
    key = {TABLE.partition_key: {"S": action.pk}, TABLE.sort_key: {"S": action.sk}}
    if isinstance(action, Delete):
        return {"Delete": _conditional(action, {"TableName": name, "Key": key})}
    return {"ConditionCheck": _conditional(action, {"TableName": name, "Key": key})}


def _translate(error: Exception) -> Exception:
    """botocore errors never reach a client: conditions become ConditionsFailed, throttling 503."""
    from botocore.exceptions import BotoCoreError, ClientError

    if isinstance(error, ClientError):
        code = error.response.get("Error", {}).get("Code", "")
        if code == "TransactionCanceledException":
            reasons = error.response.get("CancellationReasons") or []
            failed = [i for i, r in enumerate(reasons) if r.get("Code") == "ConditionalCheckFailed"]
            if failed:
                items = {i: from_item(reasons[i]["Item"]) for i in failed if reasons[i].get("Item")}
                return ConditionsFailed(failed, items)
            if any(r.get("Code") in ("TransactionConflict", "ThrottlingError") for r in reasons):
                return ServiceUnavailable("The record is being changed by another request; retry shortly.")
        if code == "ConditionalCheckFailedException":
            item = error.response.get("Item")
            return ConditionsFailed([0], {0: from_item(item)} if item else {})
        if code in _RETRYABLE or code == "TransactionCanceledException":
            return ServiceUnavailable("The data store is busy; retry shortly.")
        return CrmError("The data store rejected the request.")
    if isinstance(error, BotoCoreError):
        return ServiceUnavailable("The data store could not be reached; retry shortly.")
    return error


# --- tables ---------------------------------------------------------------------------------------


class _Table:
    def __init__(self, client: Any) -> None:
        self._client = client
        self._name = table_name()

    def _check_key(self, pk: str) -> None:  # overridden by TenantTable
        return None

    def get(self, pk: str, sk: str) -> Item | None:
        self._check_key(pk)
        try:
            response = self._client.get_item(
                TableName=self._name,
                Key={TABLE.partition_key: {"S": pk}, TABLE.sort_key: {"S": sk}},
                ConsistentRead=True,
            )
        except Exception as error:
            raise _translate(error) from error
        item = response.get("Item")
        return from_item(item) if item else None

    def get_many(self, keys: list[tuple[str, str]]) -> dict[tuple[str, str], Item]:
        """Several items in one round trip (consistent reads); missing ones are simply absent."""
        for pk, _ in keys:
            self._check_key(pk)
        wanted = [{TABLE.partition_key: {"S": pk}, TABLE.sort_key: {"S": sk}} for pk, sk in dict.fromkeys(keys)]
        found: dict[tuple[str, str], Item] = {}
        for attempt in range(5):
            if not wanted:
                break
            if attempt:
                time.sleep(0.05 * 2**attempt)  # DynamoDB hands back unprocessed keys under load
            try:
                response = self._client.batch_get_item(
                    RequestItems={self._name: {"Keys": wanted[:100], "ConsistentRead": True}}
                )
            except Exception as error:
                raise _translate(error) from error
            for raw in response.get("Responses", {}).get(self._name, []):
                item = from_item(raw)
                found[(item[TABLE.partition_key], item[TABLE.sort_key])] = item
            unprocessed = response.get("UnprocessedKeys", {}).get(self._name, {}).get("Keys", [])
            wanted = unprocessed + wanted[100:]
        if wanted:
            raise ServiceUnavailable("The data store is busy; retry shortly.")
        return found

    def query(
        self,
        pk: str,
        *,
        limit: int,
        after_sk: str | None = None,
        sk_prefix: str | None = None,
        sk_between: tuple[str, str] | None = None,
        newest_first: bool = True,
        filter_expression: str | None = None,
        filter_names: dict[str, str] | None = None,
        filter_values: Item | None = None,
    ) -> tuple[list[Item], str | None]:
        """One page of a partition: up to `limit` matching items and the sort key to continue after."""
        self._check_key(pk)
        names = {"#pk": TABLE.partition_key, **(filter_names or {})}
        values: dict[str, Any] = {":pk": {"S": pk}}
        condition = "#pk = :pk"
        if sk_prefix:
            names["#sk"] = TABLE.sort_key
            values[":prefix"] = {"S": sk_prefix}
            condition += " AND begins_with(#sk, :prefix)"
        if sk_between:
            names["#sk"] = TABLE.sort_key
            values[":first"], values[":last"] = {"S": sk_between[0]}, {"S": sk_between[1]}
            condition += " AND #sk BETWEEN :first AND :last"
        values.update(to_item(filter_values or {}))
        found: list[Item] = []
        start = {TABLE.partition_key: {"S": pk}, TABLE.sort_key: {"S": after_sk}} if after_sk else None
        while True:
            request: dict[str, Any] = {
                "TableName": self._name,
                "KeyConditionExpression": condition,
                "ExpressionAttributeNames": names,
                "ExpressionAttributeValues": values,
                "ScanIndexForward": not newest_first,
                "Limit": limit - len(found),
                "ConsistentRead": True,
            }
            if filter_expression:
                request["FilterExpression"] = filter_expression
            if start:
                request["ExclusiveStartKey"] = start
            try:
                response = self._client.query(**request)
            except Exception as error:
                raise _translate(error) from error
            found.extend(from_item(i) for i in response.get("Items", []))
            start = response.get("LastEvaluatedKey")
            if not start or len(found) >= limit:
                break
        next_sk = start[TABLE.sort_key]["S"] if start else None
        return found, next_sk

    def transact(self, actions: Iterable[Action]) -> None:
        actions = list(actions)
        for action in actions:
            self._check_key(action.pk)
        try:
            if len(actions) == 1 and isinstance(actions[0], Put):
                # A single put needs no transaction: PutItem is cheaper and just as atomic.
                self._client.put_item(**_wire(actions[0], self._name)["Put"])
            else:
                self._client.transact_write_items(TransactItems=[_wire(a, self._name) for a in actions])
        except Exception as error:
            raise _translate(error) from error


class TenantTable(_Table):
    """Items of one tenant only. Keys are built here; anything outside the tenant is refused."""

    def __init__(self, tenant_id: str, client: Any | None = None) -> None:
        if not tenant_id or "#" in tenant_id:
            raise ValueError("invalid tenant id")
        super().__init__(client or _client_for_tenant(tenant_id))
        self.tenant_id = tenant_id
        self._root = f"{TENANT_KEY_PREFIX}{tenant_id}"

    def pk(self, *parts: str) -> str:
        return "#".join((self._root, *parts))

    def owns(self, pk: str) -> bool:
        return pk == self._root or pk.startswith(self._root + "#")

    def _check_key(self, pk: str) -> None:
        if not self.owns(pk):
            raise PermissionError("key outside the caller's tenant")


class ReadAhead(TenantTable):
    """A tenant's table that reads ahead, for work that reads many items one by one (a batch's records, and the
    Idempotency-Key records of its items): every item read together (`get_many`, `read_ahead`) is also served
    to the next `get` of its key, once, and never after this table wrote it. So a later read of the item (after
    the work's own write of it, or a retry after a lost race) reads the store."""

    def __init__(self, table: TenantTable) -> None:
        super().__init__(table.tenant_id, table._client)
        self._ahead: dict[tuple[str, str], Item | None] = {}

    def get_many(self, keys: list[tuple[str, str]]) -> dict[tuple[str, str], Item]:
        found = super().get_many(keys)
        self._ahead.update({key: found.get(key) for key in keys})
        return found

    def read_ahead(self, keys: Iterable[tuple[str, str]]) -> None:
        wanted = [key for key in dict.fromkeys(keys) if key[1]]  # (an empty sort key names no item)
        if wanted:
            self.get_many(wanted)

    def get(self, pk: str, sk: str) -> Item | None:
        if (pk, sk) in self._ahead:
            return self._ahead.pop((pk, sk))
        return super().get(pk, sk)

    def transact(self, actions: Iterable[Action]) -> None:
        actions = list(actions)
        for action in actions:  # written (or tried): what was read of it is past
            self._ahead.pop((action.pk, action.sk), None)
        super().transact(actions)


class SystemTable(_Table):
    """The operator's view: the tenant registry (`SYSTEM#...`) and onboarding writes that span a new
    tenant's partition. Only the tenants function and the authorizer construct it."""

    def __init__(self, client: Any | None = None) -> None:
        super().__init__(client or default_client())

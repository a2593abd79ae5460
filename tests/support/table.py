"""A look at what the table holds (moto), for tests to compare before and after."""

from __future__ import annotations

import json
import os
from typing import Any

import boto3

from crm import store
from crm.catalogue import ENV_TABLE_NAME

_dynamodb: Any = None


def _client() -> Any:
    """One client for the whole run: moto intercepts its calls in whichever mock is active."""
    global _dynamodb
    if _dynamodb is None:
        _dynamodb = boto3.client("dynamodb", region_name="us-east-1")
    return _dynamodb


def _table() -> str:
    return os.environ[ENV_TABLE_NAME]


def partition(pk: str) -> list[dict[str, Any]]:
    """Every item of one partition, in sort key order."""
    items, start = [], None
    while True:
        request: dict[str, Any] = {
            "TableName": _table(),
            "KeyConditionExpression": "pk = :pk",
            "ExpressionAttributeValues": {":pk": {"S": pk}},
        }
        if start:
            request["ExclusiveStartKey"] = start
        page = _client().query(**request)
        items += [store.from_item(i) for i in page["Items"]]
        start = page.get("LastEvaluatedKey")
        if not start:
            return items


def everything() -> list[dict[str, Any]]:
    """The whole table, sorted by key (tests keep it small)."""
    items, start = [], None
    while True:
        request: dict[str, Any] = {"TableName": _table()}
        if start:
            request["ExclusiveStartKey"] = start
        page = _client().scan(**request)
        items += [store.from_item(i) for i in page["Items"]]
        start = page.get("LastEvaluatedKey")
        if not start:
            return sorted(items, key=lambda i: (i["pk"], i["sk"]))


def tenant_items(tenant_id: str) -> list[dict[str, Any]]:
    return [i for i in everything() if i["pk"] == f"T#{tenant_id}" or i["pk"].startswith(f"T#{tenant_id}#")]


def events(tenant_id: str) -> list[dict[str, Any]]:
    """The tenant's outbox: each item's event envelope, oldest first."""
    return [json.loads(item["payload"]) for item in partition(f"T#{tenant_id}#E")]


def event_types(tenant_id: str) -> list[str]:
    return sorted(e["type"] for e in events(tenant_id))


def records(tenant_id: str, object_name: str) -> list[dict[str, Any]]:
    return partition(f"T#{tenant_id}#R#{object_name}")

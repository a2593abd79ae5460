"""Adapter: each tenant gets an API Gateway API key in its tier's usage plan, so API Gateway throttles
and meters per tenant (the authorizer returns the key as `usageIdentifierKey`)."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass

from crm.catalogue import ENV_USAGE_PLANS

_client = None


@dataclass(frozen=True)
class UsageKey:
    id: str
    value: str


def _plans() -> dict[str, str]:
    return json.loads(os.environ.get(ENV_USAGE_PLANS) or "{}")


def _apigateway():
    global _client
    if _client is None:
        import boto3

        _client = boto3.client("apigateway")
    return _client


def register(tenant_id: str, tier: str) -> UsageKey | None:
    """Create the tenant's usage key in its tier's plan; None where the deployment meters no usage."""
    plan_id = _plans().get(tier)
    if not plan_id:
        return None
    client = _apigateway()
    key = client.create_api_key(name=f"tenant-{tenant_id}", enabled=True, tags={"tenant_id": tenant_id})
    client.create_usage_plan_key(usagePlanId=plan_id, keyId=key["id"], keyType="API_KEY")
    return UsageKey(id=key["id"], value=key["value"])


def reset() -> None:
    global _client
    _client = None

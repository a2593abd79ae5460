"""The deal forecast: open and won deals by the month they close, per currency, weighted by the probability
of their stage (a pipeline's stage, or the default pipeline's for a deal without one). Reads the tenant's
deals once: a report, not a per-record path."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import Any

from contacts.registry import SchemaRegistry
from contacts.repository import RecordRepository
from crm.errors import NotFound
from crm.store import TenantTable

PAGE = 500


def forecast(tenant_id: str, *, pipeline_id: str | None) -> dict[str, Any]:
    deal = SchemaRegistry(tenant_id).by_name("deal")
    if pipeline_id is not None and pipeline_id not in deal.pipelines:
        raise NotFound(f"No pipeline {pipeline_id}.")
    totals: dict[tuple[str, str | None], dict[str, Any]] = defaultdict(
        lambda: {"count": 0, "amount": 0, "weighted_amount": 0}
    )
    unscheduled = 0
    for properties in _active_deals(tenant_id):
        pipeline = deal.pipelines.get(properties.get("pipeline") or "default")
        if pipeline_id is not None and (properties.get("pipeline") or "default") != pipeline_id:
            continue
        close_date = properties.get("close_date")
        if close_date is None:
            unscheduled += 1
            continue
        stage = pipeline.stage(properties.get("stage") or "") if pipeline else None
        probability = Decimal(stage.probability) if stage else Decimal(0)  # a free-text stage weighs nothing
        amount = Decimal(properties.get("amount") or 0)
        group = totals[(close_date[:7], properties.get("currency"))]
        group["count"] += 1
        group["amount"] += amount
        group["weighted_amount"] += amount * probability
    for values in totals.values():  # exact amounts have at most 6 decimals; so do the weighted ones
        values["weighted_amount"] = _exact(values["weighted_amount"])
        values["amount"] = _exact(values["amount"])
    data = [
        {"month": month, "currency": currency, **values}
        for (month, currency), values in sorted(totals.items(), key=lambda kv: (kv[0][0], kv[0][1] or ""))
    ]
    return {"group_by": "close_month", "pipeline": pipeline_id, "data": data, "unscheduled": unscheduled}


def _exact(number: Decimal | int) -> Decimal | int:
    rounded = Decimal(number).quantize(Decimal("0.000001")).normalize()
    return int(rounded) if rounded == rounded.to_integral_value() else rounded


def _active_deals(tenant_id: str) -> Any:
    records = RecordRepository(TenantTable(tenant_id))
    after: str | None = None
    while True:
        page, after = records.page("deal", limit=PAGE, after=after, include_archived=False)
        yield from (record["properties"] for record in page)
        if after is None:
            return

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.deal_currency import DealCurrency
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.deal_properties_stage_history import DealPropertiesStageHistory


T = TypeVar("T", bound="DealProperties")


@_attrs_define
class DealProperties:
    """The properties of a deal.

    Attributes:
        name (str): Name. 1-500 characters, trimmed
        amount (float | Unset): Amount. Exact: below 1e21, at most 6 decimal places
        currency (DealCurrency | Unset): Currency. ISO 4217
        pipeline (str | Unset): Pipeline. 1-64 characters, trimmed
        stage (str | Unset): Stage. 1-100 characters, trimmed
        close_date (datetime.date | Unset): Close date
        contact_ids (list[str] | Unset): Contacts. Ids of contact records
        company_id (str | Unset): Company. The id of a company
        stage_history (DealPropertiesStageHistory | Unset): When the deal entered each stage. name -> when (UTC).
            Computed by the CRM: read-only
    """

    name: str
    amount: float | Unset = UNSET
    currency: DealCurrency | Unset = UNSET
    pipeline: str | Unset = UNSET
    stage: str | Unset = UNSET
    close_date: datetime.date | Unset = UNSET
    contact_ids: list[str] | Unset = UNSET
    company_id: str | Unset = UNSET
    stage_history: DealPropertiesStageHistory | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        name = self.name

        amount = self.amount

        currency: str | Unset = UNSET
        if not isinstance(self.currency, Unset):
            currency = self.currency.value

        pipeline = self.pipeline

        stage = self.stage

        close_date: str | Unset = UNSET
        if not isinstance(self.close_date, Unset):
            close_date = self.close_date.isoformat()

        contact_ids: list[str] | Unset = UNSET
        if not isinstance(self.contact_ids, Unset):
            contact_ids = self.contact_ids

        company_id = self.company_id

        stage_history: dict[str, Any] | Unset = UNSET
        if not isinstance(self.stage_history, Unset):
            stage_history = self.stage_history.to_dict()

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "name": name,
            }
        )
        if amount is not UNSET:
            field_dict["amount"] = amount
        if currency is not UNSET:
            field_dict["currency"] = currency
        if pipeline is not UNSET:
            field_dict["pipeline"] = pipeline
        if stage is not UNSET:
            field_dict["stage"] = stage
        if close_date is not UNSET:
            field_dict["close_date"] = close_date
        if contact_ids is not UNSET:
            field_dict["contact_ids"] = contact_ids
        if company_id is not UNSET:
            field_dict["company_id"] = company_id
        if stage_history is not UNSET:
            field_dict["stage_history"] = stage_history

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.deal_properties_stage_history import DealPropertiesStageHistory

        d = dict(src_dict)
        name = d.pop("name")

        amount = d.pop("amount", UNSET)

        _currency = d.pop("currency", UNSET)
        currency: DealCurrency | Unset
        if isinstance(_currency, Unset):
            currency = UNSET
        else:
            currency = DealCurrency(_currency)

        pipeline = d.pop("pipeline", UNSET)

        stage = d.pop("stage", UNSET)

        _close_date = d.pop("close_date", UNSET)
        close_date: datetime.date | Unset
        if isinstance(_close_date, Unset):
            close_date = UNSET
        else:
            close_date = datetime.date.fromisoformat(_close_date)

        contact_ids = cast(list[str], d.pop("contact_ids", UNSET))

        company_id = d.pop("company_id", UNSET)

        _stage_history = d.pop("stage_history", UNSET)
        stage_history: DealPropertiesStageHistory | Unset
        if isinstance(_stage_history, Unset):
            stage_history = UNSET
        else:
            stage_history = DealPropertiesStageHistory.from_dict(_stage_history)

        deal_properties = cls(
            name=name,
            amount=amount,
            currency=currency,
            pipeline=pipeline,
            stage=stage,
            close_date=close_date,
            contact_ids=contact_ids,
            company_id=company_id,
            stage_history=stage_history,
        )

        return deal_properties

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.deal_currency import DealCurrency
from ..types import UNSET, Unset

T = TypeVar("T", bound="DealProperties")


@_attrs_define
class DealProperties:
    """The properties of a deal.

    Attributes:
        name (str): Name. 1-500 characters, trimmed
        amount (float | Unset): Amount. Exact: below 1e21, at most 6 decimal places
        currency (DealCurrency | Unset): Currency. ISO 4217
        stage (str | Unset): Stage. 1-100 characters, trimmed
        close_date (datetime.date | Unset): Close date
        contact_ids (list[str] | Unset): Contacts. Ids of contact records
        company_id (str | Unset): Company. The id of a company
    """

    name: str
    amount: float | Unset = UNSET
    currency: DealCurrency | Unset = UNSET
    stage: str | Unset = UNSET
    close_date: datetime.date | Unset = UNSET
    contact_ids: list[str] | Unset = UNSET
    company_id: str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        name = self.name

        amount = self.amount

        currency: str | Unset = UNSET
        if not isinstance(self.currency, Unset):
            currency = self.currency.value

        stage = self.stage

        close_date: str | Unset = UNSET
        if not isinstance(self.close_date, Unset):
            close_date = self.close_date.isoformat()

        contact_ids: list[str] | Unset = UNSET
        if not isinstance(self.contact_ids, Unset):
            contact_ids = self.contact_ids

        company_id = self.company_id

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
        if stage is not UNSET:
            field_dict["stage"] = stage
        if close_date is not UNSET:
            field_dict["close_date"] = close_date
        if contact_ids is not UNSET:
            field_dict["contact_ids"] = contact_ids
        if company_id is not UNSET:
            field_dict["company_id"] = company_id

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        name = d.pop("name")

        amount = d.pop("amount", UNSET)

        _currency = d.pop("currency", UNSET)
        currency: DealCurrency | Unset
        if isinstance(_currency, Unset):
            currency = UNSET
        else:
            currency = DealCurrency(_currency)

        stage = d.pop("stage", UNSET)

        _close_date = d.pop("close_date", UNSET)
        close_date: datetime.date | Unset
        if isinstance(_close_date, Unset):
            close_date = UNSET
        else:
            close_date = datetime.date.fromisoformat(_close_date)

        contact_ids = cast(list[str], d.pop("contact_ids", UNSET))

        company_id = d.pop("company_id", UNSET)

        deal_properties = cls(
            name=name,
            amount=amount,
            currency=currency,
            stage=stage,
            close_date=close_date,
            contact_ids=contact_ids,
            company_id=company_id,
        )

        return deal_properties

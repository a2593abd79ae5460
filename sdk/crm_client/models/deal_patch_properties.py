from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.deal_currency import DealCurrency
from ..types import UNSET, Unset

T = TypeVar("T", bound="DealPatchProperties")


@_attrs_define
class DealPatchProperties:
    """The properties to change; null removes one (name cannot be removed).

    Attributes:
        name (str | Unset): Name. 1-500 characters, trimmed
        amount (float | None | Unset):
        currency (DealCurrency | None | Unset):
        pipeline (None | str | Unset):
        stage (None | str | Unset):
        close_date (datetime.date | None | Unset):
        contact_ids (list[str] | None | Unset):
        company_id (None | str | Unset):
    """

    name: str | Unset = UNSET
    amount: float | Unset | None = UNSET
    currency: DealCurrency | Unset | None = UNSET
    pipeline: str | Unset | None = UNSET
    stage: str | Unset | None = UNSET
    close_date: datetime.date | Unset | None = UNSET
    contact_ids: list[str] | Unset | None = UNSET
    company_id: str | Unset | None = UNSET

    def to_dict(self) -> dict[str, Any]:
        name = self.name

        amount: float | Unset | None
        if isinstance(self.amount, Unset):
            amount = UNSET
        else:
            amount = self.amount

        currency: str | Unset | None
        if isinstance(self.currency, Unset):
            currency = UNSET
        elif isinstance(self.currency, DealCurrency):
            currency = self.currency.value
        else:
            currency = self.currency

        pipeline: str | Unset | None
        if isinstance(self.pipeline, Unset):
            pipeline = UNSET
        else:
            pipeline = self.pipeline

        stage: str | Unset | None
        if isinstance(self.stage, Unset):
            stage = UNSET
        else:
            stage = self.stage

        close_date: str | Unset | None
        if isinstance(self.close_date, Unset):
            close_date = UNSET
        elif isinstance(self.close_date, datetime.date):
            close_date = self.close_date.isoformat()
        else:
            close_date = self.close_date

        contact_ids: list[str] | Unset | None
        if isinstance(self.contact_ids, Unset):
            contact_ids = UNSET
        elif isinstance(self.contact_ids, list):
            contact_ids = self.contact_ids

        else:
            contact_ids = self.contact_ids

        company_id: str | Unset | None
        if isinstance(self.company_id, Unset):
            company_id = UNSET
        else:
            company_id = self.company_id

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if name is not UNSET:
            field_dict["name"] = name
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

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        name = d.pop("name", UNSET)

        def _parse_amount(data: object) -> float | Unset | None:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        amount = _parse_amount(d.pop("amount", UNSET))

        def _parse_currency(data: object) -> DealCurrency | Unset | None:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                currency_type_0 = DealCurrency(data)

                return currency_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(DealCurrency | None | Unset, data)

        currency = _parse_currency(d.pop("currency", UNSET))

        def _parse_pipeline(data: object) -> str | Unset | None:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        pipeline = _parse_pipeline(d.pop("pipeline", UNSET))

        def _parse_stage(data: object) -> str | Unset | None:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        stage = _parse_stage(d.pop("stage", UNSET))

        def _parse_close_date(data: object) -> datetime.date | Unset | None:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                close_date_type_0 = datetime.date.fromisoformat(data)

                return close_date_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.date | None | Unset, data)

        close_date = _parse_close_date(d.pop("close_date", UNSET))

        def _parse_contact_ids(data: object) -> list[str] | Unset | None:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                contact_ids_type_0 = cast(list[str], data)

                return contact_ids_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[str] | None | Unset, data)

        contact_ids = _parse_contact_ids(d.pop("contact_ids", UNSET))

        def _parse_company_id(data: object) -> str | Unset | None:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        company_id = _parse_company_id(d.pop("company_id", UNSET))

        deal_patch_properties = cls(
            name=name,
            amount=amount,
            currency=currency,
            pipeline=pipeline,
            stage=stage,
            close_date=close_date,
            contact_ids=contact_ids,
            company_id=company_id,
        )

        return deal_patch_properties

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="ForecastRow")


@_attrs_define
class ForecastRow:
    """
    Attributes:
        month (str): YYYY-MM of the deals' close_date
        currency (None | str): ISO 4217; amounts in different currencies are never added up
        count (int):
        amount (str): The deals' amounts added up
        weighted_amount (str): Each amount times its stage's probability, added up
    """

    month: str
    currency: str | None
    count: int
    amount: str
    weighted_amount: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        month = self.month

        currency: str | None
        currency = self.currency

        count = self.count

        amount = self.amount

        weighted_amount = self.weighted_amount

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "month": month,
                "currency": currency,
                "count": count,
                "amount": amount,
                "weighted_amount": weighted_amount,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        month = d.pop("month")

        def _parse_currency(data: object) -> str | None:
            if data is None:
                return data
            return cast(None | str, data)

        currency = _parse_currency(d.pop("currency"))

        count = d.pop("count")

        amount = d.pop("amount")

        weighted_amount = d.pop("weighted_amount")

        forecast_row = cls(
            month=month,
            currency=currency,
            count=count,
            amount=amount,
            weighted_amount=weighted_amount,
        )

        forecast_row.additional_properties = d
        return forecast_row

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties

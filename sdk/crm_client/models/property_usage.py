from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="PropertyUsage")


@_attrs_define
class PropertyUsage:
    """
    Attributes:
        filled (int): How many active records hold a value
        fill_rate (float | None): filled / records (null while there are no records)
        last_written_at (datetime.datetime | None): When a record last set or changed it
    """

    filled: int
    fill_rate: float | None
    last_written_at: datetime.datetime | None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        filled = self.filled

        fill_rate: float | None
        fill_rate = self.fill_rate

        last_written_at: str | None
        if isinstance(self.last_written_at, datetime.datetime):
            last_written_at = self.last_written_at.isoformat()
        else:
            last_written_at = self.last_written_at

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "filled": filled,
                "fill_rate": fill_rate,
                "last_written_at": last_written_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        filled = d.pop("filled")

        def _parse_fill_rate(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        fill_rate = _parse_fill_rate(d.pop("fill_rate"))

        def _parse_last_written_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                last_written_at_type_0 = datetime.datetime.fromisoformat(data)

                return last_written_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        last_written_at = _parse_last_written_at(d.pop("last_written_at"))

        property_usage = cls(
            filled=filled,
            fill_rate=fill_rate,
            last_written_at=last_written_at,
        )

        property_usage.additional_properties = d
        return property_usage

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

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="SharedValue")


@_attrs_define
class SharedValue:
    """
    Attributes:
        value (float | int | str): A value as stored
        record_ids (list[str]): Records holding it (the first ten)
        records (int): How many records hold it
    """

    value: float | int | str
    record_ids: list[str]
    records: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        value: float | int | str
        value = self.value

        record_ids = self.record_ids

        records = self.records

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "value": value,
                "record_ids": record_ids,
                "records": records,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

        def _parse_value(data: object) -> float | int | str:
            return cast(float | int | str, data)

        value = _parse_value(d.pop("value"))

        record_ids = cast(list[str], d.pop("record_ids"))

        records = d.pop("records")

        shared_value = cls(
            value=value,
            record_ids=record_ids,
            records=records,
        )

        shared_value.additional_properties = d
        return shared_value

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

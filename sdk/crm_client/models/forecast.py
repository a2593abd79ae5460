from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Literal, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.forecast_row import ForecastRow


T = TypeVar("T", bound="Forecast")


@_attrs_define
class Forecast:
    """
    Attributes:
        group_by (Literal['close_month']):
        pipeline (None | str):
        data (list[ForecastRow]):
        unscheduled (int): Deals without a close_date (in no month)
    """

    group_by: Literal["close_month"]
    pipeline: str | None
    data: list[ForecastRow]
    unscheduled: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        group_by = self.group_by

        pipeline: str | None
        pipeline = self.pipeline

        data = []
        for data_item_data in self.data:
            data_item = data_item_data.to_dict()
            data.append(data_item)

        unscheduled = self.unscheduled

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "group_by": group_by,
                "pipeline": pipeline,
                "data": data,
                "unscheduled": unscheduled,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.forecast_row import ForecastRow

        d = dict(src_dict)
        group_by = cast(Literal["close_month"], d.pop("group_by"))
        if group_by != "close_month":
            raise ValueError(f"group_by must match const 'close_month', got '{group_by}'")

        def _parse_pipeline(data: object) -> str | None:
            if data is None:
                return data
            return cast(None | str, data)

        pipeline = _parse_pipeline(d.pop("pipeline"))

        data = []
        _data = d.pop("data")
        for data_item_data in _data:
            data_item = ForecastRow.from_dict(data_item_data)

            data.append(data_item)

        unscheduled = d.pop("unscheduled")

        forecast = cls(
            group_by=group_by,
            pipeline=pipeline,
            data=data,
            unscheduled=unscheduled,
        )

        forecast.additional_properties = d
        return forecast

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

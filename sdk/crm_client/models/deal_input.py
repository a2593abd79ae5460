from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

if TYPE_CHECKING:
    from ..models.deal_input_properties import DealInputProperties


T = TypeVar("T", bound="DealInput")


@_attrs_define
class DealInput:
    """A new deal.

    Attributes:
        properties (DealInputProperties): The properties of a new deal; null leaves an optional one unset.
    """

    properties: DealInputProperties

    def to_dict(self) -> dict[str, Any]:
        properties = self.properties.to_dict()

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "properties": properties,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.deal_input_properties import DealInputProperties

        d = dict(src_dict)
        properties = DealInputProperties.from_dict(d.pop("properties"))

        deal_input = cls(
            properties=properties,
        )

        return deal_input

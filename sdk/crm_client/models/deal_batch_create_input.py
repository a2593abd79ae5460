from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

if TYPE_CHECKING:
    from ..models.deal_input import DealInput


T = TypeVar("T", bound="DealBatchCreateInput")


@_attrs_define
class DealBatchCreateInput:
    """
    Attributes:
        inputs (list[DealInput]): 1-100 new records, created in this order
    """

    inputs: list[DealInput]

    def to_dict(self) -> dict[str, Any]:
        inputs = []
        for inputs_item_data in self.inputs:
            inputs_item = inputs_item_data.to_dict()
            inputs.append(inputs_item)

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "inputs": inputs,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.deal_input import DealInput

        d = dict(src_dict)
        inputs = []
        _inputs = d.pop("inputs")
        for inputs_item_data in _inputs:
            inputs_item = DealInput.from_dict(inputs_item_data)

            inputs.append(inputs_item)

        deal_batch_create_input = cls(
            inputs=inputs,
        )

        return deal_batch_create_input

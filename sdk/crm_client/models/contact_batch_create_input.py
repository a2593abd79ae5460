from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

if TYPE_CHECKING:
    from ..models.contact_input import ContactInput


T = TypeVar("T", bound="ContactBatchCreateInput")


@_attrs_define
class ContactBatchCreateInput:
    """
    Attributes:
        inputs (list[ContactInput]): 1-100 new records, created in this order
    """

    inputs: list[ContactInput]

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
        from ..models.contact_input import ContactInput

        d = dict(src_dict)
        inputs = []
        _inputs = d.pop("inputs")
        for inputs_item_data in _inputs:
            inputs_item = ContactInput.from_dict(inputs_item_data)

            inputs.append(inputs_item)

        contact_batch_create_input = cls(
            inputs=inputs,
        )

        return contact_batch_create_input

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

if TYPE_CHECKING:
    from ..models.batch_archive_item import BatchArchiveItem


T = TypeVar("T", bound="BatchArchiveInput")


@_attrs_define
class BatchArchiveInput:
    """
    Attributes:
        inputs (list[BatchArchiveItem]): 1-100 records to archive, in this order
    """

    inputs: list[BatchArchiveItem]

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
        from ..models.batch_archive_item import BatchArchiveItem

        d = dict(src_dict)
        inputs = []
        _inputs = d.pop("inputs")
        for inputs_item_data in _inputs:
            inputs_item = BatchArchiveItem.from_dict(inputs_item_data)

            inputs.append(inputs_item)

        batch_archive_input = cls(
            inputs=inputs,
        )

        return batch_archive_input

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.deal_patch_properties import DealPatchProperties


T = TypeVar("T", bound="DealBatchUpdateItem")


@_attrs_define
class DealBatchUpdateItem:
    """
    Attributes:
        id (str): The record's id
        properties (DealPatchProperties): The properties to change; null removes one (name cannot be removed).
        version (int | Unset): The version you last saw (its ETag), as If-Match: the input is a 412 if the record moved
            on
    """

    id: str
    properties: DealPatchProperties
    version: int | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        properties = self.properties.to_dict()

        version = self.version

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "id": id,
                "properties": properties,
            }
        )
        if version is not UNSET:
            field_dict["version"] = version

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.deal_patch_properties import DealPatchProperties

        d = dict(src_dict)
        id = d.pop("id")

        properties = DealPatchProperties.from_dict(d.pop("properties"))

        version = d.pop("version", UNSET)

        deal_batch_update_item = cls(
            id=id,
            properties=properties,
            version=version,
        )

        return deal_batch_update_item

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

if TYPE_CHECKING:
    from ..models.deal_patch_properties import DealPatchProperties


T = TypeVar("T", bound="DealPatch")


@_attrs_define
class DealPatch:
    """Changes to a deal: the properties sent are merged.

    Attributes:
        properties (DealPatchProperties): The properties to change; null removes one (name cannot be removed).
    """

    properties: DealPatchProperties

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
        from ..models.deal_patch_properties import DealPatchProperties

        d = dict(src_dict)
        properties = DealPatchProperties.from_dict(d.pop("properties"))

        deal_patch = cls(
            properties=properties,
        )

        return deal_patch

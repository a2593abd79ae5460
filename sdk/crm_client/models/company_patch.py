from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

if TYPE_CHECKING:
    from ..models.company_patch_properties import CompanyPatchProperties


T = TypeVar("T", bound="CompanyPatch")


@_attrs_define
class CompanyPatch:
    """Changes to a company: the properties sent are merged.

    Attributes:
        properties (CompanyPatchProperties): The properties to change; null removes one.
    """

    properties: CompanyPatchProperties

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
        from ..models.company_patch_properties import CompanyPatchProperties

        d = dict(src_dict)
        properties = CompanyPatchProperties.from_dict(d.pop("properties"))

        company_patch = cls(
            properties=properties,
        )

        return company_patch

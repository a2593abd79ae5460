from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.company_patch_properties import CompanyPatchProperties


T = TypeVar("T", bound="CompanyBatchUpdateItem")


@_attrs_define
class CompanyBatchUpdateItem:
    """
    Attributes:
        id (str): The record's id
        properties (CompanyPatchProperties): The properties to change; null removes one.
        version (int | Unset): The version you last saw (its ETag), as If-Match: the input is a 412 if the record moved
            on
    """

    id: str
    properties: CompanyPatchProperties
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
        from ..models.company_patch_properties import CompanyPatchProperties

        d = dict(src_dict)
        id = d.pop("id")

        properties = CompanyPatchProperties.from_dict(d.pop("properties"))

        version = d.pop("version", UNSET)

        company_batch_update_item = cls(
            id=id,
            properties=properties,
            version=version,
        )

        return company_batch_update_item

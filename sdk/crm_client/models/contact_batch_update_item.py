from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.contact_patch_properties import ContactPatchProperties


T = TypeVar("T", bound="ContactBatchUpdateItem")


@_attrs_define
class ContactBatchUpdateItem:
    """
    Attributes:
        id (str): The record's id
        properties (ContactPatchProperties): The properties to change; null removes one.
        version (int | Unset): The version you last saw (its ETag), as If-Match: the input is a 412 if the record moved
            on
    """

    id: str
    properties: ContactPatchProperties
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
        from ..models.contact_patch_properties import ContactPatchProperties

        d = dict(src_dict)
        id = d.pop("id")

        properties = ContactPatchProperties.from_dict(d.pop("properties"))

        version = d.pop("version", UNSET)

        contact_batch_update_item = cls(
            id=id,
            properties=properties,
            version=version,
        )

        return contact_batch_update_item

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

if TYPE_CHECKING:
    from ..models.contact_patch_properties import ContactPatchProperties


T = TypeVar("T", bound="ContactPatch")


@_attrs_define
class ContactPatch:
    """Changes to a contact: the properties sent are merged.

    Attributes:
        properties (ContactPatchProperties): The properties to change; null removes one.
    """

    properties: ContactPatchProperties

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
        from ..models.contact_patch_properties import ContactPatchProperties

        d = dict(src_dict)
        properties = ContactPatchProperties.from_dict(d.pop("properties"))

        contact_patch = cls(
            properties=properties,
        )

        return contact_patch

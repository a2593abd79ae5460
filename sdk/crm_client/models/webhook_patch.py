from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.webhook_patch_event_types_item_type_0 import WebhookPatchEventTypesItemType0
from ..types import UNSET, Unset

T = TypeVar("T", bound="WebhookPatch")


@_attrs_define
class WebhookPatch:
    """Only the fields sent change. `description: null` removes the description; the other fields
    cannot be removed, so null there is refused rather than read as "off" or "empty".

        Attributes:
            url (str | Unset): https:// endpoint that receives signed POSTs (plain http only on the local stack); a private
                or reserved address is refused in the cloud
            event_types (list[str | WebhookPatchEventTypesItemType0] | Unset):
            description (None | str | Unset):
            enabled (bool | Unset):
    """

    url: str | Unset = UNSET
    event_types: list[str | WebhookPatchEventTypesItemType0] | Unset = UNSET
    description: str | Unset | None = UNSET
    enabled: bool | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        url = self.url

        event_types: list[str] | Unset = UNSET
        if not isinstance(self.event_types, Unset):
            event_types = []
            for event_types_item_data in self.event_types:
                event_types_item: str
                if isinstance(event_types_item_data, WebhookPatchEventTypesItemType0):
                    event_types_item = event_types_item_data.value
                else:
                    event_types_item = event_types_item_data
                event_types.append(event_types_item)

        description: str | Unset | None
        if isinstance(self.description, Unset):
            description = UNSET
        else:
            description = self.description

        enabled = self.enabled

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if url is not UNSET:
            field_dict["url"] = url
        if event_types is not UNSET:
            field_dict["event_types"] = event_types
        if description is not UNSET:
            field_dict["description"] = description
        if enabled is not UNSET:
            field_dict["enabled"] = enabled

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        url = d.pop("url", UNSET)

        _event_types = d.pop("event_types", UNSET)
        event_types: list[str | WebhookPatchEventTypesItemType0] | Unset = UNSET
        if _event_types is not UNSET:
            event_types = []
            for event_types_item_data in _event_types:

                def _parse_event_types_item(data: object) -> str | WebhookPatchEventTypesItemType0:
                    try:
                        if not isinstance(data, str):
                            raise TypeError()
                        event_types_item_type_0 = WebhookPatchEventTypesItemType0(data)

                        return event_types_item_type_0
                    except (TypeError, ValueError, AttributeError, KeyError):
                        pass
                    return cast(str | WebhookPatchEventTypesItemType0, data)

                event_types_item = _parse_event_types_item(event_types_item_data)

                event_types.append(event_types_item)

        def _parse_description(data: object) -> str | Unset | None:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        description = _parse_description(d.pop("description", UNSET))

        enabled = d.pop("enabled", UNSET)

        webhook_patch = cls(
            url=url,
            event_types=event_types,
            description=description,
            enabled=enabled,
        )

        return webhook_patch

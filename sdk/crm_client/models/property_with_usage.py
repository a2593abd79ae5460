from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.property_with_usage_type_type_0 import PropertyWithUsageTypeType0
from ..models.property_with_usage_type_type_1 import PropertyWithUsageTypeType1
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.option_input import OptionInput
    from ..models.property_usage import PropertyUsage


T = TypeVar("T", bound="PropertyWithUsage")


@_attrs_define
class PropertyWithUsage:
    """
    Attributes:
        name (str):
        label (str):
        type_ (PropertyWithUsageTypeType0 | PropertyWithUsageTypeType1): Custom properties have one of the types a
            property may be created with; built-ins may also be references (a list of ids), amounts (money per currency),
            domain or moments (name -> when)
        options (list[OptionInput] | None): enum and multi_enum: the ordered options
        target (None | str): reference(s): the object type referred to
        description (None | str):
        required (bool):
        unique (bool):
        indexed (bool):
        custom (bool): The tenant's own; built-ins cannot change
        read_only (bool): Computed by the CRM; writes are refused
        archived (bool): Hidden from records and refused on writes; values kept; restorable
        created_at (datetime.datetime | None): Custom properties only
        updated_at (datetime.datetime | None): Custom properties only
        usage (None | PropertyUsage | Unset): With ?include=usage
    """

    name: str
    label: str
    type_: PropertyWithUsageTypeType0 | PropertyWithUsageTypeType1
    options: list[OptionInput] | None
    target: str | None
    description: str | None
    required: bool
    unique: bool
    indexed: bool
    custom: bool
    read_only: bool
    archived: bool
    created_at: datetime.datetime | None
    updated_at: datetime.datetime | None
    usage: PropertyUsage | Unset | None = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.property_usage import PropertyUsage

        name = self.name

        label = self.label

        type_: str
        if isinstance(self.type_, PropertyWithUsageTypeType0):
            type_ = self.type_.value
        else:
            type_ = self.type_.value

        options: list[dict[str, Any]] | None
        if isinstance(self.options, list):
            options = []
            for options_type_0_item_data in self.options:
                options_type_0_item = options_type_0_item_data.to_dict()
                options.append(options_type_0_item)

        else:
            options = self.options

        target: str | None
        target = self.target

        description: str | None
        description = self.description

        required = self.required

        unique = self.unique

        indexed = self.indexed

        custom = self.custom

        read_only = self.read_only

        archived = self.archived

        created_at: str | None
        if isinstance(self.created_at, datetime.datetime):
            created_at = self.created_at.isoformat()
        else:
            created_at = self.created_at

        updated_at: str | None
        if isinstance(self.updated_at, datetime.datetime):
            updated_at = self.updated_at.isoformat()
        else:
            updated_at = self.updated_at

        usage: dict[str, Any] | Unset | None
        if isinstance(self.usage, Unset):
            usage = UNSET
        elif isinstance(self.usage, PropertyUsage):
            usage = self.usage.to_dict()
        else:
            usage = self.usage

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "name": name,
                "label": label,
                "type": type_,
                "options": options,
                "target": target,
                "description": description,
                "required": required,
                "unique": unique,
                "indexed": indexed,
                "custom": custom,
                "read_only": read_only,
                "archived": archived,
                "created_at": created_at,
                "updated_at": updated_at,
            }
        )
        if usage is not UNSET:
            field_dict["usage"] = usage

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.option_input import OptionInput
        from ..models.property_usage import PropertyUsage

        d = dict(src_dict)
        name = d.pop("name")

        label = d.pop("label")

        def _parse_type_(data: object) -> PropertyWithUsageTypeType0 | PropertyWithUsageTypeType1:
            try:
                if not isinstance(data, str):
                    raise TypeError()
                type_type_0 = PropertyWithUsageTypeType0(data)

                return type_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            if not isinstance(data, str):
                raise TypeError()
            type_type_1 = PropertyWithUsageTypeType1(data)

            return type_type_1

        type_ = _parse_type_(d.pop("type"))

        def _parse_options(data: object) -> list[OptionInput] | None:
            if data is None:
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                options_type_0 = []
                _options_type_0 = data
                for options_type_0_item_data in _options_type_0:
                    options_type_0_item = OptionInput.from_dict(options_type_0_item_data)

                    options_type_0.append(options_type_0_item)

                return options_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[OptionInput] | None, data)

        options = _parse_options(d.pop("options"))

        def _parse_target(data: object) -> str | None:
            if data is None:
                return data
            return cast(None | str, data)

        target = _parse_target(d.pop("target"))

        def _parse_description(data: object) -> str | None:
            if data is None:
                return data
            return cast(None | str, data)

        description = _parse_description(d.pop("description"))

        required = d.pop("required")

        unique = d.pop("unique")

        indexed = d.pop("indexed")

        custom = d.pop("custom")

        read_only = d.pop("read_only")

        archived = d.pop("archived")

        def _parse_created_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                created_at_type_0 = datetime.datetime.fromisoformat(data)

                return created_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        created_at = _parse_created_at(d.pop("created_at"))

        def _parse_updated_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                updated_at_type_0 = datetime.datetime.fromisoformat(data)

                return updated_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        updated_at = _parse_updated_at(d.pop("updated_at"))

        def _parse_usage(data: object) -> PropertyUsage | Unset | None:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                usage_type_0 = PropertyUsage.from_dict(data)

                return usage_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | PropertyUsage | Unset, data)

        usage = _parse_usage(d.pop("usage", UNSET))

        property_with_usage = cls(
            name=name,
            label=label,
            type_=type_,
            options=options,
            target=target,
            description=description,
            required=required,
            unique=unique,
            indexed=indexed,
            custom=custom,
            read_only=read_only,
            archived=archived,
            created_at=created_at,
            updated_at=updated_at,
            usage=usage,
        )

        property_with_usage.additional_properties = d
        return property_with_usage

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties

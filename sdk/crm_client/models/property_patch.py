from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.property_patch_type_type_0 import PropertyPatchTypeType0
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.option_input import OptionInput


T = TypeVar("T", bound="PropertyPatch")


@_attrs_define
class PropertyPatch:
    """What may change on a property: its label and description always; options may be added, relabelled
    and reordered (removing one still in use is a 409); its type only while no value would be lost; whether
    it is unique only while no two records share a value; indexed whenever asked (existing records first).

        Attributes:
            label (None | str | Unset):
            description (None | str | Unset):
            options (list[OptionInput] | None | Unset):
            type_ (None | PropertyPatchTypeType0 | Unset):
            required (bool | None | Unset):
            unique (bool | None | Unset): true: existing values are claimed first, refused (409, `duplicates`) while two
                records share one; false: any number of records may share a value again
            indexed (bool | None | Unset): true: existing records are indexed first, then searches use the index; false:
                searches on it walk the records
    """

    label: str | Unset | None = UNSET
    description: str | Unset | None = UNSET
    options: list[OptionInput] | Unset | None = UNSET
    type_: PropertyPatchTypeType0 | Unset | None = UNSET
    required: bool | Unset | None = UNSET
    unique: bool | Unset | None = UNSET
    indexed: bool | Unset | None = UNSET

    def to_dict(self) -> dict[str, Any]:
        label: str | Unset | None
        if isinstance(self.label, Unset):
            label = UNSET
        else:
            label = self.label

        description: str | Unset | None
        if isinstance(self.description, Unset):
            description = UNSET
        else:
            description = self.description

        options: list[dict[str, Any]] | Unset | None
        if isinstance(self.options, Unset):
            options = UNSET
        elif isinstance(self.options, list):
            options = []
            for options_type_0_item_data in self.options:
                options_type_0_item = options_type_0_item_data.to_dict()
                options.append(options_type_0_item)

        else:
            options = self.options

        type_: str | Unset | None
        if isinstance(self.type_, Unset):
            type_ = UNSET
        elif isinstance(self.type_, PropertyPatchTypeType0):
            type_ = self.type_.value
        else:
            type_ = self.type_

        required: bool | Unset | None
        if isinstance(self.required, Unset):
            required = UNSET
        else:
            required = self.required

        unique: bool | Unset | None
        if isinstance(self.unique, Unset):
            unique = UNSET
        else:
            unique = self.unique

        indexed: bool | Unset | None
        if isinstance(self.indexed, Unset):
            indexed = UNSET
        else:
            indexed = self.indexed

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if label is not UNSET:
            field_dict["label"] = label
        if description is not UNSET:
            field_dict["description"] = description
        if options is not UNSET:
            field_dict["options"] = options
        if type_ is not UNSET:
            field_dict["type"] = type_
        if required is not UNSET:
            field_dict["required"] = required
        if unique is not UNSET:
            field_dict["unique"] = unique
        if indexed is not UNSET:
            field_dict["indexed"] = indexed

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.option_input import OptionInput

        d = dict(src_dict)

        def _parse_label(data: object) -> str | Unset | None:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        label = _parse_label(d.pop("label", UNSET))

        def _parse_description(data: object) -> str | Unset | None:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        description = _parse_description(d.pop("description", UNSET))

        def _parse_options(data: object) -> list[OptionInput] | Unset | None:
            if data is None:
                return data
            if isinstance(data, Unset):
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
            return cast(list[OptionInput] | None | Unset, data)

        options = _parse_options(d.pop("options", UNSET))

        def _parse_type_(data: object) -> PropertyPatchTypeType0 | Unset | None:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                type_type_0 = PropertyPatchTypeType0(data)

                return type_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | PropertyPatchTypeType0 | Unset, data)

        type_ = _parse_type_(d.pop("type", UNSET))

        def _parse_required(data: object) -> bool | Unset | None:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(bool | None | Unset, data)

        required = _parse_required(d.pop("required", UNSET))

        def _parse_unique(data: object) -> bool | Unset | None:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(bool | None | Unset, data)

        unique = _parse_unique(d.pop("unique", UNSET))

        def _parse_indexed(data: object) -> bool | Unset | None:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(bool | None | Unset, data)

        indexed = _parse_indexed(d.pop("indexed", UNSET))

        property_patch = cls(
            label=label,
            description=description,
            options=options,
            type_=type_,
            required=required,
            unique=unique,
            indexed=indexed,
        )

        return property_patch

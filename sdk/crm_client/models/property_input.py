from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.property_input_type import PropertyInputType
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.option_input import OptionInput


T = TypeVar("T", bound="PropertyInput")


@_attrs_define
class PropertyInput:
    """A custom property, as `POST /v1/schemas/{collection}/properties` takes it.

    Attributes:
        name (str): Lower case, digits and _; cannot change later
        label (str):
        type_ (PropertyInputType):
        options (list[OptionInput] | None | Unset): enum and multi_enum: the ordered options
        target (None | str | Unset): reference: the object type referred to, e.g. company
        required (bool | Unset): New records must have it; it cannot be removed Default: False.
        unique (bool | Unset): One record per value (a 409 names the holder) Default: False.
        description (None | str | Unset):
        indexed (bool | Unset): Searches filter on it through an index Default: False.
    """

    name: str
    label: str
    type_: PropertyInputType
    options: list[OptionInput] | Unset | None = UNSET
    target: str | Unset | None = UNSET
    required: bool | Unset = False
    unique: bool | Unset = False
    description: str | Unset | None = UNSET
    indexed: bool | Unset = False

    def to_dict(self) -> dict[str, Any]:
        name = self.name

        label = self.label

        type_ = self.type_.value

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

        target: str | Unset | None
        if isinstance(self.target, Unset):
            target = UNSET
        else:
            target = self.target

        required = self.required

        unique = self.unique

        description: str | Unset | None
        if isinstance(self.description, Unset):
            description = UNSET
        else:
            description = self.description

        indexed = self.indexed

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "name": name,
                "label": label,
                "type": type_,
            }
        )
        if options is not UNSET:
            field_dict["options"] = options
        if target is not UNSET:
            field_dict["target"] = target
        if required is not UNSET:
            field_dict["required"] = required
        if unique is not UNSET:
            field_dict["unique"] = unique
        if description is not UNSET:
            field_dict["description"] = description
        if indexed is not UNSET:
            field_dict["indexed"] = indexed

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.option_input import OptionInput

        d = dict(src_dict)
        name = d.pop("name")

        label = d.pop("label")

        type_ = PropertyInputType(d.pop("type"))

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

        def _parse_target(data: object) -> str | Unset | None:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        target = _parse_target(d.pop("target", UNSET))

        required = d.pop("required", UNSET)

        unique = d.pop("unique", UNSET)

        def _parse_description(data: object) -> str | Unset | None:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        description = _parse_description(d.pop("description", UNSET))

        indexed = d.pop("indexed", UNSET)

        property_input = cls(
            name=name,
            label=label,
            type_=type_,
            options=options,
            target=target,
            required=required,
            unique=unique,
            description=description,
            indexed=indexed,
        )

        return property_input

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="SetPropertyStep")


@_attrs_define
class SetPropertyStep:
    """Set one property of the record: to `value` (normalised as a write would; null removes it) or
    to the value of another property (`copy_from`).

        Attributes:
            id (str): 1-64 of a-z, 0-9, _ and -; unique in the workflow
            type_ (Literal['set_property']):
            property_ (str):
            value (Any | Unset): Exactly one of value and copy_from
            copy_from (None | str | Unset): Another property of the same object
            next_ (None | str | Unset):
    """

    id: str
    type_: Literal["set_property"]
    property_: str
    value: Any | Unset = UNSET
    copy_from: str | Unset | None = UNSET
    next_: str | Unset | None = UNSET

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        type_ = self.type_

        property_ = self.property_

        value = self.value

        copy_from: str | Unset | None
        if isinstance(self.copy_from, Unset):
            copy_from = UNSET
        else:
            copy_from = self.copy_from

        next_: str | Unset | None
        if isinstance(self.next_, Unset):
            next_ = UNSET
        else:
            next_ = self.next_

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "id": id,
                "type": type_,
                "property": property_,
            }
        )
        if value is not UNSET:
            field_dict["value"] = value
        if copy_from is not UNSET:
            field_dict["copy_from"] = copy_from
        if next_ is not UNSET:
            field_dict["next"] = next_

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        type_ = cast(Literal["set_property"], d.pop("type"))
        if type_ != "set_property":
            raise ValueError(f"type must match const 'set_property', got '{type_}'")

        property_ = d.pop("property")

        value = d.pop("value", UNSET)

        def _parse_copy_from(data: object) -> str | Unset | None:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        copy_from = _parse_copy_from(d.pop("copy_from", UNSET))

        def _parse_next_(data: object) -> str | Unset | None:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        next_ = _parse_next_(d.pop("next", UNSET))

        set_property_step = cls(
            id=id,
            type_=type_,
            property_=property_,
            value=value,
            copy_from=copy_from,
            next_=next_,
        )

        return set_property_step

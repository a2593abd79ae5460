from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="WaitStep")


@_attrs_define
class WaitStep:
    """Wait `seconds`, or until a date or date-time property of the record plus `offset_seconds`.

    Attributes:
        id (str): 1-64 of a-z, 0-9, _ and -; unique in the workflow
        type_ (Literal['wait']):
        seconds (int | None | Unset):
        until_property (None | str | Unset): A date or date-time property
        offset_seconds (int | None | Unset): With until_property; may be negative
        next_ (None | str | Unset):
    """

    id: str
    type_: Literal["wait"]
    seconds: int | Unset | None = UNSET
    until_property: str | Unset | None = UNSET
    offset_seconds: int | Unset | None = UNSET
    next_: str | Unset | None = UNSET

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        type_ = self.type_

        seconds: int | Unset | None
        if isinstance(self.seconds, Unset):
            seconds = UNSET
        else:
            seconds = self.seconds

        until_property: str | Unset | None
        if isinstance(self.until_property, Unset):
            until_property = UNSET
        else:
            until_property = self.until_property

        offset_seconds: int | Unset | None
        if isinstance(self.offset_seconds, Unset):
            offset_seconds = UNSET
        else:
            offset_seconds = self.offset_seconds

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
            }
        )
        if seconds is not UNSET:
            field_dict["seconds"] = seconds
        if until_property is not UNSET:
            field_dict["until_property"] = until_property
        if offset_seconds is not UNSET:
            field_dict["offset_seconds"] = offset_seconds
        if next_ is not UNSET:
            field_dict["next"] = next_

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        type_ = cast(Literal["wait"], d.pop("type"))
        if type_ != "wait":
            raise ValueError(f"type must match const 'wait', got '{type_}'")

        def _parse_seconds(data: object) -> int | Unset | None:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        seconds = _parse_seconds(d.pop("seconds", UNSET))

        def _parse_until_property(data: object) -> str | Unset | None:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        until_property = _parse_until_property(d.pop("until_property", UNSET))

        def _parse_offset_seconds(data: object) -> int | Unset | None:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        offset_seconds = _parse_offset_seconds(d.pop("offset_seconds", UNSET))

        def _parse_next_(data: object) -> str | Unset | None:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        next_ = _parse_next_(d.pop("next", UNSET))

        wait_step = cls(
            id=id,
            type_=type_,
            seconds=seconds,
            until_property=until_property,
            offset_seconds=offset_seconds,
            next_=next_,
        )

        return wait_step

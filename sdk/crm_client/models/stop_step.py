from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal, TypeVar, cast

from attrs import define as _attrs_define

T = TypeVar("T", bound="StopStep")


@_attrs_define
class StopStep:
    """End the run here.

    Attributes:
        id (str): 1-64 of a-z, 0-9, _ and -; unique in the workflow
        type_ (Literal['stop']):
    """

    id: str
    type_: Literal["stop"]

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        type_ = self.type_

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "id": id,
                "type": type_,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        type_ = cast(Literal["stop"], d.pop("type"))
        if type_ != "stop":
            raise ValueError(f"type must match const 'stop', got '{type_}'")

        stop_step = cls(
            id=id,
            type_=type_,
        )

        return stop_step

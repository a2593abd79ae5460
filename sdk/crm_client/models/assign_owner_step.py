from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="AssignOwnerStep")


@_attrs_define
class AssignOwnerStep:
    """Set the record's owner, taking turns over `owners` (round robin, fair under concurrency).

    Attributes:
        id (str): 1-64 of a-z, 0-9, _ and -; unique in the workflow
        type_ (Literal['assign_owner']):
        owners (list[str]):
        next_ (None | str | Unset):
    """

    id: str
    type_: Literal["assign_owner"]
    owners: list[str]
    next_: str | Unset | None = UNSET

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        type_ = self.type_

        owners = self.owners

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
                "owners": owners,
            }
        )
        if next_ is not UNSET:
            field_dict["next"] = next_

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        type_ = cast(Literal["assign_owner"], d.pop("type"))
        if type_ != "assign_owner":
            raise ValueError(f"type must match const 'assign_owner', got '{type_}'")

        owners = cast(list[str], d.pop("owners"))

        def _parse_next_(data: object) -> str | Unset | None:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        next_ = _parse_next_(d.pop("next", UNSET))

        assign_owner_step = cls(
            id=id,
            type_=type_,
            owners=owners,
            next_=next_,
        )

        return assign_owner_step

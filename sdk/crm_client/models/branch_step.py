from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Literal, TypeVar, cast

from attrs import define as _attrs_define

if TYPE_CHECKING:
    from ..models.branch_step_conditions import BranchStepConditions


T = TypeVar("T", bound="BranchStep")


@_attrs_define
class BranchStep:
    """Go on at `then` when the record matches `conditions`, else at `else`.

    Attributes:
        id (str): 1-64 of a-z, 0-9, _ and -; unique in the workflow
        type_ (Literal['branch']):
        conditions (BranchStepConditions): A condition: {"all": [...]}, {"any": [...]}, {"not": {...}} or a comparison
            {"property", "op", "value"} with op one of eq, neq, gt, gte, lt, lte, in, not_in, contains, starts_with,
            ends_with, is_set, is_not_set, changed, changed_to
        then (str): The id of a step of this workflow
        else_ (str): The id of a step of this workflow
    """

    id: str
    type_: Literal["branch"]
    conditions: BranchStepConditions
    then: str
    else_: str

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        type_ = self.type_

        conditions = self.conditions.to_dict()

        then = self.then

        else_ = self.else_

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "id": id,
                "type": type_,
                "conditions": conditions,
                "then": then,
                "else": else_,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.branch_step_conditions import BranchStepConditions

        d = dict(src_dict)
        id = d.pop("id")

        type_ = cast(Literal["branch"], d.pop("type"))
        if type_ != "branch":
            raise ValueError(f"type must match const 'branch', got '{type_}'")

        conditions = BranchStepConditions.from_dict(d.pop("conditions"))

        then = d.pop("then")

        else_ = d.pop("else")

        branch_step = cls(
            id=id,
            type_=type_,
            conditions=conditions,
            then=then,
            else_=else_,
        )

        return branch_step

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.stage_input_closed_type_0 import StageInputClosedType0
from ..types import UNSET, Unset

T = TypeVar("T", bound="StageInput")


@_attrs_define
class StageInput:
    """
    Attributes:
        id (str): What deals store in `stage`: lower case, digits, _ and -
        label (str):
        probability (float): 0-1: the chance a deal here is won
        closed (None | StageInputClosedType0 | Unset): For the stages that end a deal
    """

    id: str
    label: str
    probability: float
    closed: StageInputClosedType0 | Unset | None = UNSET

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        label = self.label

        probability = self.probability

        closed: str | Unset | None
        if isinstance(self.closed, Unset):
            closed = UNSET
        elif isinstance(self.closed, StageInputClosedType0):
            closed = self.closed.value
        else:
            closed = self.closed

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "id": id,
                "label": label,
                "probability": probability,
            }
        )
        if closed is not UNSET:
            field_dict["closed"] = closed

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        label = d.pop("label")

        probability = d.pop("probability")

        def _parse_closed(data: object) -> StageInputClosedType0 | Unset | None:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                closed_type_0 = StageInputClosedType0(data)

                return closed_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | StageInputClosedType0 | Unset, data)

        closed = _parse_closed(d.pop("closed", UNSET))

        stage_input = cls(
            id=id,
            label=label,
            probability=probability,
            closed=closed,
        )

        return stage_input

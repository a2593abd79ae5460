from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Literal, TypeVar, cast

from attrs import define as _attrs_define

if TYPE_CHECKING:
    from ..models.stage_input import StageInput


T = TypeVar("T", bound="PipelineInput")


@_attrs_define
class PipelineInput:
    """
    Attributes:
        object_ (Literal['deal']): The object type: deal
        name (str):
        stages (list[StageInput]): Stage ids must differ
    """

    object_: Literal["deal"]
    name: str
    stages: list[StageInput]

    def to_dict(self) -> dict[str, Any]:
        object_ = self.object_

        name = self.name

        stages = []
        for stages_item_data in self.stages:
            stages_item = stages_item_data.to_dict()
            stages.append(stages_item)

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "object": object_,
                "name": name,
                "stages": stages,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.stage_input import StageInput

        d = dict(src_dict)
        object_ = cast(Literal["deal"], d.pop("object"))
        if object_ != "deal":
            raise ValueError(f"object must match const 'deal', got '{object_}'")

        name = d.pop("name")

        stages = []
        _stages = d.pop("stages")
        for stages_item_data in _stages:
            stages_item = StageInput.from_dict(stages_item_data)

            stages.append(stages_item)

        pipeline_input = cls(
            object_=object_,
            name=name,
            stages=stages,
        )

        return pipeline_input

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

if TYPE_CHECKING:
    from ..models.property_rule_input_conditions import PropertyRuleInputConditions


T = TypeVar("T", bound="PropertyRuleInput")


@_attrs_define
class PropertyRuleInput:
    """Points when the contact matches `conditions` (the condition language over its properties).

    Attributes:
        id (str): Unique among the rules: 1-64 of a-z, 0-9, _ and -
        conditions (PropertyRuleInputConditions): A condition: {"all": [...]}, {"any": [...]}, {"not": {...}} or a
            comparison {"property", "op", "value"}; changed and changed_to do not apply (a score reads the contact as it is)
        points (int): Not 0
    """

    id: str
    conditions: PropertyRuleInputConditions
    points: int

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        conditions = self.conditions.to_dict()

        points = self.points

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "id": id,
                "conditions": conditions,
                "points": points,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.property_rule_input_conditions import PropertyRuleInputConditions

        d = dict(src_dict)
        id = d.pop("id")

        conditions = PropertyRuleInputConditions.from_dict(d.pop("conditions"))

        points = d.pop("points")

        property_rule_input = cls(
            id=id,
            conditions=conditions,
            points=points,
        )

        return property_rule_input

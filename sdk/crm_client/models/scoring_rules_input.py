from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

if TYPE_CHECKING:
    from ..models.event_rule_input import EventRuleInput
    from ..models.property_rule_input import PropertyRuleInput


T = TypeVar("T", bound="ScoringRulesInput")


@_attrs_define
class ScoringRulesInput:
    """
    Attributes:
        rules (list[EventRuleInput | PropertyRuleInput]):
    """

    rules: list[EventRuleInput | PropertyRuleInput]

    def to_dict(self) -> dict[str, Any]:
        from ..models.property_rule_input import PropertyRuleInput

        rules = []
        for rules_item_data in self.rules:
            rules_item: dict[str, Any]
            if isinstance(rules_item_data, PropertyRuleInput):
                rules_item = rules_item_data.to_dict()
            else:
                rules_item = rules_item_data.to_dict()

            rules.append(rules_item)

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "rules": rules,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.event_rule_input import EventRuleInput
        from ..models.property_rule_input import PropertyRuleInput

        d = dict(src_dict)
        rules = []
        _rules = d.pop("rules")
        for rules_item_data in _rules:

            def _parse_rules_item(data: object) -> EventRuleInput | PropertyRuleInput:
                try:
                    if not isinstance(data, dict):
                        raise TypeError()
                    rules_item_type_0 = PropertyRuleInput.from_dict(data)

                    return rules_item_type_0
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                if not isinstance(data, dict):
                    raise TypeError()
                rules_item_type_1 = EventRuleInput.from_dict(data)

                return rules_item_type_1

            rules_item = _parse_rules_item(rules_item_data)

            rules.append(rules_item)

        scoring_rules_input = cls(
            rules=rules,
        )

        return scoring_rules_input

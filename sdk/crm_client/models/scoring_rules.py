from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Literal, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.event_rule_input import EventRuleInput
    from ..models.property_rule_input import PropertyRuleInput


T = TypeVar("T", bound="ScoringRules")


@_attrs_define
class ScoringRules:
    """
    Attributes:
        object_ (Literal['contact']):
        rules (list[EventRuleInput | PropertyRuleInput]):
        version (int): Also the ETag; version 1 is the empty rule set every tenant starts with
        updated_at (datetime.datetime | None):
    """

    object_: Literal["contact"]
    rules: list[EventRuleInput | PropertyRuleInput]
    version: int
    updated_at: datetime.datetime | None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.property_rule_input import PropertyRuleInput

        object_ = self.object_

        rules = []
        for rules_item_data in self.rules:
            rules_item: dict[str, Any]
            if isinstance(rules_item_data, PropertyRuleInput):
                rules_item = rules_item_data.to_dict()
            else:
                rules_item = rules_item_data.to_dict()

            rules.append(rules_item)

        version = self.version

        updated_at: str | None
        if isinstance(self.updated_at, datetime.datetime):
            updated_at = self.updated_at.isoformat()
        else:
            updated_at = self.updated_at

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "object": object_,
                "rules": rules,
                "version": version,
                "updated_at": updated_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.event_rule_input import EventRuleInput
        from ..models.property_rule_input import PropertyRuleInput

        d = dict(src_dict)
        object_ = cast(Literal["contact"], d.pop("object"))
        if object_ != "contact":
            raise ValueError(f"object must match const 'contact', got '{object_}'")

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

        version = d.pop("version")

        def _parse_updated_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                updated_at_type_0 = datetime.datetime.fromisoformat(data)

                return updated_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        updated_at = _parse_updated_at(d.pop("updated_at"))

        scoring_rules = cls(
            object_=object_,
            rules=rules,
            version=version,
            updated_at=updated_at,
        )

        scoring_rules.additional_properties = d
        return scoring_rules

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties

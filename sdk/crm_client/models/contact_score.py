from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.score_line import ScoreLine


T = TypeVar("T", bound="ContactScore")


@_attrs_define
class ContactScore:
    """
    Attributes:
        contact_id (str):
        score (int):
        breakdown (list[ScoreLine]): Each rule that added or took points, in the rules' order
        as_of (datetime.datetime): Computed now: event rules count the events in their window as of now
    """

    contact_id: str
    score: int
    breakdown: list[ScoreLine]
    as_of: datetime.datetime
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        contact_id = self.contact_id

        score = self.score

        breakdown = []
        for breakdown_item_data in self.breakdown:
            breakdown_item = breakdown_item_data.to_dict()
            breakdown.append(breakdown_item)

        as_of = self.as_of.isoformat()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "contact_id": contact_id,
                "score": score,
                "breakdown": breakdown,
                "as_of": as_of,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.score_line import ScoreLine

        d = dict(src_dict)
        contact_id = d.pop("contact_id")

        score = d.pop("score")

        breakdown = []
        _breakdown = d.pop("breakdown")
        for breakdown_item_data in _breakdown:
            breakdown_item = ScoreLine.from_dict(breakdown_item_data)

            breakdown.append(breakdown_item)

        as_of = datetime.datetime.fromisoformat(d.pop("as_of"))

        contact_score = cls(
            contact_id=contact_id,
            score=score,
            breakdown=breakdown,
            as_of=as_of,
        )

        contact_score.additional_properties = d
        return contact_score

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

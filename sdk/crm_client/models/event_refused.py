from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.event_refused_status import EventRefusedStatus

if TYPE_CHECKING:
    from ..models.problem import Problem


T = TypeVar("T", bound="EventRefused")


@_attrs_define
class EventRefused:
    """
    Attributes:
        status (EventRefusedStatus): 404: no such contact; 422: the item is invalid (errors[])
        problem (Problem): An RFC 9457 problem (application/problem+json), the body of every error. Members beyond these
            are
            extensions of one kind of problem, e.g. `existing_id` on a duplicate.
    """

    status: EventRefusedStatus
    problem: Problem
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        status = self.status.value

        problem = self.problem.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "status": status,
                "problem": problem,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.problem import Problem

        d = dict(src_dict)
        status = EventRefusedStatus(d.pop("status"))

        problem = Problem.from_dict(d.pop("problem"))

        event_refused = cls(
            status=status,
            problem=problem,
        )

        event_refused.additional_properties = d
        return event_refused

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

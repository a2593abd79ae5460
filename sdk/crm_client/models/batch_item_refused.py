from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.batch_item_refused_status import BatchItemRefusedStatus

if TYPE_CHECKING:
    from ..models.problem import Problem


T = TypeVar("T", bound="BatchItemRefused")


@_attrs_define
class BatchItemRefused:
    """
    Attributes:
        status (BatchItemRefusedStatus): 404: no such active record; 409: a unique value is taken (existing_id); 412:
            stale version; 422: invalid values. 500 and 503 (a fault, the store busy) are not remembered: retry the input
        problem (Problem): An RFC 9457 problem (application/problem+json), the body of every error. Members beyond these
            are
            extensions of one kind of problem, e.g. `existing_id` on a duplicate.
    """

    status: BatchItemRefusedStatus
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
        status = BatchItemRefusedStatus(d.pop("status"))

        problem = Problem.from_dict(d.pop("problem"))

        batch_item_refused = cls(
            status=status,
            problem=problem,
        )

        batch_item_refused.additional_properties = d
        return batch_item_refused

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

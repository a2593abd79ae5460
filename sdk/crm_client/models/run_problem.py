from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="RunProblem")


@_attrs_define
class RunProblem:
    """Why a step (or the run) failed, as an RFC 9457 problem plus the step.

    Attributes:
        step (None | str): The step that failed; null when the run never started a step
        title (str):
        status (int):
        detail (str):
    """

    step: str | None
    title: str
    status: int
    detail: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        step: str | None
        step = self.step

        title = self.title

        status = self.status

        detail = self.detail

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "step": step,
                "title": title,
                "status": status,
                "detail": detail,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

        def _parse_step(data: object) -> str | None:
            if data is None:
                return data
            return cast(None | str, data)

        step = _parse_step(d.pop("step"))

        title = d.pop("title")

        status = d.pop("status")

        detail = d.pop("detail")

        run_problem = cls(
            step=step,
            title=title,
            status=status,
            detail=detail,
        )

        run_problem.additional_properties = d
        return run_problem

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

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.run_step_status import RunStepStatus

if TYPE_CHECKING:
    from ..models.run_problem import RunProblem


T = TypeVar("T", bound="RunStep")


@_attrs_define
class RunStep:
    """
    Attributes:
        step (str):
        type_ (str):
        status (RunStepStatus): running: under way or being retried
        attempts (int):
        started_at (datetime.datetime):
        ended_at (datetime.datetime | None):
        output (Any): What the step did, e.g. {'owner': 'ana@acme.io'} or {'result': true}
        error (None | RunProblem): The last error (a transient one while still retrying)
    """

    step: str
    type_: str
    status: RunStepStatus
    attempts: int
    started_at: datetime.datetime
    ended_at: datetime.datetime | None
    output: Any
    error: RunProblem | None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.run_problem import RunProblem

        step = self.step

        type_ = self.type_

        status = self.status.value

        attempts = self.attempts

        started_at = self.started_at.isoformat()

        ended_at: str | None
        if isinstance(self.ended_at, datetime.datetime):
            ended_at = self.ended_at.isoformat()
        else:
            ended_at = self.ended_at

        output = self.output

        error: dict[str, Any] | None
        if isinstance(self.error, RunProblem):
            error = self.error.to_dict()
        else:
            error = self.error

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "step": step,
                "type": type_,
                "status": status,
                "attempts": attempts,
                "started_at": started_at,
                "ended_at": ended_at,
                "output": output,
                "error": error,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.run_problem import RunProblem

        d = dict(src_dict)
        step = d.pop("step")

        type_ = d.pop("type")

        status = RunStepStatus(d.pop("status"))

        attempts = d.pop("attempts")

        started_at = datetime.datetime.fromisoformat(d.pop("started_at"))

        def _parse_ended_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                ended_at_type_0 = datetime.datetime.fromisoformat(data)

                return ended_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        ended_at = _parse_ended_at(d.pop("ended_at"))

        output = d.pop("output")

        def _parse_error(data: object) -> RunProblem | None:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                error_type_0 = RunProblem.from_dict(data)

                return error_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | RunProblem, data)

        error = _parse_error(d.pop("error"))

        run_step = cls(
            step=step,
            type_=type_,
            status=status,
            attempts=attempts,
            started_at=started_at,
            ended_at=ended_at,
            output=output,
            error=error,
        )

        run_step.additional_properties = d
        return run_step

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

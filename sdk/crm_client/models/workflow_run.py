from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.workflow_run_status import WorkflowRunStatus

if TYPE_CHECKING:
    from ..models.run_problem import RunProblem
    from ..models.run_step import RunStep
    from ..models.run_trigger import RunTrigger


T = TypeVar("T", bound="WorkflowRun")


@_attrs_define
class WorkflowRun:
    """
    Attributes:
        id (str):
        workflow_id (str):
        workflow_version (int): The version the run is pinned to
        object_ (str):
        record_id (str):
        status (WorkflowRunStatus):
        current_step (None | str): The step to run next (or being retried)
        wake_at (datetime.datetime | None): While waiting: when the run goes on
        trigger (RunTrigger):
        depth (int): 1, or one more than the run whose write triggered this one
        steps (list[RunStep]): Every step executed, oldest first (the last 100)
        error (None | RunProblem):
        created_at (datetime.datetime):
        updated_at (datetime.datetime):
        ended_at (datetime.datetime | None):
    """

    id: str
    workflow_id: str
    workflow_version: int
    object_: str
    record_id: str
    status: WorkflowRunStatus
    current_step: str | None
    wake_at: datetime.datetime | None
    trigger: RunTrigger
    depth: int
    steps: list[RunStep]
    error: RunProblem | None
    created_at: datetime.datetime
    updated_at: datetime.datetime
    ended_at: datetime.datetime | None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.run_problem import RunProblem

        id = self.id

        workflow_id = self.workflow_id

        workflow_version = self.workflow_version

        object_ = self.object_

        record_id = self.record_id

        status = self.status.value

        current_step: str | None
        current_step = self.current_step

        wake_at: str | None
        if isinstance(self.wake_at, datetime.datetime):
            wake_at = self.wake_at.isoformat()
        else:
            wake_at = self.wake_at

        trigger = self.trigger.to_dict()

        depth = self.depth

        steps = []
        for steps_item_data in self.steps:
            steps_item = steps_item_data.to_dict()
            steps.append(steps_item)

        error: dict[str, Any] | None
        if isinstance(self.error, RunProblem):
            error = self.error.to_dict()
        else:
            error = self.error

        created_at = self.created_at.isoformat()

        updated_at = self.updated_at.isoformat()

        ended_at: str | None
        if isinstance(self.ended_at, datetime.datetime):
            ended_at = self.ended_at.isoformat()
        else:
            ended_at = self.ended_at

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "workflow_id": workflow_id,
                "workflow_version": workflow_version,
                "object": object_,
                "record_id": record_id,
                "status": status,
                "current_step": current_step,
                "wake_at": wake_at,
                "trigger": trigger,
                "depth": depth,
                "steps": steps,
                "error": error,
                "created_at": created_at,
                "updated_at": updated_at,
                "ended_at": ended_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.run_problem import RunProblem
        from ..models.run_step import RunStep
        from ..models.run_trigger import RunTrigger

        d = dict(src_dict)
        id = d.pop("id")

        workflow_id = d.pop("workflow_id")

        workflow_version = d.pop("workflow_version")

        object_ = d.pop("object")

        record_id = d.pop("record_id")

        status = WorkflowRunStatus(d.pop("status"))

        def _parse_current_step(data: object) -> str | None:
            if data is None:
                return data
            return cast(None | str, data)

        current_step = _parse_current_step(d.pop("current_step"))

        def _parse_wake_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                wake_at_type_0 = datetime.datetime.fromisoformat(data)

                return wake_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        wake_at = _parse_wake_at(d.pop("wake_at"))

        trigger = RunTrigger.from_dict(d.pop("trigger"))

        depth = d.pop("depth")

        steps = []
        _steps = d.pop("steps")
        for steps_item_data in _steps:
            steps_item = RunStep.from_dict(steps_item_data)

            steps.append(steps_item)

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

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))

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

        workflow_run = cls(
            id=id,
            workflow_id=workflow_id,
            workflow_version=workflow_version,
            object_=object_,
            record_id=record_id,
            status=status,
            current_step=current_step,
            wake_at=wake_at,
            trigger=trigger,
            depth=depth,
            steps=steps,
            error=error,
            created_at=created_at,
            updated_at=updated_at,
            ended_at=ended_at,
        )

        workflow_run.additional_properties = d
        return workflow_run

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

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.workflow_input_reenrollment import WorkflowInputReenrollment
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.assign_owner_step import AssignOwnerStep
    from ..models.branch_step import BranchStep
    from ..models.create_record_step import CreateRecordStep
    from ..models.send_webhook_step import SendWebhookStep
    from ..models.set_property_step import SetPropertyStep
    from ..models.stop_step import StopStep
    from ..models.wait_step import WaitStep
    from ..models.workflow_trigger import WorkflowTrigger


T = TypeVar("T", bound="WorkflowInput")


@_attrs_define
class WorkflowInput:
    """
    Attributes:
        name (str):
        object_ (str): The object type, e.g. contact
        trigger (WorkflowTrigger):
        steps (list[AssignOwnerStep | BranchStep | CreateRecordStep | SendWebhookStep | SetPropertyStep | StopStep |
            WaitStep]): Run in list order unless next/then/else say otherwise
        description (None | str | Unset):
        enabled (bool | Unset):  Default: True.
        reenrollment (WorkflowInputReenrollment | Unset): never: a record runs through the workflow once; always: on
            every trigger Default: WorkflowInputReenrollment.NEVER.
    """

    name: str
    object_: str
    trigger: WorkflowTrigger
    steps: list[
        AssignOwnerStep | BranchStep | CreateRecordStep | SendWebhookStep | SetPropertyStep | StopStep | WaitStep
    ]
    description: str | Unset | None = UNSET
    enabled: bool | Unset = True
    reenrollment: WorkflowInputReenrollment | Unset = WorkflowInputReenrollment.NEVER

    def to_dict(self) -> dict[str, Any]:
        from ..models.assign_owner_step import AssignOwnerStep
        from ..models.branch_step import BranchStep
        from ..models.create_record_step import CreateRecordStep
        from ..models.send_webhook_step import SendWebhookStep
        from ..models.set_property_step import SetPropertyStep
        from ..models.wait_step import WaitStep

        name = self.name

        object_ = self.object_

        trigger = self.trigger.to_dict()

        steps = []
        for steps_item_data in self.steps:
            steps_item: dict[str, Any]
            if (
                isinstance(steps_item_data, SetPropertyStep)
                or isinstance(steps_item_data, AssignOwnerStep)
                or isinstance(steps_item_data, CreateRecordStep)
                or isinstance(steps_item_data, WaitStep)
                or isinstance(steps_item_data, BranchStep)
                or isinstance(steps_item_data, SendWebhookStep)
            ):
                steps_item = steps_item_data.to_dict()
            else:
                steps_item = steps_item_data.to_dict()

            steps.append(steps_item)

        description: str | Unset | None
        if isinstance(self.description, Unset):
            description = UNSET
        else:
            description = self.description

        enabled = self.enabled

        reenrollment: str | Unset = UNSET
        if not isinstance(self.reenrollment, Unset):
            reenrollment = self.reenrollment.value

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "name": name,
                "object": object_,
                "trigger": trigger,
                "steps": steps,
            }
        )
        if description is not UNSET:
            field_dict["description"] = description
        if enabled is not UNSET:
            field_dict["enabled"] = enabled
        if reenrollment is not UNSET:
            field_dict["reenrollment"] = reenrollment

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.assign_owner_step import AssignOwnerStep
        from ..models.branch_step import BranchStep
        from ..models.create_record_step import CreateRecordStep
        from ..models.send_webhook_step import SendWebhookStep
        from ..models.set_property_step import SetPropertyStep
        from ..models.stop_step import StopStep
        from ..models.wait_step import WaitStep
        from ..models.workflow_trigger import WorkflowTrigger

        d = dict(src_dict)
        name = d.pop("name")

        object_ = d.pop("object")

        trigger = WorkflowTrigger.from_dict(d.pop("trigger"))

        steps = []
        _steps = d.pop("steps")
        for steps_item_data in _steps:

            def _parse_steps_item(
                data: object,
            ) -> (
                AssignOwnerStep
                | BranchStep
                | CreateRecordStep
                | SendWebhookStep
                | SetPropertyStep
                | StopStep
                | WaitStep
            ):
                try:
                    if not isinstance(data, dict):
                        raise TypeError()
                    steps_item_type_0 = SetPropertyStep.from_dict(data)

                    return steps_item_type_0
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                try:
                    if not isinstance(data, dict):
                        raise TypeError()
                    steps_item_type_1 = AssignOwnerStep.from_dict(data)

                    return steps_item_type_1
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                try:
                    if not isinstance(data, dict):
                        raise TypeError()
                    steps_item_type_2 = CreateRecordStep.from_dict(data)

                    return steps_item_type_2
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                try:
                    if not isinstance(data, dict):
                        raise TypeError()
                    steps_item_type_3 = WaitStep.from_dict(data)

                    return steps_item_type_3
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                try:
                    if not isinstance(data, dict):
                        raise TypeError()
                    steps_item_type_4 = BranchStep.from_dict(data)

                    return steps_item_type_4
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                try:
                    if not isinstance(data, dict):
                        raise TypeError()
                    steps_item_type_5 = SendWebhookStep.from_dict(data)

                    return steps_item_type_5
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                if not isinstance(data, dict):
                    raise TypeError()
                steps_item_type_6 = StopStep.from_dict(data)

                return steps_item_type_6

            steps_item = _parse_steps_item(steps_item_data)

            steps.append(steps_item)

        def _parse_description(data: object) -> str | Unset | None:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        description = _parse_description(d.pop("description", UNSET))

        enabled = d.pop("enabled", UNSET)

        _reenrollment = d.pop("reenrollment", UNSET)
        reenrollment: WorkflowInputReenrollment | Unset
        if isinstance(_reenrollment, Unset):
            reenrollment = UNSET
        else:
            reenrollment = WorkflowInputReenrollment(_reenrollment)

        workflow_input = cls(
            name=name,
            object_=object_,
            trigger=trigger,
            steps=steps,
            description=description,
            enabled=enabled,
            reenrollment=reenrollment,
        )

        return workflow_input

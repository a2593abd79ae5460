from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.workflow_patch_reenrollment import WorkflowPatchReenrollment
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


T = TypeVar("T", bound="WorkflowPatch")


@_attrs_define
class WorkflowPatch:
    """Only the fields sent change (trigger and steps are replaced whole); the result is checked whole.
    `description: null` removes the description; the other fields cannot be removed.

        Attributes:
            name (str | Unset):
            description (None | str | Unset):
            enabled (bool | Unset):
            object_ (str | Unset): The object type, e.g. contact
            trigger (WorkflowTrigger | Unset):
            reenrollment (WorkflowPatchReenrollment | Unset):
            steps (list[AssignOwnerStep | BranchStep | CreateRecordStep | SendWebhookStep | SetPropertyStep | StopStep |
                WaitStep] | Unset):
    """

    name: str | Unset = UNSET
    description: str | Unset | None = UNSET
    enabled: bool | Unset = UNSET
    object_: str | Unset = UNSET
    trigger: WorkflowTrigger | Unset = UNSET
    reenrollment: WorkflowPatchReenrollment | Unset = UNSET
    steps: (
        list[AssignOwnerStep | BranchStep | CreateRecordStep | SendWebhookStep | SetPropertyStep | StopStep | WaitStep]
        | Unset
    ) = UNSET

    def to_dict(self) -> dict[str, Any]:
        from ..models.assign_owner_step import AssignOwnerStep
        from ..models.branch_step import BranchStep
        from ..models.create_record_step import CreateRecordStep
        from ..models.send_webhook_step import SendWebhookStep
        from ..models.set_property_step import SetPropertyStep
        from ..models.wait_step import WaitStep

        name = self.name

        description: str | Unset | None
        if isinstance(self.description, Unset):
            description = UNSET
        else:
            description = self.description

        enabled = self.enabled

        object_ = self.object_

        trigger: dict[str, Any] | Unset = UNSET
        if not isinstance(self.trigger, Unset):
            trigger = self.trigger.to_dict()

        reenrollment: str | Unset = UNSET
        if not isinstance(self.reenrollment, Unset):
            reenrollment = self.reenrollment.value

        steps: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.steps, Unset):
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

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if name is not UNSET:
            field_dict["name"] = name
        if description is not UNSET:
            field_dict["description"] = description
        if enabled is not UNSET:
            field_dict["enabled"] = enabled
        if object_ is not UNSET:
            field_dict["object"] = object_
        if trigger is not UNSET:
            field_dict["trigger"] = trigger
        if reenrollment is not UNSET:
            field_dict["reenrollment"] = reenrollment
        if steps is not UNSET:
            field_dict["steps"] = steps

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
        name = d.pop("name", UNSET)

        def _parse_description(data: object) -> str | Unset | None:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        description = _parse_description(d.pop("description", UNSET))

        enabled = d.pop("enabled", UNSET)

        object_ = d.pop("object", UNSET)

        _trigger = d.pop("trigger", UNSET)
        trigger: WorkflowTrigger | Unset
        if isinstance(_trigger, Unset):
            trigger = UNSET
        else:
            trigger = WorkflowTrigger.from_dict(_trigger)

        _reenrollment = d.pop("reenrollment", UNSET)
        reenrollment: WorkflowPatchReenrollment | Unset
        if isinstance(_reenrollment, Unset):
            reenrollment = UNSET
        else:
            reenrollment = WorkflowPatchReenrollment(_reenrollment)

        _steps = d.pop("steps", UNSET)
        steps: (
            list[
                AssignOwnerStep
                | BranchStep
                | CreateRecordStep
                | SendWebhookStep
                | SetPropertyStep
                | StopStep
                | WaitStep
            ]
            | Unset
        ) = UNSET
        if _steps is not UNSET:
            steps = []
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

        workflow_patch = cls(
            name=name,
            description=description,
            enabled=enabled,
            object_=object_,
            trigger=trigger,
            reenrollment=reenrollment,
            steps=steps,
        )

        return workflow_patch

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.workflow_version_reenrollment import WorkflowVersionReenrollment

if TYPE_CHECKING:
    from ..models.assign_owner_step import AssignOwnerStep
    from ..models.branch_step import BranchStep
    from ..models.create_record_step import CreateRecordStep
    from ..models.send_webhook_step import SendWebhookStep
    from ..models.set_property_step import SetPropertyStep
    from ..models.stop_step import StopStep
    from ..models.wait_step import WaitStep
    from ..models.workflow_trigger import WorkflowTrigger


T = TypeVar("T", bound="WorkflowVersion")


@_attrs_define
class WorkflowVersion:
    """
    Attributes:
        name (str):
        description (None | str):
        enabled (bool): Only enabled workflows start runs on their trigger
        object_ (str):
        trigger (WorkflowTrigger):
        reenrollment (WorkflowVersionReenrollment):
        steps (list[AssignOwnerStep | BranchStep | CreateRecordStep | SendWebhookStep | SetPropertyStep | StopStep |
            WaitStep]):
        workflow_id (str):
        version (int):
        created_at (datetime.datetime): When this version was made
        deleted_at (datetime.datetime | None): Set on the version that deleted the workflow
    """

    name: str
    description: str | None
    enabled: bool
    object_: str
    trigger: WorkflowTrigger
    reenrollment: WorkflowVersionReenrollment
    steps: list[
        AssignOwnerStep | BranchStep | CreateRecordStep | SendWebhookStep | SetPropertyStep | StopStep | WaitStep
    ]
    workflow_id: str
    version: int
    created_at: datetime.datetime
    deleted_at: datetime.datetime | None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.assign_owner_step import AssignOwnerStep
        from ..models.branch_step import BranchStep
        from ..models.create_record_step import CreateRecordStep
        from ..models.send_webhook_step import SendWebhookStep
        from ..models.set_property_step import SetPropertyStep
        from ..models.wait_step import WaitStep

        name = self.name

        description: str | None
        description = self.description

        enabled = self.enabled

        object_ = self.object_

        trigger = self.trigger.to_dict()

        reenrollment = self.reenrollment.value

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

        workflow_id = self.workflow_id

        version = self.version

        created_at = self.created_at.isoformat()

        deleted_at: str | None
        if isinstance(self.deleted_at, datetime.datetime):
            deleted_at = self.deleted_at.isoformat()
        else:
            deleted_at = self.deleted_at

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "name": name,
                "description": description,
                "enabled": enabled,
                "object": object_,
                "trigger": trigger,
                "reenrollment": reenrollment,
                "steps": steps,
                "workflow_id": workflow_id,
                "version": version,
                "created_at": created_at,
                "deleted_at": deleted_at,
            }
        )

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

        def _parse_description(data: object) -> str | None:
            if data is None:
                return data
            return cast(None | str, data)

        description = _parse_description(d.pop("description"))

        enabled = d.pop("enabled")

        object_ = d.pop("object")

        trigger = WorkflowTrigger.from_dict(d.pop("trigger"))

        reenrollment = WorkflowVersionReenrollment(d.pop("reenrollment"))

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

        workflow_id = d.pop("workflow_id")

        version = d.pop("version")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        def _parse_deleted_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                deleted_at_type_0 = datetime.datetime.fromisoformat(data)

                return deleted_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        deleted_at = _parse_deleted_at(d.pop("deleted_at"))

        workflow_version = cls(
            name=name,
            description=description,
            enabled=enabled,
            object_=object_,
            trigger=trigger,
            reenrollment=reenrollment,
            steps=steps,
            workflow_id=workflow_id,
            version=version,
            created_at=created_at,
            deleted_at=deleted_at,
        )

        workflow_version.additional_properties = d
        return workflow_version

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

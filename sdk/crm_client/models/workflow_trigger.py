from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.workflow_trigger_conditions_type_0 import WorkflowTriggerConditionsType0


T = TypeVar("T", bound="WorkflowTrigger")


@_attrs_define
class WorkflowTrigger:
    """
    Attributes:
        event (str): A change event of the workflow's object (<object>.created|updated|deleted|restored, its signal
            events such as deal.stage_changed; for contacts also contact.score_changed and form.submitted), or manual (runs
            only through POST /workflows/{workflow_id}/runs)
        conditions (None | Unset | WorkflowTriggerConditionsType0): Only events whose record matches start a run.
            changed/changed_to need an event with changes (updated, signal events, score_changed).
    """

    event: str
    conditions: Unset | WorkflowTriggerConditionsType0 | None = UNSET

    def to_dict(self) -> dict[str, Any]:
        from ..models.workflow_trigger_conditions_type_0 import WorkflowTriggerConditionsType0

        event = self.event

        conditions: dict[str, Any] | Unset | None
        if isinstance(self.conditions, Unset):
            conditions = UNSET
        elif isinstance(self.conditions, WorkflowTriggerConditionsType0):
            conditions = self.conditions.to_dict()
        else:
            conditions = self.conditions

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "event": event,
            }
        )
        if conditions is not UNSET:
            field_dict["conditions"] = conditions

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.workflow_trigger_conditions_type_0 import WorkflowTriggerConditionsType0

        d = dict(src_dict)
        event = d.pop("event")

        def _parse_conditions(data: object) -> Unset | WorkflowTriggerConditionsType0 | None:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                conditions_type_0 = WorkflowTriggerConditionsType0.from_dict(data)

                return conditions_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | WorkflowTriggerConditionsType0, data)

        conditions = _parse_conditions(d.pop("conditions", UNSET))

        workflow_trigger = cls(
            event=event,
            conditions=conditions,
        )

        return workflow_trigger

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Literal, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.send_webhook_step_payload_type_0 import SendWebhookStepPayloadType0


T = TypeVar("T", bound="SendWebhookStep")


@_attrs_define
class SendWebhookStep:
    """Send a `workflow.webhook` event to one of the tenant's webhook endpoints (signed and retried like
    every delivery). Payload string values may hold {{record.<property>}} templates.

        Attributes:
            id (str): 1-64 of a-z, 0-9, _ and -; unique in the workflow
            type_ (Literal['send_webhook']):
            endpoint_id (str): A webhook endpoint of this tenant
            payload (None | SendWebhookStepPayloadType0 | Unset): At most 8 KB as JSON
            next_ (None | str | Unset):
    """

    id: str
    type_: Literal["send_webhook"]
    endpoint_id: str
    payload: SendWebhookStepPayloadType0 | Unset | None = UNSET
    next_: str | Unset | None = UNSET

    def to_dict(self) -> dict[str, Any]:
        from ..models.send_webhook_step_payload_type_0 import SendWebhookStepPayloadType0

        id = self.id

        type_ = self.type_

        endpoint_id = self.endpoint_id

        payload: dict[str, Any] | Unset | None
        if isinstance(self.payload, Unset):
            payload = UNSET
        elif isinstance(self.payload, SendWebhookStepPayloadType0):
            payload = self.payload.to_dict()
        else:
            payload = self.payload

        next_: str | Unset | None
        if isinstance(self.next_, Unset):
            next_ = UNSET
        else:
            next_ = self.next_

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "id": id,
                "type": type_,
                "endpoint_id": endpoint_id,
            }
        )
        if payload is not UNSET:
            field_dict["payload"] = payload
        if next_ is not UNSET:
            field_dict["next"] = next_

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.send_webhook_step_payload_type_0 import SendWebhookStepPayloadType0

        d = dict(src_dict)
        id = d.pop("id")

        type_ = cast(Literal["send_webhook"], d.pop("type"))
        if type_ != "send_webhook":
            raise ValueError(f"type must match const 'send_webhook', got '{type_}'")

        endpoint_id = d.pop("endpoint_id")

        def _parse_payload(data: object) -> SendWebhookStepPayloadType0 | Unset | None:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                payload_type_0 = SendWebhookStepPayloadType0.from_dict(data)

                return payload_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | SendWebhookStepPayloadType0 | Unset, data)

        payload = _parse_payload(d.pop("payload", UNSET))

        def _parse_next_(data: object) -> str | Unset | None:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        next_ = _parse_next_(d.pop("next", UNSET))

        send_webhook_step = cls(
            id=id,
            type_=type_,
            endpoint_id=endpoint_id,
            payload=payload,
            next_=next_,
        )

        return send_webhook_step

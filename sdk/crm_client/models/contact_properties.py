from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

from ..models.contact_lifecycle_stage import ContactLifecycleStage
from ..models.contact_subscription_status import ContactSubscriptionStatus
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.contact_properties_lifetime_value import ContactPropertiesLifetimeValue


T = TypeVar("T", bound="ContactProperties")


@_attrs_define
class ContactProperties:
    """The properties of a contact.

    Attributes:
        email (str | Unset): Email. Not at a special-use domain (arpa, invalid, local, localhost, onion, test)
        first_name (str | Unset): First name. 1-200 characters, trimmed
        last_name (str | Unset): Last name. 1-200 characters, trimmed
        phone (str | Unset): Phone. A valid phone number: E.164, or national (read in the tenant's region)
        lifecycle_stage (ContactLifecycleStage | Unset): Lifecycle stage
        owner (str | Unset): Owner. 1-256 characters, trimmed
        company_id (str | Unset): Company. The id of a company
        last_seen_at (datetime.datetime | Unset): Last seen. UTC. Computed by the CRM: read-only
        purchase_count (float | Unset): Purchases. Exact: below 1e21, at most 6 decimal places. Computed by the CRM:
            read-only
        lifetime_value (ContactPropertiesLifetimeValue | Unset): Lifetime value, per currency. ISO 4217 currency code ->
            exact amount, at least 0. Computed by the CRM: read-only
        subscription_status (ContactSubscriptionStatus | Unset): Subscription. Computed by the CRM: read-only
        subscription_changed_at (datetime.datetime | Unset): Subscription changed. UTC. Computed by the CRM: read-only
        score (float | Unset): Score. Exact: below 1e21, at most 6 decimal places. Computed by the CRM: read-only
    """

    email: str | Unset = UNSET
    first_name: str | Unset = UNSET
    last_name: str | Unset = UNSET
    phone: str | Unset = UNSET
    lifecycle_stage: ContactLifecycleStage | Unset = UNSET
    owner: str | Unset = UNSET
    company_id: str | Unset = UNSET
    last_seen_at: datetime.datetime | Unset = UNSET
    purchase_count: float | Unset = UNSET
    lifetime_value: ContactPropertiesLifetimeValue | Unset = UNSET
    subscription_status: ContactSubscriptionStatus | Unset = UNSET
    subscription_changed_at: datetime.datetime | Unset = UNSET
    score: float | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        email = self.email

        first_name = self.first_name

        last_name = self.last_name

        phone = self.phone

        lifecycle_stage: str | Unset = UNSET
        if not isinstance(self.lifecycle_stage, Unset):
            lifecycle_stage = self.lifecycle_stage.value

        owner = self.owner

        company_id = self.company_id

        last_seen_at: str | Unset = UNSET
        if not isinstance(self.last_seen_at, Unset):
            last_seen_at = self.last_seen_at.isoformat()

        purchase_count = self.purchase_count

        lifetime_value: dict[str, Any] | Unset = UNSET
        if not isinstance(self.lifetime_value, Unset):
            lifetime_value = self.lifetime_value.to_dict()

        subscription_status: str | Unset = UNSET
        if not isinstance(self.subscription_status, Unset):
            subscription_status = self.subscription_status.value

        subscription_changed_at: str | Unset = UNSET
        if not isinstance(self.subscription_changed_at, Unset):
            subscription_changed_at = self.subscription_changed_at.isoformat()

        score = self.score

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if email is not UNSET:
            field_dict["email"] = email
        if first_name is not UNSET:
            field_dict["first_name"] = first_name
        if last_name is not UNSET:
            field_dict["last_name"] = last_name
        if phone is not UNSET:
            field_dict["phone"] = phone
        if lifecycle_stage is not UNSET:
            field_dict["lifecycle_stage"] = lifecycle_stage
        if owner is not UNSET:
            field_dict["owner"] = owner
        if company_id is not UNSET:
            field_dict["company_id"] = company_id
        if last_seen_at is not UNSET:
            field_dict["last_seen_at"] = last_seen_at
        if purchase_count is not UNSET:
            field_dict["purchase_count"] = purchase_count
        if lifetime_value is not UNSET:
            field_dict["lifetime_value"] = lifetime_value
        if subscription_status is not UNSET:
            field_dict["subscription_status"] = subscription_status
        if subscription_changed_at is not UNSET:
            field_dict["subscription_changed_at"] = subscription_changed_at
        if score is not UNSET:
            field_dict["score"] = score

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.contact_properties_lifetime_value import ContactPropertiesLifetimeValue

        d = dict(src_dict)
        email = d.pop("email", UNSET)

        first_name = d.pop("first_name", UNSET)

        last_name = d.pop("last_name", UNSET)

        phone = d.pop("phone", UNSET)

        _lifecycle_stage = d.pop("lifecycle_stage", UNSET)
        lifecycle_stage: ContactLifecycleStage | Unset
        if isinstance(_lifecycle_stage, Unset):
            lifecycle_stage = UNSET
        else:
            lifecycle_stage = ContactLifecycleStage(_lifecycle_stage)

        owner = d.pop("owner", UNSET)

        company_id = d.pop("company_id", UNSET)

        _last_seen_at = d.pop("last_seen_at", UNSET)
        last_seen_at: datetime.datetime | Unset
        if isinstance(_last_seen_at, Unset):
            last_seen_at = UNSET
        else:
            last_seen_at = datetime.datetime.fromisoformat(_last_seen_at)

        purchase_count = d.pop("purchase_count", UNSET)

        _lifetime_value = d.pop("lifetime_value", UNSET)
        lifetime_value: ContactPropertiesLifetimeValue | Unset
        if isinstance(_lifetime_value, Unset):
            lifetime_value = UNSET
        else:
            lifetime_value = ContactPropertiesLifetimeValue.from_dict(_lifetime_value)

        _subscription_status = d.pop("subscription_status", UNSET)
        subscription_status: ContactSubscriptionStatus | Unset
        if isinstance(_subscription_status, Unset):
            subscription_status = UNSET
        else:
            subscription_status = ContactSubscriptionStatus(_subscription_status)

        _subscription_changed_at = d.pop("subscription_changed_at", UNSET)
        subscription_changed_at: datetime.datetime | Unset
        if isinstance(_subscription_changed_at, Unset):
            subscription_changed_at = UNSET
        else:
            subscription_changed_at = datetime.datetime.fromisoformat(_subscription_changed_at)

        score = d.pop("score", UNSET)

        contact_properties = cls(
            email=email,
            first_name=first_name,
            last_name=last_name,
            phone=phone,
            lifecycle_stage=lifecycle_stage,
            owner=owner,
            company_id=company_id,
            last_seen_at=last_seen_at,
            purchase_count=purchase_count,
            lifetime_value=lifetime_value,
            subscription_status=subscription_status,
            subscription_changed_at=subscription_changed_at,
            score=score,
        )

        return contact_properties

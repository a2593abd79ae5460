"""Contains all the data models used in inputs/outputs"""

from .api_key import ApiKey
from .api_key_created import ApiKeyCreated
from .api_key_input import ApiKeyInput
from .api_key_page import ApiKeyPage
from .company import Company
from .company_input import CompanyInput
from .company_input_properties import CompanyInputProperties
from .company_page import CompanyPage
from .company_patch import CompanyPatch
from .company_patch_properties import CompanyPatchProperties
from .company_properties import CompanyProperties
from .contact import Contact
from .contact_input import ContactInput
from .contact_input_properties import ContactInputProperties
from .contact_lifecycle_stage import ContactLifecycleStage
from .contact_page import ContactPage
from .contact_patch import ContactPatch
from .contact_patch_properties import ContactPatchProperties
from .contact_properties import ContactProperties
from .contact_subscription_status import ContactSubscriptionStatus
from .deal import Deal
from .deal_currency import DealCurrency
from .deal_input import DealInput
from .deal_input_properties import DealInputProperties
from .deal_page import DealPage
from .deal_patch import DealPatch
from .deal_patch_properties import DealPatchProperties
from .deal_properties import DealProperties
from .delivery import Delivery
from .delivery_attempt import DeliveryAttempt
from .delivery_page import DeliveryPage
from .delivery_status import DeliveryStatus
from .event_type import EventType
from .field_problem import FieldProblem
from .health import Health
from .initial_api_key import InitialApiKey
from .key_role import KeyRole
from .new_api_key import NewApiKey
from .open_api_document import OpenApiDocument
from .problem import Problem
from .region import Region
from .replay_input import ReplayInput
from .replay_result import ReplayResult
from .scope import Scope
from .tenant import Tenant
from .tenant_created import TenantCreated
from .tenant_input import TenantInput
from .tenant_page import TenantPage
from .tier import Tier
from .validation_problem import ValidationProblem
from .webhook import Webhook
from .webhook_created import WebhookCreated
from .webhook_input import WebhookInput
from .webhook_page import WebhookPage
from .webhook_patch import WebhookPatch
from .webhook_secret_rotated import WebhookSecretRotated
from .webhook_test_event import WebhookTestEvent

__all__ = (
    "ApiKey",
    "ApiKeyCreated",
    "ApiKeyInput",
    "ApiKeyPage",
    "Company",
    "CompanyInput",
    "CompanyInputProperties",
    "CompanyPage",
    "CompanyPatch",
    "CompanyPatchProperties",
    "CompanyProperties",
    "Contact",
    "ContactInput",
    "ContactInputProperties",
    "ContactLifecycleStage",
    "ContactPage",
    "ContactPatch",
    "ContactPatchProperties",
    "ContactProperties",
    "ContactSubscriptionStatus",
    "Deal",
    "DealCurrency",
    "DealInput",
    "DealInputProperties",
    "DealPage",
    "DealPatch",
    "DealPatchProperties",
    "DealProperties",
    "Delivery",
    "DeliveryAttempt",
    "DeliveryPage",
    "DeliveryStatus",
    "EventType",
    "FieldProblem",
    "Health",
    "InitialApiKey",
    "KeyRole",
    "NewApiKey",
    "OpenApiDocument",
    "Problem",
    "Region",
    "ReplayInput",
    "ReplayResult",
    "Scope",
    "Tenant",
    "TenantCreated",
    "TenantInput",
    "TenantPage",
    "Tier",
    "ValidationProblem",
    "Webhook",
    "WebhookCreated",
    "WebhookInput",
    "WebhookPage",
    "WebhookPatch",
    "WebhookSecretRotated",
    "WebhookTestEvent",
)

"""Contains all the data models used in inputs/outputs"""

from .activity_event import ActivityEvent
from .activity_event_page import ActivityEventPage
from .activity_event_properties import ActivityEventProperties
from .api_key import ApiKey
from .api_key_created import ApiKeyCreated
from .api_key_input import ApiKeyInput
from .api_key_page import ApiKeyPage
from .assign_owner_step import AssignOwnerStep
from .association import Association
from .association_input import AssociationInput
from .association_label import AssociationLabel
from .association_label_set import AssociationLabelSet
from .association_labels import AssociationLabels
from .association_page import AssociationPage
from .association_via import AssociationVia
from .batch_archive_input import BatchArchiveInput
from .batch_archive_item import BatchArchiveItem
from .batch_archive_results import BatchArchiveResults
from .batch_archived import BatchArchived
from .batch_item_refused import BatchItemRefused
from .batch_item_refused_status import BatchItemRefusedStatus
from .branch_step import BranchStep
from .branch_step_conditions import BranchStepConditions
from .company import Company
from .company_batch_create_input import CompanyBatchCreateInput
from .company_batch_results import CompanyBatchResults
from .company_batch_update_input import CompanyBatchUpdateInput
from .company_batch_update_item import CompanyBatchUpdateItem
from .company_batch_upsert_input import CompanyBatchUpsertInput
from .company_batch_upsert_input_id_property import CompanyBatchUpsertInputIdProperty
from .company_batch_written import CompanyBatchWritten
from .company_batch_written_status import CompanyBatchWrittenStatus
from .company_input import CompanyInput
from .company_input_properties import CompanyInputProperties
from .company_page import CompanyPage
from .company_patch import CompanyPatch
from .company_patch_properties import CompanyPatchProperties
from .company_properties import CompanyProperties
from .contact import Contact
from .contact_batch_create_input import ContactBatchCreateInput
from .contact_batch_results import ContactBatchResults
from .contact_batch_update_input import ContactBatchUpdateInput
from .contact_batch_update_item import ContactBatchUpdateItem
from .contact_batch_upsert_input import ContactBatchUpsertInput
from .contact_batch_upsert_input_id_property import ContactBatchUpsertInputIdProperty
from .contact_batch_written import ContactBatchWritten
from .contact_batch_written_status import ContactBatchWrittenStatus
from .contact_input import ContactInput
from .contact_input_properties import ContactInputProperties
from .contact_lifecycle_stage import ContactLifecycleStage
from .contact_page import ContactPage
from .contact_patch import ContactPatch
from .contact_patch_properties import ContactPatchProperties
from .contact_properties import ContactProperties
from .contact_properties_lifetime_value import ContactPropertiesLifetimeValue
from .contact_score import ContactScore
from .contact_subscription_status import ContactSubscriptionStatus
from .create_record_step import CreateRecordStep
from .create_record_step_properties import CreateRecordStepProperties
from .deal import Deal
from .deal_batch_create_input import DealBatchCreateInput
from .deal_batch_results import DealBatchResults
from .deal_batch_update_input import DealBatchUpdateInput
from .deal_batch_update_item import DealBatchUpdateItem
from .deal_batch_written import DealBatchWritten
from .deal_batch_written_status import DealBatchWrittenStatus
from .deal_currency import DealCurrency
from .deal_input import DealInput
from .deal_input_properties import DealInputProperties
from .deal_page import DealPage
from .deal_patch import DealPatch
from .deal_patch_properties import DealPatchProperties
from .deal_properties import DealProperties
from .deal_properties_stage_history import DealPropertiesStageHistory
from .delivery import Delivery
from .delivery_attempt import DeliveryAttempt
from .delivery_page import DeliveryPage
from .delivery_status import DeliveryStatus
from .event_input import EventInput
from .event_input_properties import EventInputProperties
from .event_recorded import EventRecorded
from .event_refused import EventRefused
from .event_refused_status import EventRefusedStatus
from .event_rule_input import EventRuleInput
from .field_problem import FieldProblem
from .forecast import Forecast
from .forecast_row import ForecastRow
from .form import Form
from .form_field import FormField
from .form_field_property import FormFieldProperty
from .form_input import FormInput
from .form_input_set_properties import FormInputSetProperties
from .form_input_set_properties_lifecycle_stage import FormInputSetPropertiesLifecycleStage
from .form_page import FormPage
from .form_patch import FormPatch
from .form_patch_set_properties import FormPatchSetProperties
from .form_patch_set_properties_lifecycle_stage import FormPatchSetPropertiesLifecycleStage
from .form_set_properties import FormSetProperties
from .health import Health
from .initial_api_key import InitialApiKey
from .key_role import KeyRole
from .list_workflow_runs_status import ListWorkflowRunsStatus
from .new_api_key import NewApiKey
from .object_schema import ObjectSchema
from .object_schema_list import ObjectSchemaList
from .object_type_input import ObjectTypeInput
from .open_api_document import OpenApiDocument
from .option_input import OptionInput
from .pipeline import Pipeline
from .pipeline_input import PipelineInput
from .pipeline_list import PipelineList
from .pipeline_patch import PipelinePatch
from .problem import Problem
from .property_input import PropertyInput
from .property_input_type import PropertyInputType
from .property_list import PropertyList
from .property_patch import PropertyPatch
from .property_patch_type_type_0 import PropertyPatchTypeType0
from .property_rule_input import PropertyRuleInput
from .property_rule_input_conditions import PropertyRuleInputConditions
from .property_schema import PropertySchema
from .property_schema_type_type_0 import PropertySchemaTypeType0
from .property_schema_type_type_1 import PropertySchemaTypeType1
from .property_usage import PropertyUsage
from .property_with_usage import PropertyWithUsage
from .property_with_usage_type_type_0 import PropertyWithUsageTypeType0
from .property_with_usage_type_type_1 import PropertyWithUsageTypeType1
from .record_events_input import RecordEventsInput
from .recorded_events import RecordedEvents
from .region import Region
from .replay_input import ReplayInput
from .replay_result import ReplayResult
from .run_input import RunInput
from .run_problem import RunProblem
from .run_step import RunStep
from .run_step_status import RunStepStatus
from .run_trigger import RunTrigger
from .run_trigger_type import RunTriggerType
from .scope import Scope
from .score_line import ScoreLine
from .scoring_rules import ScoringRules
from .scoring_rules_input import ScoringRulesInput
from .search_filter import SearchFilter
from .search_filter_group import SearchFilterGroup
from .search_filter_op import SearchFilterOp
from .search_input import SearchInput
from .search_sort import SearchSort
from .search_sort_direction import SearchSortDirection
from .send_webhook_step import SendWebhookStep
from .send_webhook_step_payload_type_0 import SendWebhookStepPayloadType0
from .set_property_step import SetPropertyStep
from .shared_value import SharedValue
from .stage_input import StageInput
from .stage_input_closed_type_0 import StageInputClosedType0
from .stop_step import StopStep
from .submission_accepted import SubmissionAccepted
from .submit_form_data_body import SubmitFormDataBody
from .submit_form_json_body import SubmitFormJsonBody
from .tenant import Tenant
from .tenant_created import TenantCreated
from .tenant_input import TenantInput
from .tenant_page import TenantPage
from .tier import Tier
from .validation_problem import ValidationProblem
from .wait_step import WaitStep
from .webhook import Webhook
from .webhook_created import WebhookCreated
from .webhook_input import WebhookInput
from .webhook_input_event_types_item_type_0 import WebhookInputEventTypesItemType0
from .webhook_page import WebhookPage
from .webhook_patch import WebhookPatch
from .webhook_patch_event_types_item_type_0 import WebhookPatchEventTypesItemType0
from .webhook_secret_rotated import WebhookSecretRotated
from .webhook_test_event import WebhookTestEvent
from .workflow import Workflow
from .workflow_input import WorkflowInput
from .workflow_input_reenrollment import WorkflowInputReenrollment
from .workflow_page import WorkflowPage
from .workflow_patch import WorkflowPatch
from .workflow_patch_reenrollment import WorkflowPatchReenrollment
from .workflow_reenrollment import WorkflowReenrollment
from .workflow_run import WorkflowRun
from .workflow_run_page import WorkflowRunPage
from .workflow_run_status import WorkflowRunStatus
from .workflow_trigger import WorkflowTrigger
from .workflow_trigger_conditions_type_0 import WorkflowTriggerConditionsType0
from .workflow_version import WorkflowVersion
from .workflow_version_page import WorkflowVersionPage
from .workflow_version_reenrollment import WorkflowVersionReenrollment

__all__ = (
    "ActivityEvent",
    "ActivityEventPage",
    "ActivityEventProperties",
    "ApiKey",
    "ApiKeyCreated",
    "ApiKeyInput",
    "ApiKeyPage",
    "AssignOwnerStep",
    "Association",
    "AssociationInput",
    "AssociationLabel",
    "AssociationLabelSet",
    "AssociationLabels",
    "AssociationPage",
    "AssociationVia",
    "BatchArchiveInput",
    "BatchArchiveItem",
    "BatchArchiveResults",
    "BatchArchived",
    "BatchItemRefused",
    "BatchItemRefusedStatus",
    "BranchStep",
    "BranchStepConditions",
    "Company",
    "CompanyBatchCreateInput",
    "CompanyBatchResults",
    "CompanyBatchUpdateInput",
    "CompanyBatchUpdateItem",
    "CompanyBatchUpsertInput",
    "CompanyBatchUpsertInputIdProperty",
    "CompanyBatchWritten",
    "CompanyBatchWrittenStatus",
    "CompanyInput",
    "CompanyInputProperties",
    "CompanyPage",
    "CompanyPatch",
    "CompanyPatchProperties",
    "CompanyProperties",
    "Contact",
    "ContactBatchCreateInput",
    "ContactBatchResults",
    "ContactBatchUpdateInput",
    "ContactBatchUpdateItem",
    "ContactBatchUpsertInput",
    "ContactBatchUpsertInputIdProperty",
    "ContactBatchWritten",
    "ContactBatchWrittenStatus",
    "ContactInput",
    "ContactInputProperties",
    "ContactLifecycleStage",
    "ContactPage",
    "ContactPatch",
    "ContactPatchProperties",
    "ContactProperties",
    "ContactPropertiesLifetimeValue",
    "ContactScore",
    "ContactSubscriptionStatus",
    "CreateRecordStep",
    "CreateRecordStepProperties",
    "Deal",
    "DealBatchCreateInput",
    "DealBatchResults",
    "DealBatchUpdateInput",
    "DealBatchUpdateItem",
    "DealBatchWritten",
    "DealBatchWrittenStatus",
    "DealCurrency",
    "DealInput",
    "DealInputProperties",
    "DealPage",
    "DealPatch",
    "DealPatchProperties",
    "DealProperties",
    "DealPropertiesStageHistory",
    "Delivery",
    "DeliveryAttempt",
    "DeliveryPage",
    "DeliveryStatus",
    "EventInput",
    "EventInputProperties",
    "EventRecorded",
    "EventRefused",
    "EventRefusedStatus",
    "EventRuleInput",
    "FieldProblem",
    "Forecast",
    "ForecastRow",
    "Form",
    "FormField",
    "FormFieldProperty",
    "FormInput",
    "FormInputSetProperties",
    "FormInputSetPropertiesLifecycleStage",
    "FormPage",
    "FormPatch",
    "FormPatchSetProperties",
    "FormPatchSetPropertiesLifecycleStage",
    "FormSetProperties",
    "Health",
    "InitialApiKey",
    "KeyRole",
    "ListWorkflowRunsStatus",
    "NewApiKey",
    "ObjectSchema",
    "ObjectSchemaList",
    "ObjectTypeInput",
    "OpenApiDocument",
    "OptionInput",
    "Pipeline",
    "PipelineInput",
    "PipelineList",
    "PipelinePatch",
    "Problem",
    "PropertyInput",
    "PropertyInputType",
    "PropertyList",
    "PropertyPatch",
    "PropertyPatchTypeType0",
    "PropertyRuleInput",
    "PropertyRuleInputConditions",
    "PropertySchema",
    "PropertySchemaTypeType0",
    "PropertySchemaTypeType1",
    "PropertyUsage",
    "PropertyWithUsage",
    "PropertyWithUsageTypeType0",
    "PropertyWithUsageTypeType1",
    "RecordEventsInput",
    "RecordedEvents",
    "Region",
    "ReplayInput",
    "ReplayResult",
    "RunInput",
    "RunProblem",
    "RunStep",
    "RunStepStatus",
    "RunTrigger",
    "RunTriggerType",
    "Scope",
    "ScoreLine",
    "ScoringRules",
    "ScoringRulesInput",
    "SearchFilter",
    "SearchFilterGroup",
    "SearchFilterOp",
    "SearchInput",
    "SearchSort",
    "SearchSortDirection",
    "SendWebhookStep",
    "SendWebhookStepPayloadType0",
    "SetPropertyStep",
    "SharedValue",
    "StageInput",
    "StageInputClosedType0",
    "StopStep",
    "SubmissionAccepted",
    "SubmitFormDataBody",
    "SubmitFormJsonBody",
    "Tenant",
    "TenantCreated",
    "TenantInput",
    "TenantPage",
    "Tier",
    "ValidationProblem",
    "WaitStep",
    "Webhook",
    "WebhookCreated",
    "WebhookInput",
    "WebhookInputEventTypesItemType0",
    "WebhookPage",
    "WebhookPatch",
    "WebhookPatchEventTypesItemType0",
    "WebhookSecretRotated",
    "WebhookTestEvent",
    "Workflow",
    "WorkflowInput",
    "WorkflowInputReenrollment",
    "WorkflowPage",
    "WorkflowPatch",
    "WorkflowPatchReenrollment",
    "WorkflowReenrollment",
    "WorkflowRun",
    "WorkflowRunPage",
    "WorkflowRunStatus",
    "WorkflowTrigger",
    "WorkflowTriggerConditionsType0",
    "WorkflowVersion",
    "WorkflowVersionPage",
    "WorkflowVersionReenrollment",
)

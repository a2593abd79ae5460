from enum import StrEnum


class EventType(StrEnum):
    COMPANY = "company.*"
    COMPANY_CREATED = "company.created"
    COMPANY_DELETED = "company.deleted"
    COMPANY_RESTORED = "company.restored"
    COMPANY_UPDATED = "company.updated"
    CONTACT = "contact.*"
    CONTACT_CREATED = "contact.created"
    CONTACT_DELETED = "contact.deleted"
    CONTACT_LIFECYCLE_STAGE_CHANGED = "contact.lifecycle_stage_changed"
    CONTACT_RESTORED = "contact.restored"
    CONTACT_SCORE_CHANGED = "contact.score_changed"
    CONTACT_UPDATED = "contact.updated"
    DEAL = "deal.*"
    DEAL_CREATED = "deal.created"
    DEAL_DELETED = "deal.deleted"
    DEAL_RESTORED = "deal.restored"
    DEAL_STAGE_CHANGED = "deal.stage_changed"
    DEAL_UPDATED = "deal.updated"
    VALUE_0 = "*"
    WEBHOOK = "webhook.*"
    WEBHOOK_ENDPOINT_DISABLED = "webhook.endpoint_disabled"
    WEBHOOK_TEST = "webhook.test"
    WORKFLOW = "workflow.*"
    WORKFLOW_CREATED = "workflow.created"
    WORKFLOW_DELETED = "workflow.deleted"
    WORKFLOW_RUN_FAILED = "workflow.run_failed"
    WORKFLOW_RUN_SUCCEEDED = "workflow.run_succeeded"
    WORKFLOW_UPDATED = "workflow.updated"

    def __str__(self) -> str:
        return str(self.value)

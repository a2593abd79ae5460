from enum import StrEnum


class FormPatchSetPropertiesLifecycleStage(StrEnum):
    CUSTOMER = "customer"
    EVANGELIST = "evangelist"
    LEAD = "lead"
    MARKETING_QUALIFIED_LEAD = "marketing_qualified_lead"
    OPPORTUNITY = "opportunity"
    OTHER = "other"
    SALES_QUALIFIED_LEAD = "sales_qualified_lead"
    SUBSCRIBER = "subscriber"

    def __str__(self) -> str:
        return str(self.value)

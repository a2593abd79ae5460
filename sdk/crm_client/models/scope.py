from enum import StrEnum


class Scope(StrEnum):
    FORMS = "forms:*"
    FORMSREAD = "forms:read"
    FORMSWRITE = "forms:write"
    KEYS = "keys:*"
    KEYSREAD = "keys:read"
    KEYSWRITE = "keys:write"
    RECORDS = "records:*"
    RECORDSREAD = "records:read"
    RECORDSWRITE = "records:write"
    SCHEMAS = "schemas:*"
    SCHEMASREAD = "schemas:read"
    SCHEMASWRITE = "schemas:write"
    TENANTS = "tenants:*"
    TENANTSREAD = "tenants:read"
    TENANTSWRITE = "tenants:write"
    WEBHOOKS = "webhooks:*"
    WEBHOOKSREAD = "webhooks:read"
    WEBHOOKSWRITE = "webhooks:write"
    WORKFLOWS = "workflows:*"
    WORKFLOWSREAD = "workflows:read"
    WORKFLOWSWRITE = "workflows:write"

    def __str__(self) -> str:
        return str(self.value)

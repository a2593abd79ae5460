"""Which events a subscription wants: exact types (`deal.stage_changed`), a family (`contact.*`) or all (`*`)."""

from __future__ import annotations

from collections.abc import Iterable

from contacts.schema import BUILTIN_OBJECT_TYPES, ObjectType

WEBHOOK_EVENT_TYPES = ("webhook.test", "webhook.endpoint_disabled")
# Workflow definitions changing, and runs ending. (`workflow.webhook` events go to the one endpoint a
# workflow's send_webhook step names, never to subscriptions.)
WORKFLOW_EVENT_TYPES = (
    "workflow.created",
    "workflow.updated",
    "workflow.deleted",
    "workflow.run_succeeded",
    "workflow.run_failed",
)

# A web form was submitted (functions/forms): the contact it created or updated, the form and the fields sent.
FORM_EVENT_TYPES = ("form.submitted",)
# A contact's behavioural event recorded (a family of its own: subscribing to contact.* does not bring every
# page view), and the lead scoring rules changing. (contact.score_changed is a signal of the contact type.)
ACTIVITY_EVENT_TYPES = ("activity.recorded", "scoring.rules_changed")
# The tenant's data model changed (functions/schemas): a property or a custom object type.
SCHEMA_EVENT_TYPES = ("schema.changed",)
# Two records associated (functions/contacts/associations.py), relabelled, or no longer.
ASSOCIATION_EVENT_TYPES = ("association.created", "association.updated", "association.deleted")
RECORD_ACTIONS = ("created", "updated", "deleted", "restored")
# A custom object type's events, as the public document describes them (each tenant's own types vary).
CUSTOM_OBJECT_EVENT_PATTERN = r"^[a-z][a-z0-9_]{0,62}\.(?:created|updated|deleted|restored|\*)$"


def known_event_types(object_types: Iterable[ObjectType] = BUILTIN_OBJECT_TYPES.values()) -> tuple[str, ...]:
    """Every event type there is for a tenant with these object types (the built-ins by default)."""
    types: list[str] = []
    for object_type in object_types:
        types += [f"{object_type.name}.{action}" for action in RECORD_ACTIONS]
        types += list(object_type.signal_changes.values())
    others = (*WEBHOOK_EVENT_TYPES, *WORKFLOW_EVENT_TYPES, *FORM_EVENT_TYPES, *ACTIVITY_EVENT_TYPES)
    return (*types, *others, *SCHEMA_EVENT_TYPES, *ASSOCIATION_EVENT_TYPES)


def validate_patterns(
    patterns: list[str], object_types: Iterable[ObjectType] = BUILTIN_OBJECT_TYPES.values()
) -> list[str]:
    """Errors for patterns that can match nothing (typos would otherwise fail silently)."""
    known = known_event_types(object_types)
    families = {t.split(".", 1)[0] for t in known}
    errors = []
    for pattern in patterns:
        if pattern == "*" or pattern in known:
            continue
        if pattern.endswith(".*") and pattern[:-2] in families:
            continue
        errors.append(pattern)
    return errors


def matches(patterns: list[str], event_type: str) -> bool:
    family = event_type.split(".", 1)[0]
    return any(p == "*" or p == event_type or p == f"{family}.*" for p in patterns)

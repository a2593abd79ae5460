"""Which events a subscription wants: exact types (`deal.stage_changed`), a family (`contact.*`) or all (`*`)."""

from __future__ import annotations

from contacts.schema import BUILTIN_OBJECT_TYPES

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


def known_event_types() -> tuple[str, ...]:
    types: list[str] = []
    for object_type in BUILTIN_OBJECT_TYPES.values():
        types += [f"{object_type.name}.{action}" for action in ("created", "updated", "deleted", "restored")]
        types += list(object_type.signal_changes.values())
    return (*types, *WEBHOOK_EVENT_TYPES, *WORKFLOW_EVENT_TYPES, *FORM_EVENT_TYPES, *ACTIVITY_EVENT_TYPES)


def validate_patterns(patterns: list[str]) -> list[str]:
    """Errors for patterns that can match nothing (typos would otherwise fail silently)."""
    known = known_event_types()
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

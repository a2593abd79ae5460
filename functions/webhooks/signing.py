"""Standard Webhooks signing. Secrets are `whsec_` + base64 of 32 random bytes; during a rotation the
old secret keeps signing for 24 h beside the new one, so subscribers can switch without a gap."""

from __future__ import annotations

import base64
import secrets
from datetime import datetime, timedelta
from typing import Any

SECRET_PREFIX = "whsec_"
ROTATION_OVERLAP = timedelta(hours=24)


def new_secret() -> str:
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(32)).decode()


def active_secrets(stored: list[dict[str, Any]], now: datetime) -> list[str]:
    """Newest first; a rotated-out secret stays active until its `expires_at`."""
    return [s["secret"] for s in stored if not s.get("expires_at") or datetime.fromisoformat(s["expires_at"]) > now]


def headers(message_id: str, sent_at: datetime, body: str, signing_secrets: list[str]) -> dict[str, str]:
    from standardwebhooks.webhooks import Webhook

    signatures = " ".join(Webhook(secret).sign(message_id, sent_at, body) for secret in signing_secrets)
    return {
        "webhook-id": message_id,
        "webhook-timestamp": str(int(sent_at.timestamp())),
        "webhook-signature": signatures,
    }

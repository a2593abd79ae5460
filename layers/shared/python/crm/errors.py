"""Domain errors. Each carries its HTTP status; one place (crm.http) maps them to RFC 9457 problem+json."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar


@dataclass(frozen=True)
class FieldError:
    pointer: str  # JSON pointer into the request body, e.g. "/properties/email"
    detail: str

    def to_dict(self) -> dict[str, str]:
        return {"pointer": self.pointer, "detail": self.detail}


class CrmError(Exception):
    status: ClassVar[int] = 500
    title: ClassVar[str] = "Internal Server Error"
    slug: ClassVar[str] = "internal"

    def __init__(self, detail: str, *, errors: list[FieldError] | None = None, **extra: Any) -> None:
        super().__init__(detail)
        self.detail = detail
        self.errors = errors or []
        self.extra = extra

    def to_problem(self) -> dict[str, Any]:
        problem: dict[str, Any] = {
            "type": f"https://crm.invalid/problems/{self.slug}",
            "title": self.title,
            "status": self.status,
            "detail": self.detail,
        }
        if self.errors:
            problem["errors"] = [e.to_dict() for e in self.errors]
        problem.update(self.extra)
        return problem


class BadRequest(CrmError):
    status, title, slug = 400, "Bad Request", "bad-request"


class MalformedJson(BadRequest):
    slug = "malformed-json"


class InvalidCursor(BadRequest):
    slug = "invalid-cursor"


class Unauthorized(CrmError):
    status, title, slug = 401, "Unauthorized", "unauthorized"


class Forbidden(CrmError):
    status, title, slug = 403, "Forbidden", "forbidden"


class NotFound(CrmError):
    status, title, slug = 404, "Not Found", "not-found"


class MethodNotAllowed(CrmError):
    status, title, slug = 405, "Method Not Allowed", "method-not-allowed"


class Conflict(CrmError):
    status, title, slug = 409, "Conflict", "conflict"


class DuplicateRecord(Conflict):
    slug = "duplicate-record"


class PreconditionFailed(CrmError):
    status, title, slug = 412, "Precondition Failed", "precondition-failed"


class PayloadTooLarge(CrmError):
    status, title, slug = 413, "Payload Too Large", "payload-too-large"


class ValidationFailed(CrmError):
    status, title, slug = 422, "Unprocessable Content", "validation-failed"


class UnknownToTenant(ValidationFailed):
    """A value naming what this tenant does not have (one of its pipelines or stages, an event type of one of
    its object types, an association label it defined): well-formed, refused for the tenant's own data."""

    slug = "unknown-to-tenant"


class IdempotencyKeyReused(CrmError):
    status, title, slug = 422, "Unprocessable Content", "idempotency-key-reused"


class ServiceUnavailable(CrmError):
    """A dependency was throttled or briefly unavailable; the client may retry (safely, with its
    Idempotency-Key)."""

    status, title, slug = 503, "Service Unavailable", "service-unavailable"

"""Logs and metrics for every function: one Powertools Logger configuration whose lines carry the
Lambda context and the tenant, and per-tenant counts (Requests, Writes, Deliveries, Failures) as
CloudWatch Embedded Metric Format (EMF), flushed once per invocation.

Wiring
- `observed(handler)`: any Lambda handler (queue consumers, the authorizer). `observed_api(handler)`:
  an API Gateway proxy handler (crm.http.lambda_handler); it also adds the caller from the authorizer
  context and counts the request by status class.
- `record(**keys)`: one queue record; its keys (`tenant_id` is also the tenant its counts are for)
  leave the log lines when it ends, and a record that raises is logged and counted as a failure.
- `count_write()` (crm.writes.Writer.commit), `count_delivery(succeeded)` (the webhook sender).

Log keys never outlive their invocation or record. They are Powertools "thread-safe" keys (a context
variable) set at the start and cleared at the end, so a warm container never carries the last
tenant_id into the next request, and the local stack (every function in one process, several
threads) never mixes two invocations' keys. The Lambda context keys have Powertools' names
(`function_name`, `function_request_id`, `cold_start`, ... as `inject_lambda_context` writes them).

Dimensions: tier, not tenant. CloudWatch bills every distinct namespace + metric name + dimension values
combination that receives data as one custom metric: $0.30 a metric-month for the first 10,000, $0.10
beyond (us-east-1). With tenant_id as a dimension, 10,000 active tenants x 4 metrics is 40,000 metrics:
$12,000 a month at $0.30 (about $6,000 with the volume tiers), before the service, status class and
delivery outcome multiply it further; and no alarm watches a single tenant's series. With tier (basic,
standard, premium, plus `operator` and `unknown`) the namespace is bounded whatever the number of
tenants: service (the function, which Powertools adds from POWERTOOLS_SERVICE_NAME) x tier x status
class or outcome is about 100 metrics at the very most, some $30 a month. tenant_id is EMF metadata
instead: it is on every EMF line in the function's log group, so Logs Insights answers per-tenant
questions (`filter tenant_id = "..." | stats sum(Requests) by bin(1h)`) for the cost of the log bytes
(about 300 bytes a line at $0.50/GB ingested: some $0.30 per million API requests) and no per-metric
charge. Consumers do not know the tenant's tier without an extra read, so they say `unknown`; their
tenant_id metadata is still exact.

Cold starts: importing this module loads nothing beyond the standard library, so crm.writes can import
it and the authorizer (which imports no Powertools) stays as light as it was. The Powertools Logger is
created on first use (at once where Powertools is already loaded), Metrics only when an invocation has
something to emit.

Where metrics go: EMF is printed to stdout, which in Lambda is the log group CloudWatch extracts
metrics from. Outside Lambda that would be noise, so metrics are emitted only in Lambda
(`AWS_LAMBDA_FUNCTION_NAME` set) unless `POWERTOOLS_METRICS_DISABLED` says otherwise:
`true` turns them off everywhere, `false` turns them on anywhere (the tests do this), and
`POWERTOOLS_DEV=true` turns them off as in Powertools. Counting itself always runs; it is a few dict
updates per invocation."""

from __future__ import annotations

import functools
import os
import sys
import threading
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from aws_lambda_powertools import Logger

DEFAULT_NAMESPACE = "Crm"  # infra/compute.py sets the same through POWERTOOLS_METRICS_NAMESPACE
UNKNOWN_TIER = "unknown"
OPERATOR_TIER = "operator"
_TRUTHY = frozenset({"1", "y", "yes", "t", "true", "on"})  # as Powertools reads boolean variables

Handler = Callable[[Any, Any], Any]
Dimensions = tuple[tuple[str, str], ...]


class _Invocation:
    """What one invocation has counted, and whom it is counting for now (the record's tenant in a batch)."""

    __slots__ = ("counts", "tenant_id", "tier")

    def __init__(self, tier: str, tenant_id: str | None) -> None:
        self.tier = tier
        self.tenant_id = tenant_id
        # (dimensions, tenant_id) -> metric name -> count: one EMF line per dimension set and tenant
        self.counts: dict[tuple[Dimensions, str | None], dict[str, float]] = {}

    def add(self, name: str, extra: Dimensions = ()) -> None:
        group = self.counts.setdefault(((("tier", self.tier), *extra), self.tenant_id), {})
        group[name] = group.get(name, 0) + 1


_keys: ContextVar[Mapping[str, Any]] = ContextVar("crm_log_keys", default=MappingProxyType({}))
_current: ContextVar[_Invocation | None] = ContextVar("crm_invocation", default=None)
_warm: set[str | None] = set()  # functions of this process that have already been invoked (cold_start)
_logger: Logger | None = None
_logger_lock = threading.Lock()
_emit_lock = threading.Lock()  # Powertools Metrics keeps its metric set on the class, shared by instances


# --- the Logger ----------------------------------------------------------------------------------------


def get_logger() -> Logger:
    """The process's Powertools Logger (service from POWERTOOLS_SERVICE_NAME, level from
    POWERTOOLS_LOG_LEVEL), carrying the current invocation's keys."""
    global _logger
    if _logger is None:
        with _logger_lock:
            if _logger is None:
                from aws_lambda_powertools import Logger

                created = Logger()
                created.thread_safe_clear_keys()
                created.thread_safe_append_keys(**_keys.get())
                _logger = created
    return _logger


def __getattr__(name: str) -> Any:
    # `from crm.observability import logger` creates the Logger then, not when this module is imported.
    if name == "logger":
        return get_logger()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _set_keys(keys: Mapping[str, Any]) -> None:
    _keys.set(keys)
    # Powertools is imported on first use; until then the keys wait here (see get_logger).
    if _logger is not None or "aws_lambda_powertools" in sys.modules:
        logger = get_logger()
        logger.thread_safe_clear_keys()
        logger.thread_safe_append_keys(**keys)


def append_keys(**keys: Any) -> None:
    """Add keys to the log lines of the rest of this invocation (or record, inside `record`). A
    `tenant_id` is also the tenant the following counts are for."""
    present = _present(keys)
    state = _current.get()
    if state is not None and "tenant_id" in present:
        state.tenant_id = str(present["tenant_id"])
    _set_keys({**_keys.get(), **present})


def _present(keys: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in keys.items() if v is not None and v != ""}


def _context_keys(context: Any) -> dict[str, Any]:
    """The keys Powertools' inject_lambda_context writes, from any object shaped like a Lambda context."""
    if context is None:
        return {}
    name = getattr(context, "function_name", None)
    cold = (
        name not in _warm and os.environ.get("AWS_LAMBDA_INITIALIZATION_TYPE") != "provisioned-concurrency"
    )  # as Powertools: a provisioned environment was initialised before any request waited for it
    _warm.add(name)
    return _present(
        {
            "cold_start": cold,
            "function_name": name,
            "function_memory_size": getattr(context, "memory_limit_in_mb", None),
            "function_arn": getattr(context, "invoked_function_arn", None),
            "function_request_id": getattr(context, "aws_request_id", None),
        }
    )


# --- invocations -------------------------------------------------------------------------------------


@contextmanager
def _invocation(context: Any, *, tier: str = UNKNOWN_TIER, **keys: Any) -> Iterator[_Invocation]:
    state = _Invocation(tier, keys.get("tenant_id") or None)
    previous_keys = _keys.get()
    keys_token = _keys.set({})
    current_token = _current.set(state)
    _set_keys({**_context_keys(context), **_present(keys)})
    try:
        yield state
    finally:
        flush(state)
        _current.reset(current_token)
        _keys.reset(keys_token)
        _set_keys(previous_keys)


def observed(handler: Handler) -> Handler:
    """A Lambda handler whose log lines carry the Lambda context, and whose counts are flushed once
    when it returns or raises."""

    @functools.wraps(handler)
    def observed_handler(event: Any, context: Any) -> Any:
        if _current.get() is not None:  # already observed (wrapped twice): one invocation, counted once
            return handler(event, context)
        with _invocation(context):
            return handler(event, context)

    return observed_handler


def observed_api(handler: Handler) -> Handler:
    """An API Gateway proxy handler: as `observed`, plus tenant_id and key_id from the authorizer
    context on every line, the API Gateway request id as correlation_id, and `Requests` by status
    class (`Failures` for a 5xx, or for an exception, which API Gateway answers with a 502)."""

    @functools.wraps(handler)
    def observed_handler(event: dict[str, Any], context: Any) -> Any:
        if _current.get() is not None:  # already observed (wrapped twice): one invocation, counted once
            return handler(event, context)
        request = (event.get("requestContext") if isinstance(event, dict) else None) or {}
        authorizer = request.get("authorizer") or {}
        with _invocation(
            context,
            tier=tier_of(authorizer),
            tenant_id=authorizer.get("tenant_id"),
            key_id=authorizer.get("key_id"),
            correlation_id=request.get("requestId"),
        ) as state:
            status = 500
            try:
                response = handler(event, context)
                status = _status(response)
                return response
            finally:
                state.add("Requests", (("status_class", f"{status // 100}xx"),))
                if status >= 500:
                    state.add("Failures")

    return observed_handler


def tier_of(authorizer: dict[str, Any]) -> str:
    """The metric dimension for a caller: its tenant's tier, `operator`, or `unknown` (no authorizer)."""
    if authorizer.get("tier"):
        return str(authorizer["tier"])
    return OPERATOR_TIER if authorizer.get("role") == "operator" else UNKNOWN_TIER


def _status(response: Any) -> int:
    try:
        return int(response.get("statusCode", 500))
    except (AttributeError, TypeError, ValueError):
        return 500


@contextmanager
def record(**keys: Any) -> Iterator[None]:
    """One record of a batch: its keys (and its tenant, `tenant_id`, for the counts) hold until it
    ends, with any added by `append_keys` meanwhile. A record that raises is logged with them and
    counted in `Failures`, then re-raised for the batch processor to report."""
    state = _current.get()
    previous_keys, previous_tenant = _keys.get(), state.tenant_id if state else None
    if state is not None:
        state.tenant_id = None  # never the previous record's
    try:
        append_keys(**keys)
        yield
    except Exception:
        get_logger().exception("record failed")
        count("Failures")
        raise
    finally:
        if state is not None:
            state.tenant_id = previous_tenant
        _set_keys(previous_keys)


# --- counting ----------------------------------------------------------------------------------------


def count(name: str, **dimensions: str) -> None:
    """Count one of `name` for the current tenant and tier; outside an invocation, nothing happens."""
    state = _current.get()
    if state is not None:
        state.add(name, tuple(dimensions.items()))


def count_write() -> None:
    """One committed write plan (crm.writes.Writer.commit)."""
    count("Writes")


def count_delivery(succeeded: bool) -> None:
    """One webhook delivery attempt (a POST made); a failed one is also a failure."""
    count("Deliveries", outcome="succeeded" if succeeded else "failed")
    if not succeeded:
        count("Failures")


def metrics_enabled() -> bool:
    """Whether EMF goes to stdout: in Lambda unless POWERTOOLS_METRICS_DISABLED (or POWERTOOLS_DEV) says
    not; elsewhere only when POWERTOOLS_METRICS_DISABLED is explicitly false."""
    disabled = os.environ.get("POWERTOOLS_METRICS_DISABLED")
    if disabled is not None:
        return disabled.strip().lower() not in _TRUTHY
    if os.environ.get("POWERTOOLS_DEV", "").strip().lower() in _TRUTHY:
        return False
    return bool(os.environ.get("AWS_LAMBDA_FUNCTION_NAME"))


def flush(state: _Invocation) -> None:
    """Print the invocation's counts as EMF, one line per dimension set and tenant; never raises (a
    metric is not worth a failed request)."""
    if not state.counts or not metrics_enabled():
        state.counts.clear()
        return
    try:
        from aws_lambda_powertools.metrics import Metrics, MetricUnit

        with _emit_lock:
            metrics = Metrics(namespace=os.environ.get("POWERTOOLS_METRICS_NAMESPACE") or DEFAULT_NAMESPACE)
            try:
                for (dimensions, tenant_id), values in state.counts.items():
                    for name, value in values.items():
                        metrics.add_metric(name=name, unit=MetricUnit.Count, value=value)
                    for dimension, value in dimensions:
                        metrics.add_dimension(name=dimension, value=value)
                    if tenant_id:
                        metrics.add_metadata(key="tenant_id", value=tenant_id)
                    metrics.flush_metrics(raise_on_empty_metrics=False)
            finally:
                metrics.clear_metrics()
    except Exception:
        get_logger().warning("metrics not emitted", exc_info=True)
    finally:
        state.counts.clear()

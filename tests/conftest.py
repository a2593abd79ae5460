"""Shared fixtures: an embedded AWS (moto) provisioned from the catalogue, and an API client that sends
real API Gateway proxy events through the local gateway (authorizer included) to the real handlers."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest

from crm import catalogue, clock, store
from tests.support.api import OPERATOR_KEY, Api, Reply, Tenant  # noqa: F401 - re-exported for suites
from tests.support.webhooks import ClockedQueue, EventChain, Receiver  # noqa: F401

# `make test` gives each worker a whole file at a time (--dist=loadfile), the files with the most tests first.
# A file of few but long tests then starts last, and one worker runs it alone while the others have finished
# (the schemathesis run, 2 tests, took the last 2.5 minutes of a 7-minute run). These files, the longest
# measured (seconds on one core), start first; every other file follows in xdist's own order.
LONGEST_FILES_FIRST = (
    "tests/e2e/test_schemathesis.py",  # ~150
    "tests/integration/webhooks/test_webhooks.py",  # ~70
    "tests/e2e/test_workflows.py",  # ~45
    "tests/e2e/test_local_stack.py",  # ~45
)


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config: pytest.Config, log: Any) -> Any:
    if config.getvalue("dist") != "loadfile":
        return None
    from xdist.scheduler import LoadFileScheduling

    class LongestFilesFirst(LoadFileScheduling):
        def _assign_work_unit(self, node: Any) -> None:
            waiting = [path for path in LONGEST_FILES_FIRST if path in self.workqueue]
            if waiting:
                self.workqueue.move_to_end(waiting[0], last=False)
            super()._assign_work_unit(node)

    return LongestFilesFirst(config, log)


@pytest.fixture
def aws(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """A fresh moto account with the catalogue's table and usage plans."""
    from moto import mock_aws

    from local import provision

    provision.fake_credentials()
    monkeypatch.setenv(catalogue.ENV_OPERATOR_KEY, OPERATOR_KEY)
    monkeypatch.setenv("POWERTOOLS_LOG_LEVEL", "CRITICAL")
    with mock_aws():
        store.reset_clients()
        _reset_function_state()
        provision.all_resources()
        yield
    store.reset_clients()
    _reset_function_state()
    os.environ.pop(catalogue.ENV_USAGE_PLANS, None)


def _reset_function_state() -> None:
    """Forget per-container caches of the functions, as a new Lambda container would."""
    from authorizer import handler as authorizer
    from contacts import registry
    from tenants import usage_plans
    from workflows import executions

    authorizer._operator_digest = None
    usage_plans.reset()
    registry.reset()
    executions.reset_client()


@pytest.fixture
def api(aws: None) -> Api:
    from local.gateway import LocalGateway

    return Api(LocalGateway())


@pytest.fixture
def tenant(api: Api) -> Tenant:
    return api.new_tenant("Acme")


@pytest.fixture
def other_tenant(api: Api) -> Tenant:
    return api.new_tenant("Globex")


@pytest.fixture
def frozen_clock() -> Iterator[list]:
    """A controllable clock: tests move time by assigning moment[0]; nothing ever sleeps."""
    from datetime import UTC, datetime

    moment = [datetime(2026, 1, 1, tzinfo=UTC)]
    clock.set_clock(lambda: moment[0])
    yield moment
    clock.set_clock(None)


# --- webhooks: a real receiver on loopback and the event chain driven by an injected clock ---------


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    server = Receiver()
    yield server
    server.close()


@pytest.fixture
def private_targets_allowed(monkeypatch: pytest.MonkeyPatch) -> None:
    """As the local stack runs: a receiver on 127.0.0.1 may be called."""
    monkeypatch.setenv(catalogue.ENV_ALLOW_PRIVATE_WEBHOOKS, "true")


@pytest.fixture
def real_time_clock() -> Iterator[list]:
    """An injected clock that starts at the real time (so signatures verify) and moves only when told."""
    from datetime import UTC, datetime

    moment = [datetime.now(UTC)]
    clock.set_clock(lambda: moment[0])
    yield moment
    clock.set_clock(None)


@pytest.fixture
def event_chain(api: Api, real_time_clock: list) -> Iterator[EventChain]:
    chain = EventChain(api.gateway, real_time_clock)
    yield chain
    chain.close()


@pytest.fixture
def subscriber_clock(real_time_clock: list, monkeypatch: pytest.MonkeyPatch) -> list:
    """The standardwebhooks library checks timestamps against its own clock: give it ours, as a
    subscriber whose clock agrees with the sender's."""
    from datetime import datetime

    import standardwebhooks.webhooks as library

    class SubscriberDatetime(datetime):
        @classmethod
        def now(cls, tz: Any = None) -> datetime:  # type: ignore[override]
            return real_time_clock[0]

    monkeypatch.setattr(library, "datetime", SubscriberDatetime)
    return real_time_clock

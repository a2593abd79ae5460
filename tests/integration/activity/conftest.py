"""Fixtures for behavioural events and scoring: the event chain with this context's own queue."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from crm import catalogue, queues


@pytest.fixture
def chain(event_chain: Any) -> Iterator[Any]:
    """The event chain (tests.support.webhooks) with the contact_activity consumer's own messages (a rules
    sweep, a stale score) sent to its real queue on moto, where the chain's poller picks them up; every
    other queue keeps the chain's clocked transport."""
    clocked = event_chain.delayed

    def send(queue_name: str, body: dict[str, Any], delay_s: int) -> None:
        if queue_name == catalogue.CONTACT_ACTIVITY_QUEUE:
            queues._sqs_send(queue_name, body, delay_s)
        else:
            clocked(queue_name, body, delay_s)

    queues.set_transport(send)
    yield event_chain
    queues.set_transport(clocked)

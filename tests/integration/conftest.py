"""Fixtures for the integration suites (the `aws`, `api`, `tenant`... fixtures live in tests/conftest.py)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import timedelta
from typing import Any

import pytest

from tests.support import table as support


@pytest.fixture(scope="session", autouse=True)
def _shared_botocore_models() -> Iterator[None]:
    """moto gives every test a fresh boto3 session, and each session re-reads botocore's JSON service
    models (~50 ms per client). The models are static files: share one loader so each is read once."""
    import botocore.loaders
    import botocore.session

    loaders: dict[Any, botocore.loaders.Loader] = {}
    original = botocore.session.create_loader

    def shared(search_path_string: Any = None) -> botocore.loaders.Loader:
        if search_path_string not in loaders:
            loaders[search_path_string] = original(search_path_string)
        return loaders[search_path_string]

    patch = pytest.MonkeyPatch()
    patch.setattr(botocore.session, "create_loader", shared)
    yield
    patch.undo()


@pytest.fixture
def tick(frozen_clock: list) -> Iterator[Callable[[], None]]:
    """A frozen clock moved one second per call, so ids (ULIDs) and timestamps order strictly."""

    def advance() -> None:
        frozen_clock[0] += timedelta(seconds=1)

    yield advance


@pytest.fixture
def unchanged() -> Callable[[], Any]:
    """`with unchanged(): ...` asserts the block left the whole table exactly as it was."""
    from contextlib import contextmanager

    @contextmanager
    def check() -> Iterator[None]:
        before = support.everything()
        yield
        assert support.everything() == before

    return check

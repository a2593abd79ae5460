"""The committed SDK is the one the code generates: sdk/openapi.json is the document the API serves, and
sdk/crm_client is what openapi-python-client makes of it, without a warning. Regenerated offline into a
temporary directory and compared file by file."""

from __future__ import annotations

from pathlib import Path

import pytest

from sdk import generate


@pytest.fixture(scope="module")
def regenerated(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str]]:
    directory = tmp_path_factory.mktemp("sdk")
    warnings = generate.build(directory)
    return directory, warnings


def test_given_the_served_document_when_regenerated_then_the_committed_openapi_json_is_the_same(regenerated):
    directory, _ = regenerated
    fresh = (directory / generate.DOCUMENT.name).read_text(encoding="utf-8")
    committed = generate.DOCUMENT.read_text(encoding="utf-8") if generate.DOCUMENT.exists() else ""
    assert fresh == committed, "sdk/openapi.json differs from the document the API serves: run make sdk"


def test_given_the_served_document_when_regenerated_then_the_committed_client_is_the_same(regenerated):
    directory, _ = regenerated
    fresh = generate.generated_files(directory / generate.PACKAGE.name)
    committed = generate.generated_files(generate.PACKAGE)
    stale = sorted(name for name in fresh.keys() | committed.keys() if fresh.get(name) != committed.get(name))
    assert not stale, (
        f"sdk/crm_client is stale ({', '.join(stale[:10])}{', ...' if len(stale) > 10 else ''}): run make sdk"
    )


def test_given_the_served_document_when_generating_then_the_generator_warns_of_nothing(regenerated):
    # A warning means a generated client silently lacks an operation or a type.
    _, warnings = regenerated
    assert warnings == []

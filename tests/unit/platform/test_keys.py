"""Key shapes (crm.keys): one declaration per item kind, no two sharing a prefix or a kind, and no
other module spelling a tenant key by hand."""

from __future__ import annotations

import re
from pathlib import Path

from crm import keys

ROOT = Path(__file__).resolve().parents[3]


def test_given_every_tenant_item_shape_then_kinds_and_partition_prefixes_are_unique():
    kinds = [shape.kind for shape in keys.TENANT_SHAPES]
    prefixes = [keys.prefix(shape) for shape in keys.TENANT_SHAPES]
    assert len(set(kinds)) == len(kinds)
    assert len(set(prefixes)) == len(prefixes)


def test_given_the_system_partitions_then_they_are_outside_every_tenant():
    for pk in (keys.SYSTEM_TENANTS_PK, keys.SYSTEM_IDEMPOTENCY_PK):
        assert not pk.startswith(keys.tenant_root(""))
    assert keys.SYSTEM_TENANTS_PK != keys.SYSTEM_IDEMPOTENCY_PK


def test_given_the_runtime_code_then_only_crm_keys_and_the_store_spell_a_tenant_key():
    spelled = re.compile(r"""f?["']T#""")
    offenders = [
        str(path.relative_to(ROOT))
        for tree in ("functions", "layers")
        for path in (ROOT / tree).rglob("*.py")
        if spelled.search(path.read_text()) and path.name not in ("keys.py", "catalogue.py")
    ]
    assert offenders == []

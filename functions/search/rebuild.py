"""Rebuild search indexes: `python -m search.rebuild [--tenant ID]... [--collection NAME]...`.

What an operator runs once after deploying the version that brought search (records written before it have no
index items), and after restoring an archived indexed property; it is also safe to run at any time to tidy up
(search.indexing.rebuild). Without --tenant, every tenant in the registry; without --collection, every object
type of each. Needs CRM_TABLE_NAME (the stack's TableName output) and credentials that may read and write
the table (the operator's, not a tenant's)."""

from __future__ import annotations

import argparse
from collections.abc import Iterator, Sequence

from contacts.registry import SchemaRegistry
from crm.store import TenantTable
from search.indexing import Rebuilt, rebuild


def rebuild_tenant(tenant_id: str, collections: Sequence[str] = ()) -> dict[str, Rebuilt]:
    """Rebuild the indexes of a tenant's object types (these collections, else all): collection -> report."""
    registry, table = SchemaRegistry(tenant_id), TenantTable(tenant_id)
    types = [registry.by_collection(c) for c in collections] if collections else registry.object_types()
    return {object_type.collection: rebuild(table, object_type) for object_type in types}


def _tenants() -> Iterator[str]:
    from tenants.repository import Registry

    registry, after = Registry(), None
    while True:
        page, after = registry.page(100, after)
        yield from (item["sk"] for item in page)
        if after is None:
            return


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m search.rebuild", description=__doc__.splitlines()[0])
    parser.add_argument("--tenant", action="append", default=[], help="a tenant id (repeatable; default: all)")
    parser.add_argument("--collection", action="append", default=[], help="e.g. contacts (repeatable; default: all)")
    args = parser.parse_args(argv)
    for tenant_id in args.tenant or _tenants():
        for collection, report in rebuild_tenant(tenant_id, args.collection).items():
            print(
                f"{tenant_id} {collection}: {report.records} records read, {report.put} items written, "
                f"{report.deleted} stale items removed, {report.pending_cleared} pending marks cleared"
            )


if __name__ == "__main__":
    main()

"""Where workflow definitions live, for one tenant (shapes in crm.keys):

- workflow pk T#<tenant>#WF                 sk <workflow id>           the current definition and its state
- version  pk T#<tenant>#WFV#<workflow id>  sk <version, 10 digits>   every version ever written, immutable

Both hold the definition as canonical JSON text (Definition.to_json): a definition nests deeper than a
DynamoDB map may, and its numbers stay exact. Every change writes the workflow (conditional on the
version read) and its new version item in one plan, so the history never misses a version. A deleted
workflow keeps its item (marked `deleted_at`, disabled) and every version: runs show the version they
were pinned to."""

from __future__ import annotations

from typing import Any

from crm import jsonio, keys
from crm.errors import NotFound
from crm.store import TenantTable
from crm.writes import Put, WritePlan
from workflows.definition import Definition

# Workflows read per page by enabled_for_trigger: a tenant's whole partition in one query in practice.
TRIGGER_QUERY_PAGE = 1000


def version_key(version: int) -> str:
    return f"{version:010d}"


def definition_of(item: dict[str, Any]) -> Definition:
    """The definition a workflow or version item holds."""
    return Definition.from_json(jsonio.loads(item["definition"]))


def public_workflow(item: dict[str, Any], definition: Definition | None = None) -> dict[str, Any]:
    definition = definition or definition_of(item)
    return {
        "id": item["id"],
        **definition.public(),
        "version": item["version"],
        "created_at": item["created_at"],
        "updated_at": item["updated_at"],
    }


def public_version(item: dict[str, Any]) -> dict[str, Any]:
    return {
        "workflow_id": item["workflow_id"],
        "version": item["version"],
        **definition_of(item).public(),
        "created_at": item["created_at"],
        "deleted_at": item.get("deleted_at"),
    }


class WorkflowRepository:
    def __init__(self, table: TenantTable) -> None:
        self.table = table
        self.tenant_id = table.tenant_id
        self._workflows = table.pk(keys.WORKFLOW.partition)

    def _versions(self, workflow_id: str) -> str:
        return self.table.pk(keys.prefix(keys.WORKFLOW_VERSION), workflow_id)

    # --- reads ----------------------------------------------------------------------------------------

    def get(self, workflow_id: str) -> dict[str, Any] | None:
        """The workflow's item as stored (a deleted one too: check `deleted_at`); None if it never existed."""
        return self.table.get(self._workflows, workflow_id)

    def get_version_item(self, workflow_id: str, version: int) -> dict[str, Any] | None:
        return self.table.get(self._versions(workflow_id), version_key(version))

    def get_version(self, workflow_id: str, version: int) -> Definition:
        """The definition of one version (what a run is pinned to)."""
        item = self.get_version_item(workflow_id, version)
        if item is None:
            raise NotFound(f"No version {version} of workflow {workflow_id}.")
        return definition_of(item)

    def page(self, limit: int, after: str | None, enabled: bool | None) -> tuple[list[dict[str, Any]], str | None]:
        """Workflows that are not deleted, newest first (ids are ULIDs)."""
        condition = "attribute_not_exists(deleted_at)"
        if enabled is not None:
            condition += " AND #enabled = :enabled"
        return self.table.query(
            self._workflows,
            limit=limit,
            after_sk=after,
            filter_expression=condition,
            filter_names={"#enabled": "enabled"} if enabled is not None else None,
            filter_values={":enabled": enabled} if enabled is not None else None,
        )

    def page_versions(self, workflow_id: str, limit: int, after: str | None) -> tuple[list[dict[str, Any]], str | None]:
        """Newest first."""
        return self.table.query(self._versions(workflow_id), limit=limit, after_sk=after)

    def enabled_for_trigger(self, event_type: str) -> list[tuple[dict[str, Any], Definition]]:
        """Every enabled, undeleted workflow whose trigger is `event_type`, with its current definition.
        One query of the tenant's workflows (each item says its trigger), filtered here."""
        found: list[tuple[dict[str, Any], Definition]] = []
        after = None
        while True:
            items, after = self.table.query(
                self._workflows, limit=TRIGGER_QUERY_PAGE, after_sk=after, newest_first=False
            )
            for item in items:
                if item.get("enabled") and not item.get("deleted_at") and item.get("trigger_event") == event_type:
                    found.append((item, definition_of(item)))
            if not after:
                return found

    # --- writes ---------------------------------------------------------------------------------------

    def put(self, plan: WritePlan, item: dict[str, Any], expected_version: int | None) -> None:
        """Adds the workflow item and its new version item to `plan`: a new workflow, or over exactly the
        version that was read (optimistic concurrency: a lost race is a VersionRace)."""
        if expected_version is None:
            plan.add(Put(self._workflows, item["id"], item, condition="attribute_not_exists(pk)"), "created")
        else:
            put = Put(self._workflows, item["id"], item, condition="version = :v", values={":v": expected_version})
            plan.add(put, "version_changed")
        version = {
            "kind": keys.WORKFLOW_VERSION.kind,
            "workflow_id": item["id"],
            "version": item["version"],
            "definition": item["definition"],
            "created_at": item["updated_at"],
            "deleted_at": item.get("deleted_at"),
        }
        key = version_key(item["version"])
        plan.add(Put(self._versions(item["id"]), key, version, condition="attribute_not_exists(pk)"), "version_changed")


def new_item(
    workflow_id: str, definition: Definition, *, version: int, created_at: str, updated_at: str
) -> dict[str, Any]:
    """A workflow item: the definition, plus what listing and trigger matching read without parsing it."""
    return {
        "kind": keys.WORKFLOW.kind,
        "id": workflow_id,
        "version": version,
        "enabled": definition.enabled,
        "object": definition.object,
        "trigger_event": definition.trigger.event,
        "definition": jsonio.dumps(definition.to_json(), canonical=True),
        "created_at": created_at,
        "updated_at": updated_at,
    }

"""Search routes: `POST /v1/<collection>/search` and `/v1/objects/<collection>/search`, beside the record routes
(contacts.routes) of every object type, built-in or the tenant's own."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.depends import Depends
from aws_lambda_powertools.event_handler.openapi.params import Body
from aws_lambda_powertools.event_handler.request import Request
from pydantic import BaseModel, ConfigDict, Field

from contacts.routes import Collection, RecordPage, records_service
from crm import http
from crm.numbers import whole_number
from search.planner import MAX_FILTERS, MAX_GROUPS, OPERATORS
from search.service import SearchService

router = Router()

_NO_DEFAULT = {"json_schema_extra": lambda schema: schema.pop("default", None)}  # optional, but never null
MAX_QUERY = 200
MAX_CURSOR = 2048


class SearchFilter(BaseModel):
    model_config = ConfigDict(extra="forbid")
    property: str = Field(
        min_length=1,
        max_length=200,
        pattern=r"^[a-z][a-z0-9_]{0,62}(\.[A-Za-z][A-Za-z0-9_]{0,62})?$",
        description="A property or record field (id, created_at, updated_at); `<association>.<property>` reaches "
        "an associated record's, e.g. company.industry on contacts (through company_id)",
    )
    op: Literal[OPERATORS] = Field(description="Text comparisons ignore case; eq, in and their negations are exact")  # type: ignore[valid-type]
    value: Any = Field(
        default=None,
        description="Normalised as a write would normalise it; a list for in and not_in; none for is_set, is_not_set",
        **_NO_DEFAULT,
    )


class SearchFilterGroup(BaseModel):
    model_config = ConfigDict(extra="forbid")
    filters: list[SearchFilter] = Field(min_length=1, max_length=MAX_FILTERS, description="All must match (AND)")


class SearchSort(BaseModel):
    model_config = ConfigDict(extra="forbid")
    property: str = Field(
        min_length=1,
        max_length=64,
        description="created_at, updated_at or an indexed property (records without it come last ascending, "
        "first descending)",
    )
    direction: Literal["asc", "desc"] = "asc"


class SearchInput(BaseModel):
    model_config = ConfigDict(extra="forbid")
    filter_groups: list[SearchFilterGroup] = Field(
        default_factory=list,
        max_length=MAX_GROUPS,
        description="Any group may match (OR); none: every record",
    )
    sorts: list[SearchSort] = Field(default_factory=list, max_length=1, description="At most one; none: newest first")
    query: http.text(MAX_QUERY) = Field(  # type: ignore[valid-type]
        default=None,
        description="Matches the start of the record's identifying text, ignoring case: a name or a word of it, "
        "an email or its domain, a domain (contacts: first_name, last_name, email; companies: name, domain; "
        "deals: name)",
        **_NO_DEFAULT,
    )
    limit: whole_number(ge=1, le=http.MAX_PAGE) = 25  # type: ignore[valid-type]
    after: str = Field(
        default=None,
        min_length=1,
        max_length=MAX_CURSOR,
        description="next_cursor of the previous page, with the same search",
        **_NO_DEFAULT,
    )

    def as_request(self) -> dict[str, Any]:
        """The search as the service reads it (a filter's value left out stays out: is_set takes none)."""
        return {
            "filter_groups": [
                {"filters": [f.model_dump(exclude_unset=True) for f in group.filters]} for group in self.filter_groups
            ],
            "sorts": [sort.model_dump() for sort in self.sorts],
            "query": self.query,
            "limit": self.limit,
            "after": self.after,
        }


def search_service(request: Request, caller: http.CurrentCaller) -> SearchService:
    """The search of this request's object type, in the caller's tenant. A search only reads, so a read-only
    key may run it though it is a POST."""
    records = records_service(request, caller.require_tenant("records:read"))
    return SearchService(
        records.tenant_id, records.object_type, validation=records.validation, table=records.repository.table
    )


Searcher = Annotated[SearchService, Depends(search_service)]

_DESCRIPTION = (
    "Filter groups are OR of ANDs over the condition language's comparisons; `query` matches the start of "
    "names, emails and domains. Indexed properties (GET /v1/schemas shows `indexed`), updated_at and ids are "
    "served by an index: a page costs what it returns, whatever the collection's size. A filter no index serves "
    "alone reads the whole collection, a page at a time (linear in its size; a page may then hold fewer records "
    "than `limit`, even none: only a null next_cursor says the search is done). Send next_cursor as `after`, "
    "with the same search. X-Items-Read says how many items the page read. A search only reads: it takes no "
    "Idempotency-Key, and read-only keys may run it."
)


def _register(prefix: str, id_suffix: str) -> None:
    tag = ["objects" if prefix else "records"]

    @router.post(
        f"{prefix}/<collection>/search",
        operation_id=f"search_{id_suffix}",
        summary="Search records",
        description=_DESCRIPTION,
        responses=http.documented(
            200, "A page of matching records", RecordPage, 400, 404, 413, 422, headers=["X-Items-Read"]
        ),
        tags=tag,
    )
    def search(collection: Collection, body: Annotated[SearchInput, Body()], searcher: Searcher):
        page = searcher.search(body.as_request())
        body_out = {"data": page.records, "next_cursor": page.next_cursor}
        return http.json_response(200, body_out, {"X-Items-Read": str(page.items_read)})


_register("/objects", "object_records")
_register("", "records")

"""A tenant's data model as data: custom property definitions and custom object types, what the API takes
for them, how they are stored (one schema item per object type) and how they become the `PropertyDef`s and
`ObjectType`s every write is validated with (contacts.schema)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictBool, WithJsonSchema

from contacts import schema as types
from crm import http

# Limits per tenant (documented in the README; a 422 names the one a request would pass).
MAX_CUSTOM_OBJECT_TYPES = 25
MAX_CUSTOM_PROPERTIES = 200  # per object type, archived ones included (their values are kept)
MAX_OPTIONS = 200
MAX_LABEL = 200
MAX_DESCRIPTION = 1000

NAME_PATTERN = r"^[a-z][a-z0-9_]{0,62}$"
COLLECTION_PATTERN = r"^[a-z][a-z0-9_-]{0,62}$"
OPTION_PATTERN = r"^[a-z0-9][a-z0-9_-]{0,99}$"

PropertyTypeName = Literal[
    "string",
    "text",
    "number",
    "boolean",
    "date",
    "datetime",
    "enum",
    "multi_enum",
    "email",
    "phone",
    "url",
    "currency",
    "reference",
]
STRING_MAX = 1000  # `string`: a short value; `text`: up to contacts.schema.MAX_TEXT characters

# Object names that already mean something in event types or the API (`workflow.run_failed`, ...): a custom
# object type named so would make its events ambiguous.
RESERVED_OBJECT_NAMES = frozenset(
    {"workflow", "webhook", "form", "activity", "scoring", "schema", "association", "tenant", "api_key", "object"}
)

Label = Annotated[str, http.text(MAX_LABEL)]
Description = Annotated[str, http.text(MAX_DESCRIPTION)]


class OptionInput(BaseModel):
    model_config = ConfigDict(extra="forbid")
    value: str = Field(pattern=OPTION_PATTERN, description="Stored value: lower case, digits, _ and -")
    label: Label


class PropertyInput(BaseModel):
    """A custom property, as `POST /v1/schemas/{collection}/properties` takes it."""

    model_config = ConfigDict(extra="forbid")
    name: str = Field(pattern=NAME_PATTERN, description="Lower case, digits and _; cannot change later")
    label: Label
    type: PropertyTypeName
    options: list[OptionInput] | None = Field(
        default=None, max_length=MAX_OPTIONS, description="enum and multi_enum: the ordered options"
    )
    target: str | None = Field(
        default=None, pattern=NAME_PATTERN, description="reference: the object type referred to, e.g. company"
    )
    required: StrictBool = Field(default=False, description="New records must have it; it cannot be removed")
    unique: StrictBool = Field(default=False, description="One record per value (a 409 names the holder)")
    description: Description | None = None
    indexed: StrictBool = Field(default=False, description="Searches filter on it through an index")

    def faults(self, at: str) -> list[tuple[str, str]]:
        """What the JSON schema cannot say about a definition: which fields its type needs (the service
        answers them with SchemaRefused, every one at once)."""
        found = []
        choice = self.type in ("enum", "multi_enum")
        if choice and not self.options:
            found.append((f"{at}/options", f"a {self.type} property needs options"))
        if not choice and self.options is not None:
            found.append((f"{at}/options", f"options are for enum and multi_enum properties, not {self.type}"))
        if (self.type == "reference") != (self.target is not None):
            found.append((f"{at}/target", "a reference property names its target, and only a reference property"))
        if self.options and len({o.value for o in self.options}) != len(self.options):
            found.append((f"{at}/options", "option values must differ"))
        if self.unique and self.type not in UNIQUE_TYPES:
            found.append((f"{at}/unique", f"unique is for {', '.join(UNIQUE_TYPES)} properties"))
        return found


UNIQUE_TYPES = ("string", "email", "phone", "url", "number")


class PropertyPatch(BaseModel):
    """What may change on a property: its label and description always; options may be added, relabelled
    and reordered (removing one still in use is a 409); its type only while no value would be lost; whether
    it is unique only while no two records share a value; indexed whenever asked (existing records first)."""

    model_config = ConfigDict(extra="forbid")
    label: Label | None = None
    description: Description | None = None
    options: list[OptionInput] | None = Field(default=None, min_length=1, max_length=MAX_OPTIONS)
    type: PropertyTypeName | None = None
    required: StrictBool | None = None
    unique: StrictBool | None = Field(
        default=None,
        description="true: existing values are claimed first, refused (409, `duplicates`) while two records share "
        "one; false: any number of records may share a value again",
    )
    indexed: StrictBool | None = Field(
        default=None,
        description="true: existing records are indexed first, then searches use the index; false: searches on it "
        "walk the records",
    )


class ObjectTypeInput(BaseModel):
    """A custom object type, as `POST /v1/schemas` takes it."""

    model_config = ConfigDict(extra="forbid")
    name: str = Field(pattern=NAME_PATTERN, description="Singular, used in event types: partner -> partner.created")
    collection: str = Field(pattern=COLLECTION_PATTERN, description="Plural, the URL segment: /v1/objects/partners")
    label: Label
    properties: list[PropertyInput] = Field(min_length=1, max_length=MAX_CUSTOM_PROPERTIES)
    identifying: list[str] = Field(
        min_length=1, max_length=10, description="A new record needs at least one of these properties"
    )


# --- stored form -> contacts.schema ---------------------------------------------------------------------


def property_type(stored: Mapping[str, Any]) -> types.PropertyType:
    """The validating type of a stored custom property."""
    kind = stored["type"]
    options = tuple(o["value"] for o in stored.get("options") or ())
    labels = tuple(o["label"] for o in stored.get("options") or ())
    built: dict[str, types.PropertyType] = {
        "string": types.Text(max_length=STRING_MAX),
        "text": types.Text(name="text"),
        "number": types.Number(),
        "boolean": types.Boolean(),
        "date": types.Day(),
        "datetime": types.DateTime(),
        "email": types.Email(),
        "phone": types.Phone(),
        "url": types.Url(),
        "currency": types.Currency(),
    }
    if kind == "enum":
        return types.Choice(options=options, labels=labels)
    if kind == "multi_enum":
        return types.MultiChoice(options=options, labels=labels)
    if kind == "reference":
        return types.Reference(target=stored["target"])
    return built[kind]


def property_def(stored: Mapping[str, Any]) -> types.PropertyDef:
    return types.PropertyDef(
        name=stored["name"],
        type=property_type(stored),
        label=stored["label"],
        unique=bool(stored.get("unique")),
        description=stored.get("description") or "",
        custom=True,
        indexed=bool(stored.get("indexed")),
        index_pending=bool(stored.get("index_pending")),
    )


def pipeline(stored: Mapping[str, Any]) -> types.Pipeline:
    stages = tuple(types.Stage(s["id"], s["label"], s["probability"], s.get("closed")) for s in stored["stages"])
    return types.Pipeline(stored["id"], stored["name"], stages)


def object_type(item: Mapping[str, Any], builtin: types.ObjectType | None) -> types.ObjectType:
    """A built-in with the tenant's custom properties added, or a custom object type."""
    active = [p for p in item.get("properties") or () if not p.get("archived_at")]
    hidden = frozenset(p["name"] for p in item.get("properties") or () if p.get("archived_at"))
    custom = {p["name"]: property_def(p) for p in active}
    required = tuple(p["name"] for p in active if p.get("required"))
    if builtin is not None:
        pipelines = {**builtin.pipelines, **{p["id"]: pipeline(p) for p in item.get("pipelines") or ()}}
        return replace(
            builtin,
            properties={**builtin.properties, **custom},
            required=(*builtin.required, *required),
            hidden=hidden,
            pipelines=pipelines if builtin.pipelines else {},
            association_labels=association_labels(item),
        )
    return types.ObjectType(
        name=item["object"],
        collection=item["collection"],
        label=item["label"],
        properties=custom,
        identifying=tuple(item["identifying"]),
        required=required,
        custom=True,
        hidden=hidden,
        association_labels=association_labels(item),
    )


def association_labels(item: Mapping[str, Any]) -> dict[str, tuple[str, ...]]:
    return {
        other: tuple(label["name"] for label in labels) for other, labels in (item.get("associations") or {}).items()
    }


def api_type_name(spec: types.PropertyDef, stored: Mapping[str, Any] | None = None) -> str:
    """The API's name for a property's type (custom properties keep theirs; built-ins map theirs)."""
    if stored is not None:
        return str(stored["type"])
    kind = spec.type
    if isinstance(kind, types.MultiChoice):
        return "multi_enum"
    if isinstance(kind, types.Choice):
        return "enum"
    if isinstance(kind, types.Text):
        return "text" if kind.max_length > STRING_MAX else "string"
    return {"enumeration": "enum", "references": "references", "amounts": "amounts", "domain": "domain"}.get(
        kind.name, kind.name
    )


# --- pipelines ------------------------------------------------------------------------------------------

MAX_PIPELINES = 50  # per object type
MAX_STAGES = 50
PIPELINE_OBJECTS = ("deal",)  # the object types whose records move through pipelines


class StageInput(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: str = Field(pattern=OPTION_PATTERN, description="What deals store in `stage`: lower case, digits, _ and -")
    label: Label
    probability: Annotated[
        Decimal,
        Field(ge=0, le=1),
        # A JSON number, as every number here (Decimal alone would be documented as a string too).
        WithJsonSchema(
            {"type": "number", "minimum": 0, "maximum": 1, "description": "0-1: the chance a deal here is won"}
        ),
    ]
    closed: Literal["won", "lost"] | None = Field(default=None, description="For the stages that end a deal")


def repeated(ids: list[str], at: str, field: str = "id") -> list[tuple[str, str]]:
    """A fault at each id that appeared earlier in the list (ids of stages, names of labels, ...)."""
    return [(f"{at}/{index}/{field}", "appears twice") for index, value in enumerate(ids) if value in ids[:index]]


class PipelineInput(BaseModel):
    model_config = ConfigDict(extra="forbid")
    object: Literal[PIPELINE_OBJECTS] = Field(description="The object type: deal")  # type: ignore[valid-type]
    name: Label
    stages: list[StageInput] = Field(min_length=1, max_length=MAX_STAGES, description="Stage ids must differ")


class PipelinePatch(BaseModel):
    """Only the fields sent change; `stages` replaces the list (a stage still in use cannot go: 409)."""

    model_config = ConfigDict(extra="forbid")
    name: Label | None = None
    stages: list[StageInput] | None = Field(
        default=None, min_length=1, max_length=MAX_STAGES, description="Stage ids must differ"
    )


def stored_pipeline(model: types.Pipeline) -> dict[str, Any]:
    """A built-in pipeline (the default) in its stored form."""
    return {
        "id": model.id,
        "name": model.label,
        "stages": [
            {"id": s.id, "label": s.label, "probability": s.probability, "closed": s.closed} for s in model.stages
        ],
    }


# --- association labels ---------------------------------------------------------------------------------

MAX_ASSOCIATION_LABELS = 50  # per pair of object types


class AssociationLabel(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str = Field(pattern=OPTION_PATTERN, description="What associations carry in `label`, e.g. referrer")
    label: Label


class AssociationLabels(BaseModel):
    """The labels associations between two object types may carry (either direction)."""

    model_config = ConfigDict(extra="forbid")
    labels: list[AssociationLabel] = Field(max_length=MAX_ASSOCIATION_LABELS, description="Names must differ")

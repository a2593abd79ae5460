"""A workflow definition: what a tenant sends (checked whole, every fault at its JSON pointer), what is
stored (canonical JSON, pinned by version) and what the engine walks (steps and their successors).

- `validate(raw, environment)` checks a definition as sent and returns a `Definition`, or raises
  ValidationFailed listing every fault: unknown keys, types and ranges, properties the object does not
  have, templates naming unknown properties, unknown webhook endpoints, unknown step targets, duplicate
  step ids, unreachable steps and loops with no wait in them. Each field and step is checked on its own,
  so one fault never hides another; the graph (reachability, loops) is checked once every step's shape
  and targets are sound, so a broken step never produces a cascade of false faults. When every field
  has its documented shape the faults come as DefinitionRefused (problem type invalid-workflow).
- `Definition.to_json()` / `Definition.from_json(stored)` round-trip, with conditions in their canonical
  JSON. `from_json` trusts what it reads (it was validated when written) and needs no schema: the kind
  of each property a condition reads is stored beside the conditions, so a version keeps its meaning
  whatever later happens to the tenant's object types.
- Steps run in list order unless `next` (or a branch's `then`/`else`) says otherwise; the step after
  the last one is the end. `Definition.first`, `Definition.step(id)` and `Definition.successor(step,
  branch_result)` are the engine's navigation.
- `render(value, record)` fills `{{record.<property>}}` templates (create_record properties and
  send_webhook payloads).

The pydantic models of `shapes()` describe the request bodies (the OpenAPI document) and check each
piece's shape; everything that needs the object type, the tenant or the whole graph is checked in code."""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING, Annotated, Any, ClassVar, Literal

from crm import conditions, jsonio
from crm.errors import FieldError, ValidationFailed

if TYPE_CHECKING:
    from contacts.schema import ObjectType, PropertyDef, ValidationContext

MAX_STEPS = 100
MAX_OWNERS = 50
MAX_WAIT_SECONDS = 31_536_000  # a year: longer waits belong to a scheduled job, not a run
MAX_PAYLOAD_BYTES = 8 * 1024  # a send_webhook payload, as compact JSON
STEP_ID_PATTERN = r"^[a-z0-9_-]{1,64}$"
MANUAL = "manual"
REENROLLMENT = ("never", "always")
CHANGE_OPERATORS = ("changed", "changed_to")
STEP_TYPES = ("set_property", "assign_owner", "create_record", "wait", "branch", "send_webhook", "stop")
# The property assign_owner sets: only object types that have it can take that step.
OWNER_PROPERTY = "owner"

# --- request shapes (OpenAPI, and each piece's shape check) --------------------------------------------


@dataclass(frozen=True)
class Shapes:
    """The pydantic models of a definition as sent: the OpenAPI document's request and response schemas,
    and the shape check of each piece (validate)."""

    trigger: Any
    steps: Mapping[str, Any]  # step type -> its model
    step: Any  # any step (a union tagged by `type`), for documentation
    workflow_input: Any
    workflow_patch: Any
    top_level: Mapping[str, tuple[Any, bool]]  # field -> (TypeAdapter, required), each checked on its own
    adapters: Mapping[Any, Any]  # model -> its TypeAdapter (the trigger and each step)


@cache
def shapes() -> Shapes:
    """Built on first use: the API needs them, while the engine and the trigger matcher only read stored
    definitions and should not pay for pydantic and a dozen models at every cold start."""
    from pydantic import BaseModel, ConfigDict, Field, TypeAdapter

    from crm.http import text
    from crm.numbers import whole_number

    StepId = Annotated[
        str, Field(pattern=STEP_ID_PATTERN, description="1-64 of a-z, 0-9, _ and -; unique in the workflow")
    ]
    Target = Annotated[str, Field(pattern=STEP_ID_PATTERN, description="The id of a step of this workflow")]
    PropertyName = Annotated[str, Field(min_length=1, max_length=64)]
    ConditionJson = Annotated[
        dict[str, Any],
        Field(
            description='A condition: {"all": [...]}, {"any": [...]}, {"not": {...}} or a comparison '
            '{"property", "op", "value"} with op one of ' + ", ".join(conditions.OPERATORS),
            examples=[{"property": "lifecycle_stage", "op": "eq", "value": "lead"}],
        ),
    ]
    Name, Description = text(200), text(2000)
    # `126.0` is 126 (crm.numbers)
    WaitSeconds = whole_number(ge=1, le=MAX_WAIT_SECONDS)
    OffsetSeconds = whole_number(ge=-MAX_WAIT_SECONDS, le=MAX_WAIT_SECONDS)
    ObjectName = Annotated[str, Field(min_length=1, max_length=64, description="The object type, e.g. contact")]
    Reenrollment = Literal["never", "always"]

    class Shape(BaseModel):
        model_config = ConfigDict(extra="forbid", strict=True)

    class WorkflowTrigger(Shape):
        event: str = Field(
            max_length=100,
            description="A change event of the workflow's object (<object>.created|updated|deleted|restored, its "
            "signal events such as deal.stage_changed; for contacts also contact.score_changed and "
            "form.submitted), or manual (runs only through POST /workflows/{workflow_id}/runs)",
        )
        conditions: ConditionJson | None = Field(  # type: ignore[valid-type]
            default=None,
            description="Only events whose record matches start a run. changed/changed_to need an event with "
            "changes (updated, signal events, score_changed).",
        )

    class StepShape(Shape):
        id: StepId  # type: ignore[valid-type]

    class SetPropertyStep(StepShape):
        """Set one property of the record: to `value` (normalised as a write would; null removes it) or
        to the value of another property (`copy_from`)."""

        type: Literal["set_property"]
        property: PropertyName  # type: ignore[valid-type]
        value: Any = Field(default=None, description="Exactly one of value and copy_from")
        copy_from: PropertyName | None = Field(  # type: ignore[valid-type]
            default=None, description="Another property of the same object"
        )
        next: Target | None = None  # type: ignore[valid-type]

    class AssignOwnerStep(StepShape):
        """Set the record's owner, taking turns over `owners` (round robin, fair under concurrency)."""

        type: Literal["assign_owner"]
        owners: list[text(256)] = Field(min_length=1, max_length=MAX_OWNERS)  # type: ignore[valid-type]
        next: Target | None = None  # type: ignore[valid-type]

    class CreateRecordStep(StepShape):
        """Create a record of any object type. A string value may hold {{record.<property>}} templates,
        filled from the record the workflow runs on; a value that is exactly one template keeps its type."""

        type: Literal["create_record"]
        object: ObjectName  # type: ignore[valid-type]
        properties: dict[str, Any]
        next: Target | None = None  # type: ignore[valid-type]

    class WaitStep(StepShape):
        """Wait `seconds`, or until a date or date-time property of the record plus `offset_seconds`."""

        type: Literal["wait"]
        seconds: WaitSeconds | None = None  # type: ignore[valid-type]
        until_property: PropertyName | None = Field(  # type: ignore[valid-type]
            default=None, description="A date or date-time property"
        )
        offset_seconds: OffsetSeconds | None = Field(  # type: ignore[valid-type]
            default=None, description="With until_property; may be negative"
        )
        next: Target | None = None  # type: ignore[valid-type]

    class BranchStep(StepShape):
        """Go on at `then` when the record matches `conditions`, else at `else`."""

        model_config = ConfigDict(populate_by_name=True)
        type: Literal["branch"]
        conditions: ConditionJson  # type: ignore[valid-type]
        then: Target  # type: ignore[valid-type]
        else_: Target = Field(alias="else")  # type: ignore[valid-type]

    class SendWebhookStep(StepShape):
        """Send a `workflow.webhook` event to one of the tenant's webhook endpoints (signed and retried like
        every delivery). Payload string values may hold {{record.<property>}} templates."""

        type: Literal["send_webhook"]
        endpoint_id: str = Field(min_length=1, max_length=64, description="A webhook endpoint of this tenant")
        payload: dict[str, Any] | None = Field(default=None, description="At most 8 KB as JSON")
        next: Target | None = None  # type: ignore[valid-type]

    class StopStep(StepShape):
        """End the run here."""

        type: Literal["stop"]

    AnyStep = Annotated[
        SetPropertyStep | AssignOwnerStep | CreateRecordStep | WaitStep | BranchStep | SendWebhookStep | StopStep,
        Field(discriminator="type"),
    ]

    class WorkflowInput(Shape):
        name: Name  # type: ignore[valid-type]
        description: Description | None = None  # type: ignore[valid-type]
        enabled: bool = True
        object: ObjectName  # type: ignore[valid-type]
        trigger: WorkflowTrigger
        reenrollment: Reenrollment = Field(  # type: ignore[valid-type]
            default="never", description="never: a record runs through the workflow once; always: on every trigger"
        )
        steps: list[AnyStep] = Field(  # type: ignore[valid-type]
            min_length=1, max_length=MAX_STEPS, description="Run in list order unless next/then/else say otherwise"
        )

    class WorkflowPatch(Shape):
        """Only the fields sent change (trigger and steps are replaced whole); the result is checked whole.
        `description: null` removes the description; the other fields cannot be removed."""

        name: Name = None  # type: ignore[valid-type]
        description: Description | None = None  # type: ignore[valid-type]
        enabled: bool = None  # type: ignore[assignment]
        object: ObjectName = None  # type: ignore[valid-type]
        trigger: WorkflowTrigger = None  # type: ignore[assignment]
        reenrollment: Reenrollment = None  # type: ignore[valid-type]
        steps: list[AnyStep] = Field(default=None, min_length=1, max_length=MAX_STEPS)  # type: ignore[valid-type]

    steps = (SetPropertyStep, AssignOwnerStep, CreateRecordStep, WaitStep, BranchStep, SendWebhookStep, StopStep)
    return Shapes(
        trigger=WorkflowTrigger,
        steps={model.model_fields["type"].annotation.__args__[0]: model for model in steps},  # type: ignore[union-attr]
        step=AnyStep,
        workflow_input=WorkflowInput,
        workflow_patch=WorkflowPatch,
        top_level={
            "name": (TypeAdapter(Name), True),
            "description": (TypeAdapter(Description | None), False),
            "enabled": (TypeAdapter(bool), False),
            "object": (TypeAdapter(ObjectName), True),
            "trigger": (None, True),  # checked piece by piece
            "reenrollment": (TypeAdapter(Reenrollment), False),
            "steps": (TypeAdapter(list[Any]), True),  # each step on its own; how many, in validate
        },
        adapters={model: TypeAdapter(model) for model in (WorkflowTrigger, *steps)},
    )


FIELDS = ("name", "description", "enabled", "object", "trigger", "reenrollment", "steps")  # of a definition as sent
DEFAULTS: dict[str, Any] = {"description": None, "enabled": True, "reenrollment": "never"}


# --- the definition --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Trigger:
    event: str
    conditions: conditions.Condition | None = None

    def to_json(self) -> dict[str, Any]:
        return {"event": self.event, "conditions": self.conditions.to_json() if self.conditions else None}


@dataclass(frozen=True)
class SetProperty:
    type: ClassVar[str] = "set_property"
    id: str
    property: str
    value: Any = None
    copy_from: str | None = None
    next: str | None = None

    def to_json(self) -> dict[str, Any]:
        source = {"value": self.value} if self.copy_from is None else {"copy_from": self.copy_from}
        return _step_json(self, {"property": self.property, **source})


@dataclass(frozen=True)
class AssignOwner:
    type: ClassVar[str] = "assign_owner"
    id: str
    owners: tuple[str, ...]
    next: str | None = None

    def to_json(self) -> dict[str, Any]:
        return _step_json(self, {"owners": list(self.owners)})


@dataclass(frozen=True)
class CreateRecord:
    type: ClassVar[str] = "create_record"
    id: str
    object: str
    properties: Mapping[str, Any]
    next: str | None = None

    def to_json(self) -> dict[str, Any]:
        return _step_json(self, {"object": self.object, "properties": dict(self.properties)})


@dataclass(frozen=True)
class Wait:
    """Either `seconds`, or `until_property` with `offset_seconds` (0 when not given)."""

    type: ClassVar[str] = "wait"
    id: str
    seconds: int | None = None
    until_property: str | None = None
    offset_seconds: int | None = None
    next: str | None = None

    def to_json(self) -> dict[str, Any]:
        if self.seconds is not None:
            return _step_json(self, {"seconds": self.seconds})
        return _step_json(self, {"until_property": self.until_property, "offset_seconds": self.offset_seconds or 0})


@dataclass(frozen=True)
class Branch:
    type: ClassVar[str] = "branch"
    id: str
    conditions: conditions.Condition
    then: str
    else_: str

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "type": self.type,
            "conditions": self.conditions.to_json(),
            "then": self.then,
            "else": self.else_,
        }


@dataclass(frozen=True)
class SendWebhook:
    type: ClassVar[str] = "send_webhook"
    id: str
    endpoint_id: str
    payload: Mapping[str, Any] | None = None
    next: str | None = None

    def to_json(self) -> dict[str, Any]:
        payload = {} if self.payload is None else {"payload": dict(self.payload)}
        return _step_json(self, {"endpoint_id": self.endpoint_id, **payload})


@dataclass(frozen=True)
class Stop:
    type: ClassVar[str] = "stop"
    id: str

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "type": self.type}


Step = SetProperty | AssignOwner | CreateRecord | Wait | Branch | SendWebhook | Stop


def _step_json(step: Step, body: dict[str, Any]) -> dict[str, Any]:
    out = {"id": step.id, "type": step.type, **body}
    if getattr(step, "next", None) is not None:
        out["next"] = step.next  # type: ignore[union-attr]
    return out


@dataclass(frozen=True)
class Definition:
    name: str
    description: str | None
    enabled: bool
    object: str
    trigger: Trigger
    reenrollment: str
    steps: tuple[Step, ...]
    # property -> kind (crm.conditions.KINDS) for every property a condition reads: what from_json needs
    # to rebuild the conditions without the object type.
    condition_kinds: Mapping[str, str] = field(default_factory=dict)
    _index: dict[str, int] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_index", {step.id: i for i, step in enumerate(self.steps)})

    # --- navigation (the engine) -------------------------------------------------------------------

    @property
    def first(self) -> str:
        return self.steps[0].id

    def step(self, step_id: str) -> Step:
        """The step with this id; KeyError if the definition has none (a run names steps of its version)."""
        return self.steps[self._index[step_id]]

    def successor(self, step: Step | str, branch_result: bool | None = None) -> str | None:
        """The step to run after `step` (None: the run ends). A branch needs its result."""
        current = self.step(step) if isinstance(step, str) else step
        if isinstance(current, Stop):
            return None
        if isinstance(current, Branch):
            if branch_result is None:
                raise ValueError(f"branch {current.id} needs its result to go on")
            return current.then if branch_result else current.else_
        if current.next is not None:
            return current.next
        following = self._index[current.id] + 1
        return self.steps[following].id if following < len(self.steps) else None

    # --- the stored form ---------------------------------------------------------------------------

    def public(self) -> dict[str, Any]:
        """The definition as the API shows it."""
        return {
            "name": self.name,
            "description": self.description,
            "enabled": self.enabled,
            "object": self.object,
            "trigger": self.trigger.to_json(),
            "reenrollment": self.reenrollment,
            "steps": [step.to_json() for step in self.steps],
        }

    def to_json(self) -> dict[str, Any]:
        """Everything `from_json` needs: the public form plus the kinds of the properties conditions read."""
        return {**self.public(), "condition_kinds": dict(sorted(self.condition_kinds.items()))}

    @classmethod
    def from_json(cls, stored: Mapping[str, Any]) -> Definition:
        """A stored definition, trusted (it was validated when written): no schema, no re-validation."""
        kinds = stored.get("condition_kinds") or {}
        raw_trigger = stored["trigger"]
        trigger_conditions = raw_trigger.get("conditions")
        return cls(
            name=stored["name"],
            description=stored.get("description"),
            enabled=bool(stored["enabled"]),
            object=stored["object"],
            trigger=Trigger(
                raw_trigger["event"], _load_condition(trigger_conditions, kinds) if trigger_conditions else None
            ),
            reenrollment=stored["reenrollment"],
            steps=tuple(_load_step(raw, kinds) for raw in stored["steps"]),
            condition_kinds=dict(kinds),
        )


def _load_step(raw: Mapping[str, Any], kinds: Mapping[str, str]) -> Step:
    kind, step_id, after = raw["type"], raw["id"], raw.get("next")
    if kind == "set_property":
        return SetProperty(step_id, raw["property"], raw.get("value"), raw.get("copy_from"), after)
    if kind == "assign_owner":
        return AssignOwner(step_id, tuple(raw["owners"]), after)
    if kind == "create_record":
        return CreateRecord(step_id, raw["object"], dict(raw["properties"]), after)
    if kind == "wait":
        return Wait(step_id, raw.get("seconds"), raw.get("until_property"), raw.get("offset_seconds"), after)
    if kind == "branch":
        return Branch(step_id, _load_condition(raw["conditions"], kinds), raw["then"], raw["else"])
    if kind == "send_webhook":
        payload = raw.get("payload")
        return SendWebhook(step_id, raw["endpoint_id"], dict(payload) if payload is not None else None, after)
    if kind == "stop":
        return Stop(step_id)
    raise ValueError(f"unknown step type {kind!r}")


def _load_condition(raw: Mapping[str, Any], kinds: Mapping[str, str]) -> conditions.Condition:
    """A condition from its canonical JSON (Condition.to_json), with values as they were normalised."""
    if "all" in raw:
        return conditions.AllOf(tuple(_load_condition(c, kinds) for c in raw["all"]))
    if "any" in raw:
        return conditions.AnyOf(tuple(_load_condition(c, kinds) for c in raw["any"]))
    if "not" in raw:
        return conditions.Not(_load_condition(raw["not"], kinds))
    op = raw["op"]
    value = raw.get("value")
    if op in conditions.LIST_VALUE_OPERATORS:
        value = tuple(value)
    elif op in conditions.NO_VALUE_OPERATORS:
        value = None
    return conditions.Compare(raw["property"], op, value, kinds[raw["property"]])


def condition_kinds(condition: conditions.Condition) -> dict[str, str]:
    """property -> kind for every comparison of a condition."""
    found: dict[str, str] = {}
    stack: list[conditions.Condition] = [condition]
    while stack:
        node = stack.pop()
        if isinstance(node, conditions.Compare):
            found[node.property] = node.kind
        elif isinstance(node, conditions.Not):
            stack.append(node.condition)
        else:
            stack.extend(node.conditions)
    return found


# --- templates -------------------------------------------------------------------------------------------

_TEMPLATE = re.compile(r"\{\{(.*?)\}\}", re.DOTALL)
_RECORD_REFERENCE = re.compile(r"\s*record\.([A-Za-z0-9_.]+)\s*")


def render(value: Any, record: Mapping[str, Any]) -> Any:
    """`value` with every `{{record.<name>}}` filled from `record` (the record's properties and system
    fields: contacts.schema.condition_values(record)).

    A string that is exactly one template becomes the value itself, its type kept (a number stays a
    number, a list a list), and None when the record has no such value. A template inside longer text
    becomes text: a string as it is, anything else as compact JSON (numbers digit for digit, true/false),
    and "" when the record has no such value. Lists and objects are rendered element by element; other
    values are returned unchanged."""
    if isinstance(value, str):
        whole = _TEMPLATE.fullmatch(value)
        if whole:
            name = _template_name(whole.group(1))
            if name is not None:
                return record.get(name)
        return _TEMPLATE.sub(lambda match: _as_text(match, record), value)
    if isinstance(value, list | tuple):
        return [render(v, record) for v in value]
    if isinstance(value, Mapping):
        return {k: render(v, record) for k, v in value.items()}
    return value


def _template_name(inner: str) -> str | None:
    match = _RECORD_REFERENCE.fullmatch(inner)
    return match.group(1) if match else None


def _as_text(match: re.Match[str], record: Mapping[str, Any]) -> str:
    name = _template_name(match.group(1))
    if name is None:
        return match.group(0)  # not a template (validation refuses these; stored text stays as written)
    found = record.get(name)
    if found is None:
        return ""
    return found if isinstance(found, str) else jsonio.dumps(found)


def _templates(value: Any, pointer: str, depth: int = 0) -> Iterator[tuple[str, str | None, str]]:
    """(pointer, property name or None when malformed, the template text) for every template in a value."""
    if depth > jsonio.MAX_DEPTH:
        return
    if isinstance(value, str):
        for match in _TEMPLATE.finditer(value):
            yield pointer, _template_name(match.group(1)), match.group(0)
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _templates(item, f"{pointer}/{i}", depth + 1)
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _templates(item, f"{pointer}/{_escape(str(key))}", depth + 1)


# --- validation ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Environment:
    """What a definition is checked against: the tenant's object types (by singular name), how values are
    read (the tenant's default region), and which webhook endpoints exist (given ids, the existing ones)."""

    object_types: Mapping[str, ObjectType]
    context: ValidationContext
    endpoints: Callable[[Sequence[str]], set[str]]


def trigger_events(object_type: ObjectType) -> dict[str, bool]:
    """The trigger events a workflow on this object type may use -> whether their events carry changes."""
    name = object_type.name
    events = {f"{name}.created": False, f"{name}.updated": True, f"{name}.deleted": False, f"{name}.restored": False}
    events.update(dict.fromkeys(object_type.signal_changes.values(), True))
    if name == "contact":
        events.update({"contact.score_changed": True, "form.submitted": False})
    events[MANUAL] = False
    return events


class DefinitionRefused(ValidationFailed):
    """A definition whose every field has the documented shape, refused for what no JSON Schema can say:
    what the tenant's object types and webhook endpoints are, and how fields and steps relate (one of
    two fields, step targets, reachability, loops). Its own problem type tells a client (or a contract
    test) that the document was kept and the definition itself is at fault."""

    slug = "invalid-workflow"


def validate(raw: Any, environment: Environment) -> Definition:
    """The definition `raw` describes, checked whole; ValidationFailed lists every fault found."""
    if not isinstance(raw, dict):
        raise ValidationFailed("The workflow is invalid.", errors=[FieldError("", "must be a JSON object")])
    return _Check(raw, environment).definition()


class _Check:
    def __init__(self, raw: dict[str, Any], environment: Environment) -> None:
        self.raw, self.environment = raw, environment
        self.errors: list[FieldError] = []
        self.shape_faults = 0  # faults the documented schema also describes (the rest need data or the graph)
        self.kinds: dict[str, str] = {}
        self.object_type: ObjectType | None = None
        self.shapes = shapes()
        self.operands: dict[str, Any] = {}

    def fail(self, pointer: str, detail: str) -> None:
        self.errors.append(FieldError(pointer, detail))

    def fail_shape(self, pointer: str, detail: str) -> None:
        self.shape_faults += 1
        self.fail(pointer, detail)

    def definition(self) -> Definition:
        top = self.top_level()
        if top.get("object") is not None:
            self.object_type = self.environment.object_types.get(top["object"])
            if self.object_type is None:
                known = ", ".join(self.environment.object_types)
                self.fail("/object", f"unknown object type; one of: {known}")
            else:
                from contacts.schema import operands

                self.operands = dict(operands(self.object_type, self.environment.context))
        trigger = self.trigger(self.raw.get("trigger"))
        steps = self.steps(top.get("steps"))
        if self.errors:
            refused = ValidationFailed if self.shape_faults else DefinitionRefused
            raise refused("The workflow is invalid.", errors=self.errors[: conditions.MAX_ERRORS])
        assert trigger is not None and steps is not None and self.object_type is not None  # no faults: all read
        return Definition(
            name=top["name"],
            description=top["description"],
            enabled=top["enabled"],
            object=self.object_type.name,
            trigger=trigger,
            reenrollment=top["reenrollment"],
            steps=tuple(steps),
            condition_kinds=self.kinds,
        )

    # --- shapes -----------------------------------------------------------------------------------------

    def top_level(self) -> dict[str, Any]:
        for key in self.raw:
            if key not in self.shapes.top_level:
                known = ", ".join(self.shapes.top_level)
                self.fail_shape(f"/{_escape(str(key))}", f"is not a known field; known: {known}")
        found: dict[str, Any] = {}
        for name, (adapter, required) in self.shapes.top_level.items():
            if name not in self.raw:
                if required:
                    self.fail_shape(f"/{name}", "is required")
                else:
                    found[name] = DEFAULTS[name]
                continue
            if name == "trigger":
                continue  # checked piece by piece (trigger())
            if name == "steps" and isinstance(self.raw[name], list):
                found[name] = self.raw[name]
                size = len(found[name])
                if not 1 <= size <= MAX_STEPS:
                    self.fail_shape("/steps", f"must have 1 to {MAX_STEPS} steps (has {size})")
                continue
            value = self.shape(adapter, self.raw[name], f"/{name}")
            if value is not _FAILED:
                found[name] = value
        return found

    def shape(self, adapter: Any, value: Any, pointer: str) -> Any:
        """`value` read by a TypeAdapter of shapes(), or _FAILED with its faults recorded."""
        from pydantic import ValidationError

        try:
            return adapter.validate_python(value, strict=True)
        except ValidationError as error:
            found = _field_errors(error, pointer)
            self.shape_faults += len(found)
            self.errors.extend(found)
            return _FAILED

    # --- trigger ----------------------------------------------------------------------------------------

    def trigger(self, raw: Any) -> Trigger | None:
        if raw is None and "trigger" not in self.raw:
            return None  # reported as required
        shape = self.shape(self.shapes.adapters[self.shapes.trigger], raw, "/trigger")
        if shape is _FAILED or self.object_type is None:
            return None
        events = trigger_events(self.object_type)
        if shape.event not in events:
            self.fail("/trigger/event", f"not a trigger for a {self.object_type.name}; one of: {', '.join(events)}")
            return None
        if shape.conditions is None:
            return Trigger(shape.event)
        why = None if events[shape.event] else f"the {shape.event} trigger carries no changes"
        condition = self.condition(shape.conditions, "/trigger/conditions", why)
        return Trigger(shape.event, condition) if condition is not None else None

    def condition(self, raw: Any, pointer: str, no_changes: str | None) -> conditions.Condition | None:
        """A condition on the workflow's object; `no_changes` says why changed/changed_to cannot apply."""
        try:
            parsed = conditions.parse(raw, self.operands, pointer=pointer)
        except ValidationFailed as failed:
            self.errors.extend(failed.errors)
            parsed = None
        if no_changes is not None:
            for where, op in _change_operators(raw, pointer):
                self.fail(where, f"{op} reads an event's changes, and {no_changes}; compare the value instead")
                parsed = None
        if parsed is not None:
            self.kinds.update(condition_kinds(parsed))
        return parsed

    # --- steps ------------------------------------------------------------------------------------------

    def steps(self, raw: Any) -> list[Step] | None:
        if not isinstance(raw, list) or not raw:
            return None  # reported by top_level
        raw = raw[:MAX_STEPS]
        endpoints = self.known_endpoints(raw)
        ids: dict[str, int] = {}
        sound = True  # every step's shape, id and targets are fine: the graph can be checked
        pending: list[tuple[str, str]] = []  # (pointer, step id) of every next/then/else whose shape is fine
        steps: list[Step | None] = []
        for index, item in enumerate(raw):
            pointer = f"/steps/{index}"
            step_id = item.get("id") if isinstance(item, dict) else None
            if isinstance(step_id, str) and re.fullmatch(STEP_ID_PATTERN, step_id):
                if step_id in ids:
                    self.fail(f"{pointer}/id", f"is already the id of step {ids[step_id]}")
                    sound = False
                else:
                    ids[step_id] = index
            step, targets = self.step(item, pointer, endpoints)
            sound = sound and step is not None
            steps.append(step)
            pending.extend((f"{pointer}/{name}", target) for name, target in targets)
        for at, target in pending:
            if target not in ids:
                self.fail(at, f"names no step of this workflow: {target}")
                sound = False
        if not sound:
            return None
        found = [s for s in steps if s is not None]
        self.graph(found)
        return found

    def known_endpoints(self, raw: list[Any]) -> set[str]:
        wanted = {
            item["endpoint_id"].strip().upper()
            for item in raw
            if isinstance(item, dict)
            and item.get("type") == "send_webhook"
            and isinstance(item.get("endpoint_id"), str)
            and 0 < len(item["endpoint_id"].strip()) <= 64
        }
        return self.environment.endpoints(sorted(wanted)) if wanted else set()

    def step(self, raw: Any, pointer: str, endpoints: set[str]) -> tuple[Step | None, list[tuple[str, str]]]:
        """The step (None if it is at fault) and where it says to go on (field, step id) if that can be read."""
        if not isinstance(raw, dict):
            self.fail_shape(pointer, "must be an object")
            return None, []
        kind = raw.get("type")
        if kind is None:
            self.fail_shape(f"{pointer}/type", f"is required; one of: {', '.join(STEP_TYPES)}")
            return None, []
        if kind not in self.shapes.steps:
            self.fail_shape(f"{pointer}/type", f"unknown step type; one of: {', '.join(STEP_TYPES)}")
            return None, []
        shape = self.shape(self.shapes.adapters[self.shapes.steps[kind]], raw, pointer)
        if shape is _FAILED:
            return None, []
        targets = [
            (name, getattr(shape, attribute)) for name, attribute in _TARGET_FIELDS.get(kind, (("next", "next"),))
        ]
        before = len(self.errors)
        step = getattr(self, f"_{kind}")(shape, raw, pointer, endpoints)
        return (step if len(self.errors) == before else None), [(n, t) for n, t in targets if t is not None]

    def _property(self, name: str, pointer: str, purpose: str = "") -> PropertyDef | None:
        if self.object_type is None:
            return None
        spec = self.object_type.properties.get(name)
        if spec is None:
            known = ", ".join(self.object_type.properties)
            self.fail(pointer, f"{self.object_type.name} has no property {name}{purpose}; known: {known}")
        return spec

    def _set_property(self, shape: Any, raw: dict[str, Any], pointer: str, _: set[str]) -> Step | None:
        has_value = "value" in raw
        if has_value == (shape.copy_from is not None):
            self.fail(pointer, "needs exactly one of value and copy_from")
            return None
        target = self._property(shape.property, f"{pointer}/property")
        if target is None or self.object_type is None:
            return None
        if target.read_only:  # computed by the CRM: a run would only fail at this step
            self.fail(f"{pointer}/property", f"{target.name} is computed by the CRM; read-only")
            return None
        if shape.copy_from is not None:
            source = self._property(shape.copy_from, f"{pointer}/copy_from")
            if source is None:
                return None
            if source.name == target.name:
                self.fail(f"{pointer}/copy_from", "must be another property than the one set")
            elif not _copyable(source, target):
                self.fail(
                    f"{pointer}/copy_from",
                    f"{source.name} ({source.type.name}) cannot be copied into {target.name} ({target.type.name})",
                )
            return SetProperty(shape.id, target.name, None, source.name, shape.next)
        value = shape.value
        if value is None:
            if target.name in self.object_type.required:
                self.fail(f"{pointer}/value", f"{target.name} is required and cannot be removed")
        else:
            value = self._normalised(target, value, f"{pointer}/value")
        return SetProperty(shape.id, target.name, value, None, shape.next)

    def _normalised(self, spec: PropertyDef, value: Any, pointer: str) -> Any:
        from contacts.schema import InvalidValue

        try:
            return spec.type.normalise(value, self.environment.context)
        except InvalidValue as error:
            self.fail(pointer, f"{spec.label} {error}")
            return None

    def _assign_owner(self, shape: Any, raw: dict[str, Any], pointer: str, _: set[str]) -> Step | None:
        if self.object_type is None:
            return None
        spec = self.object_type.properties.get(OWNER_PROPERTY)
        if spec is None:
            self.fail(f"{pointer}/type", f"assign_owner sets {OWNER_PROPERTY}, and a {self.object_type.name} has none")
            return None
        owners = tuple(self._normalised(spec, owner, f"{pointer}/owners/{i}") for i, owner in enumerate(shape.owners))
        return AssignOwner(shape.id, owners, shape.next)

    def _create_record(self, shape: Any, raw: dict[str, Any], pointer: str, _: set[str]) -> Step | None:
        target = self.environment.object_types.get(shape.object)
        if target is None:
            self.fail(f"{pointer}/object", f"unknown object type; one of: {', '.join(self.environment.object_types)}")
            return None
        here = f"{pointer}/properties"
        properties: dict[str, Any] = {}
        for name, value in shape.properties.items():
            at = f"{here}/{_escape(name)}"
            spec = target.properties.get(name)
            if spec is None:
                self.fail(at, f"{target.name} has no property {name}; known: {', '.join(target.properties)}")
            elif value is None:
                self.fail(at, "must not be null (leave the property out)")
            elif self.templates_of(value, at):
                properties[name] = value  # filled when the step runs, and checked then
            else:
                properties[name] = self._normalised(spec, value, at)
        for name in target.required:
            if name not in shape.properties:
                self.fail(f"{here}/{_escape(name)}", f"is required for a {target.name}")
        if target.identifying and not set(shape.properties) & set(target.identifying):
            self.fail(here, f"a {target.name} needs at least one of: {', '.join(target.identifying)}")
        return CreateRecord(shape.id, target.name, properties, shape.next)

    def templates_of(self, value: Any, pointer: str) -> bool:
        """Whether `value` holds templates; each must name a property of the workflow's object."""
        found = False
        for at, name, text in _templates(value, pointer):
            found = True
            if name is None:
                self.fail(at, f"{text} is not a template; use {{{{record.<property>}}}}")
            elif self.object_type is not None and name not in self.operands:
                self.fail(at, f"{text} names no property of a {self.object_type.name}")
        return found

    def _wait(self, shape: Any, raw: dict[str, Any], pointer: str, _: set[str]) -> Step | None:
        if (shape.seconds is None) == (shape.until_property is None):
            self.fail(pointer, "needs exactly one of seconds and until_property")
            return None
        if shape.seconds is not None:
            if shape.offset_seconds is not None:
                self.fail(f"{pointer}/offset_seconds", "applies to until_property only")
            return Wait(shape.id, seconds=shape.seconds, next=shape.next)
        assert shape.until_property is not None
        spec = self._property(shape.until_property, f"{pointer}/until_property")
        if spec is None:
            return None
        if spec.type.condition_kind not in ("date", "datetime"):
            self.fail(f"{pointer}/until_property", f"{spec.name} is not a date or date-time ({spec.type.name})")
        return Wait(shape.id, until_property=spec.name, offset_seconds=shape.offset_seconds or 0, next=shape.next)

    def _branch(self, shape: Any, raw: dict[str, Any], pointer: str, _: set[str]) -> Step | None:
        if self.object_type is None:
            return None
        condition = self.condition(shape.conditions, f"{pointer}/conditions", "a branch reads the record only")
        if condition is None:
            return None
        return Branch(shape.id, condition, shape.then, shape.else_)

    def _send_webhook(self, shape: Any, raw: dict[str, Any], pointer: str, endpoints: set[str]) -> Step | None:
        endpoint_id = shape.endpoint_id.strip().upper()
        if endpoint_id not in endpoints:
            self.fail(f"{pointer}/endpoint_id", "names no webhook endpoint of this tenant")
        if shape.payload is not None:
            size = len(jsonio.dumps(shape.payload).encode())
            if size > MAX_PAYLOAD_BYTES:
                self.fail(f"{pointer}/payload", f"is {size} bytes as JSON; at most {MAX_PAYLOAD_BYTES}")
            self.templates_of(shape.payload, f"{pointer}/payload")
        return SendWebhook(shape.id, endpoint_id, shape.payload, shape.next)

    def _stop(self, shape: Any, raw: dict[str, Any], pointer: str, _: set[str]) -> Step | None:
        return Stop(shape.id)

    # --- the graph --------------------------------------------------------------------------------------

    def graph(self, steps: list[Step]) -> None:
        """Every step reachable from the first; no loop that does not pass a wait step."""
        index = {step.id: i for i, step in enumerate(steps)}
        edges = [_edges(step, i, steps) for i, step in enumerate(steps)]
        reachable = _reach(0, edges, index, lambda _: True)
        for i in range(len(steps)):
            if i not in reachable:
                self.fail(f"/steps/{i}", "is unreachable from the first step (nothing leads to it)")
        # A loop returns to a step at or before the one it leaves, and only next/then/else can do that.
        for i, step in enumerate(steps):
            if i not in reachable or isinstance(step, Wait):
                continue
            for name, target in edges[i]:
                j = index[target]
                if name is None or j > i or isinstance(steps[j], Wait):
                    continue
                path = _path(j, i, edges, index, lambda k: not isinstance(steps[k], Wait))
                if path is not None:
                    loop = " -> ".join([*(steps[k].id for k in path), steps[j].id])
                    self.fail(
                        f"/steps/{i}/{name}",
                        f"closes a loop with no wait step in it ({loop}): a run would repeat it without pause",
                    )


_FAILED: Any = object()
# Where each step type says to go on: (JSON field, shape attribute); `next` for the others.
_TARGET_FIELDS: dict[str, tuple[tuple[str, str], ...]] = {
    "branch": (("then", "then"), ("else", "else_")),
    "stop": (),
}  # a shape check failed (its faults are recorded)


def _field_errors(error: Any, pointer: str) -> list[FieldError]:
    found = []
    for issue in error.errors():
        where = pointer + "".join(f"/{_escape(str(part))}" for part in issue["loc"])
        kind, message = issue["type"], str(issue["msg"]).removeprefix("Value error, ")
        if kind == "missing":
            message = "is required"
        elif kind == "extra_forbidden":
            message = "is not a known field"
        elif kind in ("model_type", "dict_type"):
            message = "must be an object"
        elif kind == "string_pattern_mismatch":  # only step ids have a pattern
            message = "must be a step id: 1 to 64 of a-z, 0-9, _ and -"
        found.append(FieldError(where, message))
    return found


def _change_operators(raw: Any, pointer: str, depth: int = 0) -> Iterator[tuple[str, str]]:
    """(pointer to op, op) for every changed/changed_to comparison of a condition as sent."""
    if not isinstance(raw, dict) or depth > conditions.MAX_DEPTH:
        return
    groups = [g for g in ("all", "any", "not") if g in raw]
    if "property" in raw or not groups:
        if raw.get("op") in CHANGE_OPERATORS:
            yield f"{pointer}/op", raw["op"]
        return
    if len(groups) != 1:
        return
    group = groups[0]
    if group == "not":
        yield from _change_operators(raw["not"], f"{pointer}/not", depth + 1)
    elif isinstance(raw[group], list):
        for i, child in enumerate(raw[group]):
            yield from _change_operators(child, f"{pointer}/{group}/{i}", depth + 1)


def _copyable(source: PropertyDef, target: PropertyDef) -> bool:
    """Whether every value of `source` is a valid value of `target`: the same type, or text from any
    property whose values are text."""
    from contacts.schema import Text

    if source.type == target.type:
        return True
    return isinstance(target.type, Text) and source.type.condition_kind in ("text", "enum", "date", "datetime")


def _targets(step: Step | None) -> Iterator[tuple[str, str]]:
    if isinstance(step, Branch):
        yield "then", step.then
        yield "else", step.else_
    elif step is not None and not isinstance(step, Stop) and step.next is not None:
        yield "next", step.next


def _edges(step: Step, i: int, steps: list[Step]) -> list[tuple[str | None, str]]:
    """(the field that says so, or None for list order; target id) for each way on from a step."""
    explicit = list(_targets(step))
    if explicit or isinstance(step, Stop | Branch):
        return explicit  # type: ignore[return-value]
    return [(None, steps[i + 1].id)] if i + 1 < len(steps) else []


def _reach(
    start: int, edges: list[list[tuple[str | None, str]]], index: dict[str, int], allowed: Callable[[int], bool]
) -> set[int]:
    seen, queue = {start}, deque([start])
    while queue:
        for _, target in edges[queue.popleft()]:
            j = index[target]
            if j not in seen and allowed(j):
                seen.add(j)
                queue.append(j)
    return seen


def _path(
    start: int,
    end: int,
    edges: list[list[tuple[str | None, str]]],
    index: dict[str, int],
    allowed: Callable[[int], bool],
) -> list[int] | None:
    """The shortest path start -> ... -> end through allowed steps (as indexes), if there is one."""
    parents: dict[int, int | None] = {start: None}
    queue = deque([start])
    while queue:
        current = queue.popleft()
        if current == end:
            path: list[int] = []
            node: int | None = current
            while node is not None:
                path.append(node)
                node = parents[node]
            return path[::-1]
        for _, target in edges[current]:
            j = index[target]
            if j not in parents and allowed(j):
                parents[j] = current
                queue.append(j)
    return None


def _escape(segment: str) -> str:
    return segment.replace("~", "~0").replace("/", "~1")

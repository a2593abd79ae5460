"""Workflow definitions as pure logic: every fault of a definition at its exact JSON pointer, the graph
checks (targets, reachability, loops without a wait), navigation for the engine, the stored form's round
trip and template rendering."""

from __future__ import annotations

import copy
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from contacts.schema import BUILTIN_OBJECT_TYPES, ValidationContext
from crm import jsonio
from crm.errors import ValidationFailed
from workflows.definition import (
    STEP_TYPES,
    Branch,
    Definition,
    DefinitionRefused,
    Environment,
    SendWebhook,
    Wait,
    render,
    shapes,
    trigger_events,
    validate,
)

ENDPOINT = "01ARZ3NDEKTSV4RRFFQ69G5FAV"
ENVIRONMENT = Environment(
    object_types=BUILTIN_OBJECT_TYPES,
    context=ValidationContext(default_region="GB"),
    endpoints=lambda ids: {i for i in ids if i == ENDPOINT},
)


def workflow(*steps: dict[str, Any], **fields: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "name": "Route new leads",
        "object": "contact",
        "trigger": {"event": "contact.created"},
        "steps": list(steps) or [{"id": "done", "type": "stop"}],
    }
    body.update(fields)
    return body


LEAD_ROUTING = workflow(
    {"id": "assign", "type": "assign_owner", "owners": ["ana@acme.io", "bo@acme.io"]},
    {"id": "pause", "type": "wait", "seconds": 2},
    {
        "id": "vip",
        "type": "branch",
        "conditions": {"property": "email", "op": "ends_with", "value": "@vip.example"},
        "then": "notify",
        "else": "done",
    },
    {"id": "notify", "type": "send_webhook", "endpoint_id": ENDPOINT.lower(), "payload": {"note": "VIP"}},
    {"id": "done", "type": "stop"},
    trigger={
        "event": "contact.created",
        "conditions": {"all": [{"property": "lifecycle_stage", "op": "eq", "value": "lead"}]},
    },
)


def faults(body: Any) -> list[tuple[str, str]]:
    with pytest.raises(ValidationFailed) as refused:
        validate(body, ENVIRONMENT)
    return [(e.pointer, e.detail) for e in refused.value.errors]


def pointers(body: Any) -> list[str]:
    return [pointer for pointer, _ in faults(body)]


# --- a valid definition -----------------------------------------------------------------------------------


def test_given_the_issue_example_when_validated_then_it_is_read_with_defaults_and_normalised_values():
    definition = validate(LEAD_ROUTING, ENVIRONMENT)

    assert (definition.enabled, definition.reenrollment, definition.description) == (True, "never", None)
    assert definition.object == "contact" and definition.first == "assign"
    notify = definition.step("notify")
    assert isinstance(notify, SendWebhook) and notify.endpoint_id == ENDPOINT  # ids are upper case
    assert definition.trigger.conditions is not None
    assert definition.trigger.conditions.evaluate({"lifecycle_stage": "lead"})
    assert definition.condition_kinds == {"lifecycle_stage": "enum", "email": "text"}


def test_given_property_values_when_validated_then_they_are_normalised_as_a_write_would():
    definition = validate(
        workflow(
            {"id": "phone", "type": "set_property", "property": "phone", "value": "020 7946 0958"},
            {
                "id": "deal",
                "type": "create_record",
                "object": "deal",
                "properties": {"name": " Pilot ", "currency": "eur"},
            },
        ),
        ENVIRONMENT,
    )

    assert definition.step("phone").to_json()["value"] == "+442079460958"  # the tenant's region: GB
    assert definition.step("deal").to_json()["properties"] == {"name": "Pilot", "currency": "EUR"}


def test_given_a_definition_when_stored_and_read_back_then_it_is_the_same_definition():
    definition = validate(
        workflow(
            {"id": "copy", "type": "set_property", "property": "stage", "copy_from": "name"},
            {"id": "until", "type": "wait", "until_property": "close_date", "offset_seconds": -3600},
            {
                "id": "big",
                "type": "branch",
                "conditions": {
                    "any": [
                        {"property": "amount", "op": "gte", "value": 1000.5},
                        {"not": {"property": "stage", "op": "in", "value": ["won", "lost"]}},
                    ]
                },
                "then": "note",
                "else": "end",
            },
            {
                "id": "note",
                "type": "create_record",
                "object": "contact",
                "properties": {"first_name": "{{record.name}}"},
            },
            {"id": "end", "type": "stop"},
            object="deal",
            trigger={
                "event": "deal.stage_changed",
                "conditions": {"property": "stage", "op": "changed_to", "value": "won"},
            },
            reenrollment="always",
            description="Won deals",
        ),
        ENVIRONMENT,
    )

    stored = jsonio.loads(jsonio.dumps(definition.to_json()))  # through the stored text, numbers exact
    loaded = Definition.from_json(stored)

    assert loaded == definition
    assert loaded.to_json() == definition.to_json()
    big = loaded.step("big")
    assert isinstance(big, Branch) and big.conditions.evaluate({"amount": Decimal("2000"), "stage": "won"})
    assert not big.conditions.evaluate({"amount": 10, "stage": "won"})
    assert loaded.trigger.conditions is not None
    assert loaded.trigger.conditions.evaluate({}, {"stage": {"old": "new", "new": "won"}})


def test_given_a_stored_definition_when_read_then_nothing_is_validated_again():
    stored = validate(LEAD_ROUTING, ENVIRONMENT).to_json()
    stored["steps"][0]["owners"] = ["not checked: the store is trusted"]

    assert Definition.from_json(stored).step("assign").to_json()["owners"] == ["not checked: the store is trusted"]


@pytest.mark.parametrize(
    ("object_name", "expected"),
    [
        ("contact", {"contact.updated", "contact.lifecycle_stage_changed", "contact.score_changed"}),
        ("deal", {"deal.updated", "deal.stage_changed"}),
        ("company", {"company.updated"}),
    ],
)
def test_given_an_object_type_then_its_triggers_are_its_change_events_and_manual(object_name, expected):
    events = trigger_events(BUILTIN_OBJECT_TYPES[object_name])

    assert {e for e, carries_changes in events.items() if carries_changes} == expected
    assert {f"{object_name}.created", f"{object_name}.deleted", f"{object_name}.restored", "manual"} <= set(events)
    assert ("form.submitted" in events) == (object_name == "contact")


# --- one fault, one pointer -----------------------------------------------------------------------------

STOP = {"id": "end", "type": "stop"}

FAULTS = [
    # the top level
    ("not an object", [], [""]),
    ("unknown key", workflow(colour="red"), ["/colour"]),
    ("name missing", {k: v for k, v in workflow().items() if k != "name"}, ["/name"]),
    ("name empty", workflow(name="  "), ["/name"]),
    ("name too long", workflow(name="x" * 201), ["/name"]),
    ("name with a control character", workflow(name="a\x00b"), ["/name"]),
    ("description too long", workflow(description="x" * 2001), ["/description"]),
    ("enabled not a boolean", workflow(enabled="yes"), ["/enabled"]),
    ("unknown object", workflow(object="widget"), ["/object"]),
    (
        "a computed property set",
        workflow({"id": "s", "type": "set_property", "property": "score", "value": 10}),
        ["/steps/0/property"],
    ),
    ("object not a string", workflow(object=3), ["/object"]),
    ("unknown reenrollment", workflow(reenrollment="sometimes"), ["/reenrollment"]),
    ("trigger missing", {k: v for k, v in workflow().items() if k != "trigger"}, ["/trigger"]),
    ("trigger not an object", workflow(trigger="contact.created"), ["/trigger"]),
    ("steps missing", {k: v for k, v in workflow().items() if k != "steps"}, ["/steps"]),
    ("steps not a list", workflow(steps={"id": "a"}), ["/steps"]),
    ("no steps", workflow(steps=[]), ["/steps"]),
    ("too many steps", workflow(*[{"id": f"s{i}", "type": "wait", "seconds": 1} for i in range(101)]), ["/steps"]),
    # the trigger
    ("unknown trigger key", workflow(trigger={"event": "contact.created", "when": "now"}), ["/trigger/when"]),
    ("trigger of another object", workflow(trigger={"event": "deal.created"}), ["/trigger/event"]),
    ("unknown trigger event", workflow(trigger={"event": "contact.sneezed"}), ["/trigger/event"]),
    (
        "condition on an unknown property",
        workflow(trigger={"event": "contact.created", "conditions": {"property": "shoe_size", "op": "eq", "value": 4}}),
        ["/trigger/conditions/property"],
    ),
    (
        "condition value of the wrong type",
        workflow(
            trigger={"event": "contact.created", "conditions": {"all": [{"property": "email", "op": "eq", "value": 4}]}}
        ),
        ["/trigger/conditions/all/0/value"],
    ),
    (
        "changed on a trigger without changes",
        workflow(
            trigger={
                "event": "contact.created",
                "conditions": {"any": [{"property": "email", "op": "is_set"}, {"property": "email", "op": "changed"}]},
            }
        ),
        ["/trigger/conditions/any/1/op"],
    ),
    (
        "changed_to on a manual trigger",
        workflow(
            trigger={"event": "manual", "conditions": {"not": {"property": "owner", "op": "changed_to", "value": "a"}}}
        ),
        ["/trigger/conditions/not/op"],
    ),
    # every step
    ("step not an object", workflow("stop"), ["/steps/0"]),
    ("step type missing", workflow({"id": "a"}), ["/steps/0/type"]),
    ("unknown step type", workflow({"id": "a", "type": "teleport"}), ["/steps/0/type"]),
    ("step id missing", workflow({"type": "stop"}), ["/steps/0/id"]),
    ("bad step id", workflow({"id": "Step 1", "type": "stop"}), ["/steps/0/id"]),
    ("step id too long", workflow({"id": "a" * 65, "type": "stop"}), ["/steps/0/id"]),
    ("unknown step key", workflow({"id": "a", "type": "wait", "seconds": 1, "colour": "red"}), ["/steps/0/colour"]),
    (
        "duplicate step id",
        workflow({"id": "a", "type": "wait", "seconds": 1}, {"id": "a", "type": "stop"}),
        ["/steps/1/id"],
    ),
    ("unknown next", workflow({"id": "a", "type": "wait", "seconds": 1, "next": "b"}), ["/steps/0/next"]),
    ("next on a stop", workflow({"id": "a", "type": "stop", "next": "a"}), ["/steps/0/next"]),
    # set_property
    ("set_property without a value", workflow({"id": "a", "type": "set_property", "property": "owner"}), ["/steps/0"]),
    (
        "set_property with value and copy_from",
        workflow({"id": "a", "type": "set_property", "property": "owner", "value": "x", "copy_from": "email"}),
        ["/steps/0"],
    ),
    (
        "set_property of an unknown property",
        workflow({"id": "a", "type": "set_property", "property": "shoe_size", "value": 4}),
        ["/steps/0/property"],
    ),
    (
        "set_property of a system field",
        workflow({"id": "a", "type": "set_property", "property": "created_at", "value": "2026-01-01"}),
        ["/steps/0/property"],
    ),
    (
        "set_property to an invalid value",
        workflow({"id": "a", "type": "set_property", "property": "lifecycle_stage", "value": "friend"}),
        ["/steps/0/value"],
    ),
    (
        "set_property removing a required property",
        workflow(
            {"id": "a", "type": "set_property", "property": "name", "value": None},
            object="deal",
            trigger={"event": "deal.created"},
        ),
        ["/steps/0/value"],
    ),
    (
        "copy_from an unknown property",
        workflow({"id": "a", "type": "set_property", "property": "owner", "copy_from": "nickname"}),
        ["/steps/0/copy_from"],
    ),
    (
        "copy_from the same property",
        workflow({"id": "a", "type": "set_property", "property": "owner", "copy_from": "owner"}),
        ["/steps/0/copy_from"],
    ),
    (
        "copy_from a property of another type",
        workflow(
            {"id": "a", "type": "set_property", "property": "amount", "copy_from": "close_date"},
            object="deal",
            trigger={"event": "deal.created"},
        ),
        ["/steps/0/copy_from"],
    ),
    # assign_owner
    ("no owners", workflow({"id": "a", "type": "assign_owner", "owners": []}), ["/steps/0/owners"]),
    ("too many owners", workflow({"id": "a", "type": "assign_owner", "owners": ["x"] * 51}), ["/steps/0/owners"]),
    ("blank owner", workflow({"id": "a", "type": "assign_owner", "owners": ["ana", " "]}), ["/steps/0/owners/1"]),
    ("owner too long", workflow({"id": "a", "type": "assign_owner", "owners": ["x" * 257]}), ["/steps/0/owners/0"]),
    ("owner not a string", workflow({"id": "a", "type": "assign_owner", "owners": [7]}), ["/steps/0/owners/0"]),
    (
        "assign_owner on an object without an owner",
        workflow(
            {"id": "a", "type": "assign_owner", "owners": ["ana"]},
            object="company",
            trigger={"event": "company.created"},
        ),
        ["/steps/0/type"],
    ),
    # create_record
    (
        "create_record of an unknown object",
        workflow({"id": "a", "type": "create_record", "object": "widget", "properties": {"name": "x"}}),
        ["/steps/0/object"],
    ),
    (
        "create_record with an unknown property",
        workflow({"id": "a", "type": "create_record", "object": "company", "properties": {"name": "x", "size": 3}}),
        ["/steps/0/properties/size"],
    ),
    (
        "create_record with an invalid value",
        workflow({"id": "a", "type": "create_record", "object": "deal", "properties": {"name": "x", "amount": -5}}),
        ["/steps/0/properties/amount"],
    ),
    (
        "create_record with null",
        workflow({"id": "a", "type": "create_record", "object": "deal", "properties": {"name": "x", "stage": None}}),
        ["/steps/0/properties/stage"],
    ),
    (
        "create_record without a required property",
        workflow({"id": "a", "type": "create_record", "object": "deal", "properties": {"amount": 5}}),
        ["/steps/0/properties/name"],
    ),
    (
        "create_record without an identifying property",
        workflow({"id": "a", "type": "create_record", "object": "contact", "properties": {"owner": "ana"}}),
        ["/steps/0/properties"],
    ),
    (
        "template naming an unknown property",
        workflow(
            {"id": "a", "type": "create_record", "object": "deal", "properties": {"name": "For {{record.nickname}}"}}
        ),
        ["/steps/0/properties/name"],
    ),
    (
        "something that is not a template",
        workflow({"id": "a", "type": "create_record", "object": "deal", "properties": {"name": "{{contact.email}}"}}),
        ["/steps/0/properties/name"],
    ),
    # wait
    ("wait without a duration", workflow({"id": "a", "type": "wait"}), ["/steps/0"]),
    (
        "wait with seconds and until_property",
        workflow({"id": "a", "type": "wait", "seconds": 5, "until_property": "close_date"}),
        ["/steps/0"],
    ),
    ("wait of zero seconds", workflow({"id": "a", "type": "wait", "seconds": 0}), ["/steps/0/seconds"]),
    ("wait over a year", workflow({"id": "a", "type": "wait", "seconds": 31_536_001}), ["/steps/0/seconds"]),
    ("wait of a fraction", workflow({"id": "a", "type": "wait", "seconds": Decimal("1.5")}), ["/steps/0/seconds"]),
    ("wait of true seconds", workflow({"id": "a", "type": "wait", "seconds": True}), ["/steps/0/seconds"]),
    (
        "offset without until_property",
        workflow({"id": "a", "type": "wait", "seconds": 5, "offset_seconds": 5}),
        ["/steps/0/offset_seconds"],
    ),
    (
        "until a property that is not a date",
        workflow({"id": "a", "type": "wait", "until_property": "email"}),
        ["/steps/0/until_property"],
    ),
    (
        "until an unknown property",
        workflow({"id": "a", "type": "wait", "until_property": "birthday"}),
        ["/steps/0/until_property"],
    ),
    (
        "offset over a year",
        workflow(
            {"id": "a", "type": "wait", "until_property": "close_date", "offset_seconds": -31_536_001},
            object="deal",
            trigger={"event": "deal.created"},
        ),
        ["/steps/0/offset_seconds"],
    ),
    # branch
    (
        "branch without else",
        workflow(
            {"id": "a", "type": "branch", "conditions": {"property": "email", "op": "is_set"}, "then": "b"},
            {"id": "b", "type": "stop"},
        ),
        ["/steps/0/else"],
    ),
    (
        "branch to an unknown step",
        workflow(
            {
                "id": "a",
                "type": "branch",
                "conditions": {"property": "email", "op": "is_set"},
                "then": "b",
                "else": "nowhere",
            },
            {"id": "b", "type": "stop"},
        ),
        ["/steps/0/else"],
    ),
    (
        "branch with next",
        workflow(
            {
                "id": "a",
                "type": "branch",
                "conditions": {"property": "email", "op": "is_set"},
                "then": "b",
                "else": "b",
                "next": "b",
            },
            {"id": "b", "type": "stop"},
        ),
        ["/steps/0/next"],
    ),
    (
        "branch on an unknown property",
        workflow(
            {
                "id": "a",
                "type": "branch",
                "conditions": {"property": "shoe_size", "op": "is_set"},
                "then": "b",
                "else": "b",
            },
            {"id": "b", "type": "stop"},
        ),
        ["/steps/0/conditions/property"],
    ),
    (
        "branch on changes",
        workflow(
            {
                "id": "a",
                "type": "branch",
                "conditions": {"property": "email", "op": "changed"},
                "then": "b",
                "else": "b",
            },
            {"id": "b", "type": "stop"},
            trigger={"event": "contact.updated"},
        ),
        ["/steps/0/conditions/op"],
    ),
    # send_webhook
    (
        "unknown endpoint",
        workflow({"id": "a", "type": "send_webhook", "endpoint_id": "01BX5ZZKBKACTAV9WEVGEMMVRZ"}),
        ["/steps/0/endpoint_id"],
    ),
    (
        "payload over 8 KB",
        workflow({"id": "a", "type": "send_webhook", "endpoint_id": ENDPOINT, "payload": {"x": "y" * 8200}}),
        ["/steps/0/payload"],
    ),
    (
        "payload not an object",
        workflow({"id": "a", "type": "send_webhook", "endpoint_id": ENDPOINT, "payload": ["x"]}),
        ["/steps/0/payload"],
    ),
    (
        "payload template naming an unknown property",
        workflow(
            {
                "id": "a",
                "type": "send_webhook",
                "endpoint_id": ENDPOINT,
                "payload": {"who": {"names": ["{{record.first_name}}", "{{ record.middle_name }}"]}},
            }
        ),
        ["/steps/0/payload/who/names/1"],
    ),
    # the graph
    (
        "unreachable step",
        workflow(
            {"id": "a", "type": "wait", "seconds": 1, "next": "c"},
            {"id": "b", "type": "stop"},
            {"id": "c", "type": "stop"},
        ),
        ["/steps/1"],
    ),
    (
        "step after a stop",
        workflow({"id": "a", "type": "stop"}, {"id": "b", "type": "wait", "seconds": 1}),
        ["/steps/1"],
    ),
    (
        "a step looping to itself",
        workflow({"id": "a", "type": "set_property", "property": "owner", "value": "x", "next": "a"}),
        ["/steps/0/next"],
    ),
    (
        "a branch looping back without a wait",
        workflow(
            {"id": "a", "type": "assign_owner", "owners": ["x"]},
            {
                "id": "b",
                "type": "branch",
                "conditions": {"property": "owner", "op": "eq", "value": "y"},
                "then": "c",
                "else": "a",
            },
            {"id": "c", "type": "stop"},
        ),
        ["/steps/1/else"],
    ),
]


@pytest.mark.parametrize(("body", "expected"), [(b, e) for _, b, e in FAULTS], ids=[n for n, _, _ in FAULTS])
def test_given_one_fault_when_validated_then_422_at_exactly_its_pointer(body, expected):
    found = faults(body)

    assert [pointer for pointer, _ in found] == expected
    assert all(detail for _, detail in found)


def test_given_a_loop_without_a_wait_then_the_fault_names_the_steps_of_the_loop():
    [(_, detail)] = faults(
        workflow(
            {"id": "a", "type": "assign_owner", "owners": ["x"]},
            {"id": "b", "type": "set_property", "property": "owner", "value": "y"},
            {"id": "c", "type": "set_property", "property": "first_name", "value": "z", "next": "a"},
        )
    )

    assert "a -> b -> c -> a" in detail and "no wait" in detail


def test_given_a_loop_through_a_wait_when_validated_then_it_is_allowed():
    definition = validate(
        workflow(
            {
                "id": "check",
                "type": "branch",
                "conditions": {"property": "owner", "op": "is_set"},
                "then": "done",
                "else": "later",
            },
            {"id": "later", "type": "wait", "seconds": 3600, "next": "check"},
            {"id": "done", "type": "stop"},
        ),
        ENVIRONMENT,
    )

    assert definition.successor("later") == "check"


def test_given_faults_everywhere_when_validated_then_every_one_is_reported_at_once_in_order():
    body = workflow(
        {"id": "a", "type": "set_property", "property": "shoe_size", "value": 4},
        {"id": "a", "type": "wait", "seconds": 0},
        {"id": "c", "type": "branch", "conditions": {"property": "email", "op": "nope"}, "then": "zz", "else": "a"},
        name="",
        colour="red",
        trigger={"event": "contact.created", "conditions": {"property": "email", "op": "changed"}},
    )

    assert pointers(body) == [
        "/colour",
        "/name",
        "/trigger/conditions/op",
        "/steps/0/property",
        "/steps/1/id",
        "/steps/1/seconds",
        "/steps/2/conditions/op",
        "/steps/2/then",
    ]


def test_given_a_broken_step_when_validated_then_the_graph_is_not_judged_on_it():
    # b cannot be read, so whether c is reachable is not known: only b's own fault is reported
    assert pointers(
        workflow(
            {"id": "a", "type": "wait", "seconds": 1, "next": "c"},
            {"id": "b", "type": "wait"},
            {"id": "c", "type": "stop"},
        )
    ) == ["/steps/1"]


def test_given_the_same_definition_twice_when_validated_then_nothing_it_was_given_is_changed():
    body = copy.deepcopy(LEAD_ROUTING)
    validate(body, ENVIRONMENT)

    assert body == LEAD_ROUTING


# --- navigation -------------------------------------------------------------------------------------------


def test_given_steps_when_navigated_then_list_order_next_then_else_and_stop_decide_the_successor():
    definition = validate(
        workflow(
            {"id": "a", "type": "wait", "seconds": 1},
            {"id": "b", "type": "wait", "seconds": 1, "next": "d"},
            {"id": "c", "type": "stop"},
            {
                "id": "d",
                "type": "branch",
                "conditions": {"property": "email", "op": "is_set"},
                "then": "c",
                "else": "e",
            },
            {"id": "e", "type": "set_property", "property": "owner", "value": "ana"},
        ),
        ENVIRONMENT,
    )

    assert definition.first == "a"
    assert definition.successor(definition.step("a")) == "b"  # list order
    assert definition.successor("b") == "d"  # next
    assert (definition.successor("d", True), definition.successor("d", False)) == ("c", "e")
    assert definition.successor("c") is None  # stop
    assert definition.successor("e") is None  # the last step
    with pytest.raises(ValueError):
        definition.successor("d")
    with pytest.raises(KeyError):
        definition.step("zz")
    wait = definition.step("a")
    assert isinstance(wait, Wait) and wait.seconds == 1 and wait.until_property is None


# --- templates --------------------------------------------------------------------------------------------

RECORD = {"first_name": "Ada", "amount": Decimal("1250.50"), "vip": True, "contact_ids": ["C1", "C2"], "owner": None}


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("{{record.amount}}", Decimal("1250.50")),  # a whole template keeps the value's type
        ("{{ record.contact_ids }}", ["C1", "C2"]),
        ("{{record.middle_name}}", None),  # a whole template of nothing is None
        ("{{record.owner}}", None),
        ("Dear {{record.first_name}}", "Dear Ada"),
        ("{{record.first_name}} owes {{record.amount}}", "Ada owes 1250.50"),  # numbers digit for digit
        ("vip={{record.vip}} ids={{record.contact_ids}}", 'vip=true ids=["C1","C2"]'),  # other values as JSON
        ("Hi {{record.middle_name}}!", "Hi !"),  # in text, nothing is ""
        ("{{record.first_name}}{{record.first_name}}", "AdaAda"),
        ("no templates", "no templates"),
        ("{{contact.first_name}}", "{{contact.first_name}}"),  # not a template: left as written
        (42, 42),
        (None, None),
        ({"note": ["{{record.first_name}}", {"n": "{{record.amount}}"}]}, {"note": ["Ada", {"n": Decimal("1250.50")}]}),
    ],
)
def test_given_templates_when_rendered_then_record_values_fill_them(value, expected):
    assert render(value, RECORD) == expected


# --- what kind of refusal --------------------------------------------------------------------------------


def test_given_only_faults_no_schema_can_express_when_validated_then_the_problem_is_an_invalid_workflow():
    with pytest.raises(DefinitionRefused) as refused:
        validate(workflow(object="widget"), ENVIRONMENT)

    assert refused.value.to_problem()["type"].endswith("/invalid-workflow")
    assert refused.value.status == 422


def test_given_a_fault_the_documented_schema_describes_when_validated_then_the_problem_is_a_validation_failure():
    with pytest.raises(ValidationFailed) as refused:
        validate(workflow(object="widget", enabled="yes"), ENVIRONMENT)

    assert not isinstance(refused.value, DefinitionRefused)
    assert refused.value.to_problem()["type"].endswith("/validation-failed")


def test_given_the_documented_request_schema_then_it_accepts_a_valid_definition_and_refuses_a_misshapen_one():
    from jsonschema import Draft202012Validator
    from pydantic import TypeAdapter

    schema = TypeAdapter(shapes().workflow_input).json_schema()
    validator = Draft202012Validator(schema)

    assert validator.is_valid(LEAD_ROUTING)
    assert validator.is_valid(validate(LEAD_ROUTING, ENVIRONMENT).public())  # what the API answers
    assert not validator.is_valid({**LEAD_ROUTING, "steps": [{"id": "a", "type": "wait", "seconds": 0}]})
    assert not validator.is_valid({**LEAD_ROUTING, "steps": [{"id": "a", "type": "stop", "next": "b"}]})


def test_given_the_engine_when_it_loads_definitions_then_it_does_not_pay_for_the_request_shapes():
    import subprocess
    import sys

    script = "import sys, workflows.definition; print('pydantic' in sys.modules)"
    found = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)

    assert found.stdout.strip() == "False"


# --- anything at all --------------------------------------------------------------------------------------

_scalars = st.none() | st.booleans() | st.integers(-(10**12), 10**12) | st.text(max_size=12)
_values = st.recursive(
    _scalars | st.sampled_from(["contact", "deal", "contact.created", "email", "owner", "a", "b", "{{record.email}}"]),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=6,
)
_step_keys = [
    "id",
    "type",
    "next",
    "property",
    "value",
    "copy_from",
    "owners",
    "object",
    "properties",
    "seconds",
    "until_property",
    "offset_seconds",
    "conditions",
    "then",
    "else",
    "endpoint_id",
    "payload",
]
_steps = st.lists(
    st.fixed_dictionaries(
        {"id": st.sampled_from(["a", "b", "c"]), "type": st.sampled_from([*STEP_TYPES, "zap"])},
        optional={k: _values for k in _step_keys if k not in ("id", "type")},
    )
    | _values,
    max_size=4,
)
_bodies = st.fixed_dictionaries(
    {},
    optional={
        "name": _values,
        "description": _values,
        "enabled": _values,
        "object": st.sampled_from(["contact", "deal", "company", "widget"]) | _values,
        "trigger": st.fixed_dictionaries(
            {"event": st.sampled_from(["contact.created", "deal.updated", "manual"])}, optional={"conditions": _values}
        )
        | _values,
        "reenrollment": _values,
        "steps": _steps,
        "x": _values,
    },
)


@settings(max_examples=400, deadline=None)
@given(body=_bodies)
def test_given_any_body_when_validated_then_it_is_a_definition_or_a_422_with_pointers_and_never_a_crash(body):
    try:
        definition = validate(body, ENVIRONMENT)
    except ValidationFailed as refused:
        assert refused.errors and all(e.pointer.startswith("/") and e.detail for e in refused.errors)
    else:
        assert Definition.from_json(jsonio.loads(jsonio.dumps(definition.to_json()))) == definition

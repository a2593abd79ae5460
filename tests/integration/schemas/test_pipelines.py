"""Pipelines: the stages deals move through, validated on every deal write; stage history; the forecast."""

from __future__ import annotations

from typing import Any

from tests.support.problems import assert_problem

ENTERPRISE = {
    "object": "deal",
    "name": "Enterprise",
    "stages": [
        {"id": "discovery", "label": "Discovery", "probability": 0.1},
        {"id": "proposal", "label": "Proposal", "probability": 0.5},
        {"id": "won", "label": "Won", "probability": 1.0, "closed": "won"},
        {"id": "lost", "label": "Lost", "probability": 0, "closed": "lost"},
    ],
}


def create_pipeline(api, tenant, body: dict[str, Any] = ENTERPRISE) -> dict[str, Any]:
    reply = api.post("/v1/pipelines", body, key=tenant.key)
    assert reply.status == 201, reply.body
    return reply.body


def deal(api, tenant, **properties: Any):
    return api.post("/v1/deals", {"properties": {"name": "Deal", **properties}}, key=tenant.key)


def test_given_a_new_tenant_then_it_has_the_default_pipeline_and_free_text_stages_keep_working(api, tenant):
    listed = api.get("/v1/pipelines", key=tenant.key).body["data"]
    free_text = deal(api, tenant, stage="negotiation")
    in_default = deal(api, tenant, pipeline="default", stage="contract_sent")

    assert [p["id"] for p in listed] == ["default"] and listed[0]["default"] is True
    assert free_text.status == 201 and free_text.body["properties"]["stage"] == "negotiation"
    assert in_default.status == 201, in_default.body
    assert_problem(deal(api, tenant, pipeline="default", stage="negotiation"), 422, "/properties/stage")


def test_given_a_pipeline_then_deals_in_it_need_one_of_its_stages_and_remember_when_they_entered_each(
    api, tenant, tick
):
    pipeline = create_pipeline(api, tenant)
    assert pipeline["version"] == 1 and [s["id"] for s in pipeline["stages"]] == [
        "discovery",
        "proposal",
        "won",
        "lost",
    ]

    created = deal(api, tenant, pipeline=pipeline["id"], stage="discovery")
    tick()
    moved = api.patch(f"/v1/deals/{created.body['id']}", {"properties": {"stage": "proposal"}}, key=tenant.key)
    wrong = api.patch(f"/v1/deals/{created.body['id']}", {"properties": {"stage": "contract_sent"}}, key=tenant.key)
    unknown = deal(api, tenant, pipeline="01ARZ3NDEKTSV4RRFFQ69G5FAV", stage="discovery")
    history_written = api.patch(
        f"/v1/deals/{created.body['id']}",
        {"properties": {"stage_history": {"won": "2026-01-01T00:00:00Z"}}},
        key=tenant.key,
    )

    history = moved.body["properties"]["stage_history"]
    assert list(history) == ["discovery", "proposal"] and history["discovery"] < history["proposal"]
    assert_problem(wrong, 422, "/properties/stage")
    assert_problem(unknown, 422, "/properties/pipeline")
    assert_problem(history_written, 422, "/properties/stage_history")


def test_given_deals_in_a_stage_when_it_is_removed_then_409_with_the_count_and_renaming_is_fine(api, tenant):
    pipeline = create_pipeline(api, tenant)
    for _ in range(2):
        assert deal(api, tenant, pipeline=pipeline["id"], stage="proposal").status == 201
    path = f"/v1/pipelines/{pipeline['id']}"
    without_proposal = [s for s in ENTERPRISE["stages"] if s["id"] != "proposal"]

    refused = api.patch(path, {"stages": without_proposal}, key=tenant.key)
    stale = api.patch(path, {"name": "Big deals"}, key=tenant.key, headers={"If-Match": '"9"'})
    renamed = api.patch(path, {"name": "Big deals"}, key=tenant.key, headers={"If-Match": '"1"'})
    without_discovery = api.patch(path, {"stages": ENTERPRISE["stages"][1:]}, key=tenant.key)

    assert assert_problem(refused, 409)["records"] == 2
    assert_problem(stale, 412)
    assert renamed.status == 200 and renamed.body["name"] == "Big deals" and renamed.header("ETag") == '"2"'
    assert without_discovery.status == 200 and without_discovery.body["version"] == 3


def test_given_the_default_pipeline_when_changed_then_it_is_stored_and_deals_follow_it(api, tenant):
    stages = [{"id": "new", "label": "New", "probability": 0.2}, {"id": "done", "label": "Done", "probability": 1}]
    changed = api.patch("/v1/pipelines/default", {"stages": stages}, key=tenant.key)

    assert changed.status == 200 and [s["id"] for s in changed.body["stages"]] == ["new", "done"]
    assert deal(api, tenant, pipeline="default", stage="new").status == 201
    assert_problem(deal(api, tenant, pipeline="default", stage="contract_sent"), 422, "/properties/stage")


def test_given_a_pipeline_definition_at_fault_then_422_with_pointers(api, tenant, unchanged):
    with unchanged():
        repeated = api.post("/v1/pipelines", {**ENTERPRISE, "stages": [ENTERPRISE["stages"][0]] * 2}, key=tenant.key)
        unlikely = api.post(
            "/v1/pipelines",
            {**ENTERPRISE, "stages": [{"id": "x", "label": "X", "probability": 1.5}]},
            key=tenant.key,
        )
        wrong_object = api.post("/v1/pipelines", {**ENTERPRISE, "object": "contact"}, key=tenant.key)
    assert_problem(repeated, 422)
    assert_problem(unlikely, 422, "/stages/0/probability")
    assert_problem(wrong_object, 422, "/object")


def test_given_deals_then_the_forecast_groups_them_by_close_month_and_currency_weighted_by_stage(api, tenant):
    pipeline = create_pipeline(api, tenant)
    for stage, amount, currency, close in (
        ("discovery", 1000, "EUR", "2027-01-10"),
        ("proposal", 2000, "EUR", "2027-01-20"),
        ("won", 500, "USD", "2027-01-31"),
        ("proposal", 400, "EUR", "2027-02-01"),
    ):
        properties = {"pipeline": pipeline["id"], "stage": stage, "amount": amount, "currency": currency}
        assert deal(api, tenant, close_date=close, **properties).status == 201
    assert deal(api, tenant, stage="contract_sent", amount=100, currency="EUR", close_date="2027-01-05").status == 201
    assert deal(api, tenant, stage="someday", amount=100, currency="EUR", close_date="2027-01-06").status == 201
    assert deal(api, tenant, amount=7, currency="EUR").status == 201  # no close date

    everything = api.get("/v1/deals/forecast?group_by=close_month", key=tenant.key).body
    only_enterprise = api.get(f"/v1/deals/forecast?pipeline={pipeline['id']}", key=tenant.key).body

    assert everything["data"] == [
        {"month": "2027-01", "currency": "EUR", "count": 4, "amount": 3200, "weighted_amount": 1190},
        {"month": "2027-01", "currency": "USD", "count": 1, "amount": 500, "weighted_amount": 500},
        {"month": "2027-02", "currency": "EUR", "count": 1, "amount": 400, "weighted_amount": 200},
    ]
    assert everything["unscheduled"] == 1
    assert [row["count"] for row in only_enterprise["data"]] == [2, 1, 1]
    assert_problem(api.get("/v1/deals/forecast?pipeline=nope", key=tenant.key), 404)


CROSS_TENANT_ROUTES = [
    ("GET", "/v1/pipelines/{pipeline}", None),
    ("PATCH", "/v1/pipelines/{pipeline}", {"name": "Stolen"}),
]


def test_given_tenant_a_pipeline_when_tenant_b_uses_it_then_404_and_its_deals_cannot_join_it(
    api, tenant, other_tenant, unchanged
):
    pipeline = create_pipeline(api, tenant)
    assert deal(api, tenant, pipeline=pipeline["id"], stage="won", amount=10, close_date="2027-01-01").status == 201

    with unchanged():
        for method, path, body in CROSS_TENANT_ROUTES:
            assert_problem(
                api.request(method, path.format(pipeline=pipeline["id"]), body=body, key=other_tenant.key), 404
            )
        joined = deal(api, other_tenant, pipeline=pipeline["id"], stage="won")
        b_forecast = api.get(f"/v1/deals/forecast?pipeline={pipeline['id']}", key=other_tenant.key)
        b_pipelines = api.get("/v1/pipelines", key=other_tenant.key).body["data"]
    assert_problem(joined, 422, "/properties/pipeline")
    assert_problem(b_forecast, 404)
    assert [p["id"] for p in b_pipelines] == ["default"]
    assert api.get("/v1/deals/forecast", key=other_tenant.key).body["data"] == []

"""A form's definition and what a submission to it means (forms.definition): pure, no store."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from contacts.schema import ValidationContext
from crm.errors import MalformedJson, ValidationFailed
from forms import definition
from forms.definition import Definition, FormField, FormRefused, SubmissionRefused, UnsupportedMediaType

US = ValidationContext()
GB = ValidationContext(default_region="GB")


def raw_form(**overrides):
    form = {
        "name": "Newsletter",
        "fields": [
            {"name": "email", "property": "email", "required": True},
            {"name": "first_name", "property": "first_name"},
            {"name": "tel", "property": "phone"},
        ],
        "set_properties": {"lifecycle_stage": "lead"},
        "honeypot": "website",
        "redirect_url": None,
    }
    return {**form, **overrides}


def form(**overrides) -> Definition:
    return definition.check(raw_form(**overrides), US)


def pointers(error: ValidationFailed) -> list[str]:
    return [e.pointer for e in error.errors]


# --- definitions -----------------------------------------------------------------------------------------


def test_given_the_contact_type_then_forms_may_map_its_writable_properties_but_no_reference_or_computed_one():
    assert definition.MAPPABLE == ("email", "first_name", "last_name", "phone", "lifecycle_stage", "owner")
    assert "email" not in definition.SETTABLE and set(definition.SETTABLE) < set(definition.MAPPABLE)


def test_given_a_valid_definition_when_checked_then_its_set_properties_are_normalised_as_the_contact_holds_them():
    checked = definition.check(raw_form(set_properties={"lifecycle_stage": "lead", "owner": "  Ana  "}), GB)

    assert checked.fields[0] == FormField("email", "email", required=True)
    assert checked.set_properties == {"lifecycle_stage": "lead", "owner": "Ana"}
    assert Definition.from_public(checked.public()) == checked


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        ({"fields": [{"name": "first_name", "property": "first_name"}]}, ["/fields"]),
        ({"fields": [{"name": "email", "property": "email"}]}, ["/fields/0/required"]),
        (
            {
                "fields": [
                    {"name": "email", "property": "email", "required": True},
                    {"name": "email", "property": "first_name"},
                    {"name": "mail2", "property": "email"},
                ]
            },
            ["/fields/1/name", "/fields/2/property"],
        ),
        ({"fields": [{"name": "email", "property": "score", "required": True}]}, ["/fields/0/property", "/fields"]),
        ({"fields": [{"name": "1st", "property": "email", "required": True}]}, ["/fields/0/name"]),
        ({"honeypot": "first_name"}, ["/honeypot"]),
        ({"set_properties": {"email": "a@b.example"}}, ["/set_properties/email"]),
        ({"set_properties": {"first_name": "Ada"}}, ["/set_properties/first_name"]),
        ({"set_properties": {"company_id": "01ARZ3NDEKTSV4RRFFQ69G5FAV"}}, ["/set_properties/company_id"]),
        ({"set_properties": {"lifecycle_stage": "friend"}}, ["/set_properties/lifecycle_stage"]),
        ({"set_properties": {"owner": None}}, ["/set_properties/owner"]),
        ({"redirect_url": "javascript:alert(1)"}, ["/redirect_url"]),
        ({"redirect_url": "https://example.com:99999/thanks"}, ["/redirect_url"]),
    ],
)
def test_given_a_definition_at_fault_when_checked_then_each_fault_is_named_at_its_pointer(overrides, expected):
    with pytest.raises(FormRefused) as refused:
        form(**overrides)
    assert pointers(refused.value) == expected
    assert refused.value.status == 422


def test_given_a_redirect_url_when_checked_then_http_and_https_urls_with_paths_and_queries_are_kept():
    url = "https://www.acme.example/thanks?from=form#top"
    assert form(redirect_url=url).redirect_url == url
    assert definition.valid_url("http://localhost:8080/done")
    assert not definition.valid_url("https:///no-host")


def test_given_form_ids_made_at_one_moment_then_each_has_130_random_bits_beyond_its_ulid(frozen_clock):
    ids = [definition.new_form_id() for _ in range(200)]

    assert len(set(ids)) == len(ids)
    assert all(re.fullmatch("[0-9A-HJKMNP-TV-Z]{52}", i) for i in ids)
    assert len({i[:10] for i in ids}) == 1  # the time part: the same moment
    assert len({i[26:] for i in ids}) == len(ids)  # 26 characters of 32 symbols: 130 bits, at random
    frozen_clock[0] += timedelta(seconds=1)
    assert definition.new_form_id() > max(ids)  # newer forms sort after older ones


# --- bodies ------------------------------------------------------------------------------------------------


def test_given_a_json_body_when_parsed_then_its_inputs_come_in_order_and_it_is_not_urlencoded():
    body = definition.parse_body('{"email": "a@b.example", "utm": "x"}', "application/json; charset=utf-8")
    assert body.inputs == (("email", "a@b.example"), ("utm", "x"))
    assert not body.urlencoded


def test_given_a_urlencoded_body_when_parsed_then_values_are_decoded_and_blank_ones_kept():
    body = definition.parse_body("email=zo%C3%AB%40vip.example&first_name=&first_name=Zo+%C3%AB", definition.URLENCODED)
    assert body.urlencoded
    assert body.inputs == (("email", "zoë@vip.example"), ("first_name", ""), ("first_name", "Zo ë"))


def test_given_json_sent_with_the_urlencoded_type_as_curl_d_does_then_it_is_read_as_json():
    body = definition.parse_body(' {"email": "a@b.example"}', "application/x-www-form-urlencoded")
    assert body.inputs == (("email", "a@b.example"),) and not body.urlencoded
    assert not definition.is_urlencoded(' {"email": 1}', definition.URLENCODED)


@pytest.mark.parametrize(
    ("text", "content_type", "error"),
    [
        ("email=%FF", definition.URLENCODED, MalformedJson),
        ("&".join(f"f{i}=1" for i in range(201)), definition.URLENCODED, MalformedJson),
        ('{"email": 1, "email": 2}', "application/json", MalformedJson),
        ("[1, 2]", "application/json", SubmissionRefused),
        ("--boundary", "multipart/form-data; boundary=boundary", UnsupportedMediaType),
        ("email=a", "text/plain", UnsupportedMediaType),
    ],
)
def test_given_a_body_that_cannot_be_read_when_parsed_then_it_is_refused_with_its_own_status(text, content_type, error):
    with pytest.raises(error) as refused:
        definition.parse_body(text, content_type)
    assert refused.value.status in (400, 415, 422)


def test_given_no_body_when_parsed_then_there_are_no_inputs():
    assert definition.parse_body(None, None).inputs == ()
    assert definition.parse_body("", "application/json").inputs == ()


# --- submissions ---------------------------------------------------------------------------------------------


def test_given_inputs_when_read_then_fields_map_to_normalised_properties_and_unknown_inputs_are_listed():
    submission = definition.read(
        form(),
        [("email", " Zoe@VIP.example "), ("first_name", "Zoë"), ("utm_source", "ad"), ("website", ""), ("utm", "")],
        US,
    )

    assert submission.properties == {"email": "zoe@vip.example", "first_name": "Zoë"}
    assert submission.fields == {"email": "zoe@vip.example", "first_name": "Zoë"}
    assert submission.email == "zoe@vip.example"
    assert submission.ignored == ["utm", "utm_source"]  # the honeypot is not listed: a bot must not learn of it


def test_given_blank_inputs_when_read_then_they_count_as_not_sent():
    submission = definition.read(form(), [("email", "a@b.example"), ("first_name", "  "), ("tel", "")], US)
    assert submission.properties == {"email": "a@b.example"}


def test_given_required_fields_missing_or_blank_when_read_then_each_is_named_in_the_forms_order():
    strict = form(
        fields=[
            {"name": "email", "property": "email", "required": True},
            {"name": "last", "property": "last_name", "required": True},
            {"name": "first", "property": "first_name"},
        ]
    )
    with pytest.raises(SubmissionRefused) as refused:
        definition.read(strict, [("last", " "), ("first", "Ada")], US)
    assert pointers(refused.value) == ["/email", "/last"]
    assert all(e.detail == "is required" for e in refused.value.errors)


def test_given_values_the_contact_rules_refuse_when_read_then_each_is_named_by_its_field():
    with pytest.raises(SubmissionRefused) as refused:
        definition.read(form(), [("email", "not an email"), ("tel", "12"), ("first_name", "A\x00")], US)
    assert pointers(refused.value) == ["/email", "/first_name", "/tel"]
    assert refused.value.errors[0].detail.startswith("Email ")


def test_given_a_known_input_sent_twice_or_not_as_text_when_read_then_it_is_refused():
    with pytest.raises(SubmissionRefused) as refused:
        definition.read(form(), [("email", "a@b.example"), ("email", "c@d.example"), ("first_name", 7)], US)
    assert [(e.pointer, e.detail) for e in refused.value.errors] == [
        ("/email", "is sent more than once"),
        ("/first_name", "must be text"),
    ]


def test_given_national_phone_numbers_when_read_then_the_tenants_region_reads_them():
    submission = definition.read(form(), [("email", "a@b.example"), ("tel", "020 7946 0958")], GB)
    assert submission.properties["phone"] == "+442079460958"


def test_given_the_honeypot_when_filled_then_it_is_detected_and_when_blank_or_absent_not():
    assert definition.honeypot_filled(form(), [("email", "a@b.example"), ("website", "http://spam.example")])
    assert not definition.honeypot_filled(form(), [("email", "a@b.example"), ("website", " ")])
    assert not definition.honeypot_filled(form(honeypot=None), [("website", "x")])


@pytest.mark.parametrize(
    ("current", "wanted", "kept"),
    [
        (None, "lead", True),  # a new contact takes the stage
        ({}, "lead", True),  # an existing contact without one too
        ({"lifecycle_stage": "subscriber"}, "lead", True),  # forward
        ({"lifecycle_stage": "customer"}, "lead", False),  # never backward
        ({"lifecycle_stage": "lead"}, "lead", False),  # nothing to change
        ({"lifecycle_stage": "other"}, "lead", False),
        ({"lifecycle_stage": "lead"}, "other", False),
    ],
)
def test_given_a_set_lifecycle_stage_when_writing_then_it_only_moves_a_contact_forward(current, wanted, kept):
    with_stage = form(set_properties={"lifecycle_stage": wanted, "owner": "Ana"})
    submission = definition.read(with_stage, [("email", "a@b.example")], US)

    written = definition.properties_to_write(with_stage, submission, current)

    assert written["owner"] == "Ana" and written["email"] == "a@b.example"
    assert ("lifecycle_stage" in written) == kept

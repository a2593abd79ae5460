"""What a form is and what a submission to it means. Pure: no store, no clock.

A form maps the names of its HTML inputs to contact properties (`email` among them, required: a submission
creates or updates the contact with that email), sets `set_properties` on every contact it touches, names a
honeypot input (hidden from people, filled by bots) and may send browsers on to `redirect_url`.

A submission is a flat object of field name -> text, as JSON or as application/x-www-form-urlencoded. Every
value is checked with the contact's own rules (crm.errors pointers are the field names: `/email`); fields the
form does not know are ignored and listed (websites send extra inputs); blank inputs count as not sent."""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from contacts.schema import CONTACT, LIFECYCLE_STAGES, Reference, References, ValidationContext, validate_properties
from crm import jsonio
from crm.catalogue import API_PREFIX
from crm.errors import CrmError, FieldError, MalformedJson, ValidationFailed

# Contact properties a form may set: what the API may write, but no reference (a web visitor names no record).
MAPPABLE: tuple[str, ...] = tuple(
    name
    for name, spec in CONTACT.properties.items()
    if not spec.read_only and not isinstance(spec.type, Reference | References)
)
# What every submission may also set: not the email, which each submission brings.
SETTABLE: tuple[str, ...] = tuple(name for name in MAPPABLE if name != "email")
EMAIL = "email"
# An HTML input name as forms send it: a letter or _, then letters, digits and _ . : - [ ] (64 at most).
FIELD_NAME_PATTERN = r"^[A-Za-z_][A-Za-z0-9_.:\[\]-]{0,63}$"
MAX_FIELDS = 50
DEFAULT_HONEYPOT = "website"
MAX_URL = 2048
URL_PATTERN = r"^https?://[^\s/?#@]+(?:[/?#][^\s]*)?$"
# Form ids are public (in every HTML form) yet must not be guessable: a ULID (newest first in lists) and
# 26 more Crockford base32 characters from the OS's random source (130 bits).
ID_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
ID_RANDOM_CHARACTERS = 26
MAX_SUBMITTED_FIELDS = 200  # inputs per submission, known or not
MAX_VALUE = 10_000  # characters of one submitted value (a contact property is shorter still)

_FIELD_NAME = re.compile(FIELD_NAME_PATTERN)
_URL = re.compile(URL_PATTERN)


def new_form_id() -> str:
    from crm import clock

    return clock.new_id() + "".join(secrets.choice(ID_ALPHABET) for _ in range(ID_RANDOM_CHARACTERS))


def submit_url(form_id: str) -> str:
    return f"{API_PREFIX}/forms/{form_id}/submissions"


@dataclass(frozen=True)
class FormField:
    name: str
    property: str
    required: bool = False


@dataclass(frozen=True)
class Definition:
    name: str
    fields: tuple[FormField, ...]
    set_properties: dict[str, Any] = field(default_factory=dict)
    honeypot: str | None = DEFAULT_HONEYPOT
    redirect_url: str | None = None

    def public(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "fields": [{"name": f.name, "property": f.property, "required": f.required} for f in self.fields],
            "set_properties": dict(self.set_properties),
            "honeypot": self.honeypot,
            "redirect_url": self.redirect_url,
        }

    @classmethod
    def from_public(cls, data: Mapping[str, Any]) -> Definition:
        """A definition as stored (already checked)."""
        return cls(
            name=data["name"],
            fields=tuple(FormField(f["name"], f["property"], bool(f.get("required"))) for f in data["fields"]),
            set_properties=dict(data.get("set_properties") or {}),
            honeypot=data.get("honeypot"),
            redirect_url=data.get("redirect_url"),
        )

    def field_for(self, prop: str) -> FormField | None:
        return next((f for f in self.fields if f.property == prop), None)


FIELDS = ("name", "fields", "set_properties", "honeypot", "redirect_url")


class FormRefused(ValidationFailed):
    """A form definition whose every field has the documented shape, refused for what no JSON Schema says (one
    field for email, and required; names and properties used once; set_properties values the contact's rules
    refuse): its own problem type tells a client (or a contract test) that the definition itself is at fault."""

    slug = "invalid-form"


def check(raw: Mapping[str, Any], context: ValidationContext) -> Definition:
    """The definition `raw` describes (its shapes already checked at the edge), checked whole: every fault at
    its JSON pointer. Values of set_properties come back normalised, as the contact will hold them."""
    errors: list[FieldError] = []
    fields = [FormField(f["name"], f["property"], bool(f.get("required", False))) for f in raw["fields"]]
    seen_names: dict[str, int] = {}
    seen_properties: dict[str, int] = {}
    for i, form_field in enumerate(fields):
        if not _FIELD_NAME.match(form_field.name):
            errors.append(FieldError(f"/fields/{i}/name", "must be 1-64 of A-Z a-z 0-9 _ . : - [ ], not a digit first"))
        elif form_field.name in seen_names:
            errors.append(FieldError(f"/fields/{i}/name", f"is also the name of /fields/{seen_names[form_field.name]}"))
        seen_names.setdefault(form_field.name, i)
        if form_field.property not in MAPPABLE:
            settable = ", ".join(MAPPABLE)
            errors.append(FieldError(f"/fields/{i}/property", f"is not a property a form can set: {settable}"))
        elif form_field.property in seen_properties:
            other = seen_properties[form_field.property]
            errors.append(FieldError(f"/fields/{i}/property", f"is already set by /fields/{other}"))
        seen_properties.setdefault(form_field.property, i)
    email = next((i for i, f in enumerate(fields) if f.property == EMAIL), None)
    if email is None:
        errors.append(FieldError("/fields", "must have a field for email: a submission creates or updates its contact"))
    elif not fields[email].required:
        errors.append(FieldError(f"/fields/{email}/required", "must be true for the email field"))
    honeypot = raw.get("honeypot", DEFAULT_HONEYPOT)
    if honeypot is not None and honeypot in seen_names:
        other = seen_names[honeypot]
        errors.append(FieldError("/honeypot", f"is the name of /fields/{other}: bots fill the honeypot, people not"))
    elif honeypot is not None and not _FIELD_NAME.match(honeypot):
        errors.append(FieldError("/honeypot", "must be 1-64 of A-Z a-z 0-9 _ . : - [ ], not a digit first"))
    set_properties = _check_set_properties(raw.get("set_properties") or {}, seen_properties, context, errors)
    redirect_url = raw.get("redirect_url")
    if redirect_url is not None and not valid_url(redirect_url):
        errors.append(FieldError("/redirect_url", f"must be an absolute http(s) URL of at most {MAX_URL} characters"))
    if errors:
        raise FormRefused("The form is invalid.", errors=errors)
    return Definition(raw["name"], tuple(fields), set_properties, honeypot, redirect_url)


def _check_set_properties(
    raw: Mapping[str, Any], by_fields: Mapping[str, int], context: ValidationContext, errors: list[FieldError]
) -> dict[str, Any]:
    wanted: dict[str, Any] = {}
    for name, value in raw.items():
        pointer = f"/set_properties/{_escape(name)}"
        if name not in SETTABLE:
            settable = ", ".join(SETTABLE)
            errors.append(FieldError(pointer, f"is not a property a form can set for every submission: {settable}"))
        elif name in by_fields:
            errors.append(FieldError(pointer, f"is set by /fields/{by_fields[name]}: keep one of the two"))
        elif value is None:
            errors.append(FieldError(pointer, "must be a value (a form sets properties, it removes none)"))
        else:
            wanted[name] = value
    try:
        return validate_properties(CONTACT, wanted, context, for_create=False)
    except ValidationFailed as invalid:
        for error in invalid.errors:
            errors.append(FieldError(error.pointer.replace("/properties/", "/set_properties/", 1), error.detail))
        return {}


def valid_url(url: Any) -> bool:
    if not isinstance(url, str) or len(url) > MAX_URL or not _URL.match(url):
        return False
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError for a port that is not one
    except ValueError:
        return False
    return bool(parts.hostname)


def _escape(name: str) -> str:
    return name.replace("~", "~0").replace("/", "~1")


# --- submissions -----------------------------------------------------------------------------------------


class UnsupportedMediaType(CrmError):
    status, title, slug = 415, "Unsupported Media Type", "unsupported-media-type"


class SubmissionRefused(ValidationFailed):
    """A submission whose values the form cannot take (a required field missing, a value the contact's rules
    refuse): its own problem type, since which fields are required is the form's, not the document's."""

    slug = "invalid-submission"


URLENCODED = "application/x-www-form-urlencoded"


@dataclass(frozen=True)
class Body:
    """A submission's inputs in the order sent (a name may repeat in a urlencoded body) and how it came."""

    inputs: tuple[tuple[str, Any], ...]
    urlencoded: bool


def _media(content_type: str | None) -> str:
    return (content_type or "").split(";", 1)[0].strip().lower()


def is_urlencoded(text: str | None, content_type: str | None) -> bool:
    """Whether a body is read as application/x-www-form-urlencoded (what a plain HTML form posts). A body of
    that type that is a JSON object (`curl -d '{...}'` sends that type) is read as JSON."""
    return _media(content_type) == URLENCODED and not (text or "").lstrip().startswith("{")


def parse_body(text: str | None, content_type: str | None) -> Body:
    """The inputs of a submission body: a JSON object or application/x-www-form-urlencoded."""
    media = _media(content_type)
    text = text or ""
    if is_urlencoded(text, content_type):
        try:
            pairs = parse_qsl(text, keep_blank_values=True, errors="strict", max_num_fields=MAX_SUBMITTED_FIELDS)
        except UnicodeDecodeError:
            raise MalformedJson("The form body is not valid: a percent-encoded value is not UTF-8.") from None
        except ValueError:
            raise MalformedJson(f"The form body has more than {MAX_SUBMITTED_FIELDS} inputs.") from None
        return Body(tuple(pairs), urlencoded=True)
    if media and media != URLENCODED and media != "application/json" and not media.endswith("+json"):
        raise UnsupportedMediaType(f"Send the fields as application/json or {URLENCODED}, not {media}.")
    if not text.strip():
        return Body((), urlencoded=False)
    try:
        value = jsonio.loads(text)
    except jsonio.JsonRejected as rejected:
        reason = str(rejected)
        raise MalformedJson(f"The request body cannot be used: {reason}.", errors=[FieldError("/", reason)]) from None
    if not isinstance(value, dict):
        raise SubmissionRefused(
            "The request body must be a JSON object.", errors=[FieldError("/", "must be a JSON object")]
        )
    if len(value) > MAX_SUBMITTED_FIELDS:
        raise SubmissionRefused(
            "The submission has too many fields.", errors=[FieldError("/", f"has more than {MAX_SUBMITTED_FIELDS}")]
        )
    return Body(tuple(value.items()), urlencoded=False)


def honeypot_filled(form: Definition, inputs: Iterable[tuple[str, Any]]) -> bool:
    """Whether the input people never see (hidden) holds anything: then a bot sent the submission."""
    return form.honeypot is not None and any(name == form.honeypot and not _blank(v) for name, v in inputs)


def unknown_inputs(form: Definition, inputs: Iterable[tuple[str, Any]]) -> list[str]:
    """The names of inputs the form has no field for (but its honeypot), sorted, each once."""
    known = {f.name for f in form.fields} | {form.honeypot}
    return sorted({name for name, _ in inputs if name not in known})


@dataclass(frozen=True)
class Submission:
    """What a submission says: the contact properties it sets (normalised), the known fields sent (by field
    name, with the values stored) and the names of the inputs the form does not know."""

    properties: dict[str, Any]
    fields: dict[str, Any]
    ignored: list[str]

    @property
    def email(self) -> str:
        return self.properties[EMAIL]


def read(form: Definition, inputs: Iterable[tuple[str, Any]], context: ValidationContext) -> Submission:
    """The submission to `form` these inputs make, or SubmissionRefused naming every field at fault (by its
    name: `/email`). Inputs the form does not know are ignored (and listed)."""
    inputs = list(inputs)
    known = {f.name: f for f in form.fields}
    sent: dict[str, Any] = {}
    errors: list[FieldError] = []
    for name, value in inputs:
        if name not in known:
            continue
        if name in sent:
            errors.append(FieldError(f"/{_escape(name)}", "is sent more than once"))
        else:
            sent[name] = value
    by_property: dict[str, Any] = {}
    for form_field in form.fields:
        value = sent.get(form_field.name)
        pointer = f"/{_escape(form_field.name)}"
        if value is not None and not isinstance(value, str):
            errors.append(FieldError(pointer, "must be text"))
        elif isinstance(value, str) and len(value) > MAX_VALUE:
            errors.append(FieldError(pointer, f"must be at most {MAX_VALUE} characters"))
        elif not _blank(value):
            by_property[form_field.property] = value
        elif form_field.required:
            errors.append(FieldError(pointer, "is required"))
    properties: dict[str, Any] = {}
    try:
        properties = validate_properties(CONTACT, by_property, context, for_create=False)
    except ValidationFailed as invalid:
        for error in invalid.errors:
            prop = error.pointer.removeprefix("/properties/")
            form_field = form.field_for(prop)
            errors.append(FieldError(f"/{_escape(form_field.name)}" if form_field else error.pointer, error.detail))
    if errors:
        raise SubmissionRefused("The submission cannot be accepted.", errors=_in_form_order(errors, form))
    fields = {f.name: properties[f.property] for f in form.fields if f.property in properties}
    return Submission(properties, fields, unknown_inputs(form, inputs))


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _in_form_order(errors: list[FieldError], form: Definition) -> list[FieldError]:
    """Each field's faults in the order of the form's fields (then anything else), each fault once."""
    order = {f"/{_escape(f.name)}": i for i, f in enumerate(form.fields)}
    unique = list(dict.fromkeys(errors))
    return sorted(unique, key=lambda e: order.get(e.pointer, len(order)))


def properties_to_write(form: Definition, submission: Submission, current: Mapping[str, Any] | None) -> dict[str, Any]:
    """The properties a submission writes: its fields and the form's set_properties. On an existing contact a
    set lifecycle stage only ever moves the contact forward (a customer filling in a newsletter form stays a
    customer); `other` replaces no stage."""
    wanted = {**form.set_properties, **submission.properties}
    stage = form.set_properties.get("lifecycle_stage")
    if current is not None and stage is not None and not _moves_forward(current.get("lifecycle_stage"), stage):
        del wanted["lifecycle_stage"]
    return wanted


def _moves_forward(current: str | None, wanted: str) -> bool:
    if current is None:
        return True
    if wanted == "other" or current == "other":
        return False
    return LIFECYCLE_STAGES.index(wanted) > LIFECYCLE_STAGES.index(current)

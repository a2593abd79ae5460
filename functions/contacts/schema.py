"""Object types and their properties: validation and normalisation of record properties.

An object type is data (a name and a map of property definitions), so tenant custom fields and custom
object types slot in as more `PropertyDef`s / `ObjectType`s loaded from schema items, validated by the
same code. Each property type normalises a value or says, in words a user can act on, why it can't.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any, ClassVar

from crm.errors import FieldError, ValidationFailed
from crm.text import InvalidText, clean_text

if TYPE_CHECKING:
    from crm.conditions import Operand

MAX_TEXT = 10_000
MAX_REFERENCES = 50


class InvalidValue(ValueError):
    pass


@dataclass(frozen=True)
class ValidationContext:
    default_region: str = "US"  # phone numbers without a country code are read in this region


@dataclass(frozen=True)
class PropertyType:
    name: str = "string"
    # How the condition language (crm.conditions.KINDS) compares values of this type.
    condition_kind: ClassVar[str] = "text"

    def normalise(self, value: Any, context: ValidationContext) -> Any:
        raise NotImplementedError


@dataclass(frozen=True)
class Text(PropertyType):
    name: str = "string"
    max_length: int = MAX_TEXT

    def normalise(self, value: Any, context: ValidationContext) -> str:
        try:
            return clean_text(value, max_length=self.max_length)
        except InvalidText as error:
            if isinstance(value, str) and not value.strip():
                raise InvalidValue("must not be empty (send null to remove the property)") from None
            raise InvalidValue(str(error)) from None


@dataclass(frozen=True)
class Email(PropertyType):
    name: str = "email"

    def normalise(self, value: Any, context: ValidationContext) -> str:
        from email_validator import EmailNotValidError, validate_email

        if not isinstance(value, str):
            raise InvalidValue("must be a string")
        try:
            checked = validate_email(value.strip(), check_deliverability=False)
        except EmailNotValidError as error:
            raise InvalidValue(f"is not a valid email address: {error}") from None
        return checked.normalized.lower()


@dataclass(frozen=True)
class Phone(PropertyType):
    name: str = "phone"

    def normalise(self, value: Any, context: ValidationContext) -> str:
        import phonenumbers

        if not isinstance(value, str):
            raise InvalidValue("must be a string")
        try:
            number = phonenumbers.parse(value, context.default_region)
        except phonenumbers.NumberParseException:
            raise InvalidValue("is not a phone number") from None
        if not phonenumbers.is_valid_number(number):
            raise InvalidValue(
                f"is not a valid phone number (without +<country> it is read as {context.default_region})"
            )
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


@dataclass(frozen=True)
class Choice(PropertyType):
    """One of an ordered list of option values (lower case); a tenant's options also carry labels."""

    name: str = "enumeration"
    condition_kind: ClassVar[str] = "enum"
    options: tuple[str, ...] = ()
    labels: tuple[str, ...] = ()  # one per option, in the same order (empty: the values are the labels)

    def normalise(self, value: Any, context: ValidationContext) -> str:
        if not isinstance(value, str) or value.strip().lower() not in self.options:
            raise InvalidValue(f"must be one of: {', '.join(self.options)}")
        return value.strip().lower()


@dataclass(frozen=True)
class MultiChoice(Choice):
    """Several options at once, kept in the options' order without repeats."""

    name: str = "multi_enumeration"
    condition_kind: ClassVar[str] = "list"

    def normalise(self, value: Any, context: ValidationContext) -> list[str]:  # type: ignore[override]
        if not isinstance(value, list):
            raise InvalidValue(f"must be a list of: {', '.join(self.options)}")
        chosen = {Choice.normalise(self, v, context) for v in value}
        return [option for option in self.options if option in chosen]


@dataclass(frozen=True)
class Boolean(PropertyType):
    name: str = "boolean"
    condition_kind: ClassVar[str] = "boolean"

    def normalise(self, value: Any, context: ValidationContext) -> bool:
        if not isinstance(value, bool):
            raise InvalidValue("must be true or false")
        return value


_URL = re.compile(r"^https?://[^\s/?#]+[^\s]*$", re.IGNORECASE)
MAX_URL = 2048


@dataclass(frozen=True)
class Url(PropertyType):
    name: str = "url"

    def normalise(self, value: Any, context: ValidationContext) -> str:
        if not isinstance(value, str) or not _URL.match(value.strip()) or len(value.strip()) > MAX_URL:
            raise InvalidValue(f"must be an http(s) URL of at most {MAX_URL} characters")
        return value.strip()


_NUMBER_TEXT = re.compile(r"^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d{1,4})?$")
MAX_INTEGER_DIGITS = 21  # below 1e21
MAX_DECIMALS = 6


def exact_number(value: Any) -> int | Decimal:
    """A JSON number (or its text) as an exact int or Decimal within the documented range: below 1e21
    in magnitude, at most 6 decimal places (trailing zeros don't count). Checked on the digits
    themselves, so no decimal context can round, overflow or trap (`1e999999999` is refused, not a 500)."""
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal | str):
        raise InvalidValue("must be a number")
    if isinstance(value, str):
        text = value.strip()
        if not _NUMBER_TEXT.match(text):
            raise InvalidValue("must be a number, e.g. 1250 or 99.95")
        number = Decimal(text)
    else:
        number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    if not number.is_finite():
        raise InvalidValue("must be a finite number")
    sign, digits, exponent = number.as_tuple()
    assert isinstance(exponent, int)  # finite
    if not any(digits):
        return 0  # every zero (0E+999999999, -0.000) is plain 0
    while exponent < 0 and digits[-1] == 0:  # 1.500 is 1.5: trailing zeros are not decimal places
        digits, exponent = digits[:-1], exponent + 1
    if len(digits) + exponent > MAX_INTEGER_DIGITS:
        raise InvalidValue(f"must be below 1e{MAX_INTEGER_DIGITS} in magnitude")
    if exponent < -MAX_DECIMALS:
        raise InvalidValue(f"must have at most {MAX_DECIMALS} decimal places")
    if exponent >= 0:
        return int("".join(map(str, digits)) + "0" * exponent) * (-1 if sign else 1)
    return Decimal((sign, digits, exponent))


@dataclass(frozen=True)
class Number(PropertyType):
    name: str = "number"
    condition_kind: ClassVar[str] = "number"
    minimum: Decimal | None = None

    def normalise(self, value: Any, context: ValidationContext) -> int | Decimal:
        number = exact_number(value)
        if self.minimum is not None and number < self.minimum:
            raise InvalidValue(f"must be at least {self.minimum}")
        return number


@dataclass(frozen=True)
class Currency(PropertyType):
    name: str = "currency"
    condition_kind: ClassVar[str] = "enum"

    def normalise(self, value: Any, context: ValidationContext) -> str:
        if not isinstance(value, str) or value.strip().upper() not in CURRENCY_CODES:
            raise InvalidValue("must be an ISO 4217 currency code such as USD or EUR")
        return value.strip().upper()


@dataclass(frozen=True)
class Day(PropertyType):
    name: str = "date"
    condition_kind: ClassVar[str] = "date"

    def normalise(self, value: Any, context: ValidationContext) -> str:
        """YYYY-MM-DD, or a full ISO 8601 date-time whose date part is taken. Only this form: Python
        alone would also read `20260101` or `2026-W01-1`."""
        if not isinstance(value, str):
            raise InvalidValue("must be a date as YYYY-MM-DD")
        text = value.strip()
        day, _, time_of_day = text.partition("T")
        if not _DATE.match(day):
            raise InvalidValue("must be a date as YYYY-MM-DD")
        try:
            if time_of_day:
                datetime.fromisoformat(text)
            return date.fromisoformat(day).isoformat()
        except ValueError:
            raise InvalidValue("must be a date as YYYY-MM-DD") from None


_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")


_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")


@dataclass(frozen=True)
class Domain(PropertyType):
    name: str = "domain"

    def normalise(self, value: Any, context: ValidationContext) -> str:
        import idna  # IDNA 2008 + UTS 46, as browsers and email-validator use (the codec is IDNA 2003)

        if not isinstance(value, str):
            raise InvalidValue("must be a string")
        host = value.strip().lower()
        host = re.sub(r"^[a-z][a-z0-9+.-]*://", "", host)  # accept a pasted URL
        host = host.split("/", 1)[0].split("?", 1)[0].split("#", 1)[0].rsplit("@", 1)[-1].split(":", 1)[0]
        host = host.rstrip(".").removeprefix("www.")
        try:
            host = idna.encode(host, uts46=True).decode("ascii")
        except UnicodeError:  # idna.IDNAError is one
            raise InvalidValue("is not a valid domain name") from None
        labels = host.split(".")
        if len(labels) < 2 or len(host) > 253 or not all(_LABEL.match(label) for label in labels):
            raise InvalidValue("is not a valid domain name, e.g. example.com")
        return host


_ID = re.compile(r"^[0-9A-HJKMNP-TV-Z]{26}$")


@dataclass(frozen=True)
class Reference(PropertyType):
    """The id of another record of this tenant; existence is checked atomically at write time."""

    name: str = "reference"
    target: str = "contact"

    def normalise(self, value: Any, context: ValidationContext) -> str:
        if not isinstance(value, str) or not _ID.match(value.strip().upper()):
            raise InvalidValue(f"must be the id of a {self.target}")
        return value.strip().upper()


@dataclass(frozen=True)
class References(PropertyType):
    name: str = "references"
    condition_kind: ClassVar[str] = "list"
    target: str = "contact"

    def normalise(self, value: Any, context: ValidationContext) -> list[str]:
        if not isinstance(value, list):
            raise InvalidValue(f"must be a list of {self.target} ids")
        if len(value) > MAX_REFERENCES:
            raise InvalidValue(f"may list at most {MAX_REFERENCES} ids")
        single = Reference(target=self.target)
        ids = [single.normalise(v, context) for v in value]
        return list(dict.fromkeys(ids))  # drop repeats, keep order


_MOMENT = re.compile(
    r"^[0-9]{4}-[0-9]{2}-[0-9]{2}(?:T[0-9]{2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]{1,6})?)?(?:Z|[+-][0-9]{2}:[0-9]{2}))?$"
)


@dataclass(frozen=True)
class DateTime(PropertyType):
    """An instant, stored as UTC ISO 8601 like the records' own timestamps (crm.clock.isoformat)."""

    name: str = "datetime"
    condition_kind: ClassVar[str] = "datetime"

    def normalise(self, value: Any, context: ValidationContext) -> str:
        """YYYY-MM-DD (midnight UTC) or YYYY-MM-DDTHH:MM[:SS[.ffffff]] with Z or an offset: a time
        without a zone would mean a different instant to every reader."""
        message = "must be a date-time as YYYY-MM-DDTHH:MM:SSZ (or with an offset such as +02:00), or a date"
        if not isinstance(value, str) or not _MOMENT.match(value.strip()):
            raise InvalidValue(message)
        try:
            moment = datetime.fromisoformat(value.strip())
        except ValueError:
            raise InvalidValue(message) from None
        if moment.tzinfo is None:  # only a bare date gets here
            moment = moment.replace(tzinfo=UTC)
        spec = "milliseconds" if moment.microsecond % 1000 == 0 else "microseconds"
        return moment.astimezone(UTC).isoformat(timespec=spec).replace("+00:00", "Z")


@dataclass(frozen=True)
class Amounts(PropertyType):
    """Money in several currencies: ISO 4217 code -> an exact amount of at least 0, e.g. {"EUR": 12.5}.
    Amounts in different currencies are never added up: without exchange rates that would be a guess."""

    name: str = "amounts"
    condition_kind: ClassVar[str] = "number"  # conditions compare one currency: `<property>.EUR` (operands)

    def normalise(self, value: Any, context: ValidationContext) -> dict[str, int | Decimal]:
        if not isinstance(value, dict):
            raise InvalidValue('must be an object of ISO 4217 currency code -> amount, e.g. {"EUR": 12.5}')
        amounts: dict[str, int | Decimal] = {}
        for code, amount in value.items():
            currency = Currency().normalise(code, context)
            number = exact_number(amount)
            if number < 0:
                raise InvalidValue(f"{currency} must be at least 0")
            amounts[currency] = number
        return dict(sorted(amounts.items()))


@dataclass(frozen=True)
class Moments(PropertyType):
    """Named instants, e.g. when a deal entered each stage: name -> UTC ISO 8601 (computed by the CRM)."""

    name: str = "moments"
    condition_kind: ClassVar[str] = "text"

    def normalise(self, value: Any, context: ValidationContext) -> dict[str, str]:
        if not isinstance(value, dict):
            raise InvalidValue("must be an object of name -> date-time")
        return {str(k): DateTime().normalise(v, context) for k, v in value.items()}


@dataclass(frozen=True)
class Stage:
    id: str
    label: str
    probability: Decimal | int  # 0-1: how likely a deal here is to be won (weights the forecast)
    closed: str | None = None  # "won" or "lost" for the stages that end a deal


@dataclass(frozen=True)
class Pipeline:
    """The ordered stages records of an object type move through (deals), one of the tenant's pipelines."""

    id: str
    label: str
    stages: tuple[Stage, ...]

    def stage(self, stage_id: str) -> Stage | None:
        return next((s for s in self.stages if s.id == stage_id), None)


@dataclass(frozen=True)
class PropertyDef:
    name: str
    type: PropertyType
    label: str
    unique: bool = False  # one record per value per tenant (a guard item written with the record)
    # Computed by the CRM (e.g. a contact's score): the API refuses writes; only the system path sets it.
    read_only: bool = False
    description: str = ""
    custom: bool = False  # the tenant's own (functions/schemas), not a built-in
    indexed: bool = False  # searches filter on it through an index
    # Indexed a moment ago: writes keep its items, but searches ignore them until existing records are indexed.
    index_pending: bool = False


@dataclass(frozen=True)
class ObjectType:
    name: str  # singular, used in events: "contact"
    collection: str  # the URL segment: "contacts"
    properties: Mapping[str, PropertyDef]
    # A new record needs at least one of these (an empty record helps nobody).
    identifying: tuple[str, ...] = ()
    required: tuple[str, ...] = ()
    # Property changes worth their own event type, e.g. deal.stage_changed.
    signal_changes: Mapping[str, str] = field(default_factory=dict)
    label: str = ""
    custom: bool = False  # a tenant's own object type (functions/schemas)
    # The tenant's archived properties: refused on writes and left out of answers, their values kept.
    hidden: frozenset[str] = frozenset()
    # Where records move through pipelines (deals): pipeline id -> its stages. A record naming a pipeline
    # has a stage of it; one without keeps a free-text stage, as before pipelines existed.
    pipelines: Mapping[str, Pipeline] = field(default_factory=dict)
    # The labels its associations with records of another object type may carry: other object -> names.
    association_labels: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    def record_faults(self, properties: Mapping[str, Any]) -> list[FieldError]:
        """What is wrong with a record as a whole, once a write's changes are merged in."""
        if not self.pipelines or properties.get("pipeline") is None:
            return []
        pipeline = self.pipelines.get(properties["pipeline"])
        if pipeline is None:
            known = ", ".join(self.pipelines)
            return [FieldError("/properties/pipeline", f"is not a pipeline of {self.collection}; they are: {known}")]
        stage = properties.get("stage")
        if stage is not None and pipeline.stage(stage) is None:
            stages = ", ".join(s.id for s in pipeline.stages)
            return [FieldError("/properties/stage", f"is not a stage of pipeline {pipeline.id}; its stages: {stages}")]
        return []

    def derived(self, before: Mapping[str, Any], after: Mapping[str, Any], now: str) -> dict[str, Any]:
        """Computed properties a write changes with it: when a record in a pipeline entered its new stage (a
        free-text stage outside every pipeline has no history, as before pipelines)."""
        if not self.pipelines or after.get("pipeline") is None:
            return {}
        if after.get("stage") is None or after.get("stage") == before.get("stage"):
            return {}
        return {"stage_history": {**(before.get("stage_history") or {}), after["stage"]: now}}

    def shown(self, properties: Mapping[str, Any]) -> dict[str, Any]:
        """The properties a client sees (archived ones' values stay stored, out of sight)."""
        return {k: v for k, v in properties.items() if k not in self.hidden}

    @property
    def unique_properties(self) -> tuple[str, ...]:
        return tuple(name for name, spec in self.properties.items() if spec.unique)

    def references(self, properties: Mapping[str, Any]) -> list[tuple[str, str, str]]:
        """(property, target object, id) for every record these properties point at."""
        found: list[tuple[str, str, str]] = []
        for name, value in properties.items():
            kind = self.properties[name].type
            if isinstance(kind, Reference):
                found.append((name, kind.target, value))
            elif isinstance(kind, References):
                found.extend((name, kind.target, v) for v in value)
        return found


READ_ONLY = "is computed by the CRM; read-only"


def validate_properties(
    object_type: ObjectType,
    properties: Any,
    context: ValidationContext,
    *,
    for_create: bool,
    computed: bool = False,
) -> dict[str, Any]:
    """Normalised properties; `None` values are kept (they mean "remove" on update, and are dropped on
    create). Raises ValidationFailed listing every property at fault, each with its JSON pointer.
    Read-only (computed) properties are refused unless `computed` (the CRM's own system path)."""
    if not isinstance(properties, dict):
        raise ValidationFailed("properties must be an object", errors=[FieldError("/properties", "must be an object")])
    errors: list[FieldError] = []
    clean: dict[str, Any] = {}
    for name, value in properties.items():
        pointer = f"/properties/{_escape(name)}"
        spec = object_type.properties.get(name)
        if spec is None and name in object_type.hidden:
            errors.append(FieldError(pointer, "is archived; restore the property to write it"))
            continue
        if spec is None:
            known = ", ".join(object_type.properties)
            errors.append(FieldError(pointer, f"unknown property for {object_type.name}; known: {known}"))
            continue
        if spec.read_only and not computed:
            errors.append(FieldError(pointer, READ_ONLY))
            continue
        if value is None:
            if name in object_type.required and not for_create:
                errors.append(FieldError(pointer, "is required and cannot be removed"))
            elif not for_create:
                clean[name] = None
            continue
        try:
            clean[name] = spec.type.normalise(value, context)
        except InvalidValue as error:
            errors.append(FieldError(pointer, f"{spec.label} {error}"))
    if for_create:  # what is missing, alongside what is wrong (a property sent but invalid isn't missing)
        sent = {name for name, value in properties.items() if value is not None}
        for name in object_type.required:
            if name not in sent:
                errors.append(FieldError(f"/properties/{_escape(name)}", "is required"))
        if object_type.identifying and not sent.intersection(object_type.identifying):
            wanted = ", ".join(object_type.identifying)
            errors.append(FieldError("/properties", f"a {object_type.name} needs at least one of: {wanted}"))
    if errors:
        raise ValidationFailed(f"The {object_type.name} has invalid properties.", errors=errors)
    return clean


def _escape(name: str) -> str:
    return name.replace("~", "~0").replace("/", "~1")


LIFECYCLE_STAGES = (
    "subscriber",
    "lead",
    "marketing_qualified_lead",
    "sales_qualified_lead",
    "opportunity",
    "customer",
    "evangelist",
    "other",
)

SUBSCRIPTION_STATUSES = ("subscribed", "unsubscribed")

# Active ISO 4217 codes.
CURRENCY_CODES = frozenset(
    """AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BRL BSD BTN BWP BYN BZD
    CAD CDF CHF CLP CNY COP CRC CUP CVE CZK DJF DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL GHS GIP GMD
    GNF GTQ GYD HKD HNL HTG HUF IDR ILS INR IQD IRR ISK JMD JOD JPY KES KGS KHR KMF KPW KRW KWD KYD KZT
    LAK LBP LKR LRD LSL LYD MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MYR MZN NAD NGN NIO NOK NPR
    NZD OMR PAB PEN PGK PHP PKR PLN PYG QAR RON RSD RUB RWF SAR SBD SCR SDG SEK SGD SHP SLE SOS SRD SSP
    STN SVC SYP SZL THB TJS TMT TND TOP TRY TTD TWD TZS UAH UGX USD UYU UZS VES VND VUV WST XAF XCD XCG
    XOF XPF YER ZAR ZMW ZWG""".split()
)


def _props(*defs: PropertyDef) -> dict[str, PropertyDef]:
    return {d.name: d for d in defs}


CONTACT = ObjectType(
    name="contact",
    collection="contacts",
    label="Contact",
    properties=_props(
        PropertyDef("email", Email(), "Email", unique=True, indexed=True),
        PropertyDef("first_name", Text(max_length=200), "First name", indexed=True),
        PropertyDef("last_name", Text(max_length=200), "Last name", indexed=True),
        PropertyDef("phone", Phone(), "Phone"),
        PropertyDef("lifecycle_stage", Choice(options=LIFECYCLE_STAGES), "Lifecycle stage", indexed=True),
        PropertyDef("owner", Text(max_length=256), "Owner", indexed=True),
        PropertyDef("company_id", Reference(target="company"), "Company", indexed=True),
        # Computed from the contact's behavioural events and the tenant's scoring rules (functions/activity).
        PropertyDef("last_seen_at", DateTime(), "Last seen", read_only=True),
        PropertyDef("purchase_count", Number(minimum=Decimal(0)), "Purchases", read_only=True),
        PropertyDef("lifetime_value", Amounts(), "Lifetime value, per currency", read_only=True),
        PropertyDef("subscription_status", Choice(options=SUBSCRIPTION_STATUSES), "Subscription", read_only=True),
        PropertyDef("subscription_changed_at", DateTime(), "Subscription changed", read_only=True),
        PropertyDef("score", Number(), "Score", read_only=True),
    ),
    identifying=("email", "first_name", "last_name", "phone"),
    signal_changes={"lifecycle_stage": "contact.lifecycle_stage_changed", "score": "contact.score_changed"},
)

COMPANY = ObjectType(
    name="company",
    collection="companies",
    label="Company",
    properties=_props(
        PropertyDef("name", Text(max_length=500), "Name", indexed=True),
        PropertyDef("domain", Domain(), "Domain", unique=True, indexed=True),
        PropertyDef("industry", Text(max_length=200), "Industry", indexed=True),
    ),
    identifying=("name", "domain"),
)

# Every tenant's deals have this pipeline until it is changed (PATCH /v1/pipelines/default).
DEFAULT_PIPELINE = Pipeline(
    "default",
    "Sales pipeline",
    (
        Stage("appointment_scheduled", "Appointment scheduled", Decimal("0.2")),
        Stage("qualified_to_buy", "Qualified to buy", Decimal("0.4")),
        Stage("presentation_scheduled", "Presentation scheduled", Decimal("0.6")),
        Stage("decision_maker_bought_in", "Decision maker bought in", Decimal("0.8")),
        Stage("contract_sent", "Contract sent", Decimal("0.9")),
        Stage("closed_won", "Closed won", 1, "won"),
        Stage("closed_lost", "Closed lost", 0, "lost"),
    ),
)

DEAL = ObjectType(
    name="deal",
    collection="deals",
    label="Deal",
    properties=_props(
        PropertyDef("name", Text(max_length=500), "Name", indexed=True),
        PropertyDef("amount", Number(minimum=Decimal(0)), "Amount"),
        PropertyDef("currency", Currency(), "Currency"),
        PropertyDef(
            "pipeline", Text(max_length=64), "Pipeline", description="A pipeline id (GET /v1/pipelines)", indexed=True
        ),
        PropertyDef("stage", Text(max_length=100), "Stage", description="One of its pipeline's stages", indexed=True),
        PropertyDef("close_date", Day(), "Close date"),
        PropertyDef("contact_ids", References(target="contact"), "Contacts", indexed=True),
        PropertyDef("company_id", Reference(target="company"), "Company", indexed=True),
        PropertyDef("stage_history", Moments(), "When the deal entered each stage", read_only=True),
    ),
    required=("name",),
    signal_changes={"stage": "deal.stage_changed"},
    pipelines={DEFAULT_PIPELINE.id: DEFAULT_PIPELINE},
)

BUILTIN_OBJECT_TYPES: dict[str, ObjectType] = {t.name: t for t in (CONTACT, COMPANY, DEAL)}


# --- the condition language's view of an object type (crm.conditions) ---------------------------------

# Every record has these beside its properties; conditions can read them (a custom field must not take
# one of these names).
SYSTEM_FIELDS: dict[str, PropertyType] = {
    "id": Reference(),  # its target is the record's own object type (see operands)
    "created_at": DateTime(),
    "updated_at": DateTime(),
    "archived_at": DateTime(),
}


@dataclass(frozen=True)
class PropertyOperand:
    """One property as crm.conditions sees it: comparison values are normalised by the property's own
    type, exactly as a write would (one element at a time for a list of references)."""

    kind: str
    options: tuple[str, ...]
    type: PropertyType
    context: ValidationContext = field(default_factory=ValidationContext)

    def normalise(self, value: Any) -> Any:
        element: PropertyType = self.type
        if isinstance(self.type, References):
            element = Reference(target=self.type.target)
        elif isinstance(self.type, MultiChoice):  # one option at a time
            element = Choice(options=self.type.options)
        return element.normalise(value, self.context)  # InvalidValue is a ValueError, as the protocol asks


@dataclass(frozen=True)
class AmountsOperand:
    """A per-currency property as a whole: it is set or not, or changed; amounts compare one currency
    at a time (`lifetime_value.EUR`)."""

    name: str
    kind: str = "number"
    options: tuple[str, ...] = ()

    def normalise(self, value: Any) -> Any:
        raise InvalidValue(f"compares one currency at a time, e.g. {self.name}.EUR")


class Operands(Mapping[str, "Operand"]):
    """name -> Operand. Iterating gives the properties and system fields; looking up also finds one
    currency of a per-currency property (`lifetime_value.EUR`, a number), which is not iterated: a
    name per currency would bury every other name in the "known: ..." lists of error messages."""

    def __init__(self, named: dict[str, Operand], amounts: frozenset[str], context: ValidationContext) -> None:
        self._named, self._amounts, self._context = named, amounts, context

    def __getitem__(self, name: str) -> Operand:
        if name in self._named:
            return self._named[name]
        prop, _, code = name.partition(".")
        if prop in self._amounts and code in CURRENCY_CODES:
            return PropertyOperand("number", (), Number(), self._context)
        raise KeyError(name)

    def __iter__(self) -> Iterator[str]:
        return iter(self._named)

    def __len__(self) -> int:
        return len(self._named)


def operands(object_type: ObjectType, context: ValidationContext | None = None) -> Operands:
    """name -> Operand for every property of the object type and the system fields of every record."""
    context = context or ValidationContext()
    found: dict[str, Operand] = {}
    for name, spec in object_type.properties.items():
        found[name] = AmountsOperand(name) if isinstance(spec.type, Amounts) else _operand(spec.type, context)
    for name, kind in SYSTEM_FIELDS.items():
        found[name] = _operand(Reference(target=object_type.name) if name == "id" else kind, context)
    amounts = frozenset(name for name, spec in object_type.properties.items() if isinstance(spec.type, Amounts))
    return Operands(found, amounts, context)


def _operand(kind: PropertyType, context: ValidationContext) -> PropertyOperand:
    if isinstance(kind, Choice):
        options = kind.options
    elif isinstance(kind, Currency):
        options = tuple(sorted(CURRENCY_CODES))
    else:
        options = ()
    return PropertyOperand(kind.condition_kind, options, kind, context)


def condition_values(record: Mapping[str, Any]) -> dict[str, Any]:
    """What a condition evaluates for a record in its API form (as in change events' `data`): its
    properties and its system fields, by the names `operands` gives them."""
    values = dict(record.get("properties") or {})
    values.update({name: record.get(name) for name in SYSTEM_FIELDS})
    return values

"""Hall configuration: hall.toml loaded with tomllib into typed, immutable objects.

Every mistake is reported as ``file:line: key.path: what was expected``; callers print the errors and exit 2
(``ConfigError``), never a traceback. The declaration below is the documentation: ``hall.example.toml`` (next to
this module) shows every key, and a test loads it.
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from collections.abc import Sequence
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError, field_validator

from madoguchi.core.config_locate import locate_key

#: the example hall shipped with Madoguchi (demo, tests, a starting point for a real hall's file)
EXAMPLE_CONFIG = Path(__file__).with_name("hall.example.toml")

SHIPPED_LANGUAGES = ("ja", "en", "zh-Hans", "ko", "pt-BR", "es", "vi", "tl", "ne", "ja-easy")


class ConfigError(Exception):
    """The configuration file is wrong; ``errors`` holds one human-readable line per mistake."""

    def __init__(self, path: Path | str, errors: Sequence[str]) -> None:
        self.path = str(path)
        self.errors = list(errors)
        super().__init__("\n".join(self.errors))


def _parse_time(value: Any) -> Any:
    if isinstance(value, dt.time):
        return value
    if isinstance(value, str):
        m = re.fullmatch(r"([01]?\d|2[0-3]):([0-5]\d)", value.strip())
        if m:
            return dt.time(int(m.group(1)), int(m.group(2)))
    raise ValueError('expected a time of day as "HH:MM" (24-hour), e.g. "08:30"')


TimeOfDay = Annotated[dt.time, BeforeValidator(_parse_time)]


def _check_localized(value: Any) -> Any:
    if not isinstance(value, dict):
        raise ValueError('expected a table of texts per language, e.g. {ja = "…", en = "…"}')
    if "ja" not in value:
        raise ValueError('expected a Japanese text ("ja") at least')
    unknown = [k for k in value if k not in SHIPPED_LANGUAGES]
    if unknown:
        raise ValueError(f"unknown language code {unknown[0]!r}; expected one of {', '.join(SHIPPED_LANGUAGES)}")
    for k, v in value.items():
        if not isinstance(v, str) or not v.strip():
            raise ValueError(f"expected a non-empty text for language {k!r}")
    return value


LocalizedText = Annotated[dict[str, str], BeforeValidator(_check_localized)]


def localized(text: dict[str, str], language: str) -> str:
    """The text in ``language``, falling back to easy Japanese → Japanese → English."""
    if language in text:
        return text[language]
    if language == "ja-easy":
        return text["ja"]
    return text.get("en", text["ja"])


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Span(_Model):
    start: TimeOfDay
    end: TimeOfDay

    @field_validator("end")
    @classmethod
    def _after_start(cls, end: dt.time, info: Any) -> dt.time:
        start = info.data.get("start")
        if start is not None and end <= start:
            raise ValueError("expected the end after the start")
        return end

    def contains(self, t: dt.time) -> bool:
        return self.start <= t < self.end


FieldKind = Literal["text", "kana", "address", "date", "sex", "phone", "postal_code", "choice", "number"]


class FormField(_Model):
    key: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    label: LocalizedText
    kind: FieldKind = "text"
    required: bool = False
    #: filled from the card's basic 4 info (name, address, birth_date, sex) when the resident uses the card
    from_card: Literal["name", "address", "birth_date", "sex", "individual_number"] | None = None
    #: options for ``choice`` fields, as (value, label) pairs
    choices: tuple[tuple[str, LocalizedText], ...] = ()
    min_value: int | None = None
    max_value: int | None = None
    #: asked at the kiosk with big buttons / a numeric pad (no typing)
    ask_at_kiosk: bool = False
    #: a repeating group (family members on 転入届); fields with the same group repeat together
    group: str | None = None


class Form(_Model):
    title: LocalizedText
    fields: tuple[FormField, ...]
    #: at most this many repetitions of grouped fields (e.g. family members)
    max_group_size: int = Field(default=6, ge=1, le=20)


class Service(_Model):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    prefix: str = Field(pattern=r"^[A-Z]{1,2}$")
    category: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    name: LocalizedText
    description: LocalizedText | None = None
    icon: str = "document"
    form: str | None = None
    card_autofill: bool = False
    needs_individual_number: bool = False
    #: prior mean service time in minutes, used until the hall has history
    mean_service_min: float = Field(default=6.0, gt=0, le=240)
    hours: Span | None = None
    #: service-level target: a resident is called within this many minutes (statistics; default
    #: ``[statistics] target_wait_min``)
    target_wait_min: int | None = Field(default=None, ge=1, le=480)


class Counter(_Model):
    number: int = Field(ge=1, le=99)
    name: LocalizedText | None = None
    #: where residents wait for this counter: an id of the ``[areas]`` table, or texts per language
    area: LocalizedText | str | None = None
    #: the services this counter serves, in its priority order
    services: tuple[str, ...] = Field(min_length=1)
    hours: Span | None = None
    breaks: tuple[Span, ...] = ()


class Kiosk(_Model):
    name: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
    #: printer URL: usb://04b8:0e28, serial:///dev/ttyUSB0?baudrate=38400, tcp://host:9100, cups://Queue
    printer: str | None = None
    #: regular expression matched against PC/SC reader names
    card_reader: str | None = None
    #: camera: device index ("0"), a video file, or a stream URL
    camera: str | None = None


class Hall(_Model):
    name: LocalizedText
    timezone: str = "Asia/Tokyo"
    languages: tuple[str, ...] = SHIPPED_LANGUAGES
    opening: Span
    #: the hall day (numbering, purge) rolls over at this time of day
    day_reset: TimeOfDay = dt.time(3, 0)
    #: "oldest_first" across a counter's services, or "counter_priority" (the counter's service order)
    call_policy: Literal["oldest_first", "counter_priority"] = "oldest_first"
    #: a called ticket becomes a no-show after this many recalls
    no_show_after_recalls: int = Field(default=2, ge=0, le=10)
    #: share of calls that may go to due reservations while walk-ins wait (0..1)
    reservation_share: float = Field(default=0.5, ge=0, le=1)
    reservation_early_min: int = Field(default=15, ge=0, le=240)
    reservation_late_min: int = Field(default=10, ge=0, le=240)
    #: tickets a single kiosk may issue per minute (a stuck button cannot flood the queue)
    issue_rate_per_minute: int = Field(default=30, ge=1, le=1000)
    #: personal form data is purged at the day reset; this only shortens it (hours, 0 = at day reset)
    form_retention_hours: int = Field(default=0, ge=0, le=24)
    inactivity_seconds: int = Field(default=60, ge=10, le=600)
    notices: tuple[LocalizedText, ...] = ()
    #: a kiosk whose printer cannot print (no paper, cover open, offline): "show_number" keeps issuing with the
    #: number and the phone QR code on screen (said before the resident starts); "stop" stops issuing there
    kiosk_when_printer_fails: Literal["show_number", "stop"] = "show_number"
    #: a resident marked no-show who arrives late may be put back in the queue for this long (minutes; 0: never)
    late_arrival_within_min: int = Field(default=60, ge=0, le=480)
    #: where a late arrival goes: "front" (their original place: called next) or "end" (behind everyone waiting)
    late_arrival_place: Literal["front", "end"] = "front"
    #: a no-show or a cancel at the counter can be undone for this many seconds
    undo_seconds: int = Field(default=10, ge=0, le=120)

    @field_validator("languages")
    @classmethod
    def _known_languages(cls, langs: tuple[str, ...]) -> tuple[str, ...]:
        for lang in langs:
            if lang not in SHIPPED_LANGUAGES:
                raise ValueError(f"unknown language {lang!r}; expected some of {', '.join(SHIPPED_LANGUAGES)}")
        if "ja" not in langs:
            raise ValueError('expected "ja" among the languages')
        return langs


class Operations(_Model):
    """Unattended operation: backups, device health and alerts."""

    #: online backup folder (a second disk); empty = no automatic backup
    backup_dir: str = ""
    backup_every_min: int = Field(default=15, ge=1, le=1440)
    backup_keep: int = Field(default=8, ge=1, le=1000)
    #: a device without a heartbeat for this long is shown red
    heartbeat_timeout_s: int = Field(default=30, ge=5, le=3600)
    #: command run for each new alert (e.g. a mail script); gets the alert as JSON on stdin
    alert_command: tuple[str, ...] = ()
    #: reload hall.toml when it changes (validated first; a bad file keeps the old configuration)
    watch_config: bool = True
    #: when devices are expected to be on: "opening_hours" (from ``devices_on_before_min`` before the opening to
    #: ``devices_off_after_min`` after the closing, on ``office_days``; a device switched off outside that raises
    #: no alert) or "always"
    devices_expected: Literal["opening_hours", "always"] = "opening_hours"
    devices_on_before_min: int = Field(default=30, ge=0, le=720)
    devices_off_after_min: int = Field(default=30, ge=0, le=720)
    #: the days the office opens (0 = Monday … 6 = Sunday)
    office_days: tuple[int, ...] = (0, 1, 2, 3, 4)
    #: devices expected on at every hour (a lobby board left running, say)
    always_on: tuple[str, ...] = ()

    @field_validator("office_days")
    @classmethod
    def _weekdays(cls, days: tuple[int, ...]) -> tuple[int, ...]:
        if any(d < 0 or d > 6 for d in days):
            raise ValueError("expected weekdays 0 (Monday) … 6 (Sunday)")
        return days


class Statistics(_Model):
    """Service-level targets for the statistics (the share of residents called within a wait)."""

    #: a resident should be called within this many minutes (a service's ``target_wait_min`` overrides it)
    target_wait_min: int = Field(default=20, ge=1, le=480)
    #: the share of residents that should be called within their target (0..1)
    target_share: float = Field(default=0.8, ge=0, le=1)


class ServerPaths(_Model):
    """Where the hall server keeps its data: ``madoguchi server`` and ``madoguchi admin`` use these unless given
    ``--data-dir``/``--key-dir``, so maintenance commands act on the server's own database and keys."""

    data_dir: str = ""
    key_dir: str = ""


class Security(_Model):
    """Accounts and sessions (docs/security.md)."""

    #: a staff session unused for this long ends (the day reset ends them all)
    staff_idle_min: int = Field(default=30, ge=5, le=720)
    #: failed logins in a row that lock a staff account until an administrator unlocks it
    lock_after_failed_logins: int = Field(default=10, ge=3, le=100)
    #: serve the API documentation (/docs, /openapi.json) to admin devices; off in daily service
    api_docs: bool = False


Weekday = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
WEEKDAYS: tuple[Weekday, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


class Booking(_Model):
    """Residents book a visit on /book (docs/booking.md): which procedures, which days and slots, how many per slot.

    Booking is offered when ``capacity`` lists at least one procedure."""

    #: bookings each slot of a procedure takes: procedure id → count; a procedure not listed cannot be booked
    capacity: dict[str, Annotated[int, Field(ge=1, le=100)]] = Field(default_factory=dict)
    #: length of a slot in minutes; slots start at the opening and follow each other
    slot_min: int = Field(default=30, ge=5, le=240)
    #: how many days ahead (today included) residents may book
    days_ahead: int = Field(default=14, ge=1, le=120)
    #: a slot can be booked until this many minutes before it starts
    lead_min: int = Field(default=60, ge=0, le=10080)
    #: the hours slots are offered in (default: the procedure's hours, else the hall's opening)
    hours: Span | None = None
    #: no slot starts or runs inside these (lunch)
    breaks: tuple[Span, ...] = ()
    #: weekdays without slots
    closed_weekdays: tuple[Weekday, ...] = ("sat", "sun")
    #: public holidays and other closed days (TOML dates, e.g. 2026-12-29)
    closed_dates: tuple[dt.date, ...] = ()
    #: booking attempts one address may make per hour (a phone at home; the reverse proxy counts too)
    per_source_per_hour: int = Field(default=10, ge=1, le=100000)
    #: addresses of the reverse proxy in front of the hall server: their X-Real-IP header names the resident's
    #: address for the limit above (from any other address the header is ignored)
    trusted_proxies: tuple[str, ...] = ()

    @property
    def enabled(self) -> bool:
        return bool(self.capacity)

    def is_closed(self, day: dt.date) -> bool:
        return WEEKDAYS[day.weekday()] in self.closed_weekdays or day in self.closed_dates


class Visits(_Model):
    """One ticket through several counters (a life event's route; docs/visits.md)."""

    #: where a ticket joins the next step's queue: "issue_time" (by its original issue time: the resident has
    #: waited once already) or "end" (behind everyone waiting there)
    next_step_place: Literal["issue_time", "end"] = "issue_time"
    #: after a no-show at one step: "stop" (the rest waits; a late arrival put back goes on) or "next" (the
    #: missed step is dropped and the ticket joins the next step's queue)
    after_no_show: Literal["stop", "next"] = "stop"
    #: after a cancel at one step: "stop" (the rest of the route is cancelled too) or "next" (only this step)
    after_cancel: Literal["stop", "next"] = "stop"
    #: the most steps a route may have
    max_steps: int = Field(default=6, ge=2, le=12)


class LifeEventQuestion(_Model):
    """A yes/no question of a life event; a yes adds ``adds`` to the route and ``bring`` to the things to bring."""

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    text: LocalizedText
    adds: tuple[str, ...] = ()
    bring: tuple[LocalizedText, ...] = ()


class LifeEvent(_Model):
    """A life event (moving in, a birth…): the procedures it needs, in the order the counters take them."""

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    name: LocalizedText
    description: LocalizedText | None = None
    icon: str = "document"
    #: every procedure the event may need, in order (転入届 before 国民健康保険); those no question adds are
    #: always on the route
    route: tuple[str, ...] = Field(min_length=1)
    questions: tuple[LifeEventQuestion, ...] = ()
    #: what everyone with this event brings
    bring: tuple[LocalizedText, ...] = ()


def _check_machine_translated(value: Any) -> Any:
    if not isinstance(value, dict):
        raise ValueError('expected a table of text paths, e.g. "services.inkan.name" = ["pt-BR", "vi"]')
    for path, langs in value.items():
        if not isinstance(langs, list | tuple) or not all(isinstance(lang, str) for lang in langs):
            raise ValueError(f"{path}: expected a list of language codes")
        unknown = [lang for lang in langs if lang not in SHIPPED_LANGUAGES]
        if unknown:
            raise ValueError(f"{path}: unknown language code {unknown[0]!r}")
    return value


class HallConfig(_Model):
    hall: Hall
    operations: Operations = Field(default_factory=Operations)
    security: Security = Field(default_factory=Security)
    statistics: Statistics = Field(default_factory=Statistics)
    server: ServerPaths = Field(default_factory=ServerPaths)
    services: tuple[Service, ...] = Field(min_length=1)
    counters: tuple[Counter, ...] = Field(min_length=1)
    forms: dict[str, Form] = Field(default_factory=dict)
    kiosks: tuple[Kiosk, ...] = ()
    booking: Booking = Field(default_factory=Booking)
    #: waiting areas (a floor, a lobby) that counters name by id: printed on the ticket as where to wait
    areas: dict[str, LocalizedText] = Field(default_factory=dict)
    visits: Visits = Field(default_factory=Visits)
    life_events: tuple[LifeEvent, ...] = ()
    #: texts filled by ``madoguchi translate-config`` (path → languages), not yet checked by a person
    machine_translated: Annotated[dict[str, tuple[str, ...]], BeforeValidator(_check_machine_translated)] = Field(
        default_factory=dict
    )
    #: where this file came from (not a TOML key)
    source: str = Field(default="", exclude=True)

    def service(self, service_id: str) -> Service:
        for s in self.services:
            if s.id == service_id:
                return s
        raise KeyError(service_id)

    def counter(self, number: int) -> Counter:
        for c in self.counters:
            if c.number == number:
                return c
        raise KeyError(number)

    def service_ids(self) -> tuple[str, ...]:
        return tuple(s.id for s in self.services)

    def target_wait_min(self, service_id: str) -> int:
        """The service-level target of a service: its own, else the hall's."""
        try:
            own = self.service(service_id).target_wait_min
        except KeyError:
            own = None
        return own if own is not None else self.statistics.target_wait_min

    def life_event(self, event_id: str) -> LifeEvent:
        for e in self.life_events:
            if e.id == event_id:
                return e
        raise KeyError(event_id)

    def counter_area(self, counter: Counter) -> dict[str, str] | None:
        """The counter's waiting area as texts per language (an ``[areas]`` id resolved)."""
        if isinstance(counter.area, str):
            return self.areas.get(counter.area)
        return counter.area


def _cross_checks(cfg: HallConfig) -> list[tuple[tuple[str | int, ...], str]]:
    problems: list[tuple[tuple[str | int, ...], str]] = []
    seen_ids: dict[str, int] = {}
    seen_prefix: dict[str, int] = {}
    for i, s in enumerate(cfg.services):
        if s.id in seen_ids:
            problems.append((("services", i, "id"), f"duplicate service id {s.id!r} (also services[{seen_ids[s.id]}])"))
        seen_ids.setdefault(s.id, i)
        if s.prefix in seen_prefix:
            problems.append(
                (("services", i, "prefix"), f"duplicate prefix {s.prefix!r} (also services[{seen_prefix[s.prefix]}])")
            )
        seen_prefix.setdefault(s.prefix, i)
        if s.form is not None and s.form not in cfg.forms:
            problems.append((("services", i, "form"), f"unknown form {s.form!r}; expected a [forms.{s.form}] table"))
        if s.needs_individual_number and not s.card_autofill:
            problems.append(
                (("services", i, "needs_individual_number"), "needs card_autofill = true to read the individual number")
            )
    seen_numbers: dict[int, int] = {}
    for i, c in enumerate(cfg.counters):
        if c.number in seen_numbers:
            problems.append((("counters", i, "number"), f"duplicate counter number {c.number}"))
        seen_numbers.setdefault(c.number, i)
        for j, sid in enumerate(c.services):
            if sid not in seen_ids:
                problems.append((("counters", i, "services", j), f"unknown service {sid!r}"))
        if len(set(c.services)) != len(c.services):
            problems.append((("counters", i, "services"), "a service is listed twice"))
        if isinstance(c.area, str) and c.area not in cfg.areas:
            known = ", ".join(cfg.areas) or "none"
            problems.append((("counters", i, "area"), f"unknown area {c.area!r}; expected an [areas] id ({known})"))
    served = {sid for c in cfg.counters for sid in c.services}
    for i, s in enumerate(cfg.services):
        if s.id not in served:
            problems.append((("services", i, "id"), f"service {s.id!r} is served by no counter"))
    problems += _life_event_checks(cfg, seen_ids)
    names = [k.name for k in cfg.kiosks]
    for i, k in enumerate(cfg.kiosks):
        if names.count(k.name) > 1:
            problems.append((("kiosks", i, "name"), f"duplicate kiosk name {k.name!r}"))
        if k.card_reader is not None:
            try:
                re.compile(k.card_reader)
            except re.error as exc:
                problems.append((("kiosks", i, "card_reader"), f"expected a regular expression: {exc}"))
    for sid in cfg.booking.capacity:
        if sid not in seen_ids:
            problems.append((("booking", "capacity", sid), f"unknown procedure {sid!r}; expected a service id"))
    for form_id, form in cfg.forms.items():
        keys = [f.key for f in form.fields]
        for j, key in enumerate(keys):
            if keys.count(key) > 1:
                problems.append((("forms", form_id, "fields", j, "key"), f"duplicate field key {key!r}"))
    return problems


def _life_event_checks(cfg: HallConfig, services: dict[str, int]) -> list[tuple[tuple[str | int, ...], str]]:
    problems: list[tuple[tuple[str | int, ...], str]] = []
    ids = [e.id for e in cfg.life_events]
    for i, e in enumerate(cfg.life_events):
        if ids.count(e.id) > 1:
            problems.append((("life_events", i, "id"), f"duplicate life event id {e.id!r}"))
        for j, sid in enumerate(e.route):
            if sid not in services:
                problems.append((("life_events", i, "route", j), f"unknown service {sid!r}"))
        if len(set(e.route)) != len(e.route):
            problems.append((("life_events", i, "route"), "a service is listed twice"))
        if len(e.route) > cfg.visits.max_steps:
            problems.append((("life_events", i, "route"), f"more than [visits] max_steps = {cfg.visits.max_steps}"))
        qids = [q.id for q in e.questions]
        for j, q in enumerate(e.questions):
            if qids.count(q.id) > 1:
                problems.append((("life_events", i, "questions", j, "id"), f"duplicate question id {q.id!r}"))
            for k, sid in enumerate(q.adds):
                if sid not in e.route:
                    problems.append(
                        (("life_events", i, "questions", j, "adds", k), f"{sid!r} is not in this life event's route")
                    )
    return problems


def _format(path: str, text: str, loc: tuple[str | int, ...], message: str) -> str:
    line = locate_key(text, loc)
    dotted = ".".join(f"[{p}]" if isinstance(p, int) else str(p) for p in loc).replace(".[", "[")
    where = f"{path}:{line}" if line else path
    return f"{where}: {dotted or '(top level)'}: {message}"


def parse_config(text: str, path: str = "<string>") -> HallConfig:
    """Parse and validate TOML text; raises ConfigError with every mistake found."""
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(path, [f"{path}: not valid TOML: {exc}"]) from None
    try:
        cfg = HallConfig.model_validate({**raw, "source": path})
    except ValidationError as exc:
        errors = []
        for err in exc.errors():
            loc = tuple(p for p in err["loc"] if not (isinstance(p, str) and p.startswith("function-")))
            msg = err["msg"].removeprefix("Value error, ")
            if err["type"] == "extra_forbidden":
                msg = "unknown key (misspelt?)"
            elif err["type"] == "missing":
                msg = "required key is missing"
            errors.append(_format(path, text, loc, msg))
        raise ConfigError(path, errors) from None
    problems = _cross_checks(cfg)
    if problems:
        raise ConfigError(path, [_format(path, text, loc, msg) for loc, msg in problems])
    return cfg


def load_config(path: Path | str) -> HallConfig:
    """Read and validate a hall.toml file; raises ConfigError (with file and line) on any mistake."""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(p, [f"{p}: cannot read: {exc.strerror}"]) from None
    except UnicodeDecodeError:
        raise ConfigError(p, [f"{p}: not UTF-8 text"]) from None
    return parse_config(text, str(p))

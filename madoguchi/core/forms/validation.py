"""Validate and normalise a filled form against its ``Form`` from the hall configuration (no Qt).

``validate_form`` takes the top-level values (field key → text) and the repeated groups (group name → rows of
field key → text), normalises every value per field kind, and returns the canonical values together with
field-level errors as message ids (texts in ``madoguchi.core.forms.messages``). Canonical values are what the payload
carries and what the staff console shows:

=========== ===================================================================
kind        canonical value
=========== ===================================================================
text        width-folded, single ASCII spaces (``normalize.normalize_text``)
kana        full-width katakana, ー, one U+3000 between words
address     width-folded, ASCII digits, "-" between block numbers
date        ISO ``YYYY-MM-DD`` (input may be 和暦)
sex         ``male`` / ``female`` / ``not_applicable``
phone       ASCII digits with "-" where the resident grouped them
postal_code ``NNN-NNNN``
choice      the choice's value
number      decimal integer
=========== ===================================================================
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from madoguchi.core.config import Form, FormField
from madoguchi.core.forms import normalize
from madoguchi.core.forms.wareki import DateInputError, parse_date

#: longest accepted value per kind, in characters after normalisation
MAX_LENGTH: dict[str, int] = {"text": 100, "kana": 100, "address": 200, "phone": 20, "number": 6}

KANA_RE = re.compile(r"^[\u30a1-\u30fa\u30fc-\u30fe\u30fb]+(?:\u3000[\u30a1-\u30fa\u30fc-\u30fe\u30fb]+)*$")
POSTAL_RE = re.compile(r"^〒?\s*([0-9]{3})\s*-?\s*([0-9]{4})$")
PHONE_CHARS_RE = re.compile(r"^\+?[0-9\-\s()]+$")
#: 10 digits for fixed lines and toll-free (0120, 0570); 11 digits for mobiles, IP phones, 0800 and M2M
PHONE_DIGITS_RE = re.compile(r"^(?:0(?![25-9]0)[1-9][0-9]{8}|0[25-9]0[0-9]{8}|0800[0-9]{7})$")
NUMBER_RE = re.compile(r"^[0-9]+$")
#: +81 3-1234-5678 / +81 (0)3 … → 03-1234-5678: only Japanese numbers are accepted
PHONE_INTL_RE = re.compile(r"^\+81[\s\-]*(?:\(0\))?[\s\-]*")

SEX_VALUES = ("male", "female", "not_applicable")
#: input spellings → canonical value; ISO/IEC 5218 codes are what the card and the payload use
SEX_ALIASES: dict[str, str] = {
    "male": "male",
    "m": "male",
    "1": "male",
    "男": "male",
    "男性": "male",
    "female": "female",
    "f": "female",
    "2": "female",
    "女": "female",
    "女性": "female",
    "not_applicable": "not_applicable",
    "9": "not_applicable",
}


class FieldValueError(ValueError):
    """One value is not acceptable; ``message_id``/``params`` explain why (never the value itself)."""

    def __init__(self, message_id: str, params: Mapping[str, str | int] | None = None) -> None:
        self.message_id = message_id
        self.params: dict[str, str | int] = dict(params or {})
        super().__init__(message_id)


@dataclass(frozen=True)
class FieldError:
    """A field-level error; ``row`` is the 0-based row for grouped fields. Carries no value."""

    field: str
    message_id: str
    params: Mapping[str, str | int] = dataclasses.field(default_factory=dict)
    group: str | None = None
    row: int | None = None

    @property
    def path(self) -> str:
        """``name`` or ``members[1].member_name``: where a UI puts the message."""
        if self.group is None:
            return self.field
        return f"{self.group}[{self.row}].{self.field}" if self.row is not None else self.group


@dataclass(frozen=True)
class ValidationResult:
    """Canonical values (empty optional fields left out) and the errors; ``ok`` when there are none."""

    values: dict[str, str]
    groups: dict[str, list[dict[str, str]]]
    errors: list[FieldError]

    @property
    def ok(self) -> bool:
        return not self.errors

    def __repr__(self) -> str:  # values are personal data: keep them out of reprs and tracebacks
        return f"ValidationResult(fields={sorted(self.values)}, groups={sorted(self.groups)}, errors={self.errors})"


def _check_length(value: str, kind: str) -> str:
    limit = MAX_LENGTH.get(kind)
    if limit is not None and len(value) > limit:
        raise FieldValueError("form.error.too_long", {"max": limit})
    return value


def normalize_phone(text: str) -> str:
    s = normalize.normalize_machine(text)
    s = re.sub(f"[{normalize._DASHES}]", "-", s)
    if not PHONE_CHARS_RE.match(s):
        raise FieldValueError("form.error.phone_format")
    if s.startswith("+"):
        rest = PHONE_INTL_RE.sub("", s)
        if rest == s:
            raise FieldValueError("form.error.phone_format")
        s = "0" + rest.lstrip("0")
    s = re.sub(r"[\s\-()]+", "-", s).strip("-")
    if not PHONE_DIGITS_RE.match(s.replace("-", "")):
        raise FieldValueError("form.error.phone_format")
    return s


def normalize_postal_code(text: str) -> str:
    s = normalize.normalize_machine(text)
    s = re.sub(f"[{normalize._DASHES}]", "-", s)
    m = POSTAL_RE.match(s)
    if not m:
        raise FieldValueError("form.error.postal_code_format")
    return f"{m.group(1)}-{m.group(2)}"


def normalize_date(text: str, *, not_after: dt.date | None = None) -> str:
    try:
        date = parse_date(text)
    except DateInputError as exc:
        raise FieldValueError(exc.message_id, exc.params) from None
    if not_after is not None and date > not_after:
        raise FieldValueError("form.error.date_future")
    return date.isoformat()


def normalize_kana_reading(text: str) -> str:
    s = normalize.normalize_kana(text)
    if not KANA_RE.match(s):
        raise FieldValueError("form.error.kana_only")
    return _check_length(s, "kana")


def normalize_sex(text: str) -> str:
    s = normalize.normalize_machine(text).lower()
    if s not in SEX_ALIASES:
        raise FieldValueError("form.error.sex_value")
    return SEX_ALIASES[s]


def normalize_number(text: str, min_value: int | None, max_value: int | None) -> str:
    s = normalize.normalize_machine(text)
    if not NUMBER_RE.match(s) or len(s) > MAX_LENGTH["number"]:
        raise FieldValueError("form.error.number_format")
    n = int(s)
    if (min_value is not None and n < min_value) or (max_value is not None and n > max_value):
        lo = min_value if min_value is not None else 0
        hi = max_value if max_value is not None else 10 ** MAX_LENGTH["number"] - 1
        raise FieldValueError("form.error.number_range", {"min": lo, "max": hi})
    return str(n)


def is_birth_date_field(f: FormField) -> bool:
    """Birth dates cannot lie in the future; other dates (異動予定日) may."""
    return f.from_card == "birth_date" or f.key.endswith("birth_date")


def normalize_value(f: FormField, raw: object, *, today: dt.date | None = None) -> str:
    """The canonical text of one non-empty value, or FieldValueError. ``today`` bounds birth dates."""
    if isinstance(raw, dt.date):
        raw = raw.isoformat()
    if isinstance(raw, bool) or not isinstance(raw, str | int):
        raise FieldValueError("form.error.invalid_characters")
    text = str(raw)
    if normalize.has_control_characters(text):
        raise FieldValueError("form.error.invalid_characters")
    kind = f.kind
    if kind == "text":
        return _check_length(normalize.normalize_text(text), kind)
    if kind == "address":
        return _check_length(normalize.normalize_address(text), kind)
    if kind == "kana":
        return normalize_kana_reading(text)
    if kind == "date":
        bound = (today or dt.date.today()) if is_birth_date_field(f) else None
        return normalize_date(text, not_after=bound)
    if kind == "sex":
        return normalize_sex(text)
    if kind == "phone":
        return _check_length(normalize_phone(text), kind)
    if kind == "postal_code":
        return normalize_postal_code(text)
    if kind == "number":
        return normalize_number(text, f.min_value, f.max_value)
    if kind == "choice":
        value = normalize.normalize_machine(text)
        if value not in {v for v, _ in f.choices}:
            raise FieldValueError("form.error.choice_value")
        return value
    raise FieldValueError("form.error.invalid_characters")  # pragma: no cover - FieldKind is closed


def _is_empty(raw: object) -> bool:
    return raw is None or (isinstance(raw, str) and not normalize.collapse_spaces(raw))


def group_fields(form: Form) -> dict[str, list[FormField]]:
    """Group name → its fields, in form order."""
    groups: dict[str, list[FormField]] = {}
    for f in form.fields:
        if f.group is not None:
            groups.setdefault(f.group, []).append(f)
    return groups


#: the longest value a form field may carry, and the most rows a repeated group (family members) may have
MAX_VALUE_CHARS = 500
MAX_GROUP_ROWS = 20


def _scalar_ok(value: object) -> bool:
    if isinstance(value, str):
        return len(value) <= MAX_VALUE_CHARS
    return value is None or isinstance(value, (bool, int, float))


_FIELD_KEY = re.compile(r"[a-z][a-z0-9_]{0,39}")


def shape_problems(form: Form | None, data: Mapping[str, object]) -> list[str]:
    """What makes ``data`` more than its procedure's form could hold: unknown keys, over-long values, too many
    rows. The server bounds what it stores with this (the kiosk has validated the values); the problems name
    keys, never values."""
    if form is None:
        return ["this procedure takes no form"] if data else []
    top = {f.key for f in form.fields if f.group is None}
    grouped = {name: {f.key for f in fields} for name, fields in group_fields(form).items()}
    problems = []
    for key, value in data.items():
        if key in grouped:
            if not isinstance(value, list) or len(value) > MAX_GROUP_ROWS:
                problems.append(f"{key}: at most {MAX_GROUP_ROWS} rows")
                continue
            for i, row in enumerate(value):
                if not isinstance(row, dict) or not set(row) <= grouped[key] or not all(map(_scalar_ok, row.values())):
                    problems.append(f"{key}[{i}]: unknown fields or values too long")
        elif key not in top:
            # the key is the client's: named only when it looks like a field key (never a value pasted there)
            shown = key if _FIELD_KEY.fullmatch(key) else "a field"
            problems.append(f"{shown}: not a field of this form")
        elif not _scalar_ok(value):
            problems.append(f"{key}: at most {MAX_VALUE_CHARS} characters")
    return problems


def fields_of_form(data: Mapping[str, Any], form: Form) -> dict[str, Any]:
    """Only what ``form`` asks for, out of a form filled for another procedure: a visit's later counter sees the
    fields its own procedure needs (a repeated group keeps its rows, with the group's fields of ``form``)."""
    top = {f.key for f in form.fields if f.group is None}
    grouped = {name: {f.key for f in fields} for name, fields in group_fields(form).items()}
    out: dict[str, Any] = {}
    for key, value in data.items():
        if key in top:
            out[key] = value
        elif key in grouped and isinstance(value, list):
            rows = [{k: v for k, v in row.items() if k in grouped[key]} for row in value if isinstance(row, dict)]
            out[key] = [row for row in rows if row]
    return out


def validate_form(
    form: Form,
    values: Mapping[str, object],
    groups: Mapping[str, Sequence[Mapping[str, object]]] | None = None,
    *,
    today: dt.date | None = None,
    exclude_from_card: Sequence[str] = (),
) -> ValidationResult:
    """Validate a filled form. Rows of a group that are entirely empty are dropped.

    ``exclude_from_card`` lists card sources (e.g. ``("individual_number",)``) whose fields must not be given
    here: the pre-fill code never carries the individual number.
    """
    groups = groups or {}
    errors: list[FieldError] = []
    out_values: dict[str, str] = {}
    top = {f.key: f for f in form.fields if f.group is None}
    grouped = group_fields(form)

    for key in values:
        if key not in top:
            errors.append(FieldError(key, "form.error.unknown_field"))
    for f in top.values():
        raw = values.get(f.key)
        if f.from_card is not None and f.from_card in exclude_from_card:
            if not _is_empty(raw):
                errors.append(FieldError(f.key, "form.error.not_allowed"))
            continue
        if _is_empty(raw):
            if f.required:
                errors.append(FieldError(f.key, "form.error.required"))
            continue
        try:
            out_values[f.key] = normalize_value(f, raw, today=today)
        except FieldValueError as exc:
            errors.append(FieldError(f.key, exc.message_id, exc.params))

    out_groups: dict[str, list[dict[str, str]]] = {}
    for name, rows in groups.items():
        if name not in grouped:
            errors.append(FieldError(name, "form.error.unknown_field", group=name))
            continue
        fields = {f.key: f for f in grouped[name]}
        kept = [row for row in rows if not all(_is_empty(v) for v in row.values())]
        if len(kept) > form.max_group_size:
            errors.append(FieldError(name, "form.error.group_too_large", {"max": form.max_group_size}, group=name))
            continue
        out_rows: list[dict[str, str]] = []
        for i, row in enumerate(kept):
            out_row: dict[str, str] = {}
            for key in row:
                if key not in fields:
                    errors.append(FieldError(key, "form.error.unknown_field", group=name, row=i))
            for f in fields.values():
                raw = row.get(f.key)
                if _is_empty(raw):
                    if f.required:
                        errors.append(FieldError(f.key, "form.error.required", group=name, row=i))
                    continue
                try:
                    out_row[f.key] = normalize_value(f, raw, today=today)
                except FieldValueError as exc:
                    errors.append(FieldError(f.key, exc.message_id, exc.params, group=name, row=i))
            out_rows.append(out_row)
        if out_rows:
            out_groups[name] = out_rows
    return ValidationResult(out_values, out_groups, errors)

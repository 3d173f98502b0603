"""Pre-filled application codes (``MDG1:``): a resident's form, prepared at home, carried in one QR code.

Format (full grammar, field codes and measurements in ``docs/payload-format.md``)::

    code   = "MDG" version ":" method base45(data)       ; version "1"; method "Z" raw deflate, "U" stored
    body   = header GS top *(GS group)                    ; data = deflate(UTF-8(body)) or UTF-8(body)
    header = procedure-id US form-fingerprint [US language]
    top    = value *(US value)                            ; top-level fields, in the form's order
    group  = [row *(RS row)]                              ; one per group, in the form's order
    row    = value *(US value)                            ; the group's fields, in the form's order

Field codes are positions in the form, so the code carries no keys; the fingerprint (a hash of the form's
field keys, kinds and groups) makes a code made for an older version of the form fail cleanly instead of
putting a value into the wrong field. Values are the canonical values of ``validation`` with two compactions:
dates as ``YYYYMMDD`` and sex as the ISO/IEC 5218 digit (1 male, 2 female, 9 not applicable).
"""

from __future__ import annotations

import enum
import hashlib
import zlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from madoguchi.core.codes import CodeKind, classify_code
from madoguchi.core.config import Form, FormField, Service
from madoguchi.core.forms.base45 import Base45Error, b45decode, b45encode
from madoguchi.core.forms.validation import FieldError, group_fields, validate_form

PREFIX = "MDG"
VERSION = 1
US, RS, GS = "\x1f", "\x1e", "\x1d"
#: a decoded body larger than this is refused (a deflate bomb cannot exhaust the kiosk's memory)
MAX_BODY_BYTES = 16 * 1024
#: the largest code the encoders emit (1,000 alphanumeric characters need QR version 21 at level M)
MAX_CODE_CHARS = 1000
#: the pre-fill code never carries the individual number (My Number): it is read from the card at the kiosk
EXCLUDED_CARD_SOURCES = ("individual_number",)

SEX_CODES = {"male": "1", "female": "2", "not_applicable": "9"}
_SEX_FROM_CODE = {v: k for k, v in SEX_CODES.items()}


class ProcedureForms(Protocol):
    """What decoding needs of the hall configuration; ``HallConfig`` is one (a kiosk may pass a lighter view)."""

    @property
    def forms(self) -> Mapping[str, Form]: ...

    def service(self, service_id: str) -> Service: ...


class PayloadErrorReason(enum.StrEnum):
    NOT_A_PREFILL_CODE = "payload.error.not_a_prefill_code"
    UNKNOWN_VERSION = "payload.error.unknown_version"
    CORRUPT = "payload.error.corrupt"
    UNKNOWN_PROCEDURE = "payload.error.unknown_procedure"
    WRONG_PROCEDURE = "payload.error.wrong_procedure"
    FORM_CHANGED = "payload.error.form_changed"
    INVALID_FIELD = "payload.error.invalid_field"
    TOO_LARGE = "payload.error.too_large"


class PayloadError(ValueError):
    """A code that cannot be used; ``reason`` is the message id. ``field_errors`` for INVALID_FIELD."""

    def __init__(
        self,
        reason: PayloadErrorReason,
        params: Mapping[str, str | int] | None = None,
        field_errors: Sequence[FieldError] = (),
    ) -> None:
        self.reason = reason
        self.params: dict[str, str | int] = dict(params or {})
        self.field_errors = list(field_errors)
        super().__init__(reason.value)

    @property
    def message_id(self) -> str:
        return self.reason.value


@dataclass(frozen=True)
class PrefillPayload:
    """A decoded and validated pre-fill code; ``values``/``groups`` are canonical (see ``validation``)."""

    procedure_id: str
    values: dict[str, str]
    groups: dict[str, list[dict[str, str]]] = field(default_factory=dict)
    language: str | None = None

    def __repr__(self) -> str:  # personal data stays out of logs and tracebacks
        return f"PrefillPayload(procedure_id={self.procedure_id!r}, fields={sorted(self.values)})"


def form_fingerprint(form: Form) -> str:
    """4 hex digits identifying the form's field layout (keys, kinds, groups, in order)."""
    layout = ";".join(f"{f.key}:{f.kind}:{f.group or ''}" for f in form.fields)
    return hashlib.sha256(layout.encode()).hexdigest()[:4].upper()


def top_fields(form: Form) -> list[FormField]:
    return [f for f in form.fields if f.group is None]


def _to_wire(f: FormField, value: str) -> str:
    if f.kind == "date":
        return value.replace("-", "")
    if f.kind == "sex":
        return SEX_CODES[value]
    return value


def _from_wire(f: FormField, value: str) -> str:
    if f.kind == "date" and len(value) == 8 and value.isascii() and value.isdigit():
        return f"{value[:4]}-{value[4:6]}-{value[6:]}"
    if f.kind == "sex":
        return _SEX_FROM_CODE.get(value, value)
    return value


def _join_values(fields: Sequence[FormField], values: Mapping[str, str]) -> str:
    parts = [_to_wire(f, values[f.key]) if values.get(f.key) else "" for f in fields]
    while parts and not parts[-1]:
        parts.pop()
    return US.join(parts)


def encode_body(
    procedure_id: str,
    form: Form,
    values: Mapping[str, str],
    groups: Mapping[str, Sequence[Mapping[str, str]]],
    language: str | None = None,
) -> str:
    header = US.join([procedure_id, form_fingerprint(form), *([language] if language else [])])
    sections = [header, _join_values(top_fields(form), values)]
    for name, fields in group_fields(form).items():
        sections.append(RS.join(_join_values(fields, row) for row in groups.get(name, ())))
    while len(sections) > 2 and not sections[-1]:
        sections.pop()
    return GS.join(sections)


def _deflate(data: bytes) -> bytes:
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    return c.compress(data) + c.flush()


def encode_prefill(
    procedure_id: str,
    form: Form,
    values: Mapping[str, str],
    groups: Mapping[str, Sequence[Mapping[str, str]]] | None = None,
    *,
    language: str | None = None,
) -> str:
    """Encode canonical values (already validated) as an ``MDG1:`` code; the shorter of deflate and stored."""
    data = encode_body(procedure_id, form, values, groups or {}, language).encode("utf-8")
    compressed = _deflate(data)
    method, chosen = ("Z", compressed) if len(compressed) < len(data) else ("U", data)
    code = f"{PREFIX}{VERSION}:{method}{b45encode(chosen)}"
    if len(code) > MAX_CODE_CHARS:
        raise PayloadError(PayloadErrorReason.TOO_LARGE, {"max": MAX_CODE_CHARS})
    return code


def build_prefill(
    cfg: ProcedureForms,
    procedure_id: str,
    values: Mapping[str, object],
    groups: Mapping[str, Sequence[Mapping[str, object]]] | None = None,
    *,
    language: str | None = None,
) -> str:
    """Validate a resident's input for a procedure and encode it; PayloadError(INVALID_FIELD) on bad input."""
    form = _form_for(cfg, procedure_id)
    result = validate_form(form, values, groups, exclude_from_card=EXCLUDED_CARD_SOURCES)
    if not result.ok:
        raise PayloadError(PayloadErrorReason.INVALID_FIELD, field_errors=result.errors)
    return encode_prefill(procedure_id, form, result.values, result.groups, language=language)


def _form_for(cfg: ProcedureForms, procedure_id: str) -> Form:
    try:
        service = cfg.service(procedure_id)
    except KeyError:
        raise PayloadError(PayloadErrorReason.UNKNOWN_PROCEDURE) from None
    if service.form is None or service.form not in cfg.forms:
        raise PayloadError(PayloadErrorReason.UNKNOWN_PROCEDURE)
    return cfg.forms[service.form]


def decode_body(code: str) -> str:
    """The body text of a code, without validating it against a configuration."""
    if classify_code(code).kind is not CodeKind.PREFILL_APPLICATION:
        raise PayloadError(PayloadErrorReason.NOT_A_PREFILL_CODE)
    version, _, rest = code[len(PREFIX) :].partition(":")
    if version != str(VERSION):
        raise PayloadError(PayloadErrorReason.UNKNOWN_VERSION, {"version": version[:4]})
    if not rest or len(rest) > 4 * MAX_CODE_CHARS:
        raise PayloadError(PayloadErrorReason.CORRUPT)
    method, text = rest[0], rest[1:]
    try:
        data = b45decode(text)
        if method == "Z":
            d = zlib.decompressobj(wbits=-15)
            data = d.decompress(data, MAX_BODY_BYTES)
            if d.unconsumed_tail or not d.eof:
                raise PayloadError(PayloadErrorReason.CORRUPT)
        elif method != "U":
            raise PayloadError(PayloadErrorReason.CORRUPT)
        return data.decode("utf-8")
    except (Base45Error, zlib.error, UnicodeDecodeError):
        raise PayloadError(PayloadErrorReason.CORRUPT) from None


def _split_values(fields: Sequence[FormField], text: str) -> dict[str, str]:
    parts = text.split(US) if text else []
    if len(parts) > len(fields):
        raise PayloadError(PayloadErrorReason.CORRUPT)
    return {f.key: _from_wire(f, v) for f, v in zip(fields, parts, strict=False) if v}


def decode_prefill(code: str, cfg: ProcedureForms, *, expected_procedure: str | None = None) -> PrefillPayload:
    """Decode and validate a code against the hall's configuration; raises PayloadError with a reason.

    ``expected_procedure``: when the resident already chose a procedure at the kiosk, a code for another one
    is refused with WRONG_PROCEDURE.
    """
    body = decode_body(code)
    sections = body.split(GS)
    header = sections[0].split(US)
    if len(header) < 2 or len(header) > 3:
        raise PayloadError(PayloadErrorReason.CORRUPT)
    procedure_id, fingerprint = header[0], header[1]
    language = header[2] if len(header) == 3 else None
    form = _form_for(cfg, procedure_id)
    if expected_procedure is not None and procedure_id != expected_procedure:
        raise PayloadError(PayloadErrorReason.WRONG_PROCEDURE)
    if fingerprint != form_fingerprint(form):
        raise PayloadError(PayloadErrorReason.FORM_CHANGED)
    grouped = list(group_fields(form).items())
    if len(sections) < 2 or len(sections) > 2 + len(grouped):
        raise PayloadError(PayloadErrorReason.CORRUPT)
    values = _split_values(top_fields(form), sections[1])
    groups: dict[str, list[dict[str, str]]] = {}
    for (name, fields), text in zip(grouped, sections[2:], strict=False):
        rows = [_split_values(fields, row) for row in text.split(RS)] if text else []
        if rows:
            groups[name] = rows
    result = validate_form(form, values, groups, exclude_from_card=EXCLUDED_CARD_SOURCES)
    if not result.ok:
        raise PayloadError(PayloadErrorReason.INVALID_FIELD, field_errors=result.errors)
    if language is not None and (not language or len(language) > 8):
        raise PayloadError(PayloadErrorReason.CORRUPT)
    return PrefillPayload(procedure_id, result.values, result.groups, language)

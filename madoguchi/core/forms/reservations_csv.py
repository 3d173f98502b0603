"""Parse a reservations CSV (窓口予約 import) into rows and row-level errors; storing them is the server's job.

Columns (header row required, any order, English or Japanese names, comma or tab). The file is UTF-8, with or
without a BOM, or Shift_JIS (cp932): what Japanese Excel saves as "CSV" (``decode_csv_bytes``).

=============== ======================================== ==============================
column          accepted headers                         value
=============== ======================================== ==============================
procedure       procedure, service, service_id, 手続き   a service id of the hall
date            date, 日付                               2026-12-01, 2026/12/1
time slot       time, slot, time_slot, 時間, 時間帯      10:00 or 10:00-10:30 (～ too)
reference code  reference, reference_code, code, 予約番号 4–16 letters/digits (hyphens ignored)
name (optional) name, 氏名                               free text for staff, ≤ 100 chars
=============== ======================================== ==============================

Row numbers are the file's line numbers as a spreadsheet shows them (header = 1). Errors carry message ids and
never a row's content (the name is personal data).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field

COLUMN_ALIASES: dict[str, tuple[str, ...]] = {
    "procedure": ("procedure", "procedure_id", "service", "service_id", "手続き", "手続"),
    "date": ("date", "日付", "予約日"),
    "slot": ("time", "slot", "time_slot", "時間", "時間帯"),
    "reference": ("reference", "reference_code", "code", "予約番号"),
    "name": ("name", "氏名", "名前"),
}
REQUIRED_COLUMNS = ("procedure", "date", "slot", "reference")
NAME_MAX = 100

_DATE_RE = re.compile(r"^([0-9]{4})[-/.]([0-9]{1,2})[-/.]([0-9]{1,2})$")
_TIME = r"([01]?[0-9]|2[0-3]):([0-5][0-9])"
_SLOT_RE = re.compile(rf"^{_TIME}(?:\s*[-~〜]\s*{_TIME})?$")
_REFERENCE_RE = re.compile(r"^[A-Z0-9]{4,16}$")


@dataclass(frozen=True)
class ReservationRow:
    row: int
    procedure_id: str
    date: dt.date
    slot_start: dt.time
    slot_end: dt.time | None
    reference: str
    name: str | None = field(default=None, repr=False)

    def starts_at(self) -> dt.datetime:
        """Naive local start of the slot (the hall's timezone applies)."""
        return dt.datetime.combine(self.date, self.slot_start)


@dataclass(frozen=True)
class RowError:
    row: int
    column: str | None
    message_id: str
    params: dict[str, str | int] = field(default_factory=dict)


class CsvEncodingError(ValueError):
    """The file is neither UTF-8 nor Shift_JIS (cp932) text; ``message_id`` says so in every language."""

    message_id = "reservations_csv.error.encoding"


def decode_csv_bytes(data: bytes) -> str:
    """A CSV file's text: UTF-8 (a BOM is dropped) when the bytes are valid UTF-8, else cp932 (Shift_JIS with
    Microsoft's extensions, as Excel writes it in Japan); CsvEncodingError when they are neither."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("cp932")
    except UnicodeDecodeError:
        raise CsvEncodingError(CsvEncodingError.message_id) from None
    # Python's cp932 also maps the unused single bytes 0x80, 0xA0 and 0xFD–0xFF (to C1 and private-use code
    # points): text holding those was never Shift_JIS.
    if any(0x80 <= ord(ch) <= 0x9F or 0xE000 <= ord(ch) <= 0xF8FF for ch in text):
        raise CsvEncodingError(CsvEncodingError.message_id)
    return text


def _header_map(header: list[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for i, raw in enumerate(header):
        h = unicodedata.normalize("NFKC", raw).strip().lower().replace(" ", "_")
        for column, aliases in COLUMN_ALIASES.items():
            if h in aliases and column not in found:
                found[column] = i
    return found


def _parse_slot(text: str) -> tuple[dt.time, dt.time | None] | None:
    m = _SLOT_RE.match(text)
    if not m:
        return None
    start = dt.time(int(m.group(1)), int(m.group(2)))
    end = dt.time(int(m.group(3)), int(m.group(4))) if m.group(3) else None
    if end is not None and end <= start:
        return None
    return start, end


def _parse_date(text: str) -> dt.date | None:
    m = _DATE_RE.match(text)
    if not m:
        return None
    try:
        return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None


def parse_reservations_csv(
    text: str, procedure_ids: Iterable[str] | None = None
) -> tuple[list[ReservationRow], list[RowError]]:
    """Rows that are fine and errors for the others (a row with any error is not returned).

    ``procedure_ids``: the hall's service ids; when given, an unknown procedure is a row error.
    """
    known = set(procedure_ids) if procedure_ids is not None else None
    text = text.removeprefix("\ufeff")
    sample = text[:2048]
    delimiter = "\t" if sample.count("\t") > sample.count(",") else ","
    records = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    numbered = [(i + 1, r) for i, r in enumerate(records) if any(cell.strip() for cell in r)]
    if not numbered:
        return [], [RowError(1, None, "reservations_csv.error.empty")]
    header_row, header = numbered[0]
    columns = _header_map(header)
    missing = [c for c in REQUIRED_COLUMNS if c not in columns]
    if missing:
        return [], [RowError(header_row, c, "reservations_csv.error.missing_column", {"column": c}) for c in missing]
    if len(numbered) == 1:
        return [], [RowError(header_row, None, "reservations_csv.error.empty")]

    rows: list[ReservationRow] = []
    errors: list[RowError] = []
    first_seen: dict[str, int] = {}
    for line, record in numbered[1:]:
        if len(record) < max(columns.values()) + 1:
            errors.append(RowError(line, None, "reservations_csv.error.bad_row"))
            continue

        def cell(column: str, record: list[str] = record) -> str:
            return unicodedata.normalize("NFKC", record[columns[column]]).strip() if column in columns else ""

        row_errors: list[RowError] = []
        procedure = cell("procedure")
        if not procedure or (known is not None and procedure not in known):
            row_errors.append(
                RowError(line, "procedure", "reservations_csv.error.unknown_procedure", {"value": procedure[:40]})
            )
        date = _parse_date(cell("date"))
        if date is None:
            row_errors.append(RowError(line, "date", "reservations_csv.error.bad_date"))
        slot = _parse_slot(cell("slot"))
        if slot is None:
            row_errors.append(RowError(line, "slot", "reservations_csv.error.bad_time"))
        reference = cell("reference").upper().replace("-", "").replace(" ", "")
        if not _REFERENCE_RE.match(reference):
            row_errors.append(RowError(line, "reference", "reservations_csv.error.bad_reference"))
        elif reference in first_seen:
            row_errors.append(
                RowError(
                    line,
                    "reference",
                    "reservations_csv.error.duplicate_reference",
                    {"first_row": first_seen[reference]},
                )
            )
        else:
            first_seen[reference] = line
        name = cell("name") or None
        if name is not None and len(name) > NAME_MAX:
            row_errors.append(RowError(line, "name", "reservations_csv.error.too_long", {"max": NAME_MAX}))
        if row_errors:
            errors.extend(row_errors)
            continue
        assert date is not None and slot is not None
        rows.append(ReservationRow(line, procedure, date, slot[0], slot[1], reference, name))
    return rows, errors

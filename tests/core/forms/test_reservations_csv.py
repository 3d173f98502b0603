"""Reservations CSV import: good rows, row-level errors with line numbers, headers in two languages."""

from __future__ import annotations

import datetime as dt

from madoguchi.core.forms.reservations_csv import parse_reservations_csv

SERVICES = ("juminhyo", "tennyu")


def test_good_file_with_bom_and_english_headers() -> None:
    text = (
        "\ufeffprocedure,date,time,reference,name\n"
        "juminhyo,2026-12-01,10:00-10:30,ABCD-1234,山田 太郎\n"
        "tennyu,2026/12/1,１４：００,efgh5678,\n"
    )
    rows, errors = parse_reservations_csv(text, SERVICES)
    assert errors == []
    assert [(r.row, r.procedure_id, r.date, r.slot_start, r.slot_end, r.reference, r.name) for r in rows] == [
        (2, "juminhyo", dt.date(2026, 12, 1), dt.time(10, 0), dt.time(10, 30), "ABCD1234", "山田 太郎"),
        (3, "tennyu", dt.date(2026, 12, 1), dt.time(14, 0), None, "EFGH5678", None),
    ]
    assert rows[0].starts_at() == dt.datetime(2026, 12, 1, 10, 0)
    assert "山田" not in repr(rows[0])


def test_japanese_headers_and_tabs() -> None:
    text = "予約番号\t手続き\t日付\t時間帯\n\nX1Y2Z3\tjuminhyo\t2026-12-02\t9:30〜10:00\n"
    rows, errors = parse_reservations_csv(text, SERVICES)
    assert errors == [] and rows[0].row == 3 and rows[0].slot_start == dt.time(9, 30)


def test_bad_rows_are_reported_with_line_numbers() -> None:
    text = (
        "service_id,date,slot,code,name\n"
        "juminhyo,2026-12-01,10:00,GOOD0001,\n"  # 2: fine
        "nosuch,2026-12-01,10:00,GOOD0002,\n"  # 3: unknown procedure
        "juminhyo,2026-02-30,10:00,GOOD0003,\n"  # 4: bad date
        "juminhyo,2026-12-01,25:00,GOOD0004,\n"  # 5: bad time
        "juminhyo,2026-12-01,11:00-10:00,GOOD0005,\n"  # 6: slot ends before it starts
        "juminhyo,2026-12-01,10:00,AB,\n"  # 7: reference too short
        "juminhyo,2026-12-01,10:00,good-0001,\n"  # 8: duplicate of row 2
        "juminhyo,2026-12-01\n"  # 9: short row
        f"juminhyo,2026-12-01,10:00,GOOD0009,{'長' * 101}\n"  # 10: name too long
        ",,,,\n"  # blank: ignored
        "tennyu,2026-12-03,15:00,GOOD0010,\n"  # 12: fine
    )
    rows, errors = parse_reservations_csv(text, SERVICES)
    assert [r.row for r in rows] == [2, 12]
    assert [(e.row, e.column, e.message_id) for e in errors] == [
        (3, "procedure", "reservations_csv.error.unknown_procedure"),
        (4, "date", "reservations_csv.error.bad_date"),
        (5, "slot", "reservations_csv.error.bad_time"),
        (6, "slot", "reservations_csv.error.bad_time"),
        (7, "reference", "reservations_csv.error.bad_reference"),
        (8, "reference", "reservations_csv.error.duplicate_reference"),
        (9, None, "reservations_csv.error.bad_row"),
        (10, "name", "reservations_csv.error.too_long"),
    ]
    assert errors[5].params == {"first_row": 2}


def test_missing_columns_and_empty_files() -> None:
    rows, errors = parse_reservations_csv("procedure,date,name\njuminhyo,2026-12-01,x\n")
    assert rows == [] and [(e.row, e.params["column"]) for e in errors] == [(1, "slot"), (1, "reference")]
    assert [e.message_id for e in parse_reservations_csv("")[1]] == ["reservations_csv.error.empty"]
    assert [e.message_id for e in parse_reservations_csv("procedure,date,time,reference\n")[1]] == [
        "reservations_csv.error.empty"
    ]


def test_without_a_service_list_any_procedure_id_passes() -> None:
    rows, errors = parse_reservations_csv("procedure,date,time,reference\nwhatever,2026-12-01,10:00,ABCD\n")
    assert errors == [] and rows[0].procedure_id == "whatever"


def test_file_bytes_in_utf8_with_or_without_bom_or_shift_jis() -> None:
    import pytest

    from madoguchi.core.forms.reservations_csv import CsvEncodingError, decode_csv_bytes

    text = "手続き,日付,時間帯,予約番号,氏名\r\njuminhyo,2026/12/1,10:00,ABCD1234,髙橋 花子\r\n"
    for data in (text.encode("utf-8"), b"\xef\xbb\xbf" + text.encode("utf-8"), text.encode("cp932")):
        decoded = decode_csv_bytes(data)
        assert decoded == text
        rows, errors = parse_reservations_csv(decoded, SERVICES)
        assert errors == [] and rows[0].name == "髙橋 花子"  # 髙: an IBM extension character, cp932 only
    with pytest.raises(CsvEncodingError):
        decode_csv_bytes(b"\xff\xfe\x80\x80")

"""Reservations: API creation, CSV import with row errors, check-in inside/before/after the window."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import pytest

from madoguchi.client.hall_client import Conflict
from madoguchi.client.local_server import HallServerProcess
from tests.support.paths import REPO


def now_tokyo() -> dt.datetime:
    return dt.datetime.now(dt.timezone(dt.timedelta(hours=9)))


def test_checkin_inside_before_and_after_window(server: HallServerProcess) -> None:
    admin = server.client("admin-1")
    kiosk = server.client("kiosk-1")
    now = now_tokyo()
    slot = (now + dt.timedelta(minutes=5)).replace(second=0, microsecond=0)
    inside = admin.create_reservation("juminhyo", slot.date().isoformat(), slot.strftime("%H:%M"))
    issued = kiosk.check_in(inside.checkin_code, language="en")
    assert issued.ticket.source == "reservation" and issued.ticket.reservation
    with pytest.raises(Conflict) as again:
        kiosk.check_in(inside.checkin_code)
    assert again.value.code == "reservation.error.already_checked_in"

    later = now + dt.timedelta(hours=2)
    early = admin.create_reservation("juminhyo", later.date().isoformat(), later.strftime("%H:%M"))
    with pytest.raises(Conflict) as too_early:
        kiosk.check_in(early.checkin_code)
    assert too_early.value.code in ("reservation.checkin.too_early", "reservation.checkin.other_day")
    assert too_early.value.params["opens_at"]
    yesterday = admin.create_reservation("juminhyo", (now.date() - dt.timedelta(days=1)).isoformat(), "10:00")
    with pytest.raises(Conflict) as late:
        kiosk.check_in(yesterday.checkin_code)
    assert late.value.code in ("reservation.checkin.too_late", "reservation.checkin.other_day")
    forged = inside.checkin_code[:-3] + ("AAA" if not inside.checkin_code.endswith("AAA") else "BBB")
    with pytest.raises(Conflict) as bad:
        kiosk.check_in(forged)
    assert bad.value.code.startswith("reservation.error")
    # the checked-in resident is called before walk-ins who came earlier
    s1 = server.staff_client(1)
    t = s1.call_next(1)
    assert t is not None and t.id == issued.ticket.id


def test_csv_import_all_or_nothing(tmp_path: Path, example_config_path: Path) -> None:
    data = tmp_path / "data"
    good = tmp_path / "good.csv"
    good.write_text(
        "procedure,date,time,reference\njuminhyo,2026-12-01,10:00,ABCD1234\nkoseki,2026-12-01,10:30-11:00,EFGH5678\n",
        encoding="utf-8",
    )
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "procedure,date,time,reference\njuminhyo,2026-12-01,10:00,ZZZZ1111\nnope,2026-13-01,25:00,ZZZZ2222\n",
        encoding="utf-8",
    )

    def run(path: Path, *extra: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [
                sys.executable,
                "-m",
                "madoguchi",
                "admin",
                "--config",
                str(example_config_path),
                "--data-dir",
                str(data),
                "import-reservations",
                str(path),
                *extra,
            ],
            capture_output=True,
            text=True,
            cwd=REPO,
        )

    res = run(bad)
    assert res.returncode == 2
    assert f"{bad}:3" in res.stderr and "nothing imported" in res.stderr
    codes = tmp_path / "codes.csv"
    res = run(good, "--codes-out", str(codes))
    assert res.returncode == 0, res.stderr
    assert "imported 2" in res.stdout
    assert codes.read_text(encoding="utf-8").count("MDR1:") == 2
    res = run(good)  # the same references again: refused
    assert res.returncode == 2
    # What Japanese Excel saves as "CSV": Shift_JIS with Japanese headers; and UTF-8 with a BOM.
    excel = tmp_path / "excel.csv"
    excel.write_bytes(
        "手続き,日付,時間帯,予約番号,氏名\r\njuminhyo,2026/12/2,10:00～10:30,SJIS0001,山田 太郎\r\n".encode("cp932")
    )
    res = run(excel)
    assert res.returncode == 0, res.stderr
    assert "imported 1" in res.stdout
    bom = tmp_path / "bom.csv"
    bom.write_bytes("\ufeffprocedure,date,time,reference\njuminhyo,2026-12-02,11:00,BOM00001\n".encode())
    assert run(bom).returncode == 0
    garbage = tmp_path / "garbage.csv"
    garbage.write_bytes(b"procedure,date\n\xff\xfe\xfd\x80\x80\n")
    res = run(garbage)
    assert res.returncode == 2 and "neither UTF-8 nor Shift_JIS" in res.stderr

"""The hall clock: the day boundary, and the offset clock of day-roll rehearsals (``--clock-offset-file``)."""

from __future__ import annotations

import datetime as dt
import logging
import os
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from madoguchi.core.hall_time import OffsetClock, hall_day, next_reset, parse_offset

TOKYO = ZoneInfo("Asia/Tokyo")
NOON = dt.datetime(2026, 11, 30, 12, 0, tzinfo=TOKYO).timestamp()


class Ticks:
    """A hand-turned monotonic clock: the offset file is looked at only when the recheck interval passed."""

    def __init__(self) -> None:
        self.t = 100.0

    def __call__(self) -> float:
        return self.t


def _clock(path: Path, ticks: Ticks) -> OffsetClock:
    return OffsetClock("Asia/Tokyo", path, recheck_s=0.5, wall=lambda: NOON, monotonic=ticks)


def test_hall_day_turns_at_the_reset_time() -> None:
    reset = dt.time(3, 0)
    assert hall_day(dt.datetime(2026, 12, 1, 2, 59, tzinfo=TOKYO), reset) == "2026-11-30"
    assert hall_day(dt.datetime(2026, 12, 1, 3, 0, tzinfo=TOKYO), reset) == "2026-12-01"


def test_next_reset() -> None:
    now = dt.datetime(2026, 11, 30, 12, 0, tzinfo=TOKYO)
    assert next_reset(now, dt.time(3, 0)) == dt.datetime(2026, 12, 1, 3, 0, tzinfo=TOKYO)
    early = dt.datetime(2026, 12, 1, 2, 30, tzinfo=TOKYO)
    assert next_reset(early, dt.time(3, 0)) == dt.datetime(2026, 12, 1, 3, 0, tzinfo=TOKYO)
    assert next_reset(early, dt.time(3, 0), at_least=dt.timedelta(hours=1)) == dt.datetime(
        2026, 12, 2, 3, 0, tzinfo=TOKYO
    )


def test_parse_offset() -> None:
    assert parse_offset("") == 0.0
    assert parse_offset("# rehearsal of the 03:00 roll\n+54000\n") == 54000.0
    assert parse_offset("-90.5  # seconds") == -90.5
    for bad in ("soon", "1e9", "nan"):
        with pytest.raises(ValueError):
            parse_offset(bad)


def test_no_file_is_the_system_clock(tmp_path: Path) -> None:
    clock = _clock(tmp_path / "offset", Ticks())
    assert clock.offset == 0.0
    assert clock() == dt.datetime.fromtimestamp(NOON, TOKYO)


def test_the_file_is_read_when_it_changes_and_at_most_every_half_second(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING)
    path = tmp_path / "offset"
    ticks = Ticks()
    clock = _clock(path, ticks)
    assert clock.offset == 0.0
    path.write_text("3600\n")
    assert clock.offset == 0.0  # not looked at again within the recheck interval
    ticks.t += 0.6
    assert clock.offset == 3600.0
    assert clock().hour == 13
    assert "clock offset now +3600 s" in caplog.text
    # the same content rewritten: one stat, nothing re-read or logged
    caplog.clear()
    ticks.t += 0.6
    assert clock.offset == 3600.0 and not caplog.records
    # an atomic replace (new inode) with a new value, then removal ends the rehearsal
    tmp = tmp_path / "offset.tmp"
    tmp.write_text("-60")
    os.replace(tmp, path)
    ticks.t += 0.6
    assert clock.offset == -60.0
    path.unlink()
    ticks.t += 0.6
    assert clock.offset == 0.0


def test_an_unusable_file_keeps_the_last_offset(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    path = tmp_path / "offset"
    path.write_text("7200")
    ticks = Ticks()
    clock = _clock(path, ticks)
    assert clock.offset == 7200.0
    path.write_text("two hours")
    ticks.t += 0.6
    with caplog.at_level(logging.WARNING):
        assert clock.offset == 7200.0
    assert "unusable" in caplog.text

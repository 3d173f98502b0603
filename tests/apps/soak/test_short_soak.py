"""The short soak (``madoguchi soak --short``): every fault once, zero invariant violations, a report."""

from __future__ import annotations

import os

import pytest

pytestmark = [pytest.mark.slow, pytest.mark.timeout(900)]


def test_no_invariant_violation(short_soak) -> None:  # type: ignore[no-untyped-def]
    result, *_ = short_soak
    bad = {i.name: i.violations for i in result.invariants if i.violations}
    assert bad == {}
    # every invariant looked at something (a check that checks nothing would pass vacuously)
    unchecked = [i.name for i in result.invariants if i.checked == 0 and "RSS" not in i.name]
    assert unchecked == []


def test_every_fault_injected_and_survived(short_soak) -> None:  # type: ignore[no-untyped-def]
    result, *_ = short_soak
    kinds = {f.fault.kind for f in result.faults if f.ok}
    assert {"paper_out", "cover_open", "card_pull", "server_kill", "board_cut", "kiosk_kill", "clock_jump"} <= kinds
    if os.geteuid() == 0:  # the database's tmpfs can only be mounted as root
        assert "disk_full" in kinds
    assert sum(f.fault.kind == "server_kill" and f.ok for f in result.faults) == 2


def test_faults_left_their_marks(short_soak) -> None:  # type: ignore[no-untyped-def]
    result, *_ = short_soak
    events = [r["ev"] for records in result.journals.values() for r in records]
    assert events.count("print_failed") >= 1  # paper out / cover open reached a print job
    assert "card_error" in events  # the pulled card
    assert sum(r["ev"] == "ready" for r in result.journals["kiosk-2"]) == 2  # killed and restarted
    assert all(b.calls for b in result.boards)
    assert next(b for b in result.boards if b.name == "board-2").cuts == 1
    # the real Qt board (offscreen, own process) showed and painted calls, and rebuilt itself after the restarts
    qt = next(b for b in result.boards if b.kind == "qt offscreen")
    assert qt.painted >= 0.8 * qt.shown > 0 and qt.snapshots >= 3
    assert sum(c.painted is not None for c in qt.calls) >= 0.5 * len(qt.calls)
    # 2D-code residents went through the camera and the decoder
    assert "code_scanned" in events and "code" in {r.get("source") for rs in result.journals.values() for r in rs}
    # three server processes served (two SIGKILLs), one process each
    assert len({s.pid for s in result.monitor.rss}) == 3
    # every ticket shown was printed, possibly after the printer came back (a killed kiosk may lose its queue)
    shown = {r["id"] for records in result.journals.values() for r in records if r["ev"] == "shown"}
    printed = {r["id"] for records in result.journals.values() for r in records if r["ev"] == "printed"}
    assert len(shown) > 20
    assert len(shown - printed) <= 3


def test_report_files(short_soak) -> None:  # type: ignore[no-untyped-def]
    _, md, png, summary = short_soak
    assert png.stat().st_size > 10_000
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    text = md.read_text(encoding="utf-8")
    assert "invariant violations: 0" in text
    assert "p95 call → board" in text and "Clock jump" in text
    assert summary["violations"] == 0 and summary["faults_survived"] == summary["faults"] >= 8
    assert "## Day roll (clock jump)" in text and "(qt offscreen)" in text


def test_the_clock_jump_rolled_the_day(short_soak) -> None:  # type: ignore[no-untyped-def]
    result, *_ = short_soak
    d = result.day_roll
    assert d.jumped and d.rolled and d.new_day > d.old_day
    # there was something to purge (a form may still arrive while the server picks the new offset up)
    assert d.purged >= d.old_forms_before > 0 and d.samples
    assert d.forms_left_after_roll == 0 and not d.key_left_after_roll and d.open_left_after_roll == 0
    day_roll = next(i for i in result.invariants if i.name.startswith("day roll"))
    assert day_roll.ok and day_roll.checked >= 10
    new_day = [r for rs in result.journals.values() for r in rs if r["ev"] == "shown" and r["day"] == d.new_day]
    assert new_day and "-001" in {r["number"][-4:] for r in new_day}

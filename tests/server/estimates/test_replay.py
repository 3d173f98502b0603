"""``madoguchi estimate replay``: reading logs, rejecting malformed ones, and never peeking at later rows."""

from __future__ import annotations

import argparse
import csv
import io
from pathlib import Path

import pytest

from madoguchi.server.estimates import replay_cli as estimate_cli
from madoguchi.server.estimates.event_log import LogError, parse_rows, read_log
from madoguchi.server.estimates.replay import replay, score
from madoguchi.server.estimates.tracker import DayTracker
from madoguchi.server.estimates.wait_range import Predictor

HEADER = "seq,day_id,scenario,date,time,t_min,event,ticket_id,ticket_no,service,counter,detail"


def _sample(repo_root: Path) -> Path:
    path = repo_root.parent / "shared" / "data" / "wait" / "sample-peak-day.csv"
    if not path.exists():
        pytest.skip("the shared sample log is not next to this checkout")
    return path


def _run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    parser = argparse.ArgumentParser()
    estimate_cli.add_arguments(parser)
    code = estimate_cli.run(parser.parse_args(argv))
    out, err = capsys.readouterr()
    return code, out, err


def _log(tmp_path: Path, lines: list[str], name: str = "log.csv") -> Path:
    path = tmp_path / name
    path.write_text("\n".join([HEADER, *lines]) + "\n", encoding="utf-8")
    return path


def _event(seq: int, t: float, event: str, ticket: str = "", service: str = "", counter: str = "",
           detail: str = "", day: str = "d1", date: str = "2025-06-09") -> str:  # fmt: skip
    return f"{seq},{day},test,{date},00:00:00.0,{t},{event},{ticket},,{service},{counter},{detail}"


def test_replay_reads_the_sample_and_prints_estimates_and_scores(
    repo_root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sample = _sample(repo_root)
    code, out, err = _run(["replay", str(sample)], capsys)
    assert code == 0
    rows = list(csv.reader(io.StringIO(out)))
    assert rows[0] == ["ticket_id", "low", "mid", "high"]
    issued = sum(1 for line in sample.read_text().splitlines() if ",issued," in line)
    assert len(rows) - 1 == issued
    for _, low, mid, high in rows[1:]:
        assert 0 <= float(low) <= float(mid) <= float(high)
    for label in ("MAE", "RMSE", "within ±5 min", "inside [low, high]", "10 min longer than high"):
        assert label in err


@pytest.mark.parametrize(
    ("lines", "line_no", "fragment"),
    [
        ([_event(0, 510, "counter_open", counter="W1", detail="A"), _event(1, "soon", "issued", "t1", "A")],
         3, "t_min"),
        ([_event(0, 510, "counter_open", counter="W1", detail="A"), _event(1, 511, "teleported", "t1", "A")],
         3, "unknown event"),
        ([_event(0, 510, "counter_open", counter="W1", detail="A"), _event(1, 511, "called", "t9", counter="W1")],
         3, "not issued"),
        ([_event(0, 510, "issued", "t1", "A"), _event(1, 511, "called", "t1", counter="W7")], 3, "not opened"),
        ([_event(0, 510, "issued", "t1", "")], 2, "needs a service"),
        ([_event(0, 510, "issued", "t1", "A", date="yesterday")], 2, "date"),
        (["1,2,3"], 2, "fields"),
    ],
)  # fmt: skip
def test_malformed_logs_are_rejected_with_the_line_number(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], lines: list[str], line_no: int, fragment: str
) -> None:
    path = _log(tmp_path, lines)
    code, out, err = _run(["replay", str(path)], capsys)
    assert code == 2
    assert out == ""
    assert f"{path}:{line_no}:" in err
    assert fragment in err


def test_a_missing_column_is_reported_on_line_one(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("seq,day_id,event\n0,d1,issued\n", encoding="utf-8")
    with pytest.raises(LogError) as info:
        read_log(path)
    assert info.value.line == 1


def _busy_prefix() -> list[str]:
    """One counter, on a break since 9:55 with five people waiting, then ticket X is issued at 10:00."""
    lines = [_event(0, 540, "counter_open", counter="W1", detail="A")]
    lines += [_event(1 + i, 590 + i, "issued", f"w{i}", "A") for i in range(5)]
    lines.append(_event(10, 595.5, "break_start", counter="W1"))
    lines.append(_event(11, 600, "issued", "X", "A"))
    return lines


def test_the_predictor_never_sees_rows_after_the_issue(tmp_path: Path) -> None:
    prefix = _busy_prefix()
    # the future (from the very same minute): the counter comes back at once, calls everybody quickly,
    # and more tickets follow
    future = [_event(12, 600, "break_end", counter="W1")]
    t = 600.2
    for i, tid in enumerate(["w0", "w1", "w2", "w3", "w4", "X"]):
        future += [
            _event(20 + 4 * i, t, "called", tid, counter="W1"),
            _event(21 + 4 * i, t + 0.1, "service_start", tid, counter="W1"),
            _event(22 + 4 * i, t + 0.5, "service_end", tid, counter="W1"),
        ]
        t += 0.6
    future.append(_event(60, 620, "issued", "late", "A"))
    with_future = replay(Predictor(), parse_rows(csv.reader(io.StringIO("\n".join([HEADER, *prefix, *future]))), "a"))
    without = replay(Predictor(), parse_rows(csv.reader(io.StringIO("\n".join([HEADER, *prefix]))), "b"))
    est_with = next(e.estimate for e in with_future.estimates if e.ticket_id == "X")
    est_without = next(e.estimate for e in without.estimates if e.ticket_id == "X")
    assert est_with == est_without

    # …and those future rows would have changed the answer, had the predictor been allowed to see them
    day = parse_rows(csv.reader(io.StringIO("\n".join([HEADER, *prefix, *future[:1]]))), "c")[0]
    tracker = DayTracker(day.day_id, day.weekday)
    for ev in day.events:
        if ev.ticket_id != "X":
            tracker.apply(ev)
    peeked = Predictor().predict(tracker.snapshot(600.0), "A")
    assert abs(peeked.mid_min - est_without.mid_min) > 3


def test_several_days_each_start_empty_and_later_days_learn(tmp_path: Path) -> None:
    lines = []
    seq = 0
    for d, date in (("d1", "2025-06-09"), ("d2", "2025-06-16"), ("d3", "2025-06-23")):
        lines.append(_event(seq, 510, "counter_open", counter="W1", detail="A", day=d, date=date))
        seq += 1
        t = 511.0
        for i in range(12):
            tid = f"{d}-{i}"
            issue = 511.0 + i
            lines.append(_event(seq, issue, "issued", tid, "A", day=d, date=date))
            call = max(t, issue)
            lines += [
                _event(seq + 1, call, "called", tid, counter="W1", day=d, date=date),
                _event(seq + 2, call + 0.2, "service_start", tid, counter="W1", day=d, date=date),
                _event(seq + 3, call + 10.2, "service_end", tid, counter="W1", day=d, date=date),
            ]
            seq += 4
            t = call + 10.2
        lines.append(_event(seq, t + 1, "counter_close", counter="W1", day=d, date=date))
        seq += 1
    days = parse_rows(csv.reader(io.StringIO("\n".join([HEADER, *lines]))), "multi")
    assert [d.day_id for d in days] == ["d1", "d2", "d3"]
    result = replay(Predictor(), days)
    first = {e.ticket_id: e.estimate.mid_min for e in result.estimates if e.day_id == "d1"}
    third = {e.ticket_id: e.estimate.mid_min for e in result.estimates if e.day_id == "d3"}
    # each day starts empty: the first ticket of every day is served at once
    assert first["d1-0"] < 2 and third["d3-0"] < 2
    # day one assumes 6-min service; by day three it knows service takes 10 min here
    m1 = score([e for e in result.estimates if e.day_id == "d1"])
    m3 = score([e for e in result.estimates if e.day_id == "d3"])
    assert m3.mae < m1.mae
    assert third["d3-11"] > first["d1-11"]


def test_history_folder_is_learned_from_before_scoring(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    history = tmp_path / "history"
    history.mkdir()
    day = [_event(0, 510, "counter_open", counter="W1", detail="A", day="h1")]
    _log(history, day, "2025-06-02.csv")
    log = _log(
        tmp_path, [_event(0, 510, "counter_open", counter="W1", detail="A"), _event(1, 511, "issued", "t1", "A")]
    )
    code, out, _ = _run(["replay", str(log), "--history", str(history)], capsys)
    assert code == 0
    assert out.splitlines()[1].startswith("t1,")


def test_a_classical_predictor_can_be_replayed_for_comparison(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lines = [_event(0, 510, "counter_open", counter="W1", detail="A")]
    lines += [_event(1 + i, 511 + i, "issued", f"t{i}", "A") for i in range(3)]
    code, out, err = _run(["replay", str(_log(tmp_path, lines)), "--predictor", "head_of_line"], capsys)
    assert code == 0
    # head-of-line: the age of the oldest waiting ticket (t0 issued at 511)
    assert out.splitlines()[1:] == ["t0,0.0,0.0,0.5", "t1,0.7,1.0,1.8", "t2,1.4,2.0,3.1"]
    assert "scored tickets: 0" in err  # nobody was called

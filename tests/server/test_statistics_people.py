"""A manager's numbers: per clerk and per counter (served, mean and p90 service time), the service level against
each procedure's target, names instead of ids, and the statistics as a SQLite file written with sqlite-utils.

On the last release statistics had nothing per clerk or counter, no targets, and showed service ids.
"""

from __future__ import annotations

import csv
import io
import sqlite3
from pathlib import Path
from typing import Any

import pytest
import sqlite_utils

from madoguchi.client.admin_client import AdminClient
from madoguchi.client.local_server import HallServerProcess
from madoguchi.core.config import HallConfig
from madoguchi.server.engine import QueueEngine
from madoguchi.server.statistics import export_csv, load_tickets, percentile, summarise
from madoguchi.server.statistics_db import HallNames, write_statistics_database
from madoguchi.server.store import Store

TZ = "Asia/Tokyo"


def _day(engine: QueueEngine, clock: Any) -> None:
    """Two clerks at counters 1 and 2: suzuki serves 3 (2, 4 and 9 min), sato 2 (5 and 7 min); one no-show."""
    for _ in range(6):
        engine.issue("juminhyo")
    clock.advance(minutes=3)
    for counter, clerk, minutes in ((1, "suzuki", 2), (2, "sato", 5), (1, "suzuki", 4), (2, "sato", 7)):
        t = engine.call_next(counter, staff_id=clerk)
        assert t is not None
        engine.start(t.id, counter)
        clock.advance(minutes=minutes)
        engine.done(t.id, counter)
    clock.advance(minutes=30)  # the last two waited over 30 minutes: past juminhyo's target of 20
    t = engine.call_next(1, staff_id="suzuki")
    assert t is not None
    engine.start(t.id, 1)
    clock.advance(minutes=9)
    engine.done(t.id, 1)
    t = engine.call_next(2, staff_id="sato")
    assert t is not None
    engine.no_show(t.id, 2)


def test_per_clerk_and_per_counter(store: Store, engine: QueueEngine, clock: Any, hall_config: HallConfig) -> None:
    _day(engine, clock)
    facts = load_tickets(store.conn, engine.today(), engine.today(), TZ)
    by_staff = {g.key["staff"]: g for g in summarise(facts, ("staff",), hall_config.target_wait_min)}
    assert by_staff["suzuki"].served == 3 and by_staff["sato"].served == 2
    assert by_staff["suzuki"].service_mean_min == pytest.approx(5.0, abs=0.01)
    assert by_staff["suzuki"].service_p90_min == pytest.approx(percentile([2.0, 4.0, 9.0], 0.9), abs=0.01)
    assert by_staff["sato"].service_p90_min == pytest.approx(percentile([5.0, 7.0], 0.9), abs=0.01)
    assert by_staff["sato"].no_shows == 1
    by_counter = {g.key["counter"]: g for g in summarise(facts, ("counter",))}
    assert (by_counter[1].served, by_counter[2].served) == (3, 2)
    [level] = summarise(facts, ("service",), hall_config.target_wait_min)
    # 4 of 6 called within 20 min (the last two waited about 40)
    assert level.called == 6 and level.within_target_share == pytest.approx(4 / 6, abs=1e-4)

    rows = list(
        csv.DictReader(
            io.StringIO(
                export_csv(
                    "summary",
                    facts,
                    TZ,
                    ("staff", "service"),
                    targets=hall_config.target_wait_min,
                    names={"staff": {"suzuki": "鈴木"}, "service": {"juminhyo": "住民票の写し"}},
                ).decode("utf-8-sig"),
                newline="",
            )
        )
    )
    suzuki = next(r for r in rows if r["staff"] == "suzuki")
    assert (suzuki["staff_name"], suzuki["service_name"], suzuki["served"]) == ("鈴木", "住民票の写し", "3")
    assert float(suzuki["service_p90_min"]) == pytest.approx(8.0, abs=0.01)
    assert float(suzuki["within_target_share"]) == pytest.approx(2 / 3, abs=1e-3)


def test_the_statistics_database(
    store: Store, engine: QueueEngine, clock: Any, hall_config: HallConfig, tmp_path: Path
) -> None:
    _day(engine, clock)
    day = engine.today()
    facts = load_tickets(store.conn, day, day, TZ)
    names = HallNames(
        hall="みどり市役所",
        services={
            s.id: (s.name["ja"], s.name.get("en", ""), hall_config.target_wait_min(s.id)) for s in hall_config.services
        },
        counters={1: "1番窓口", 2: "2番窓口"},
        staff={"suzuki": "鈴木", "sato": "佐藤"},
    )
    path = tmp_path / "statistics.sqlite3"
    write_statistics_database(path, "statistics", facts, TZ, names, hall_config.target_wait_min, (day, day))
    db = sqlite_utils.Database(path)
    assert {"tickets", "services", "counters", "clerks", "by_day_service", "by_counter", "by_clerk"} <= set(
        db.table_names()
    )
    assert db.table("tickets").pks == ["ticket_id"] and db.table("tickets").count == 6
    assert db.table("tickets").foreign_keys[0].other_table == "services"
    assert {"idx_tickets_counter", "idx_tickets_staff"} <= {i.name for i in db.table("tickets").indexes}
    by_clerk = {
        r["staff"]: r for r in db.query("SELECT * FROM by_clerk JOIN clerks ON clerks.staff_id = by_clerk.staff")
    }
    assert by_clerk["suzuki"]["served"] == 3 and by_clerk["suzuki"]["name"] == "鈴木"
    [level] = list(db.query("SELECT * FROM service_level"))
    assert (level["service"], level["name_ja"], level["target_wait_min"]) == ("juminhyo", "住民票の写し", 20)
    assert level["within_target_share"] == pytest.approx(4 / 6, abs=1e-3)  # the view agrees with Python's figure
    db.close()

    open_path = tmp_path / "open-data.sqlite3"
    write_statistics_database(open_path, "open-data", facts, TZ, names, hall_config.target_wait_min, (day, day))
    conn = sqlite3.connect(open_path)
    try:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        assert tables == {"services", "by_day_hour_service", "about"}
        columns = {r[1] for r in conn.execute("PRAGMA table_info(by_day_hour_service)")}
        assert not columns & {"ticket_id", "number", "counter", "staff", "language"}
        assert conn.execute("SELECT sum(tickets) FROM by_day_hour_service").fetchone()[0] == 6
    finally:
        conn.close()


def test_statistics_route_names_and_targets_and_the_database_export(tmp_path: Path) -> None:
    srv = HallServerProcess(tmp_path / "data").start()
    try:
        kiosk = srv.client("kiosk-1")
        for _ in range(2):
            kiosk.issue("juminhyo")
        clerk = srv.staff_client(1, staff_id="staff2")
        t = clerk.call_next(1)
        assert t is not None
        clerk.done(t.id, 1)
        admin = AdminClient(srv.base_url, srv.tokens["admin-1"])
        stats = admin.statistics(by="staff")
        assert stats["names"]["staff"]["staff2"] == "STAFF2"
        assert stats["names"]["service"]["juminhyo"]["ja"] == "住民票の写し"
        assert stats["targets"]["tennyu"] == 40 and stats["targets"]["juminhyo"] == 20
        assert stats["target_share"] == 0.8
        [served] = [g for g in stats["groups"] if g["key"]["staff"] == "staff2"]
        assert served["served"] == 1
        data = admin.export_database("statistics")
        assert data.startswith(b"SQLite format 3\x00")
        (tmp_path / "s.sqlite3").write_bytes(data)
        db = sqlite_utils.Database(tmp_path / "s.sqlite3")
        assert db.table("tickets").count == 2 and db.table("clerks").count >= 1
        db.close()
        with pytest.raises(Exception) as unknown:
            admin.export_database("everything")
        assert getattr(unknown.value, "status", None) == 404
        admin.close()
        clerk.close()
    finally:
        srv.stop()

"""Statistics and CSV exports: open with the csv module, UTF-8 with BOM, ISO times, and sum up to the event log."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections import Counter
from typing import Any

import pytest

from madoguchi.server.engine import QueueEngine
from madoguchi.server.statistics import (
    estimate_quality,
    export_csv,
    load_tickets,
    parse_dimensions,
    percentile,
    summarise,
)
from madoguchi.server.store import Store

TZ = "Asia/Tokyo"


def _hall_day(engine: QueueEngine, clock: Any) -> None:
    """A small morning: walk-ins, card and code auto-fill, languages, a no-show, a transfer, estimates."""
    plan = [
        ("juminhyo", "touch", "ja"),
        ("juminhyo", "card", "ja"),
        ("inkan", "code", "en"),
        ("juminhyo", "touch", "vi"),
        ("inkan", "card", "ja"),
        ("juminhyo", "touch", "pt-BR"),
    ]
    for i, (sid, source, lang) in enumerate(plan):
        engine.issue(sid, source=source, language=lang, estimate=(2.0 + i, 5.0 + i, 9.0 + i))
        clock.advance(minutes=4)
    counter_services = engine.config.counter(1).services
    assert "juminhyo" in counter_services
    t = engine.call_next(1)
    assert t is not None
    clock.advance(minutes=1)
    engine.start(t.id, 1)
    clock.advance(minutes=6)
    engine.done(t.id, 1)
    t = engine.call_next(1)
    assert t is not None
    clock.advance(minutes=2)
    engine.no_show(t.id, 1)
    t = engine.call_next(1)
    assert t is not None
    other = next(s.id for s in engine.config.services if s.id != t.service_id)
    engine.transfer(t.id, 1, other)
    clock.advance(hours=1)
    t = engine.call_next(1)
    assert t is not None
    engine.done(t.id, 1)


def _read(data: bytes) -> list[dict[str, str]]:
    assert data.startswith(b"\xef\xbb\xbf")  # BOM: Excel opens it as UTF-8
    text = data.decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text, newline="")))


def test_exports_sum_up_to_the_event_log(store: Store, engine: QueueEngine, clock: Any) -> None:
    _hall_day(engine, clock)
    day = engine.today()
    events = Counter(e.type for e in store.events_since(0, 10_000))
    facts = load_tickets(store.conn, day, day, TZ)

    tickets = _read(export_csv("tickets", facts, TZ))
    assert len(tickets) == events["ticket.issued"] == 6
    assert sum(r["state"] == "no_show" for r in tickets) == events["ticket.no_show"]
    assert sum(int(r["transfers"]) for r in tickets) == events["ticket.transferred"]
    called = [r for r in tickets if r["called_at"]]
    for r in called:
        issued = dt.datetime.fromisoformat(r["issued_at"])
        assert issued.utcoffset() == dt.timedelta(hours=9)
        wait = (dt.datetime.fromisoformat(r["called_at"]) - issued).total_seconds() / 60
        assert float(r["wait_min"]) == pytest.approx(wait, abs=0.02)

    summary = _read(export_csv("summary", facts, TZ, ("day", "hour", "service", "counter")))
    assert sum(int(r["tickets"]) for r in summary) == events["ticket.issued"]
    assert sum(int(r["no_shows"]) for r in summary) == events["ticket.no_show"]
    assert sum(int(r["transfers"]) for r in summary) == events["ticket.transferred"]
    langs = {k: sum(int(r[k]) for r in summary) for k in summary[0] if k.startswith("lang_")}
    assert langs == {"lang_en": 1, "lang_ja": 3, "lang_pt-BR": 1, "lang_vi": 1}

    open_rows = _read(export_csv("open-data", facts, TZ))
    header = set(open_rows[0])
    assert not header & {"ticket_id", "number", "token", "device", "counter"}
    assert not any(h.startswith("lang_") for h in header)
    assert sum(int(r["tickets"]) for r in open_rows) == events["ticket.issued"]

    estimates = _read(export_csv("estimates", facts, TZ))
    assert len(estimates) == len(called)
    assert "ticket_id" not in estimates[0]


def test_summary_figures(store: Store, engine: QueueEngine, clock: Any) -> None:
    _hall_day(engine, clock)
    day = engine.today()
    facts = load_tickets(store.conn, day, day, TZ)
    [whole] = summarise(facts, ("day",))
    assert whole.tickets == 6
    assert whole.no_shows == 1 and whole.transfers == 1
    assert whole.autofill_share == pytest.approx(3 / 6, abs=1e-4)
    waits = sorted(w for t in facts if (w := t.wait_min) is not None)
    assert whole.wait_p50_min == pytest.approx(percentile(waits, 0.5), abs=0.01)
    assert whole.wait_p90_min is not None and whole.wait_p90_min >= whole.wait_p50_min  # type: ignore[operator]
    # one ticket served 6 min (start → done), one done at once after its call (0 min)
    assert whole.service_mean_min == pytest.approx(3.0, abs=0.01)
    q = estimate_quality(facts)
    assert q.tickets == len(waits)
    assert sum(n for _lo, _hi, n in q.bins) == q.tickets
    by_service = summarise(facts, ("service",))
    assert sum(g.tickets for g in by_service) == 6


def test_percentile_and_dimensions() -> None:
    assert percentile([], 0.5) is None
    assert percentile([4.0], 0.9) == 4.0
    assert percentile([1.0, 2.0, 3.0, 4.0], 0.5) == 2.5
    assert parse_dimensions("day, service") == ("day", "service")
    with pytest.raises(ValueError):
        parse_dimensions("day,weather")

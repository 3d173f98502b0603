"""Each ticket keeps the estimate it was given beside the wait that happened; statistics read the pairs."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from madoguchi.core import api_models as m
from madoguchi.core.config import HallConfig
from madoguchi.server.hall_service import HallService
from madoguchi.server.security import FormCipher
from madoguchi.server.statistics import estimate_quality, estimates_csv, load_tickets, read_connection
from madoguchi.server.store import Store


def test_issued_estimate_stored_beside_real_wait(
    tmp_path: Path,
    store: Store,
    hall_config: HallConfig,
    clock,  # type: ignore[no-untyped-def]
) -> None:
    hall = HallService(hall_config, store, FormCipher(tmp_path / "keys"), clock=clock)
    hall.roll_day()
    issued = [hall.issue(m.IssueRequest(service_id="juminhyo", request_id=f"req-{i:06d}"), "kiosk-1") for i in range(6)]
    assert all(t.estimate.low_min <= t.estimate.mid_min <= t.estimate.high_min for t in issued)
    assert issued[-1].estimate.mid_min >= issued[0].estimate.mid_min  # more people ahead, longer wait
    for _ in range(6):
        clock.advance(minutes=4)
        t = hall.engine.call_next(1)
        assert t is not None
        hall.engine.done(t.id, 1)
    row = store.ticket(issued[0].ticket.id)
    assert row is not None and row.est_mid is not None and row.est_model is not None and row.called_at is not None
    facts = load_tickets(read_connection(store.path), hall.engine.today(), hall.engine.today(), "Asia/Tokyo")
    quality = estimate_quality(facts)
    assert quality.tickets == 6 and quality.mean_abs_error_min is not None
    rows = list(csv.DictReader(io.StringIO(estimates_csv(facts).decode("utf-8-sig"))))
    assert len(rows) == 6 and all(r["est_mid_min"] and r["wait_min"] for r in rows)

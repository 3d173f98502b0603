"""One ticket through several procedures (issue 29): the route, the next queue's fair place, the [visits] rules
after a no-show or a cancel, a clerk's route changes, the form each counter sees, and the day's visit figures."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from madoguchi.core import api_models as m
from madoguchi.core.config import HallConfig
from madoguchi.server.engine import VisitRefused
from madoguchi.server.hall_service import HallService, NotAllowed
from madoguchi.server.security import FormCipher
from madoguchi.server.store import Store

ROUTE = ["tennyu", "kokuho", "jido_teate"]
#: the moving-in form, filled once at the kiosk (made-up data)
FORM: dict[str, Any] = {
    "name": "試験 花子",
    "kana": "シケン ハナコ",
    "birth_date": "1990-04-01",
    "sex": "female",
    "address": "神奈川県平塚市浅間町1-1",
    "previous_address": "東京都千代田区1-1",
    "moved_on": "2026-11-20",
    "phone": "0463-00-0000",
    "members": [{"member_name": "試験 太郎", "member_birth_date": "2018-05-05", "member_relationship": "子"}],
}


@pytest.fixture
def hall(tmp_path: Path, store: Store, hall_config: HallConfig, clock: Any) -> HallService:
    return HallService(hall_config, store, FormCipher(tmp_path / "keys"), clock=clock)


def _visit(hall: HallService, request_id: str = "visit-0001", **kw: Any) -> m.IssuedTicket:
    req = m.IssueRequest(
        service_id="tennyu", route=ROUTE, life_event="moving_in", form=FORM, source="card", request_id=request_id, **kw
    )
    return hall.issue(req, "kiosk-1", rate_limit=False)


def _serve(hall: HallService, counter: int, clock: Any, minutes: float = 5) -> m.TicketView:
    called = hall.engine.call_next(counter, staff_id="staff1", device=f"pc-{counter}")
    assert called is not None
    clock.advance(minutes=minutes)
    hall.engine.start(called.id, counter)
    return hall.ticket_view(hall.engine.done(called.id, counter))


def test_a_visit_goes_from_counter_to_counter_on_one_number(hall: HallService, clock: Any) -> None:
    issued = _visit(hall)
    t = issued.ticket
    assert [s.service_id for s in t.route] == ROUTE and [s.state for s in t.route] == ["current", "pending", "pending"]
    assert issued.route_estimate is not None and issued.route_estimate.mid_min > issued.estimate.mid_min

    after_first = _serve(hall, 4, clock)
    assert (after_first.number, after_first.state, after_first.service_id) == (t.number, "waiting", "kokuho")
    assert [s.state for s in after_first.route] == ["done", "current", "pending"]
    assert after_first.route[0].counter == 4

    # the board says where the visit goes now, and a call says which step it is
    board = hall.board_state()
    assert [(n.number, n.service_id, n.step, n.steps) for n in board.next_steps] == [(t.number, "kokuho", 2, 3)]
    _serve(hall, 9, clock)
    call = hall.board_state().recent_calls[0]
    assert (call.number, call.step, call.steps) == (t.number, 2, 3)

    # the phone sees the route with its counters, and no staff or form data
    status, _row = hall.ticket_status(issued.token) or (None, None)
    assert status is not None and status.state == "waiting" and status.number == t.number
    assert [(s.service_id, s.state) for s in status.route] == [
        ("tennyu", "done"),
        ("kokuho", "done"),
        ("jido_teate", "current"),
    ]
    assert status.route[2].counters == [9, 10] and status.route[2].area is not None

    last = _serve(hall, 10, clock)
    assert last.state == "done" and [s.state for s in last.route] == ["done", "done", "done"]
    stats = hall.visit_statistics()
    assert (stats.visits, stats.completed, stats.by_event) == (1, 1, {"moving_in": 1})
    assert [s.service_id for s in stats.steps] == ["tennyu", "kokuho", "jido_teate"]
    assert stats.in_hall_mean_min is not None and stats.in_hall_mean_min >= 15


def test_a_kiosk_learns_when_each_procedure_closes(hall: HallService) -> None:
    """09:00 at the example hall: 児童手当 ends at 16:30, the hall at 17:15; the kiosk gets each in minutes."""
    statuses = {s.id: s for s in hall.services_status()}
    assert statuses["jido_teate"].closes_in_min == 7.5 * 60
    assert statuses["juminhyo"].closes_in_min == 8.25 * 60
    info = {s.id: s for s in hall.hall_info().services}
    assert info["jido_teate"].mean_service_min == 12.0


def test_the_next_queue_takes_the_visit_by_its_issue_time(hall: HallService, clock: Any) -> None:
    visit = _visit(hall).ticket
    clock.advance(minutes=1)
    later = hall.issue(m.IssueRequest(service_id="kokuho", request_id="walk-in-0001"), "kiosk-2", rate_limit=False)
    _serve(hall, 4, clock)  # the visit's first step, done after the walk-in came
    nxt = hall.engine.call_next(9)
    assert nxt is not None and nxt.id == visit.id, "the visit waited once already: it goes before the later walk-in"
    assert later.ticket.id != visit.id


def test_the_next_queue_per_end_rule_puts_the_visit_behind(
    tmp_path: Path, store: Store, hall_config: HallConfig, clock: Any
) -> None:
    config = hall_config.model_copy(update={"visits": hall_config.visits.model_copy(update={"next_step_place": "end"})})
    hall = HallService(config, store, FormCipher(tmp_path / "keys"), clock=clock)
    visit = _visit(hall).ticket
    clock.advance(minutes=1)
    walk_in = hall.issue(m.IssueRequest(service_id="kokuho", request_id="walk-in-0002"), "kiosk-2", rate_limit=False)
    _serve(hall, 4, clock)
    nxt = hall.engine.call_next(9)
    assert nxt is not None and nxt.id == walk_in.ticket.id and visit.id != nxt.id


def test_each_counter_sees_only_its_procedures_fields_and_each_read_is_audited(hall: HallService, clock: Any) -> None:
    t = _visit(hall).ticket
    first = hall.engine.call_next(4, staff_id="staff1", device="pc-4")
    assert first is not None
    at_tennyu = hall.read_form(t.id, staff_id="staff1", counter=4, device="pc-4")
    assert at_tennyu.form_id == "moving_in" and at_tennyu.fields["previous_address"] == FORM["previous_address"]
    hall.engine.done(t.id, 4)
    with pytest.raises(NotAllowed):  # the first counter is done with it: the form is the next counter's now
        hall.read_form(t.id, staff_id="staff1", counter=4, device="pc-4")

    hall.engine.call_next(9, staff_id="staff2", device="pc-9")
    at_kokuho = hall.read_form(t.id, staff_id="staff2", counter=9, device="pc-9")
    assert at_kokuho.form_id == "insurance"
    assert set(at_kokuho.fields) == {"name", "birth_date", "sex", "address", "phone"}
    hall.engine.done(t.id, 9)

    hall.engine.call_next(10, staff_id="staff3", device="pc-10")
    at_jido = hall.read_form(t.id, staff_id="staff3", counter=10, device="pc-10")
    assert at_jido.form_id == "child_allowance"
    assert set(at_jido.fields) == {"name", "kana", "address", "phone", "members"}
    assert at_jido.fields["members"] == [{"member_name": "試験 太郎", "member_birth_date": "2018-05-05"}]

    reads = [(r["counter"], r["subject"]) for r in hall.store.audit_rows(t.id) if r["action"] == "form.view"]
    assert reads == [(4, "tennyu"), (9, "kokuho"), (10, "jido_teate")]
    # the day's purge covers the visit's one form
    assert hall.purge_forms() == 1
    assert hall.store.get_form(t.id) is None


def test_a_no_show_stops_the_route_and_a_late_arrival_goes_on(hall: HallService, clock: Any) -> None:
    t = _visit(hall).ticket
    hall.engine.call_next(4)
    hall.engine.no_show(t.id, 4)
    view = hall.ticket_view(hall.engine.ticket(t.id))
    assert view.state == "no_show" and [s.state for s in view.route] == ["current", "pending", "pending"]
    hall.engine.return_to_queue(t.id, 4)
    assert hall.engine.ticket(t.id).service_id == "tennyu"
    _serve(hall, 4, clock)
    assert hall.engine.ticket(t.id).service_id == "kokuho"


def test_per_rule_a_no_show_skips_the_step_and_a_counters_cancel_drops_it(
    tmp_path: Path, store: Store, hall_config: HallConfig, clock: Any
) -> None:
    rules = hall_config.visits.model_copy(update={"after_no_show": "next", "after_cancel": "next"})
    hall = HallService(hall_config.model_copy(update={"visits": rules}), store, FormCipher(tmp_path / "k"), clock=clock)
    t = _visit(hall).ticket
    hall.engine.call_next(4)
    hall.engine.no_show(t.id, 4)
    moved = hall.engine.ticket(t.id)
    assert (moved.state, moved.service_id) == ("waiting", "kokuho")
    hall.engine.call_next(9)
    hall.engine.cancel(t.id, 9)
    view = hall.ticket_view(hall.engine.ticket(t.id))
    assert (view.state, view.service_id) == ("waiting", "jido_teate")
    assert [s.state for s in view.route] == ["skipped", "dropped", "current"]
    # the resident leaving (the phone page) ends the whole visit, whatever the rule
    hall.engine.cancel(t.id, by="resident")
    assert hall.engine.ticket(t.id).state == "cancelled"


def test_a_clerk_adds_and_removes_steps(hall: HallService, clock: Any) -> None:
    plain = hall.issue(m.IssueRequest(service_id="tennyu", request_id="plain-0001"), "kiosk-1", rate_limit=False)
    hall.engine.call_next(4)
    grown = hall.engine.add_step(plain.ticket.id, 4, "kokuho")
    hall.engine.add_step(plain.ticket.id, 4, "mynumber", 0)
    view = hall.ticket_view(hall.engine.ticket(grown.id))
    assert [(s.service_id, s.state) for s in view.route] == [
        ("tennyu", "current"),
        ("mynumber", "pending"),
        ("kokuho", "pending"),
    ]
    with pytest.raises(VisitRefused) as twice:
        hall.engine.add_step(grown.id, 4, "kokuho")
    assert twice.value.code == "visit.step_twice"
    with pytest.raises(VisitRefused) as current:
        hall.engine.remove_step(grown.id, 4, "tennyu")
    assert current.value.code == "visit.step_not_pending"
    hall.engine.remove_step(grown.id, 4, "mynumber")
    _serve_called = hall.engine.done(grown.id, 4)
    assert _serve_called.service_id == "kokuho"


def test_a_route_the_hall_cannot_take_is_refused(hall: HallService) -> None:
    for route in (["tennyu", "tennyu"], ["tennyu", "nothing"], ["kokuho", "tennyu"]):
        with pytest.raises(VisitRefused):
            hall.issue(
                m.IssueRequest(service_id="tennyu", route=route, request_id="bad-route-01"), "k", rate_limit=False
            )

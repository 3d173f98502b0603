"""The rule of the kiosk's state (``kiosk_state.evaluate``), case by case, without Qt or a server."""

from __future__ import annotations

from madoguchi.apps.kiosk.kiosk_state import Inputs, evaluate
from madoguchi.core import api_models as m


def hall(policy: m.PrinterFailurePolicy = "show_number") -> m.HallInfo:
    return m.HallInfo(
        name={"ja": "テスト"},
        timezone="Asia/Tokyo",
        languages=["ja"],
        opening_start="08:30",
        opening_end="17:15",
        inactivity_seconds=60,
        services=[],
        counters=[],
        forms={},
        notices=[],
        hall_day="2026-12-01",
        kiosk_when_printer_fails=policy,
    )


def status(open_now: bool, opens_at: str | None = None) -> dict[str, m.ServiceStatus]:
    estimate = m.Estimate(low_min=0, mid_min=0, high_min=0)
    return {
        "a": m.ServiceStatus(
            id="a", waiting=0, oldest_wait_min=0, estimate=estimate, open_now=open_now, opens_at=opens_at
        )
    }


def test_ready_when_everything_works() -> None:
    s = evaluate(Inputs(server_ok=True, hall=hall(), statuses=status(True), printer="OK"))
    assert (s.state, s.reasons, s.printing, s.issuing) == ("ready", (), True, True)
    assert evaluate(Inputs(server_ok=True, hall=hall(), statuses=status(True), printer="PAPER_LOW")).state == "ready"


def test_no_server_or_no_hall_is_out_of_service() -> None:
    assert evaluate(Inputs(server_ok=False, hall=hall(), printer="OK")).state == "out_of_service"
    s = evaluate(Inputs(server_ok=True, hall=None, printer="OK"))
    assert (s.state, s.reasons, s.issuing) == ("out_of_service", ("server",), False)


def test_a_printer_that_cannot_print_follows_the_halls_policy() -> None:
    for printer in ("PAPER_OUT", "COVER_OPEN", "OFFLINE", "UNKNOWN", "CUTTER_ERROR"):
        shown = evaluate(Inputs(server_ok=True, hall=hall(), statuses=status(True), printer=printer))
        assert (shown.state, shown.reasons, shown.printing, shown.issuing) == ("degraded", ("printer",), False, True)
        stop = evaluate(Inputs(server_ok=True, hall=hall("stop"), statuses=status(True), printer=printer))
        assert (stop.state, stop.reasons, stop.issuing) == ("out_of_service", ("printer",), False)
    # no printer at all is a kiosk that gives numbers on screen by design, whatever the policy
    none = evaluate(Inputs(server_ok=True, hall=hall("stop"), statuses=status(True), printer="NONE"))
    assert (none.state, none.printing) == ("degraded", False)


def test_closed_says_todays_hours_and_the_next_opening() -> None:
    evening = evaluate(Inputs(server_ok=True, hall=hall(), statuses=status(False), printer="OK"))
    assert (evening.state, evening.hours, evening.opens_at, evening.issuing) == (
        "closed",
        ("08:30", "17:15"),
        None,
        False,
    )
    morning = evaluate(Inputs(server_ok=True, hall=hall(), statuses=status(False, "08:30"), printer="PAPER_OUT"))
    assert (morning.state, morning.opens_at, morning.reasons) == ("closed", "08:30", ("hours", "printer"))


def test_a_reader_or_camera_that_went_away_is_degraded() -> None:
    s = evaluate(Inputs(server_ok=True, hall=hall(), statuses=status(True), printer="OK", camera_lost=True))
    assert (s.state, s.reasons, s.printing) == ("degraded", ("camera",), True)
    s = evaluate(Inputs(server_ok=True, hall=hall(), statuses=status(True), printer="OK", card_reader_lost=True))
    assert s.reasons == ("card_reader",)

"""Life-event guidance at the kiosk: the entry on the procedure list, the life events, one yes/no question per
screen, the route (numbered, where each is, things to bring, remove and add back, closed procedures left off),
and one ticket for the visit, against a real hall server.

The session's hall has 児童手当 closed all day (``always_open_config``): the closed case is seen there. The
ticket for the whole route is taken from a hall of its own where everything is open.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import QApplication

from madoguchi.apps.kiosk.demo_material import StubCard, StubScanner
from madoguchi.apps.kiosk.kiosk_state import KioskStatus
from madoguchi.apps.kiosk.ticket_content import ticket_content
from madoguchi.apps.kiosk.visit_route import offered_route
from madoguchi.client.local_server import HallServerProcess
from madoguchi.core import api_models as m
from madoguchi.core.config import EXAMPLE_CONFIG, load_config
from madoguchi.devices.printer.profiles import get_profile
from madoguchi.devices.printer.ticket_layout import render_ticket
from madoguchi.translations.catalog import translate
from tests.apps.kiosk.test_every_language_layout import issued_ticket, layout_problems

READY = KioskStatus("ready", (), printing=True, hours=("08:30", "17:15"))
SIZES = ((1920, 1080), (1080, 1920), (1280, 1024))


def settle() -> None:
    for _ in range(4):
        QApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)
        QApplication.processEvents()


@pytest.fixture
def visit_shots(shots: Path) -> Path:
    folder = shots / "visit"
    folder.mkdir(exist_ok=True)
    return folder


def test_offered_route_follows_answers_drops_and_what_is_open() -> None:
    event = load_config(EXAMPLE_CONFIG).life_event("moving_in")
    est = m.Estimate(low_min=0, mid_min=0, high_min=0)
    open_ = {
        sid: m.ServiceStatus(id=sid, waiting=0, oldest_wait_min=0, estimate=est, open_now=True) for sid in event.route
    }
    both = {"insurance": True, "children": True}
    assert offered_route(event, {}, set(), open_).route == ("tennyu",)  # unanswered is no
    assert offered_route(event, both, set(), open_).route == ("tennyu", "kokuho", "jido_teate")
    dropped = offered_route(event, both, {"kokuho"}, open_)
    assert dropped.route == ("tennyu", "jido_teate")
    assert [(s.choice, s.number) for s in dropped.steps] == [("on", 1), ("dropped", None), ("on", 2)]
    closed = {**open_, "jido_teate": open_["jido_teate"].model_copy(update={"open_now": False})}
    assert offered_route(event, both, set(), closed).route == ("tennyu", "kokuho")
    assert offered_route(event, both, {"jido_teate"}, closed).steps[-1].choice == "closed"
    # 児童手当 closes in 40 minutes: a 20-minute wait and 転入届's and 国民健康保険's service times come first
    minutes = {"tennyu": 20.0, "kokuho": 10.0, "jido_teate": 12.0}
    first = open_["tennyu"].model_copy(update={"estimate": m.Estimate(low_min=10, mid_min=20, high_min=30)})
    soon = open_["jido_teate"].model_copy(update={"closes_in_min": 40.0})
    late = offered_route(event, both, set(), {**open_, "tennyu": first, "jido_teate": soon}, minutes)
    assert late.route == ("tennyu", "kokuho") and late.steps[-1].choice == "late"
    # without 国民健康保険 the resident reaches it at 40 minutes: still too late; at 51 it closes after
    assert offered_route(event, both, {"kokuho"}, {**open_, "tennyu": first, "jido_teate": soon}, minutes).route == (
        "tennyu",
    )
    later = soon.model_copy(update={"closes_in_min": 51.0})
    assert offered_route(event, both, set(), {**open_, "tennyu": first, "jido_teate": later}, minutes).route == (
        "tennyu",
        "kokuho",
        "jido_teate",
    )


def _tap(qtbot: Any, button: Any) -> None:
    assert button.isVisible() and button.isEnabled(), button.objectName()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def test_moving_family_takes_one_ticket_for_three_counters(
    qtbot: Any, make_kiosk: Any, open_hall: HallServerProcess, visit_shots: Path
) -> None:
    window = make_kiosk(server=open_hall, scanner=StubScanner(), state_poll_seconds=3600, screenshot_dir=visit_shots)
    flow, s, screens = window.flow, window.ctx.session, window.screens
    assert [e.id for e in window.ctx.life_events][:1] == ["moving_in"]
    flow.set_language("pt-BR")
    flow.begin()
    qtbot.waitUntil(lambda: bool(window.ctx.statuses))
    _tap(qtbot, screens.procedures.life_button)
    assert window.current_name() == "life_events"
    _tap(qtbot, screens.life_events.buttons["moving_in"])
    question = screens.life_question
    assert window.current_name() == "life_question"
    assert question.position.text() == translate("pt-BR", "kiosk.life.question_of", number=1, count=2)
    _tap(qtbot, question.yes)  # joining the national health insurance
    assert question.position.text() == translate("pt-BR", "kiosk.life.question_of", number=2, count=2)
    window.save_screenshot("question")
    _tap(qtbot, question.yes)  # children moving too
    route = screens.life_route
    qtbot.waitUntil(lambda: window.current_name() == "life_route")
    assert route.offered is not None and route.offered.route == ("tennyu", "kokuho", "jido_teate")
    bring = [label.text() for label in route.bring_labels]
    children = window.ctx.life_event("moving_in").questions[1]
    assert len(bring) == 5 and bring[-1].endswith(window.ctx.texts.pick(dict(children.bring[0])))  # the bank account
    # the resident takes 国民健康保険 off, then puts it back
    _tap(qtbot, route.rows["kokuho"][3])
    assert route.offered.route == ("tennyu", "jido_teate")
    assert route.rows["kokuho"][2].text() == translate("pt-BR", "kiosk.life.route.dropped")
    assert route.go.text().replace("\n", " ") == translate("pt-BR", "kiosk.life.route.go", count=2)
    _tap(qtbot, route.rows["kokuho"][3])
    assert route.offered.route == ("tennyu", "kokuho", "jido_teate")
    settle()
    window.save_screenshot("route")
    # back and forth keeps the answers up to the question left
    window.back_button.click()
    assert window.current_name() == "life_question" and s.answers == {"insurance": True}
    _tap(qtbot, question.yes)
    qtbot.waitUntil(lambda: window.current_name() == "life_route")
    _tap(qtbot, route.go)
    # no card reader here: the form step is the 転入届's (the route's form), by touch, then the ticket
    qtbot.waitUntil(lambda: window.current_name() in ("method", "extra", "ticket"), timeout=5000)
    assert s.form_service == "tennyu"
    if window.current_name() == "method":
        _tap(qtbot, screens.method.none)
    while window.current_name() == "extra":  # the questions of the route's form, if any
        _tap(qtbot, screens.extra.buttons[0])
    qtbot.waitUntil(lambda: window.current_name() == "ticket", timeout=10000)
    issued = s.issued
    assert issued is not None
    assert [step.service_id for step in issued.ticket.route] == ["tennyu", "kokuho", "jido_teate"]
    assert issued.ticket.service_id == "tennyu" and issued.route_estimate is not None
    ticket = screens.ticket
    assert ticket.service.text() == translate("pt-BR", "kiosk.route.heading", count=3)
    assert len(ticket.route_labels) == 6 and translate("pt-BR", "kiosk.route.now") in ticket.route_labels[0].text()
    settle()
    window.save_screenshot("ticket")
    assert [st.state for st in issued.ticket.route] == ["current", "pending", "pending"]
    # the paper: the number once, the three steps with where each is, the first marked, the whole visit's wait
    content = ticket_content(window.ctx, issued)
    assert [line.step.split()[0] for line in content.route] == ["1", "2", "3"] and content.route[0].now
    assert content.route_estimate and content.wait_area == ""
    printed = render_ticket(content, get_profile("TM-T20II")).image
    printed.save(visit_shots / "printed-ticket-pt-BR.png")
    assert printed.width == get_profile("TM-T20II").width_dots
    flow.go_welcome()
    assert s.route == [] and s.life_event is None and s.answers == {}


def test_closed_procedure_is_shown_and_left_off(qtbot: Any, make_kiosk: Any) -> None:
    """In the session's hall 児童手当 is closed all day: offered as not available, never on the route."""
    window = make_kiosk(scanner=StubScanner(), state_poll_seconds=3600)
    flow, screens = window.flow, window.screens
    flow.begin()
    qtbot.waitUntil(lambda: bool(window.ctx.statuses))
    flow.choose_life_events()
    flow.choose_life_event("moving_in")
    flow.answer_life_question(True)
    flow.answer_life_question(True)
    route = screens.life_route
    qtbot.waitUntil(lambda: window.current_name() == "life_route")
    assert route.offered is not None and route.offered.route == ("tennyu", "kokuho")
    _text, _place, state, button = route.rows["jido_teate"]
    assert state.text() == translate("ja", "kiosk.life.route.closed") and not button.isVisibleTo(route)
    flow.toggle_route_step("jido_teate")  # even asked to, the kiosk does not put it back on
    assert route.offered.route == ("tennyu", "kokuho")


def test_guide_reads_the_question_with_its_place(qtbot: Any, make_kiosk: Any) -> None:
    window = make_kiosk(scanner=StubScanner(), state_poll_seconds=3600)
    flow = window.flow
    flow.begin()
    qtbot.waitUntil(lambda: bool(window.ctx.statuses))
    window.guide.start("test")
    flow.choose_life_events()
    said = window.ctx.speaker.said[-1][1]
    assert translate("ja", "kiosk.life.choose").rstrip("？") in said
    flow.choose_life_event("death")
    said = window.ctx.speaker.said[-1][1]
    assert translate("ja", "kiosk.life.question_of", number=1, count=2) in said
    assert "国民健康保険" in said and "はい" in said  # the question, then its first choice


def _guidance_steps(window: Any) -> list[tuple[str, Callable[[], object]]]:
    """How to bring up each new screen, in the order a resident meets them."""
    flow, s, screens = window.flow, window.ctx.session, window.screens

    def route() -> None:
        flow.answer_life_question(True)
        flow.answer_life_question(True)
        flow.toggle_route_step("kokuho")  # one removed, 児童手当 closed in this hall: every kind of step

    def ticket() -> None:
        s.issued = issued_ticket(("tennyu", "kokuho", "jido_teate"))
        window.show_screen(screens.ticket, speak=False)

    return [
        ("procedures", lambda: window.show_screen(screens.procedures, speak=False)),
        ("events", flow.choose_life_events),
        ("question", lambda: flow.choose_life_event("moving_in")),
        ("route", route),
        ("ticket", ticket),
    ]


def test_guidance_screens_fit_every_size_in_large_text(qtbot: Any, make_kiosk: Any, visit_shots: Path) -> None:
    """The new screens at three sizes in large text (and landscape in normal text) in Japanese, easy Japanese
    and Portuguese: nothing cut or off the screen."""
    problems: dict[str, list[str]] = {}
    for size in SIZES:
        window = make_kiosk(scanner=StubScanner(), card=StubCard(), device="kiosk-3", state_poll_seconds=3600)
        window.resize(*size)
        flow, s = window.flow, window.ctx.session
        flow.begin()
        qtbot.waitUntil(lambda w=window: bool(w.ctx.statuses))
        window.ctx.status = READY
        for large in (True, False) if size == (1920, 1080) else (True,):
            for lang in ("ja", "ja-easy", "pt-BR"):
                s.prefs.language, s.prefs.large_text = lang, large
                window.apply_preferences()
                for label, show in _guidance_steps(window):
                    window.resize(*size)
                    show()
                    settle()
                    key = f"{size[0]}x{size[1]}-{'large' if large else 'normal'}-{lang}-{label}"
                    found = layout_problems(window, lang)
                    if window.size().toTuple() != size:
                        found.append(f"window grew to {window.size().toTuple()}")
                    if found:
                        problems[key] = found
                    window.grab().save(str(visit_shots / f"{key}.png"))
                s.issued = None
                flow.go_welcome()
                flow.begin()
        window.close()
    assert problems == {}, "\n".join(f"{k}: {v}" for k, v in problems.items())

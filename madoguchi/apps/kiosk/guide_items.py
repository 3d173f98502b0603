"""What the voice guide says on each screen and which choices it offers, read from the screens themselves.

A screen's words are its visible labels, in reading order (what a sighted resident reads), or its own
``speech_text`` where that says it better; its choices are its visible buttons, in order. Two screens are
composed here instead: the procedure list offers every procedure of the hall at once with its wait (the screen
shows them by pages), and the ticket says the number as a number, where to go, the people ahead and the wait.
The digits of a PIN pad are never a choice: the number keys type them (``audio_guide``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtWidgets import QAbstractButton, QLabel, QWidget

from madoguchi.apps.kiosk.context import KioskContext
from madoguchi.apps.kiosk.flow import KioskFlow
from madoguchi.apps.kiosk.screens.base import Screen
from madoguchi.apps.kiosk.screens.extra import ExtraQuestionScreen
from madoguchi.apps.kiosk.screens.pin_entry import PinEntryScreen
from madoguchi.apps.kiosk.screens.procedures import ProceduresScreen
from madoguchi.apps.kiosk.screens.ticket import TicketScreen
from madoguchi.apps.kiosk.widgets import NumberPad
from madoguchi.translations.ruby_markup import spoken_text
from madoguchi.translations.spoken import spoken_ticket_number

#: labels never read: the PIN's dots (how many digits are typed is said in words instead)
UNREAD_LABELS = frozenset({"pinDots"})


@dataclass(frozen=True)
class GuideItem:
    """One choice: what is said (in ``language`` when it is a language's own name), and what choosing it does."""

    label: str
    action: Callable[[], None]
    enabled: bool = True
    selected: bool = False
    language: str | None = None


def _inside(widget: QWidget, kind: type, root: QWidget) -> bool:
    parent = widget.parentWidget()
    while parent is not None and parent is not root:
        if isinstance(parent, kind):
            return True
        parent = parent.parentWidget()
    return False


def _said(text: str) -> str:
    return " ".join(spoken_text(text).split())


def visible_labels(root: QWidget) -> list[str]:
    """The texts a sighted resident reads on ``root``, in order (labels inside buttons belong to the button)."""
    texts = []
    for label in root.findChildren(QLabel):
        if label.objectName() in UNREAD_LABELS or not label.isVisibleTo(root) or _inside(label, QAbstractButton, root):
            continue
        if label.text().strip():
            texts.append(_said(label.text()))
    return texts


def button_items(root: QWidget) -> list[GuideItem]:
    """The visible buttons of ``root`` in order, as choices (a PIN or number pad's keys excepted)."""
    items = []
    for button in root.findChildren(QAbstractButton):
        if not button.isVisibleTo(root) or _inside(button, NumberPad, root):
            continue
        label = _said(button.accessibleName() or button.text())
        if not label:
            continue
        name = button.objectName()
        language = name.split("lang-", 1)[1] if "lang-" in name else None
        items.append(
            GuideItem(
                label,
                button.click,
                enabled=button.isEnabled(),
                selected=button.isCheckable() and button.isChecked(),
                language=language,
            )
        )
    return items


def procedure_items(ctx: KioskContext, flow: KioskFlow) -> list[GuideItem]:
    """Every procedure of the hall, with how many wait and for how long, or when it opens."""
    hall = ctx.hall
    if hall is None:
        return []
    t = ctx.texts
    items = []
    screen = flow.screens.procedures
    if screen.life_events_offered():  # the life events first, as on the screen
        life = screen.life_button
        items.append(GuideItem(_said(life.accessibleName()), flow.choose_life_events))
    for service in hall.services:
        status = ctx.statuses.get(service.id)
        parts = [t.pick(service.name)]
        open_now = status is None or status.open_now
        if status is not None and open_now:
            parts += [t("kiosk.waiting.count", count=status.waiting), t.wait_range(status.estimate, spoken=True)]
        elif status is not None:
            parts.append(t("kiosk.closed.opens_at", time=status.opens_at) if status.opens_at else "")
        label = ", ".join(_said(p) for p in parts if p)
        items.append(GuideItem(label, lambda s=service.id: flow.choose_service(s), enabled=open_now))  # type: ignore[misc]
    return items


def ticket_words(ctx: KioskContext, screen: TicketScreen) -> list[str]:
    """The ticket, said: the number as a number, the procedure, where to go, the people ahead, the wait, and
    whether it printed."""
    issued = ctx.session.issued
    if issued is None:
        return []
    t = ctx.texts
    ticket = issued.ticket
    if screen.route_labels:  # a visit: every step, in order, and the waits
        number = f"{t('kiosk.ticket.your_number')} {spoken_ticket_number(t.language, ticket.number)}"
        ahead = t("kiosk.ticket.people_ahead", count=issued.people_ahead)
        return [_said(w) for w in (number, *screen.route_words(), ahead, screen.printing.text()) if w]
    words = [
        f"{t('kiosk.ticket.your_number')} {spoken_ticket_number(t.language, ticket.number)}",
        t.pick(ctx.service(ticket.service_id).name),
        screen.where.text(),
        t("kiosk.ticket.people_ahead", count=issued.people_ahead),
        t("kiosk.estimate.line", range=t.wait_range(issued.estimate, spoken=True)),
        screen.printing.text(),
    ]
    return [_said(w) for w in words if w]


def screen_words(ctx: KioskContext, screen: Screen) -> list[str]:
    """What the guide says when ``screen`` comes up (before its first choice)."""
    if isinstance(screen, TicketScreen):
        return ticket_words(ctx, screen)
    if isinstance(screen, ProceduresScreen):
        notice = screen.notice.text() if screen.notice.isVisibleTo(screen) else ""
        return [_said(w) for w in (screen.speech_text(), notice) if w]
    if screen.name in ("welcome", "issuing"):
        return [_said(screen.speech_text())]
    words = visible_labels(screen)
    if isinstance(screen, PinEntryScreen) and screen.pad_box.isVisibleTo(screen):
        words.append(ctx.texts("kiosk.audio.pin_help"))
    elif isinstance(screen, ExtraQuestionScreen) and screen.pad.isVisibleTo(screen):
        words = [w for w in words if w != "–"] + [ctx.texts("kiosk.audio.number_help")]
    return [_said(w) for w in words]


def screen_items(ctx: KioskContext, flow: KioskFlow, screen: Screen) -> list[GuideItem]:
    if isinstance(screen, ProceduresScreen):
        return procedure_items(ctx, flow)
    return button_items(screen)

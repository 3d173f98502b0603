"""Every screen of the kiosk, by type: the flow says ``screens.pin_entry``, never a string looked up at run time.

Each field's name is its screen's ``name`` (the id in heartbeats, staff alerts and screenshots).
"""

from __future__ import annotations

from dataclasses import dataclass, fields

from madoguchi.apps.kiosk.actions import KioskActions
from madoguchi.apps.kiosk.context import KioskContext
from madoguchi.apps.kiosk.screens.base import Screen
from madoguchi.apps.kiosk.screens.card_confirm import CardConfirmScreen
from madoguchi.apps.kiosk.screens.card_place import CardPlaceScreen
from madoguchi.apps.kiosk.screens.card_steps import CardReadingScreen, CardTakeScreen
from madoguchi.apps.kiosk.screens.code_confirm import CodeConfirmScreen
from madoguchi.apps.kiosk.screens.code_scan import CodeScanScreen
from madoguchi.apps.kiosk.screens.extra import ExtraQuestionScreen
from madoguchi.apps.kiosk.screens.hall_state import ClosedScreen, OutOfServiceScreen
from madoguchi.apps.kiosk.screens.life_events import LifeEventsScreen
from madoguchi.apps.kiosk.screens.life_question import LifeQuestionScreen
from madoguchi.apps.kiosk.screens.life_route import LifeRouteScreen
from madoguchi.apps.kiosk.screens.method import MethodScreen
from madoguchi.apps.kiosk.screens.pin_entry import PinEntryScreen
from madoguchi.apps.kiosk.screens.procedures import ProceduresScreen
from madoguchi.apps.kiosk.screens.status import IssuingScreen, MessageScreen
from madoguchi.apps.kiosk.screens.ticket import TicketScreen
from madoguchi.apps.kiosk.screens.welcome import WelcomeScreen


@dataclass(frozen=True)
class Screens:
    welcome: WelcomeScreen
    procedures: ProceduresScreen
    life_events: LifeEventsScreen
    life_question: LifeQuestionScreen
    life_route: LifeRouteScreen
    method: MethodScreen
    card_place: CardPlaceScreen
    pin_entry: PinEntryScreen
    card_reading: CardReadingScreen
    card_confirm: CardConfirmScreen
    card_take: CardTakeScreen
    code_scan: CodeScanScreen
    code_confirm: CodeConfirmScreen
    extra: ExtraQuestionScreen
    issuing: IssuingScreen
    ticket: TicketScreen
    message: MessageScreen
    out_of_service: OutOfServiceScreen
    closed: ClosedScreen

    @classmethod
    def build(cls, ctx: KioskContext, flow: KioskActions) -> Screens:
        return cls(
            welcome=WelcomeScreen(ctx, flow),
            procedures=ProceduresScreen(ctx, flow),
            life_events=LifeEventsScreen(ctx, flow),
            life_question=LifeQuestionScreen(ctx, flow),
            life_route=LifeRouteScreen(ctx, flow),
            method=MethodScreen(ctx, flow),
            card_place=CardPlaceScreen(ctx, flow),
            pin_entry=PinEntryScreen(ctx, flow),
            card_reading=CardReadingScreen(ctx, flow),
            card_confirm=CardConfirmScreen(ctx, flow),
            card_take=CardTakeScreen(ctx, flow),
            code_scan=CodeScanScreen(ctx, flow),
            code_confirm=CodeConfirmScreen(ctx, flow),
            extra=ExtraQuestionScreen(ctx, flow),
            issuing=IssuingScreen(ctx, flow),
            ticket=TicketScreen(ctx, flow),
            message=MessageScreen(ctx, flow),
            out_of_service=OutOfServiceScreen(ctx, flow),
            closed=ClosedScreen(ctx, flow),
        )

    def all(self) -> tuple[Screen, ...]:
        return tuple(getattr(self, f.name) for f in fields(self))

    def by_name(self, name: str) -> Screen:
        """For tools that speak in screen ids (the demo's screenshots, a staff alert's screen)."""
        found: Screen = getattr(self, name)
        return found

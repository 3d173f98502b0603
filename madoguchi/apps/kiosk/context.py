"""What every screen and the flow share: the server client, the devices, the settings, the resident's session."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from madoguchi.apps.kiosk.kiosk_state import KioskStatus
from madoguchi.apps.kiosk.session import Session
from madoguchi.apps.kiosk.settings import KioskSettings
from madoguchi.apps.kiosk.texts import Texts
from madoguchi.client.hall_client import HallClient
from madoguchi.core import api_models as m
from madoguchi.core.config import Form, FormField, LifeEvent
from madoguchi.devices.card.interface import CardReader
from madoguchi.devices.printer.interface import TicketPrinter
from madoguchi.devices.scanner.interface import CodeScanner
from madoguchi.qt.read_aloud import ReadAloud


class HallForms:
    """The hall's services and forms as ``madoguchi.core.forms`` expects a configuration (``.service(id)``,
    ``.forms``)."""

    def __init__(self, hall: m.HallInfo) -> None:
        self.forms: dict[str, Form] = {k: Form.model_validate(v) for k, v in hall.forms.items()}
        self._services = {s.id: s for s in hall.services}

    def service(self, service_id: str) -> m.ServiceInfo:
        return self._services[service_id]


@dataclass
class KioskContext:
    client: HallClient
    card: CardReader
    scanner: CodeScanner
    printer: TicketPrinter
    settings: KioskSettings
    speaker: ReadAloud
    session: Session = field(default_factory=Session)
    texts: Texts = field(default_factory=Texts)
    hall: m.HallInfo | None = None
    hall_forms: HallForms | None = None
    statuses: dict[str, m.ServiceStatus] = field(default_factory=dict)
    #: what the kiosk can do now (``state_monitor.StateMonitor`` keeps it current)
    status: KioskStatus = field(default_factory=KioskStatus)
    #: the hall's life events (``HallInfo.life_events``), offered as one visit of several procedures
    life_events: tuple[LifeEvent, ...] = ()

    def set_hall(self, hall: m.HallInfo) -> None:
        self.hall = hall
        self.hall_forms = HallForms(hall)
        self.life_events = tuple(LifeEvent.model_validate(d) for d in hall.life_events)

    def life_event(self, event_id: str) -> LifeEvent:
        return next(e for e in self.life_events if e.id == event_id)

    def service(self, service_id: str) -> m.ServiceInfo:
        assert self.hall_forms is not None
        return self.hall_forms.service(service_id)

    def form_of(self, service_id: str | None) -> Form | None:
        if service_id is None or self.hall_forms is None:
            return None
        name = self.service(service_id).form
        return self.hall_forms.forms.get(name) if name else None

    def kiosk_questions(self, service_id: str | None) -> list[FormField]:
        form = self.form_of(service_id)
        if form is None:
            return []
        return [f for f in form.fields if f.ask_at_kiosk and f.group is None and f.kind in ("number", "choice")]

    def counters_for(self, service_id: str) -> list[m.CounterInfo]:
        if self.hall is None:
            return []
        return [c for c in self.hall.counters if service_id in c.services]

    def inactivity_seconds(self) -> int:
        if self.settings.inactivity_seconds is not None:
            return self.settings.inactivity_seconds
        return self.hall.inactivity_seconds if self.hall else 60

    def describe(self) -> dict[str, Any]:
        return {"kiosk": self.settings.kiosk_name, "service": self.session.service_id}

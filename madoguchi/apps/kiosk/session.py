"""One resident's flow state, in memory only: what they chose, what the card or code filled in, their ticket.

``clear()`` is called on every exit path (ticket taken, inactivity, "back to start", admin exit); back to the
welcome screen within a session keeps the display preferences (``clear(keep_preferences=True)``);
a test checks that no personal data is left in any widget afterwards. The PIN never lives here: the PIN pad
hands it straight to the card task and clears itself.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from madoguchi.client.hall_client import new_request_id
from madoguchi.core import api_models as m
from madoguchi.devices.card.interface import CardData


@dataclass
class Preferences:
    """Display choices of the resident at the kiosk now; reset for the next one."""

    language: str = "ja"
    large_text: bool = False
    high_contrast: bool = False
    read_aloud: bool = False
    #: the voice guide: every screen and choice said, the keypad moves and chooses (``audio_guide``)
    audio_guide: bool = False
    #: the resident chose the language (a pre-fill code's language is then no more than a hint)
    language_chosen: bool = False

    @property
    def easy_japanese(self) -> bool:
        return self.language == "ja-easy"

    @property
    def is_default(self) -> bool:
        return self == Preferences()


@dataclass(repr=False)
class Session:
    prefs: Preferences = field(default_factory=Preferences)
    service_id: str | None = None
    source: m.Source = "touch"
    #: form values (canonical strings) from the card, a pre-fill code and the kiosk questions
    form: dict[str, Any] = field(default_factory=dict)
    card: CardData | None = None
    card_tries: int | None = None
    reservation_code: str | None = None
    #: one idempotency key per "issue" action: retries and double taps reuse it
    request_id: str | None = None
    issued: m.IssuedTicket | None = None
    #: the form keys the card filled (dropped together on "something is wrong")
    _card_keys: set[str] = field(default_factory=set)
    #: life-event guidance: the event chosen, the yes/no answers so far (in the order asked), the procedures the
    #: resident took off its route, and the route confirmed for the ticket (``service_id`` is its first step)
    life_event: str | None = None
    answers: dict[str, bool] = field(default_factory=dict)
    dropped: set[str] = field(default_factory=set)
    route: list[str] = field(default_factory=list)
    #: the procedure whose form the kiosk fills: the route's ``visit_form_service``, else ``service_id``
    form_service_id: str | None = None

    def __repr__(self) -> str:
        return (
            f"Session(service={self.service_id!r}, route={self.route!r}, source={self.source!r}, "
            f"fields={len(self.form)})"
        )

    @property
    def form_service(self) -> str | None:
        return self.form_service_id if self.route else self.service_id

    def start_life_event(self, event_id: str | None) -> None:
        """A life event chosen (or left: None): its answers, drops and route start afresh."""
        self.life_event = event_id
        self.answers = {}
        self.dropped = set()
        self.route = []
        self.form_service_id = None

    def start_issue(self) -> str:
        if self.request_id is None:
            self.request_id = new_request_id()
        return self.request_id

    def drop_card_data(self) -> None:
        """ "Something is wrong" / PIN forgotten: forget everything the card gave, keep the procedure."""
        if self.card is not None:
            for key in list(self.form):
                if key in self._card_keys:
                    del self.form[key]
        self.card = None
        self._card_keys = set()
        if self.source == "card":
            self.source = "touch"

    def fill_from_card(self, card: CardData, values: dict[str, str]) -> None:
        self.card = card
        self._card_keys = set(values)
        self.form.update(values)
        self.source = "card"

    def clear(self, keep_preferences: bool = False) -> None:
        """Forget the resident; ``keep_preferences``: they are still here (back to the welcome screen)."""
        if not keep_preferences:
            self.prefs = Preferences()
        self.service_id = None
        self.source = "touch"
        self.form = {}
        self.card = None
        self._card_keys = set()
        self.card_tries = None
        self.reservation_code = None
        self.request_id = None
        self.issued = None
        self.start_life_event(None)

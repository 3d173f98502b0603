"""Settings of one kiosk process, declared once with types and defaults (the CLI fills them)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class KioskSettings:
    #: this kiosk's device name (shown to staff in "call staff" alerts and health)
    kiosk_name: str = "kiosk"
    #: seconds without a touch before "continue?"; None: the hall's ``inactivity_seconds``
    inactivity_seconds: int | None = None
    #: seconds the "continue?" countdown runs before everything is cleared (WCAG 2.2.1: at least 20 to extend)
    countdown_seconds: int = 30
    #: seconds the ticket stays on screen after printing, and when printing failed (photograph the QR)
    ticket_seconds: int = 20
    ticket_seconds_print_failed: int = 90
    #: full screen, no decorations, hidden cursor, admin exit only by long-press + PIN
    kiosk_mode: bool = False
    admin_pin: str = ""
    #: long-press on the hall name this long opens the admin exit
    admin_long_press_ms: int = 3000
    #: a press held this long anywhere else starts the voice guide (``audio_guide``)
    audio_long_press_ms: int = 3000
    heartbeat_seconds: float = 5.0
    #: how often the kiosk checks the server and the printer (its state changes within about two periods)
    state_poll_seconds: float = 1.0
    #: a probe unanswered this long counts as failed (a silent network, not only a refused connection)
    state_probe_timeout_seconds: float = 1.5
    #: how often the open hours and waiting counts are loaded while nobody uses the kiosk
    services_refresh_seconds: float = 2.0
    #: an issue cut off by the network is retried (same request id) this long before the resident is told
    issue_retry_seconds: float = 3.0
    #: a request the resident was told had failed is withdrawn on the server for this long (a late arrival too)
    withdraw_for_seconds: float = 120.0
    #: a call for help nobody answered this long: the kiosk says where to go instead
    staff_answer_seconds: int = 45
    #: save a PNG of every screen shown (documentation, tests)
    screenshot_dir: Path | None = None
    #: False: only explicit ``save_screenshot`` calls write (tests name their shots)
    auto_screenshots: bool = True
    #: read 2D codes already on the welcome screen (off for the demo, whose looping video would issue forever)
    codes_on_welcome: bool = True
    #: read-aloud through espeak-ng / pyopenjtalk when the resident turns it on
    speech: bool = True

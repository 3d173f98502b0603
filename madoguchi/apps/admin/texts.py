"""Fixed texts of the admin console: the ``admin.*`` messages of the catalogs, in the console's one language.

The console shows one language, chosen at start (``admin-console --language``, default Japanese), like the staff
console shows Japanese: a manager reads one label, not "日本語 / English" glued together. Codes that come from
the server (tile states, device roles, health problem codes of ``madoguchi.server.device_health``) map to
message ids here.
"""

from __future__ import annotations

from madoguchi.translations.catalog import Catalogs, default_catalogs
from madoguchi.translations.languages import SOURCE_LANGUAGE

DEFAULT_LANGUAGE = SOURCE_LANGUAGE

TILE_STATES = ("green", "amber", "red", "grey")
#: a kiosk's own state (``madoguchi.core.api_models.KioskState``) and why; each has ``admin.kiosk_state.<x>`` /
#: ``admin.kiosk_reason.<x>``
KIOSK_STATES = ("ready", "degraded", "out_of_service", "closed")
KIOSK_REASONS = ("server", "printer", "card_reader", "camera", "hours")
ROLES = ("kiosk", "staff", "display", "admin")
#: CSV export kinds of the server (``AdminClient.export_csv``), in button order
EXPORT_KINDS = ("tickets", "summary", "open-data", "estimates")
#: SQLite exports (``AdminClient.export_database``)
DATABASE_EXPORT_KINDS = ("statistics", "open-data")
#: health problem / alert codes of ``madoguchi.server.device_health``; each has ``admin.problem.<code>``
PROBLEM_CODES = (
    "device.offline",
    "device.slow",
    "printer.paper_low",
    "printer.paper_out",
    "printer.cover_open",
    "printer.cutter_error",
    "printer.offline",
    "printer.unknown",
    "card_reader.missing",
    "card_reader.error",
    "camera.lost",
    "disk.low",
    "disk.full",
    "staff.locked",
)


class AdminTexts:
    """``t = AdminTexts("en"); t("admin.tab.devices")``, plus the code → text mappings of the views."""

    def __init__(self, lang: str = DEFAULT_LANGUAGE, catalogs: Catalogs | None = None) -> None:
        self.lang = lang
        self.catalogs = catalogs or default_catalogs()

    def __call__(self, msgid: str, /, **params: object) -> str:
        return self.catalogs.translate(self.lang, msgid, **params)

    def _known(self, msgid: str, fallback: str) -> str:
        # a code the server added after this console was built: show the server's words rather than nothing
        if self.catalogs.has(SOURCE_LANGUAGE, msgid):
            return self(msgid)
        return fallback

    def cannot_load(self, exc: BaseException) -> tuple[str, str]:
        """A failed load: its message id (or the error's type) and the words for it (server.error.* ids are
        catalogued)."""
        code = str(getattr(exc, "message_id", type(exc).__name__))
        reason = self(code) if self.catalogs.has(self.lang, code) else code
        return code, self("admin.stats.cannot_load", reason=reason)

    def state(self, state: str) -> str:
        return self._known(f"admin.state.{state}", state)

    def role(self, role: str) -> str:
        return self._known(f"admin.role.{role}", role)

    def problem(self, code: str, fallback: str = "") -> str:
        return self._known(f"admin.problem.{code}", fallback or code)

    def kiosk_state(self, state: str) -> str:
        return self._known(f"admin.kiosk_state.{state}", state)

    def kiosk_reason(self, reason: str) -> str:
        return self._known(f"admin.kiosk_reason.{reason}", reason)

    def export(self, kind: str) -> str:
        return self._known(f"admin.export.{kind.replace('-', '_')}", kind)

    def database_export(self, kind: str) -> str:
        return self._known(f"admin.export_db.{kind.replace('-', '_')}", kind)

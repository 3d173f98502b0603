"""The admin console's client: ``HallClient`` plus the facility manager's routes (``/api/v1/admin/...``).

Responses stay plain dicts (the shapes are documented in ``madoguchi.server.device_health`` and
``madoguchi.server.statistics``); CSV exports come back as bytes, exactly as the server wrote them (UTF-8 with BOM).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import httpx

from madoguchi.client.hall_client import _BY_STATUS, ClientError, HallClient, ServerUnreachable
from madoguchi.core import api_models as m


class AdminClient(HallClient):
    def tiles(self) -> list[dict[str, Any]]:
        return list(self._request("GET", "/api/v1/admin/tiles"))

    def alerts(self) -> list[dict[str, Any]]:
        return list(self._request("GET", "/api/v1/admin/alerts"))

    def acknowledge_alert(self, alert_id: str) -> dict[str, Any]:
        return dict(self._request("POST", f"/api/v1/admin/alerts/{quote(alert_id, safe='')}/ack"))

    def mute_device(self, device: str, minutes: int) -> dict[str, Any]:
        """Mute a device's alerts for ``minutes`` (0: unmute)."""
        return dict(
            self._request("POST", "/api/v1/admin/alerts/mute", json_body={"device": device, "minutes": minutes})
        )

    def live(self) -> m.HallNow:
        return self._get("/api/v1/admin/live", m.HallNow)

    def export_database(self, kind: str, day_from: str | None = None, day_to: str | None = None) -> bytes:
        """``kind``: statistics or open-data, as a SQLite file."""
        return self._download(f"/api/v1/admin/export/{kind}.sqlite", _days(day_from, day_to))

    def devices(self) -> list[dict[str, Any]]:
        return list(self._request("GET", "/api/v1/admin/devices"))

    def statistics(
        self, day_from: str | None = None, day_to: str | None = None, by: str = "day,service"
    ) -> dict[str, Any]:
        params = _days(day_from, day_to)
        params["by"] = by
        return dict(self._request("GET", f"/api/v1/admin/statistics?{httpx.QueryParams(params)}"))

    def visit_statistics(self, day: str | None = None) -> m.VisitStats:
        """A day's visits of several procedures (today without ``day``)."""
        query = f"?{httpx.QueryParams({'day': day})}" if day else ""
        return m.VisitStats.model_validate(self._request("GET", f"/api/v1/admin/statistics/visits{query}"))

    def export_csv(
        self, kind: str, day_from: str | None = None, day_to: str | None = None, by: str | None = None
    ) -> bytes:
        """``kind``: tickets, summary, open-data or estimates."""
        params = _days(day_from, day_to)
        if by:
            params["by"] = by
        return self._download(f"/api/v1/admin/export/{kind}.csv", params)

    def _download(self, path: str, params: dict[str, str]) -> bytes:
        try:
            r = self._http.get(path, params=params)
        except httpx.TransportError as exc:
            raise ServerUnreachable(type(exc).__name__) from None
        if r.status_code >= 500:
            raise ServerUnreachable(f"server error {r.status_code}", r.status_code)
        if r.status_code >= 400:
            raise _BY_STATUS.get(r.status_code, ClientError)(r.text[:200], r.status_code)
        return r.content

    def operations(self) -> dict[str, Any]:
        return dict(self._request("GET", "/api/v1/admin/operations"))

    def backup_now(self) -> bool:
        return bool(self._request("POST", "/api/v1/admin/backup")["started"])

    def reload_config(self) -> dict[str, Any]:
        return dict(self._request("POST", "/api/v1/admin/reload-config"))

    def staff(self) -> list[dict[str, Any]]:
        return list(self._request("GET", "/api/v1/admin/staff"))

    def change_staff(self, staff_id: str, action: str) -> None:
        """``action``: disable, enable, unlock or remove."""
        self._request("POST", f"/api/v1/admin/staff/{quote(staff_id, safe='')}/{action}")

    def change_device(self, name: str, action: str) -> None:
        """``action``: disable, enable or remove."""
        self._request("POST", f"/api/v1/admin/devices/{quote(name, safe='')}/{action}")

    def purge_forms(self) -> int:
        return int(self._request("POST", "/api/v1/admin/purge-forms")["purged"])


def _days(day_from: str | None, day_to: str | None) -> dict[str, str]:
    out = {}
    if day_from:
        out["day_from"] = day_from
    if day_to:
        out["day_to"] = day_to
    return out

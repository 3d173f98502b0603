"""Facility manager's routes: device tiles, alerts, statistics, CSV exports, backups, configuration reload.

``register_admin_routes`` is called by ``create_app``; the health monitor, the backups and the configuration
watcher belong to the running server (``hall_server.HallServer``). Every JSON route needs an admin device token;
``/admin/health`` is a small HTML page whose script reads the token from the URL fragment (``/admin/health#token=…``,
never sent to the server in a URL) and keeps it for the tab (sessionStorage), not in a cookie.
"""

from __future__ import annotations

import asyncio
import html
import logging
from typing import Annotated, Any, Literal

from fastapi import Depends, FastAPI, HTTPException, Path, Query, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import BaseModel, ConfigDict, Field

from madoguchi.core import api_models as m
from madoguchi.core.config import HallConfig
from madoguchi.core.hall_time import iso
from madoguchi.server.backup import list_backups
from madoguchi.server.device_health import HealthMonitor
from madoguchi.server.hall_server import HallServer
from madoguchi.server.statistics import (
    EXPORTS,
    estimate_quality,
    export_csv,
    load_tickets,
    parse_dimensions,
    read_connection,
    summarise,
)
from madoguchi.server.statistics_db import KINDS as DATABASE_EXPORTS
from madoguchi.server.statistics_db import HallNames, statistics_database_bytes
from madoguchi.server.web.auth import Principal, require_role

log = logging.getLogger(__name__)

DayParam = Annotated[str | None, Query(pattern=r"^\d{4}-\d{2}-\d{2}$")]
StaffId = Annotated[str, Path(min_length=1, max_length=40)]
DeviceName = Annotated[str, Path(min_length=1, max_length=80)]
StaffAction = Literal["disable", "enable", "unlock", "remove"]
DeviceAction = Literal["disable", "enable", "remove"]


async def _admin(request: Request) -> Principal:
    who: Principal = request.app.state.server.auth.request(request)
    require_role(who, "admin")
    return who


Admin = Annotated[Principal, Depends(_admin)]
AlertId = Annotated[str, Path(min_length=1, max_length=40, pattern=r"^[0-9a-f]+$")]


class MuteRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    device: str = Field(min_length=1, max_length=80)
    #: 0 unmutes
    minutes: int = Field(ge=0, le=7 * 24 * 60)


def register_admin_routes(app: FastAPI, server: HallServer) -> None:
    backups, watcher = server.backups, server.watcher
    ops = lambda: server.config.operations  # noqa: E731 - always the current (reloadable) configuration

    def monitor() -> HealthMonitor:
        assert server.monitor is not None, "the database is open before the first request"
        return server.monitor

    async def day_range(day_from: str | None, day_to: str | None) -> tuple[str, str]:
        today = await server.do(lambda h: h.engine.today())
        return day_from or day_to or today, day_to or day_from or today

    # ------------------------------------------------------------------ health
    @app.get("/api/v1/admin/tiles", tags=["admin"])
    async def admin_tiles(who: Admin) -> list[dict[str, Any]]:
        return await server.do(lambda _h: [t.to_json() for t in monitor().tiles()])

    @app.get("/api/v1/admin/alerts", tags=["admin"])
    async def admin_alerts(who: Admin) -> list[dict[str, Any]]:
        alerts = await server.do(lambda _h: monitor().alerts())
        return [{**a.to_json(), "at": iso(a.raised_at, server.tz)} for a in alerts]

    @app.post("/api/v1/admin/alerts/{alert_id}/ack", tags=["admin"])
    async def admin_acknowledge(alert_id: AlertId, who: Admin) -> dict[str, Any]:
        """Someone is on it: the alert stays listed, marked with who acknowledged it."""
        alert = await server.do(lambda _h: monitor().acknowledge(alert_id, who.device))
        if alert is None:
            raise HTTPException(404, "no such active alert")
        return {**alert.to_json(), "at": iso(alert.raised_at, server.tz)}

    @app.post("/api/v1/admin/alerts/mute", tags=["admin"])
    async def admin_mute(body: MuteRequest, who: Admin) -> dict[str, Any]:
        """Mute a device's alerts for a while (no mail hook; listed as muted); 0 minutes unmutes."""
        until = await server.do(lambda _h: monitor().mute(body.device, body.minutes, who.device))
        return {"device": body.device, "until": iso(until, server.tz) if until else None}

    @app.get("/api/v1/admin/live", response_model=m.HallNow, tags=["admin"])
    async def admin_live(who: Admin) -> m.HallNow:
        """The hall now: every service's queue and estimate, every counter's state, staff and ticket."""
        return await server.do(lambda h: h.hall_now())

    # ------------------------------------------------------------------ statistics
    async def ticket_facts(day_from: str | None, day_to: str | None, by: str) -> tuple[Any, str, str, list[Any]]:
        """The grouping asked for and the tickets of the days asked for (read on their own connection, off the
        event loop)."""
        try:
            dims = parse_dimensions(by)
        except ValueError as exc:
            raise HTTPException(422, str(exc)) from None
        first, last = await day_range(day_from, day_to)

        def load() -> list[Any]:
            conn = read_connection(server.db_path)
            try:
                return load_tickets(conn, first, last, server.tz)
            finally:
                conn.close()

        return dims, first, last, await asyncio.to_thread(load)

    async def hall_names() -> HallNames:
        config = server.config
        staff = await server.do(lambda h: h.staff_names())
        return HallNames(
            hall=config.hall.name.get("ja", ""),
            services={
                s.id: (s.name["ja"], s.name.get("en", s.name["ja"]), config.target_wait_min(s.id))
                for s in config.services
            },
            counters={c.number: (c.name or {}).get("ja", f"{c.number}") for c in config.counters},
            staff=staff,
        )

    def csv_names(names: HallNames) -> dict[str, dict[Any, str]]:
        return {
            "service": {sid: ja for sid, (ja, _en, _t) in names.services.items()},
            "staff": dict(names.staff),
            "counter": dict(names.counters),
        }

    @app.get("/api/v1/admin/statistics", tags=["admin"])
    async def admin_statistics(
        who: Admin, day_from: DayParam = None, day_to: DayParam = None, by: str = "day,service"
    ) -> dict[str, Any]:
        """Groups with their figures; ``names`` gives the words for the ids (services per language, clerks)."""
        dims, first, last, facts = await ticket_facts(day_from, day_to, by)
        config = server.config
        names = await hall_names()
        return {
            "day_from": first,
            "day_to": last,
            "by": list(dims),
            "groups": [g.to_json() for g in summarise(facts, dims, config.target_wait_min)],
            "estimate_quality": estimate_quality(facts).to_json(),
            "target_share": config.statistics.target_share,
            "targets": {s.id: config.target_wait_min(s.id) for s in config.services},
            "names": {
                "service": {s.id: s.name for s in config.services},
                "staff": names.staff,
                "counter": {c.number: c.name for c in config.counters if c.name},
            },
        }

    @app.get("/api/v1/admin/statistics/visits", response_model=m.VisitStats, tags=["admin"])
    async def admin_visit_statistics(who: Admin, day: DayParam = None) -> m.VisitStats:
        """A day's visits of several procedures (today by default): time in the hall, waits per step."""
        return await server.do(lambda h: h.visit_statistics(day))

    @app.get("/api/v1/admin/export/{kind}.sqlite", tags=["admin"])
    async def admin_export_database(
        kind: str, who: Admin, day_from: DayParam = None, day_to: DayParam = None
    ) -> Response:
        """The statistics as a SQLite file (sqlite-utils): ``statistics`` (tickets, names, summaries, a
        service-level view) or ``open-data`` (aggregates only)."""
        if kind not in DATABASE_EXPORTS:
            raise HTTPException(404, f"unknown export; expected one of {', '.join(DATABASE_EXPORTS)}")
        _dims, first, last, facts = await ticket_facts(day_from, day_to, "day")
        names = await hall_names()
        targets = server.config.target_wait_min
        body = await asyncio.to_thread(statistics_database_bytes, kind, facts, server.tz, names, targets, (first, last))
        log.info("%s exported the %s database for %s..%s", who.device, kind, first, last)
        return Response(
            body,
            media_type="application/vnd.sqlite3",
            headers={"Content-Disposition": f'attachment; filename="madoguchi-{kind}-{first}_{last}.sqlite3"'},
        )

    @app.get("/api/v1/admin/export/{kind}.csv", tags=["admin"])
    async def admin_export(
        kind: str, who: Admin, day_from: DayParam = None, day_to: DayParam = None, by: str = "day,hour,service,counter"
    ) -> Response:
        if kind not in EXPORTS:
            raise HTTPException(404, f"unknown export; expected one of {', '.join(EXPORTS)}")
        dims, first, last, facts = await ticket_facts(day_from, day_to, by)
        names = csv_names(await hall_names())
        body = export_csv(kind, facts, server.tz, dims, targets=server.config.target_wait_min, names=names)
        name = f"madoguchi-{kind}-{first}_{last}.csv"
        log.info("%s exported %s CSV for %s..%s", who.device, kind, first, last)
        return Response(
            body,
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="{name}"'},
        )

    # ------------------------------------------------------------------ operations
    @app.get("/api/v1/admin/operations", tags=["admin"])
    async def admin_operations(who: Admin) -> dict[str, Any]:
        o = ops()
        return {
            "backup_dir": o.backup_dir,
            "backup_running": backups.running,
            "last_backup": str(backups.last_path) if backups.last_path else None,
            "last_backup_error": backups.last_error,
            "backups": [{"name": b.path.name, "size": b.size, "mtime": b.mtime} for b in list_backups(o.backup_dir)]
            if o.backup_dir
            else [],
            "config_path": watcher.status.path,
            "config_loaded_at": watcher.status.loaded_at,
            "config_errors": watcher.status.last_errors,
            "heartbeat_timeout_s": o.heartbeat_timeout_s,
        }

    @app.post("/api/v1/admin/backup", status_code=202, tags=["admin"])
    async def admin_backup(who: Admin) -> dict[str, Any]:
        if not ops().backup_dir:
            raise HTTPException(409, "no backup_dir in [operations]")
        return {"started": backups.start()}

    @app.post("/api/v1/admin/reload-config", tags=["admin"])
    async def admin_reload_config(who: Admin) -> dict[str, Any]:
        ok = await server.do(lambda _h: watcher.reload())  # applied between jobs, on the writer thread
        return {"applied": ok, "errors": watcher.status.last_errors}

    # ------------------------------------------------------------------ accounts
    @app.get("/api/v1/admin/staff", tags=["admin"])
    async def admin_staff(who: Admin) -> list[dict[str, Any]]:
        return await server.do(lambda h: h.staff_members())

    @app.post("/api/v1/admin/staff/{staff_id}/{action}", tags=["admin"])
    async def admin_staff_action(staff_id: StaffId, action: StaffAction, who: Admin) -> dict[str, str]:
        if not await server.do(lambda h: h.change_staff(staff_id, action, by=who.device)):
            raise HTTPException(404, "no such staff member")
        if action in ("unlock", "enable"):
            server.login_throttle.forgive(staff_id)
        log.info("%s: staff %s %s", who.device, staff_id, action)
        return {"staff_id": staff_id, "done": action}

    @app.post("/api/v1/admin/devices/{name}/{action}", tags=["admin"])
    async def admin_device_action(name: DeviceName, action: DeviceAction, who: Admin) -> dict[str, str]:
        if name == who.device and action in ("disable", "remove"):
            raise HTTPException(409, "an admin device cannot shut itself out")
        if not await server.do(lambda h: h.change_device(name, action, by=who.device)):
            raise HTTPException(404, "no such device")
        server.auth.forget_devices()  # refused from the next request on, not after the look-up cache's seconds
        log.info("%s: device %s %s", who.device, name, action)
        return {"name": name, "done": action}

    # ------------------------------------------------------------------ HTML
    @app.get("/admin/health", response_class=HTMLResponse, include_in_schema=False)
    async def admin_health_page() -> HTMLResponse:
        return HTMLResponse(health_page(server.config))


_PAGE_JS = """
<script>
// The admin token comes once in the address's fragment (never sent to the server); kept for this tab only
// (sessionStorage: never sent by the browser on its own), and cleared from the address bar and history.
const fromFragment = new URLSearchParams(location.hash.slice(1)).get('token');
if (fromFragment) {
  sessionStorage.setItem('madoguchi_admin_token', fromFragment);
  history.replaceState(null, '', location.pathname);
}
const token = fromFragment || sessionStorage.getItem('madoguchi_admin_token') || '';
const H = {headers: {Authorization: 'Bearer ' + token}};
function el(tag, cls, text){ const e = document.createElement(tag); if (cls) e.className = cls;
  if (text !== undefined) e.textContent = text; return e; }
async function refresh(){
  try {
    const [tr, ar] = await Promise.all([fetch('/api/v1/admin/tiles', H), fetch('/api/v1/admin/alerts', H)]);
    if (!tr.ok) { document.getElementById('status').textContent = 'HTTP ' + tr.status; return; }
    const tiles = await tr.json(), alerts = ar.ok ? await ar.json() : [];
    const grid = document.getElementById('tiles'); grid.innerHTML = '';
    tiles.forEach(t => {
      const d = el('div', 'tile ' + t.state); d.dataset.state = t.state; d.dataset.name = t.name;
      d.appendChild(el('b', '', t.name)); d.appendChild(el('div', 'role', t.role));
      d.appendChild(el('div', 'age', t.age_s === null ? 'never seen' : Math.round(t.age_s) + ' s ago'));
      t.problems.forEach(p => d.appendChild(el('div', 'problem', p.message)));
      grid.appendChild(d);
    });
    const list = document.getElementById('alerts'); list.innerHTML = '';
    alerts.forEach(a => list.appendChild(el('li', a.severity, a.device + ': ' + a.message)));
    document.getElementById('status').textContent = new Date().toLocaleTimeString();
  } catch (e) { document.getElementById('status').textContent = 'server unreachable'; }
}
refresh(); setInterval(refresh, 2000);
</script>"""


def health_page(config: HallConfig) -> str:
    name = html.escape(config.hall.name.get("ja", ""))
    return f"""<!doctype html>
<html lang="ja"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>機器の状態 / Device health</title>
<style>
body{{font-family:"Noto Sans CJK JP","Noto Sans",sans-serif;margin:1em;background:#fafafa;color:#111}}
#tiles{{display:grid;grid-template-columns:repeat(auto-fill,minmax(12em,1fr));gap:.6em}}
.tile{{padding:.6em;border-radius:.4em;border:1px solid #888;overflow-wrap:anywhere}}
.role,.age{{color:#333;font-size:.85em}}
.tile.green{{background:#c8f0c8}} .tile.amber{{background:#ffe08a}} .tile.red{{background:#ff9c9c}}
.tile.grey{{background:#ddd}}
.problem{{font-weight:600}} li.red{{color:#a00}} li.amber{{color:#850}}
</style></head><body>
<h1>{name} — 機器の状態 / Device health</h1>
<div id="tiles"></div><h2>警報 / Alerts</h2><ul id="alerts"></ul>
<p id="status"></p>{_PAGE_JS}</body></html>"""

"""Facility manager's routes: device tiles, alerts, statistics, CSV exports, backups, configuration reload.

``register_admin_routes`` is called by ``create_app``; it also adds the periodic jobs to the server's ticker:
health evaluation with its alerts, backups and systemd pings in the leading worker only (``leadership.py``),
configuration reload in every worker. Every JSON route needs an admin
device token; ``/admin/health`` is a small HTML page whose script reads the token from the URL fragment
(``/admin/health#token=…``, never sent to the server in a URL) or the ``madoguchi_token`` cookie.
"""

from __future__ import annotations

import html
import logging
import time
from typing import Annotated, Any

from fastapi import Depends, FastAPI, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, Response

from madoguchi.core.config import HallConfig
from madoguchi.core.hall_time import iso
from madoguchi.server.backup import BackupScheduler, list_backups
from madoguchi.server.config_reload import CONFIG_GENERATION, ConfigFollower, ConfigWatcher
from madoguchi.server.device_health import HealthMonitor
from madoguchi.server.hall_service import HallService
from madoguchi.server.leadership import PeriodicJobs
from madoguchi.server.statistics import (
    EXPORTS,
    estimate_quality,
    export_csv,
    load_tickets,
    parse_dimensions,
    read_connection,
    summarise,
)
from madoguchi.server.systemd_notify import SystemdWatchdog
from madoguchi.server.web.auth import Principal, principal_from_request, require_role
from madoguchi.server.web.events import EventHub

log = logging.getLogger(__name__)

DayParam = Annotated[str | None, Query(pattern=r"^\d{4}-\d{2}-\d{2}$")]


async def _admin(request: Request) -> Principal:
    who = principal_from_request(request, request.app.state.store)
    require_role(who, "admin")
    return who


Admin = Annotated[Principal, Depends(_admin)]


def kiosk_peripherals(config: HallConfig, device: str) -> frozenset[str]:
    """What hall.toml's [[kiosks]] entry of this device name says it has (a card reader, a camera)."""
    for k in config.kiosks:
        if k.name == device:
            return frozenset(p for p, v in (("card_reader", k.card_reader), ("camera", k.camera)) if v)
    return frozenset()


def register_admin_routes(
    app: FastAPI,
    hall: HallService,
    hub: EventHub,
    settings: Any,
    jobs: PeriodicJobs,
) -> None:
    store = hall.store
    reader = app.state.reader  # the event loop's own connection: the ticker never waits on a group commit
    ops = lambda: hall.config.operations  # noqa: E731 - always the current (reloadable) configuration

    monitor = HealthMonitor(
        store,
        now=hall.engine.now,
        timeout_s=lambda: ops().heartbeat_timeout_s,
        alert_command=lambda: ops().alert_command,
        expects=lambda name: kiosk_peripherals(hall.config, name),
        on_change=hub.notify,
        monotonic=time.monotonic,
    )
    backups = BackupScheduler(store.path, lambda: (ops().backup_dir, ops().backup_every_min, ops().backup_keep))
    watcher = ConfigWatcher(settings.config_path, hall.reload_config, enabled=lambda: ops().watch_config)

    def check_health() -> None:
        monitor.tick()

    follower = ConfigFollower(watcher, lambda: reader.get_meta(CONFIG_GENERATION))
    jobs.every_worker.append(follower.tick)
    jobs.leader_only.extend([check_health, backups.tick, SystemdWatchdog().tick])
    app.state.health_monitor = monitor
    app.state.backups = backups
    app.state.config_watcher = watcher

    def day_range(day_from: str | None, day_to: str | None) -> tuple[str, str]:
        today = hall.engine.today()
        return day_from or day_to or today, day_to or day_from or today

    # ------------------------------------------------------------------ health
    @app.get("/api/v1/admin/tiles", tags=["admin"])
    async def admin_tiles(who: Admin) -> list[dict[str, Any]]:
        return [t.to_json() for t in monitor.tiles()]

    @app.get("/api/v1/admin/alerts", tags=["admin"])
    async def admin_alerts(who: Admin) -> list[dict[str, Any]]:
        return [{**a.to_json(), "at": iso(a.raised_at, hall.tz)} for a in monitor.alerts()]

    # ------------------------------------------------------------------ statistics
    def ticket_facts(day_from: str | None, day_to: str | None, by: str) -> tuple[Any, str, str, list[Any]]:
        """The grouping asked for and the tickets of the days asked for (read on their own connection)."""
        try:
            dims = parse_dimensions(by)
        except ValueError as exc:
            raise HTTPException(422, str(exc)) from None
        first, last = day_range(day_from, day_to)
        conn = read_connection(store.path)
        try:
            return dims, first, last, load_tickets(conn, first, last, hall.tz)
        finally:
            conn.close()

    @app.get("/api/v1/admin/statistics", tags=["admin"])
    def admin_statistics(
        who: Admin, day_from: DayParam = None, day_to: DayParam = None, by: str = "day,service"
    ) -> dict[str, Any]:
        dims, first, last, facts = ticket_facts(day_from, day_to, by)
        return {
            "day_from": first,
            "day_to": last,
            "by": list(dims),
            "groups": [g.to_json() for g in summarise(facts, dims)],
            "estimate_quality": estimate_quality(facts).to_json(),
        }

    @app.get("/api/v1/admin/export/{kind}.csv", tags=["admin"])
    def admin_export(
        kind: str, who: Admin, day_from: DayParam = None, day_to: DayParam = None, by: str = "day,hour,service,counter"
    ) -> Response:
        if kind not in EXPORTS:
            raise HTTPException(404, f"unknown export; expected one of {', '.join(EXPORTS)}")
        dims, first, last, facts = ticket_facts(day_from, day_to, by)
        body = export_csv(kind, facts, hall.tz, dims)
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
    def admin_reload_config(who: Admin) -> dict[str, Any]:
        ok = watcher.reload()
        if ok:
            follower.reloaded_here(lambda value: store.set_meta(CONFIG_GENERATION, value))
        return {"applied": ok, "errors": watcher.status.last_errors}

    # ------------------------------------------------------------------ HTML
    @app.get("/admin/health", response_class=HTMLResponse, include_in_schema=False)
    async def admin_health_page() -> HTMLResponse:
        return HTMLResponse(health_page(hall))


_PAGE_JS = """
<script>
const token = new URLSearchParams(location.hash.slice(1)).get('token') ||
  (document.cookie.match(/madoguchi_token=([^;]+)/)||[])[1] || '';
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


def health_page(hall: HallService) -> str:
    name = html.escape(hall.config.hall.name.get("ja", ""))
    return f"""<!doctype html>
<html lang="ja"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>機器の状態 / Device health</title>
<style>
body{{font-family:"Noto Sans CJK JP","Noto Sans",sans-serif;margin:1em;background:#fafafa;color:#111}}
#tiles{{display:grid;grid-template-columns:repeat(auto-fill,minmax(12em,1fr));gap:.6em}}
.tile{{padding:.6em;border-radius:.4em;border:1px solid #888}} .role,.age{{color:#333;font-size:.85em}}
.tile.green{{background:#c8f0c8}} .tile.amber{{background:#ffe08a}} .tile.red{{background:#ff9c9c}}
.tile.grey{{background:#ddd}}
.problem{{font-weight:600}} li.red{{color:#a00}} li.amber{{color:#850}}
</style></head><body>
<h1>{name} — 機器の状態 / Device health</h1>
<div id="tiles"></div><h2>警報 / Alerts</h2><ul id="alerts"></ul>
<p id="status"></p>{_PAGE_JS}</body></html>"""

"""The soak report: figures from the run's records, a Markdown page and a PNG timeline (matplotlib, Agg).

matplotlib is a development tool (the ``dev`` extra), not part of any hall machine's install: without it the
report is written without its timeline and says why.
"""

from __future__ import annotations

import importlib.util
import math
import statistics
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from madoguchi.apps.soak.monitor import open_readonly
from madoguchi.apps.soak.run import SoakResult
from madoguchi.apps.soak.staff import StaffRecord


def p95(values: list[float]) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, math.ceil(0.95 * len(ordered)) - 1)]


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


@dataclass
class Figures:
    counts: dict[str, int]
    issue_ms: list[float]  # touch → server ack
    issue_up_ms: list[float]  # touch → server ack, touches while the server was up and its disk not full
    printed_ms: list[float]  # touch → printer done, first print succeeded
    printed_all_ms: list[float]  # touch → printer done, including reprints after a printer fault
    board_ms: list[float]  # call committed → on the board (Qt: painted, else received), all boards
    board_ms_by: dict[str, list[float]]  # the same per board
    waits: list[tuple[float, float]]  # (sim minute of the call, wait in sim minutes)
    scan_ms: list[float]  # code residents: code held up to the camera → accepted by the scanner


def compute(result: SoakResult) -> Figures:
    counts: dict[str, int] = {}
    issue_ms: list[float] = []
    issue_up_ms: list[float] = []
    down = [(f.start, f.end) for f in result.faults if f.fault.kind in ("server_kill", "disk_full") and f.start]
    printed_ms: list[float] = []
    printed_all_ms: list[float] = []
    scan_ms: list[float] = []
    for records in result.journals.values():
        touched = {}
        for r in records:
            counts[r["ev"]] = counts.get(r["ev"], 0) + 1
            if r["ev"] == "shown":
                issue_ms.append((r["t_ack"] - r["t_touch"]) * 1000)
                if not any(lo - 1.0 <= r["t_touch"] <= hi for lo, hi in down):
                    issue_up_ms.append(issue_ms[-1])
                touched[r["id"]] = r["t_touch"]
                counts[f"source.{r['source']}"] = counts.get(f"source.{r['source']}", 0) + 1
            elif r["ev"] == "code_scanned":
                scan_ms.append(float(r["ms"]))
            elif r["ev"] == "printed" and r["id"] in touched:
                ms = (r["t"] - touched[r["id"]]) * 1000
                printed_all_ms.append(ms)
                if not r["reprint"]:
                    printed_ms.append(ms)
    clock = result.clock
    st = result.server_time
    conn = open_readonly(result.db_path)
    try:
        at = {int(r[0]): float(r[1]) for r in conn.execute("SELECT id, at FROM events")}
        counts["server.tickets"] = int(conn.execute("SELECT COUNT(*) FROM tickets").fetchone()[0])
        for state, n in conn.execute("SELECT state, COUNT(*) FROM tickets GROUP BY state"):
            counts[f"server.{state}"] = int(n)
        for kind, n in conn.execute("SELECT type, COUNT(*) FROM events GROUP BY type"):
            counts[f"event.{kind}"] = int(n)
        waits = []
        for issued_at, called_at in conn.execute(
            "SELECT t.issued_at, MIN(e.at) FROM tickets t JOIN events e ON e.ticket_id = t.id "
            "AND e.type = 'ticket.called' GROUP BY t.id"
        ):
            # issue and call on the same day: both stamps carry the same clock offset
            wall = st.to_wall(float(called_at))
            waits.append((clock.sim_min(wall), (float(called_at) - float(issued_at)) * clock.speed / 60))
    finally:
        conn.close()
    board_ms_by = {
        b.name: [(c.on_screen - st.to_wall(at[c.event_id], ref=c.received)) * 1000 for c in b.calls if c.event_id in at]
        for b in result.boards
    }
    board_ms = [ms for values in board_ms_by.values() for ms in values]
    return Figures(counts, issue_ms, issue_up_ms, printed_ms, printed_all_ms, board_ms, board_ms_by, waits, scan_ms)


def _fmt(x: float) -> str:
    return "n/a" if math.isnan(x) else f"{x:.0f}"


NO_MATPLOTLIB = "timeline not drawn: matplotlib is not installed (it is in the dev extra: pip install 'madoguchi[dev]')"


def plotting_available() -> bool:
    return importlib.util.find_spec("matplotlib") is not None


def plot(result: SoakResult, fig: Figures, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    clock = result.clock
    fig_, axes = plt.subplots(3, 1, figsize=(11, 8), sharex=True)
    ax_q, ax_w, ax_r = axes
    ax_q.plot([clock.sim_min(t) / 60 for t, _ in result.waiting], [n for _, n in result.waiting], lw=1, label="waiting")
    ax_q.set_ylabel("tickets waiting")
    ax_w.scatter([t / 60 for t, _ in fig.waits], [w for _, w in fig.waits], s=6, alpha=0.6)
    ax_w.set_ylabel("wait at call (sim min)")
    ax_r.plot(
        [clock.sim_min(s.wall) / 60 for s in result.monitor.rss],
        [s.rss_kb / 1024 for s in result.monitor.rss],
        ".",
        ms=2,
    )
    ax_r.set_ylabel("server RSS (MB)")
    ax_r.set_xlabel("simulated time of day (h)")
    colors = {"paper_out": "tab:orange", "cover_open": "tab:brown", "card_pull": "tab:purple", "clock_jump": "tab:blue"}
    for f in result.faults:
        if not f.start:
            continue
        x0, x1 = clock.sim_min(f.start) / 60, clock.sim_min(max(f.end, f.start + 0.2)) / 60
        for ax in axes:
            ax.axvspan(x0, x1, color=colors.get(f.fault.kind, "tab:red"), alpha=0.25)
        ax_q.annotate(f.fault.kind, (x0, 1.0), xycoords=("data", "axes fraction"), rotation=60, fontsize=7, va="bottom")
    ax_q.legend(loc="upper right", fontsize=7)
    fig_.suptitle(f"Soak: {result.settings.minutes:g} simulated minutes at ×{result.settings.speed:g}", y=0.995)
    fig_.tight_layout()
    fig_.savefig(path, dpi=110)
    plt.close(fig_)


def markdown(result: SoakResult, fig: Figures, png_name: str) -> str:
    c = fig.counts
    s = result.settings
    lines = [
        "# Soak report: a city-hall day under faults",
        "",
        f"- simulated: {s.minutes:g} min from 08:30 at ×{s.speed:g} (wall {result.wall_s:.0f} s), seed {s.seed}",
        f"- **invariant violations: {result.violations}**",
        f"- drained (no open ticket left at the end): {result.drained}",
        "",
        "## Figures",
        "",
        "| figure | value |",
        "| --- | --- |",
        f"| residents at the kiosks | {c.get('touch', 0)} |",
        f"| walk-aways (no ticket) | {c.get('walkaway', 0)} |",
        f"| tickets shown to residents | {c.get('shown', 0)} |",
        f"| by source: touch / card / code | {c.get('source.touch', 0)} / {c.get('source.card', 0)} / "
        f"{c.get('source.code', 0)} |",
        f"| card read errors (fell back to touch) | {c.get('card_error', 0)} |",
        f"| tickets on the server | {c.get('server.tickets', 0)} |",
        f"| done / no-show / waiting at the end | {c.get('server.done', 0)} / {c.get('server.no_show', 0)} / "
        f"{c.get('server.waiting', 0)} |",
        f"| printed (first try / after a printer fault) | {len(fig.printed_ms)} / "
        f"{len(fig.printed_all_ms) - len(fig.printed_ms)} |",
        f"| print failures (ticket kept, reprinted) | {c.get('print_failed', 0)} |",
        f"| issue failures (gave up) | {c.get('issue_failed', 0)} |",
        f"| p50 / p95 touch → server ack, all (ms) | {_fmt(median(fig.issue_ms))} / {_fmt(p95(fig.issue_ms))} |",
        f"| p50 / p95 touch → server ack, server up and disk not full (ms) | {_fmt(median(fig.issue_up_ms))} / "
        f"{_fmt(p95(fig.issue_up_ms))} |",
        f"| p50 / p95 touch → printer done, no fault (ms) | {_fmt(median(fig.printed_ms))} / "
        f"{_fmt(p95(fig.printed_ms))} |",
        f"| p95 touch → printer done, all (ms) | {_fmt(p95(fig.printed_all_ms))} |",
        f"| p50 / p95 call → board, all boards (ms) | {_fmt(median(fig.board_ms))} / {_fmt(p95(fig.board_ms))} |",
        *(
            f"| p50 / p95 call → {b.name} ({b.kind}) (ms) | {_fmt(median(fig.board_ms_by[b.name]))} / "
            f"{_fmt(p95(fig.board_ms_by[b.name]))} |"
            for b in result.boards
        ),
        f"| calls seen per board | {', '.join(f'{b.name}: {len(b.calls)}' for b in result.boards)} |",
        *(
            f"| {b.name}: calls shown fresh / painted / snapshots / connections | {b.shown} / {b.painted} / "
            f"{b.snapshots} / {b.reconnects} |"
            for b in result.boards
            if b.kind != "websocket"
        ),
        f"| p50 / p95 wait at call (sim min) | {_fmt(median([w for _, w in fig.waits]))} / "
        f"{_fmt(p95([w for _, w in fig.waits]))} |",
        f"| staff actions / retries while the server was down | {sum(r.actions for r in result.staff)} / "
        f"{sum(r.retries for r in result.staff)} |",
        f"| staff errors recovered | {sum(len(r.errors) for r in result.staff)} {_kinds(result.staff)} |",
        f"| calls / recalls / transfers / no-shows (events) | {c.get('event.ticket.called', 0)} / "
        f"{c.get('event.ticket.recalled', 0)} / {c.get('event.ticket.transferred', 0)} / "
        f"{c.get('event.ticket.no_show', 0)} |",
        f"| staff breaks taken (lunch, per counter plan) | {sum(r.breaks for r in result.staff)} |",
        f"| tickets at a counter when the day rolled (closed by the server) | {sum(r.expired for r in result.staff)} |",
        f"| staff logins again after their session ended (the day roll) | {sum(r.logins for r in result.staff)} |",
        f"| code residents: scanned / unreadable (fell back to touch) | {c.get('code_scanned', 0)} / "
        f"{c.get('code_unreadable', 0)} |",
        f"| p50 / p95 code held up → decoded (ms) | {_fmt(median(fig.scan_ms))} / {_fmt(p95(fig.scan_ms))} |",
        "",
        "## Faults",
        "",
        "| sim time | fault | target | survived | detail |",
        "| --- | --- | --- | --- | --- |",
    ]
    for f in result.faults:
        if f.fault.kind == "planned_stop":
            lines.append(f"| end | (planned stop) | server | {'yes' if f.ok else 'NO'} | {f.detail} |")
            continue
        hhmm = f"{int(f.fault.at_min // 60):02d}:{int(f.fault.at_min % 60):02d}"
        lines.append(f"| {hhmm} | {f.fault.kind} | {f.fault.target} | {'yes' if f.ok else 'NO'} | {f.detail} |")
    lines += ["", "## Invariants", "", "| invariant | checked | violations | note |", "| --- | --- | --- | --- |"]
    for i in result.invariants:
        lines.append(f"| {i.name} | {i.checked} | {len(i.violations)} | {i.note} |")
    bad = [v for i in result.invariants for v in i.violations]
    if bad:
        lines += ["", "### Violations", ""] + [f"- {v}" for v in bad[:50]]
    d = result.day_roll
    if d.jumped:
        lines += [
            "",
            "## Day roll (clock jump)",
            "",
            f"- server clock moved +{d.offset_s:.0f} s (to {d.server_time_after} hall time) with "
            "`madoguchi server --clock-offset-file`; the machine's clock was not touched",
            f"- day {d.old_day} → {d.new_day or '(no roll!)'}: rolled {d.roll_after_s:.1f} s after the jump "
            f"(event {d.roll_event_id}); {d.expired} open tickets expired, {d.purged} form records purged",
            f"- before the jump the old day had {d.old_forms_before} form records, {d.old_open_before} open tickets, "
            f"key file {'present' if d.old_key_before else 'absent'}; right after the roll: "
            f"{d.forms_left_after_roll} form records, {d.open_left_after_roll} open tickets, key file "
            f"{'still there' if d.key_left_after_roll else 'gone'}",
            f"- {len(d.samples)} old-day ciphertexts looked for in the database files at the end (see invariants)",
        ]
    lines += ["", "## Server memory", "", "| pid | samples | RSS after warm-up (kB) | RSS at the end (kB) | growth |"]
    lines.append("| --- | --- | --- | --- | --- |")
    for r in result.rss_figures:
        growth = r["growth"]
        lines.append(
            f"| {int(r['pid'])} | {int(r['samples'])} | {int(r.get('base_kb', 0))} | {int(r.get('end_kb', 0))} | "
            + ("too short to judge" if math.isnan(growth) else f"{growth:+.1%}")
            + " |"
        )
    lines += ["", f"![timeline]({png_name})", "", "## Not covered by this run", ""]
    lines += [f"- {n}" for n in result.notes]
    return "\n".join(lines) + "\n"


def write_report(result: SoakResult) -> tuple[Path, Path, dict[str, Any]]:
    fig = compute(result)
    png = result.settings.out_dir / "soak-timeline.png"
    md = result.settings.out_dir / "soak-report.md"
    if plotting_available():
        plot(result, fig, png)
    else:
        result.notes.append(NO_MATPLOTLIB)
    md.write_text(markdown(result, fig, png.name), encoding="utf-8")
    summary = {
        "violations": result.violations,
        "tickets": fig.counts.get("server.tickets", 0),
        "shown": fig.counts.get("shown", 0),
        "p95_issue_ms": p95(fig.issue_ms),
        "p95_issue_server_up_ms": p95(fig.issue_up_ms),
        "p95_printed_ms": p95(fig.printed_ms),
        "p95_board_ms": p95(fig.board_ms),
        **{f"p95_board_ms[{name}]": p95(values) for name, values in fig.board_ms_by.items()},
        "p95_scan_ms": p95(fig.scan_ms),
        "faults_survived": sum(f.ok for f in result.faults if f.fault.kind != "planned_stop"),
        "faults": sum(f.fault.kind != "planned_stop" for f in result.faults),
    }
    return md, png, summary


def _kinds(staff: Sequence[StaffRecord]) -> str:
    """The kinds of the staff's errors with their counts, e.g. "(Conflict:409 ×3)"."""
    counts = Counter(e for r in staff for e in r.errors)
    return "(" + ", ".join(f"{k} ×{n}" for k, n in counts.most_common()) + ")" if counts else ""

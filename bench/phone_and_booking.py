"""Residents' pages benchmark: call → phone page updated, page weight, and the last free slots booked at once.

Against a real hall server on loopback (the example hall, bookable every day, its clock at 10:50):

1. **call → phone updated**: ``--phones`` phone pages follow their tickets over their own streams
   (``/t/<token>/events``) while a clerk calls them one by one; for each call, the time from the call request
   leaving to the called phone receiving "called", and to every other phone of that procedure receiving its new
   place. Then the same in headless Chromium: the called number's page turning to "called" on screen.
2. **page weight**: every public page as sent (one request each: styles and scripts are inline) and gzipped as
   the reverse proxy would send it.
3. **last free slots**: ``--bookings`` residents press "book" at once for the few seats left in a day; every
   seat is taken once, the others are told it is full, and the database holds no seat twice.

    python bench/phone_and_booking.py [--phones 100] [--calls 60] [--bookings 100]
"""

from __future__ import annotations

import argparse
import asyncio
import gzip
import json
import re
import sqlite3
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from madoguchi.client.local_server import HallServerProcess
from madoguchi.core.config import EXAMPLE_CONFIG


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def config(folder: Path) -> Path:
    text = EXAMPLE_CONFIG.read_text(encoding="utf-8")
    text = re.sub(r"^lead_min = \d+", "lead_min = 0", text, flags=re.M)
    text = re.sub(r"^closed_weekdays = .*$", "closed_weekdays = []", text, flags=re.M)
    text = re.sub(r"^closed_dates = \[.*?\n\]", "closed_dates = []", text, flags=re.M | re.S)
    text = re.sub(r"^per_source_per_hour = \d+", "per_source_per_hour = 100000", text, flags=re.M)
    text = re.sub(r"^issue_rate_per_minute = \d+", "issue_rate_per_minute = 1000", text, flags=re.M)
    path = folder / "hall.toml"
    path.write_text(text, encoding="utf-8")
    return path


# ---------------------------------------------------------------------------------------------- 1. latency
async def follow(base: str, token: str, seen: dict[str, list[tuple[float, dict[str, object]]]], ready: asyncio.Event):
    import httpx

    async with (
        httpx.AsyncClient(base_url=base, timeout=httpx.Timeout(10, read=None)) as http,
        http.stream("GET", f"/t/{token}/events", headers={"Accept": "text/event-stream"}) as r,
    ):
        kind = ""
        async for line in r.aiter_lines():
            if line.startswith("event:"):
                kind = line[6:].strip()
            elif line.startswith("data:") and kind == "status":
                seen[token].append((time.perf_counter(), json.loads(line[5:])))
                ready.set()


async def stream_latency(srv: HallServerProcess, phones: int, calls: int) -> tuple[list[float], list[float]]:
    kiosk = srv.client("kiosk-1")
    tickets = [kiosk.issue("juminhyo") for _ in range(phones)]
    seen: dict[str, list[tuple[float, dict[str, object]]]] = {t.token: [] for t in tickets}
    readies = [asyncio.Event() for _ in tickets]
    tasks = [asyncio.create_task(follow(srv.base_url, t.token, seen, r)) for t, r in zip(tickets, readies, strict=True)]
    await asyncio.wait_for(asyncio.gather(*(r.wait() for r in readies)), 60)
    clerk = srv.staff_client(1)
    called_ms: list[float] = []
    moved_ms: list[float] = []
    for ticket in tickets[:calls]:
        before = {token: len(v) for token, v in seen.items()}
        t0 = time.perf_counter()
        await asyncio.to_thread(clerk.call_next, 1)
        waiting = [t.token for t in tickets if seen[t.token] and seen[t.token][-1][1]["state"] == "waiting"]
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if any(s["state"] == "called" for _, s in seen[ticket.token][before[ticket.token] :]) and all(
                len(seen[tok]) > before[tok] for tok in waiting if tok != ticket.token
            ):
                break
            await asyncio.sleep(0.002)
        got = [at for at, status in seen[ticket.token][before[ticket.token] :] if status["state"] == "called"]
        if got:
            called_ms.append((got[0] - t0) * 1000)
        for tok in waiting:
            if tok != ticket.token and len(seen[tok]) > before[tok]:
                moved_ms.append((seen[tok][before[tok]][0] - t0) * 1000)
        await asyncio.to_thread(clerk.done, ticket.ticket.id, 1)
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    return called_ms, moved_ms


def browser_latency(srv: HallServerProcess, rounds: int) -> list[float]:
    from tests.support.browser import HeadlessChromium, chromium_available

    if not chromium_available():
        return []
    browser = HeadlessChromium(390, 844)
    browser.as_phone(390, 844)
    driver = browser.driver
    kiosk = srv.client("kiosk-2")
    clerk = srv.staff_client(7)  # counter 7 serves My Number cards alone: the ticket just taken is the one called
    out: list[float] = []
    try:
        for _ in range(rounds):
            ticket = kiosk.issue("mynumber")
            driver.get(f"{srv.base_url}/t/{ticket.token}")
            deadline = time.monotonic() + 10
            while driver.execute_script("return document.body.dataset.state") != "waiting":
                if time.monotonic() > deadline:
                    raise TimeoutError("the phone page did not start")
                time.sleep(0.01)
            time.sleep(0.3)  # the stream is open
            t0 = time.perf_counter()
            threading.Thread(target=clerk.call_next, args=(7,), daemon=True).start()
            while driver.execute_script("return document.body.dataset.state") != "called":
                if time.perf_counter() - t0 > 10:
                    raise TimeoutError("the phone page was not updated")
                time.sleep(0.005)
            out.append((time.perf_counter() - t0) * 1000)
            clerk.done(ticket.ticket.id, 7)
    finally:
        browser.close()
    return out


# ---------------------------------------------------------------------------------------------- 2. page weight
def page_weights(srv: HallServerProcess) -> list[tuple[str, int, int]]:
    import httpx

    http = httpx.Client(base_url=srv.base_url)
    issued = srv.client("kiosk-1").issue("koseki", language="en")
    day = srv.client("kiosk-1").hall().hall_day
    slots = http.get("/book/mynumber", params={"day": day, "lang": "en"}).text
    request_id = re.findall(r'name="request_id" value="([^"]+)"', slots)[0]
    slot = re.findall(r'name="slot" id="slot-([\d:]+)"', slots)[0]
    made = http.post("/book/mynumber", data={"day": day, "slot": slot, "request_id": request_id, "lang": "en"})
    pages = {
        "/t/<token> (phone page, waiting)": f"/t/{issued.token}",
        "/t/<token>/events (one status, JSON)": f"/t/{issued.token}/events",
        "/book": "/book?lang=en",
        "/book/<procedure> (days)": "/book/mynumber?lang=en",
        "/book/<procedure>?day= (times)": f"/book/mynumber?lang=en&day={day}",
        "/book/r/<token> (confirmation, QR)": made.headers["location"],
        "/board": "/board",
    }
    out = []
    for name, path in pages.items():
        body = http.get(path).content
        out.append((name, len(body), len(gzip.compress(body, 6))))
    return out


# ---------------------------------------------------------------------------------------------- 3. last seats
def last_seats(srv: HallServerProcess, bookings: int) -> dict[str, object]:
    import httpx

    day = srv.client("kiosk-1").hall().hall_day
    http = httpx.Client(base_url=srv.base_url)
    page = http.get("/book/tennyu", params={"day": day, "lang": "ja"}).text
    slots = re.findall(r'name="slot" id="slot-([\d:]+)"', page)
    last = slots[-3:]  # three slots, two seats each (tennyu), are left: 6 seats
    for slot in slots[:-3]:  # every earlier seat taken
        for _ in range(2):
            rid = re.findall(r'name="request_id" value="([^"]+)"', http.get("/book/tennyu", params={"day": day}).text)
            http.post("/book/tennyu", data={"day": day, "slot": slot, "request_id": rid[0]})
    forms = [
        re.findall(r'name="request_id" value="([^"]+)"', http.get("/book/tennyu", params={"day": day}).text)[0]
        for _ in range(bookings)
    ]

    async def everyone() -> tuple[list[int], float]:
        async with httpx.AsyncClient(base_url=srv.base_url, timeout=60) as client:
            t0 = time.perf_counter()
            answers = await asyncio.gather(
                *(
                    client.post("/book/tennyu", data={"day": day, "slot": last[i % 3], "request_id": r})
                    for i, r in enumerate(forms)
                )
            )
            return [a.status_code for a in answers], time.perf_counter() - t0

    codes, took = asyncio.run(everyone())
    conn = sqlite3.connect(f"file:{srv.db_path}?mode=ro", uri=True)
    over = conn.execute(
        "SELECT count(*) FROM (SELECT slot_start, count(*) AS n FROM reservations WHERE date = ? AND "
        "service_id = 'tennyu' AND cancelled_at IS NULL GROUP BY slot_start HAVING n > 2)",
        (day,),
    ).fetchone()[0]
    twice = conn.execute(
        "SELECT count(*) FROM (SELECT 1 FROM reservations WHERE seat IS NOT NULL GROUP BY service_id, date, "
        "slot_start, seat HAVING count(*) > 1)"
    ).fetchone()[0]
    conn.close()
    return {
        "requests": len(codes),
        "booked": codes.count(303),
        "told full": codes.count(409),
        "other": len(codes) - codes.count(303) - codes.count(409),
        "seats left before": 6,
        "slots over capacity": over,
        "seats taken twice": twice,
        "seconds": round(took, 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--phones", type=int, default=100)
    parser.add_argument("--calls", type=int, default=60)
    parser.add_argument("--bookings", type=int, default=100)
    parser.add_argument("--browser-rounds", type=int, default=20)
    args = parser.parse_args()
    from tests.support.rehearsal_clock import hall_time_ahead, write_offset

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        offset = folder / "clock-offset"
        write_offset(offset, hall_time_ahead(10, 50))
        srv = HallServerProcess(
            folder / "hall", config_path=config(folder), extra_args=("--clock-offset-file", str(offset))
        )
        with srv:
            called, moved = asyncio.run(stream_latency(srv, args.phones, min(args.calls, args.phones)))
            print(f"call → phone updated, {args.phones} phones following, {len(called)} calls (goal p95 < 2000 ms):")
            print(
                f"  the called phone:  p50 {statistics.median(called):.1f} ms, p95 {pct(called, 0.95):.1f} ms, "
                f"max {max(called):.1f} ms"
            )
            print(
                f"  the others' place: p50 {statistics.median(moved):.1f} ms, p95 {pct(moved, 0.95):.1f} ms, "
                f"max {max(moved):.1f} ms ({len(moved)} updates)"
            )
            shown = browser_latency(srv, args.browser_rounds)
            if shown:
                print(
                    f"  on screen in headless Chromium: p50 {statistics.median(shown):.0f} ms, "
                    f"p95 {pct(shown, 0.95):.0f} ms, max {max(shown):.0f} ms ({len(shown)} calls)"
                )
            print("page weight (one request each; bytes as sent / gzipped):")
            for name, raw, packed in page_weights(srv):
                print(f"  {name:<40} {raw:>7,} / {packed:>6,}")
            result = last_seats(srv, args.bookings)
            print(f"{args.bookings} residents book the last 6 seats at once:")
            print("  " + ", ".join(f"{k}: {v}" for k, v in result.items()))
            if result["slots over capacity"] or result["seats taken twice"] or result["booked"] != 6:
                raise SystemExit("a seat was booked twice or left free")


if __name__ == "__main__":
    main()

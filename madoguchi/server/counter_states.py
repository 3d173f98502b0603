"""What each counter is doing: open, on a break (with a reason), or closed, as its staff set it.

A counter is open only while someone is logged in there: the state a clerk set stays in ``counter_states`` for
the day, but a counter nobody is logged in at counts as closed (the clerk switched the PC off, the session ran
out, the day rolled). The wait estimates, the board, the staff consoles and the admin console all read it from
here, so they never disagree.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from madoguchi.server.store import CounterStateRow

CounterStateName = Literal["open", "break", "closed"]
STATES: tuple[CounterStateName, ...] = ("open", "break", "closed")
#: why a counter is on a break (codes: the words are in the catalogs, ``staff.break.<reason>``)
BREAK_REASONS = ("lunch", "rest", "meeting", "errand", "other")


@dataclass(frozen=True)
class CounterNow:
    counter: int
    state: CounterStateName
    reason: str | None
    #: since when (epoch seconds; None: closed since before today)
    since: float | None
    #: the staff ids logged in there
    staff: tuple[str, ...]


def counters_now(
    numbers: list[int], rows: dict[int, CounterStateRow], staffed: dict[int, list[str]], today: str
) -> dict[int, CounterNow]:
    """Every configured counter's state now: what its staff set today, or closed when nobody is logged in."""
    out = {}
    for n in numbers:
        row = rows.get(n)
        staff = tuple(staffed.get(n, ()))
        if row is not None and row.day == today and staff:
            state: CounterStateName = row.state if row.state in STATES else "closed"
            out[n] = CounterNow(n, state, row.reason if state == "break" else None, row.since, staff)
        elif staff:  # logged in, and no state set today (a session from before an upgrade): working
            out[n] = CounterNow(n, "open", None, None, staff)
        else:
            since = row.since if row is not None and row.day == today and row.state == "closed" else None
            out[n] = CounterNow(n, "closed", None, since, staff)
    return out

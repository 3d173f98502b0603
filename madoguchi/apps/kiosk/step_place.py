"""Where a procedure is done: "窓口 4・5・6・8　1階 市民課の待合ロビー" (its counters and their waiting areas), for
the route screen, the ticket screen and the printed ticket alike."""

from __future__ import annotations

from collections.abc import Callable

from madoguchi.core import api_models as m

#: a wide dot joins numbers only where the script is itself wide
WIDE_SCRIPT = ("ja", "ja-easy", "zh-Hans")


def step_place(
    counters: list[m.CounterInfo],
    language: str,
    message: Callable[..., str],
    pick: Callable[[dict[str, str]], str],
) -> str:
    """``message(msgid, **params)`` and ``pick(texts)`` in the language wanted (screen or paper)."""
    if not counters:
        return ""
    wide = language in WIDE_SCRIPT
    numbers = ("・" if wide else ", ").join(str(c.number) for c in counters)
    where = message("kiosk.route.counters", count=len(counters), counters=numbers)
    areas = list(dict.fromkeys(pick(c.area) for c in counters if c.area))
    if areas:
        where += ("　" if wide else " – ") + ("・" if wide else " / ").join(areas)
    return where

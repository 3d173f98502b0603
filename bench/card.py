"""Card inserted → basic info returned, through a real pcscd + vpcd and the virtual card.

Prints p50/p95 (ms) over 100 reads and APDUs per read. Two figures:
- "read": from pcscd reporting the card present to BasicInfo returned (connect, SELECT, tries, VERIFY, READ);
  this is the part the application controls.
- "insert → info": from the virtual card connecting to vpcd to BasicInfo returned; dominated by pcscd's
  presence polling of the vpcd reader (~0.4 s), which a real reader replaces with its own detection.
Run: .venv/bin/python bench/card.py  (as root: it starts its own pcscd unless one with vpcd is running)
"""

from __future__ import annotations

import statistics
import sys
import time
from contextlib import ExitStack
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from madoguchi.devices.card.pcscd_harness import (
    make_profile,
    running_pcscd,
    virtual_card,
    vpcd_ready,
    wait_for_presence,
)
from madoguchi.devices.card.service import CardService
from madoguchi.devices.card.virtual_card import VirtualMyNumberCard, VpcdCardClient

READS = 100
INSERTS = 20
PIN = "1234"


def pct(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1] if len(values) > 1 else values[0]


def read_once(service: CardService) -> tuple[float, int]:
    start = time.perf_counter()
    with service.wait_for_card(timeout=5) as session:
        session.read_pin_tries()
        session.verify_pin(PIN)
        session.read_basic_info()
        apdus = session.apdu_count
    return (time.perf_counter() - start) * 1000, apdus


def report(label: str, ms: list[float], apdus: set[int]) -> None:
    print(
        f"{label:<34} n={len(ms):3d}  p50 {pct(ms, 50):7.2f} ms  p95 {pct(ms, 95):7.2f} ms  "
        f"max {max(ms):7.2f} ms  APDUs/read {sorted(apdus)}"
    )


def main() -> None:
    with ExitStack() as stack:
        if not vpcd_ready():
            stack.enter_context(running_pcscd())
        service = CardService(reader_pattern="00 00$", allow_virtual=True)
        for label, overrides in (
            ("read (card present → info)", {}),
            ("read, long address (81xx, 2 READs)", {"address": "北海道" + "１２３－４５" * 14}),
            ("read, card without short EF ids", {"sfi_supported": False}),
        ):
            with virtual_card(make_profile(**overrides)):
                read_once(service)  # warm-up
                runs = [read_once(service) for _ in range(READS)]
            report(label, [ms for ms, _ in runs], {n for _, n in runs})

        client = VpcdCardClient(VirtualMyNumberCard(make_profile()))
        ms: list[float] = []
        apdus: set[int] = set()
        for _ in range(INSERTS):
            start = time.perf_counter()
            client.insert()
            _, n = read_once(service)
            ms.append((time.perf_counter() - start) * 1000)
            apdus.add(n)
            client.remove()
            client.join(timeout=5)
            wait_for_presence("Virtual PCD 00 00", present=False, timeout=5)
        report("insert → info (incl. pcscd polling)", ms, apdus)


if __name__ == "__main__":
    main()

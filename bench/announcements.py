"""Announcement queue of the call board at 12 counters: how late each call is said, what was combined and dropped.

The real ``Announcer`` with the real voices (pyopenjtalk, espeak-ng), a fresh voice cache (every number is new,
as in a hall), and the audio player timed by each WAV's length (no sound card needed: the timing is the same).
Calls arrive on a seeded schedule in hall time; each prints:

- start delay: from the call to the start of the announcement that carries it (its chime): p50, p95, max;
- heard delay: from the call to its own words in Japanese (later than the start when calls are said together);
- announcements, calls combined (said together with others), calls dropped (no longer current before said).

Scenarios: ``spread`` (12 counters each call once within one minute, at random), ``burst`` (12 counters within
2 s), ``busy`` (12 counters, 30 calls within one minute: a resident reaching the counter 4-20 s after the call,
a recall now and then, a counter calling again). Languages follow a hall's mix (half Japanese).

    python bench/announcements.py [--seed 7] [--runs 1] [--time-scale 1.0] [--scenario spread burst busy]

A p95 of 12 calls is the second-latest of them: ``--runs 5`` pools five seeds' calls for a steadier figure.

``--time-scale 0.5`` runs twice as fast (audio and schedule alike; synthesis keeps its real speed, so delays come
out somewhat higher than at 1.0).
"""

from __future__ import annotations

import argparse
import math
import os
import random
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

COUNTERS = 12
LANGUAGES = ["ja"] * 14 + ["ja-easy", "en", "zh-Hans", "vi", "pt-BR", "ko", "ne", "tl", "es"]  # 2 in 3 Japanese


@dataclass(frozen=True)
class Step:
    at: float  # seconds of hall time from the start
    kind: str  # call | recall | serving
    ticket_id: int
    number: str
    counter: int
    language: str


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))] if ordered else float("nan")


def schedule(name: str, rng: random.Random) -> list[Step]:
    steps: list[Step] = []
    serial = 0

    def call(at: float, counter: int, kind: str = "call", ticket: int | None = None) -> Step:
        nonlocal serial
        if ticket is None:
            serial += 1
            ticket = serial
        letter = "ABCDEFGHJK"[ticket % 10]
        step = Step(at, kind, ticket, f"{letter}-{rng.randint(1, 250):03d}", counter, rng.choice(LANGUAGES))
        steps.append(step)
        return step

    if name == "spread":
        for counter in range(1, COUNTERS + 1):
            call(rng.uniform(0, 60), counter)
    elif name == "burst":
        for counter in range(1, COUNTERS + 1):
            call(rng.uniform(0, 2), counter)
    elif name == "busy":
        for _ in range(30):
            first = call(rng.uniform(0, 60), rng.randint(1, COUNTERS))
            roll = rng.random()
            if roll < 0.6:  # the resident walks up to the counter
                steps.append(Step(first.at + rng.uniform(4, 20), "serving", first.ticket_id, "", first.counter, ""))
            elif roll < 0.8:  # nobody came: recalled
                recall = Step(first.at + rng.uniform(15, 30), "recall", first.ticket_id, first.number,
                              first.counter, first.language)  # fmt: skip
                steps.append(recall)
    else:
        raise ValueError(name)
    return sorted(steps, key=lambda s: s.at)


def run(name: str, seed: int, time_scale: float, cache: Path) -> Result:
    from PySide6.QtWidgets import QApplication

    from madoguchi.apps.board.announcer import Announcer
    from madoguchi.devices.speech.announcement_voice import Announcement
    from madoguchi.devices.speech.voice_adapter import TranslationsVoice

    app = QApplication.instance() or QApplication([])
    steps = schedule(name, random.Random(seed))
    announcer = Announcer(TranslationsVoice(cache / name), audio=False, time_scale=time_scale)
    announcer.warm_up()  # as the board does at start: the voices' dictionaries loaded before the first call
    while not announcer.warmed:
        app.processEvents()
        time.sleep(0.01)
    recalls: dict[int, int] = {}
    t0 = time.perf_counter()
    pending = list(steps)
    while pending or announcer.busy:
        now = (time.perf_counter() - t0) / time_scale
        while pending and pending[0].at <= now:
            step = pending.pop(0)
            if step.kind == "serving":
                announcer.withdraw(step.ticket_id)
            else:
                recall = recalls[step.ticket_id] = recalls.get(step.ticket_id, -1) + 1
                announcer.announce(Announcement(step.ticket_id, step.number, step.counter, step.language, recall))
        app.processEvents()
        time.sleep(0.002)
        if now > 600:
            raise TimeoutError("the queue did not drain in 10 minutes of hall time")
    stats = announcer.stats
    result = Result(
        calls=sum(1 for s in steps if s.kind != "serving"),
        start=[d / time_scale for d in stats.start_delays],
        heard=[d / time_scale for d in stats.heard_delays],
        announcements=stats.announcements,
        combined=stats.combined,
        dropped=stats.dropped,
    )
    if len(result.start) + result.dropped != result.calls:
        raise AssertionError("a call was neither said nor dropped")
    return result


@dataclass
class Result:
    """One scenario's figures (or several runs' pooled)."""

    calls: int = 0
    start: list[float] = field(default_factory=list)
    heard: list[float] = field(default_factory=list)
    announcements: int = 0
    combined: int = 0
    dropped: int = 0

    def add(self, other: Result) -> None:
        self.calls += other.calls
        self.start += other.start
        self.heard += other.heard
        self.announcements += other.announcements
        self.combined += other.combined
        self.dropped += other.dropped

    def line(self, name: str) -> str:
        start, heard = self.start, self.heard
        return (
            f"{name:6s} {self.calls:2d} calls: "
            f"start delay p50 {pct(start, 0.5):5.1f} s  p95 {pct(start, 0.95):5.1f} s  "
            f"max {max(start):5.1f} s | heard p50 {pct(heard, 0.5):5.1f} s  p95 {pct(heard, 0.95):5.1f} s | "
            f"announcements {self.announcements}, combined {self.combined}, dropped {self.dropped}, "
            f"said {len(start)}"
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--time-scale", type=float, default=1.0)
    parser.add_argument("--scenario", nargs="+", default=["spread", "burst", "busy"])
    parser.add_argument("--runs", type=int, default=1, help="seeds SEED, SEED+1, …: each scenario's figures pooled")
    args = parser.parse_args()
    seeds = list(range(args.seed, args.seed + args.runs))
    print(f"announcement queue at {COUNTERS} counters (seeds {seeds}, time scale {args.time_scale}):")
    with tempfile.TemporaryDirectory() as tmp:
        full, short = spoken_seconds(Path(tmp) / "lengths")
        print(f"one call A-106 at counter 12, chime + Japanese + English: full {full:.1f} s, short {short:.1f} s")
        for name in args.scenario:
            pooled = Result()
            for seed in seeds:
                pooled.add(run(name, seed, args.time_scale, Path(tmp) / str(seed)))
            print(pooled.line(name), flush=True)
    return 0


def spoken_seconds(cache: Path) -> tuple[float, float]:
    from madoguchi.devices.speech.audio_player import wav_seconds
    from madoguchi.devices.speech.voice_adapter import TranslationsVoice

    voice = TranslationsVoice(cache)
    lengths = []
    for short in (False, True):
        said = [voice.announcement(lang, "A-106", 12, recall=False, short=short) for lang in ("ja", "en")]
        lengths.append(wav_seconds(voice.chime()) + math.fsum(wav_seconds(p) for p in said if p is not None))
    return lengths[0], lengths[1]


if __name__ == "__main__":
    sys.exit(main())

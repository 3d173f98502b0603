"""Benchmark of translations/: catalog lookup, furigana, offline MT with the tiny test model, voice synthesis.

Prints p50/p95 and memory (RSS) after each stage; never passes or fails on time.
Usage: .venv/bin/python bench/translations.py
"""

from __future__ import annotations

import importlib.metadata
import re
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from madoguchi.core.process_memory import rss_kb


def rss_mb() -> float:
    kb = rss_kb()
    return kb / 1024 if kb is not None else float("nan")


def timed(fn: Callable[[], object], repeat: int) -> list[float]:
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return samples


def report(name: str, samples: list[float], unit: str = "ms") -> None:
    scale = 1e6 if unit == "us" else 1e3
    ordered = sorted(samples)
    p50 = statistics.median(ordered) * scale
    p95 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))] * scale
    print(f"{name:<52} p50 {p50:9.2f} {unit}  p95 {p95:9.2f} {unit}  n={len(samples):<6} rss {rss_mb():7.1f} MB")


def once(name: str, fn: Callable[[], object]) -> None:
    start = time.perf_counter()
    fn()
    elapsed = 1000 * (time.perf_counter() - start)
    print(f"{name:<52} {elapsed:9.1f} ms (once){'':<24} rss {rss_mb():7.1f} MB")


_SERVER_CHILD = """
import sys
from pathlib import Path
try:
    import madoguchi.server.web  # noqa: F401  (the hall server's own imports)
except Exception:
    import fastapi, uvicorn  # noqa: F401,E401
import madoguchi.translations.catalog
if sys.argv[1] == "mt":
    from madoguchi.translations.machine import MachineTranslator
    MachineTranslator(Path(sys.argv[2])).translate("本日は窓口が混雑しています。", "ja", "pt-BR")
for line in Path("/proc/self/status").read_text().splitlines():
    if line.startswith("VmRSS:"):
        print(int(line.split()[1]) / 1024)
"""


def server_memory_mb(packages: Path) -> tuple[float, float]:
    """RSS of a fresh server-like process, without and with machine translation loaded."""
    import subprocess

    root = str(Path(__file__).resolve().parent.parent)

    def run(mode: str) -> float:
        out = subprocess.run(
            [sys.executable, "-c", _SERVER_CHILD, mode, str(packages)], capture_output=True, text=True, cwd=root
        )
        return float(out.stdout.strip().splitlines()[-1])

    return run("plain"), run("mt")


def extra_install_size_mb() -> tuple[float, list[str]]:
    """Disk size of the distributions that only the ``translate`` extra brings in."""

    def requirements(name: str) -> list[str]:
        try:
            reqs = importlib.metadata.requires(name) or []
        except importlib.metadata.PackageNotFoundError:
            return []
        return [re.split(r"[ ;<>=!~\[(]", r, maxsplit=1)[0] for r in reqs if "extra ==" not in r]

    def closure(roots: list[str]) -> set[str]:
        seen: set[str] = set()
        todo = list(roots)
        while todo:
            name = todo.pop().lower().replace("_", "-")
            if name in seen:
                continue
            try:
                importlib.metadata.distribution(name)
            except importlib.metadata.PackageNotFoundError:
                continue
            seen.add(name)
            todo.extend(requirements(name))
        return seen

    base = closure(requirements("madoguchi") or ["pyside6", "babel", "fugashi", "numpy"])
    extra = closure(["argostranslate", "torch"]) - base
    total = 0
    for name in extra:
        dist = importlib.metadata.distribution(name)
        for file in dist.files or []:
            path = Path(str(dist.locate_file(file)))
            if path.is_file():
                total += path.stat().st_size
    return total / 1e6, sorted(extra)


def main() -> int:
    print(f"start{'':<47} rss {rss_mb():7.1f} MB")
    from madoguchi.translations.catalog import Catalogs

    catalogs = Catalogs(strict=False)
    once("catalog: parse all 10 .po files (cold)", lambda: [catalogs.messages(lang) for lang in catalogs.languages()])
    report(
        "catalog: translate(lang, id, count=12)",
        timed(lambda: catalogs.translate("en", "kiosk.waiting.count", count=12), 20000),
        "us",
    )
    report(
        "catalog: translate(lang, id) no params",
        timed(lambda: catalogs.translate("ja", "kiosk.welcome.start"), 20000),
        "us",
    )

    from madoguchi.translations import furigana

    easy = list(catalogs.messages("ja-easy").values())
    once("furigana: load fugashi + unidic-lite (cold)", lambda: furigana.readings("窓口"))
    iterator = iter(easy * 3)
    report(
        "furigana: readings() per easy-Japanese string",
        timed(lambda: furigana.readings(next(iterator)), len(easy) * 3),
        "us",
    )
    report(
        "furigana: stored readings → ruby HTML",
        timed(lambda: furigana.message_ruby_html("kiosk.waiting.count", count=3), 5000),
        "us",
    )

    from madoguchi.translations import machine

    if machine.available():
        from madoguchi.translations.mt_cache import TranslationCache
        from tests.support.argos_models import build_package
        from tests.support.network_guard import block_network

        work = Path(tempfile.mkdtemp(prefix="bench-mt-"))
        once(
            "mt: build two tiny test packages",
            lambda: [
                build_package(work / "ja_en.argosmodel", "ja", "en", seed=7),
                build_package(work / "en_pt.argosmodel", "en", "pt", seed=11),
            ],
        )
        mt = machine.MachineTranslator(work / "packages", TranslationCache(work / "cache.sqlite"))
        mt.install_model(work / "ja_en.argosmodel")
        mt.install_model(work / "en_pt.argosmodel")
        with block_network() as attempts:
            once(
                "mt: first sentence (imports argostranslate+torch, loads)",
                lambda: mt.translate("本日は窓口が混雑しています。", "ja", "en"),
            )
            sentences = [f"受付番号{n}番の方は窓口へお越しください。" for n in range(200)]
            it = iter(sentences)
            report("mt: ja→en per sentence, uncached", timed(lambda: mt.translate(next(it), "ja", "en"), 100))
            it2 = iter(sentences)
            report(
                "mt: ja→pt (pivot via en) per sentence, uncached",
                timed(lambda: mt.translate(next(it2), "ja", "pt-BR"), 100),
            )
            report("mt: ja→en cached (SQLite hit)", timed(lambda: mt.translate(sentences[0], "ja", "en"), 2000), "us")
        print(f"mt: network attempts blocked: {len(attempts)}")
        without, loaded = server_memory_mb(work / "packages")
        print(f"mt: server process RSS without MT {without:.1f} MB, with MT + tiny models loaded {loaded:.1f} MB")
        size, names = extra_install_size_mb()
        print(f"mt: installed size of the translate extra: {size:.0f} MB ({len(names)} distributions)")
    else:
        print("mt: argostranslate not installed (translate extra): skipped")

    from madoguchi.devices.speech.voice import VoiceSynthesizer

    voice = VoiceSynthesizer(Path(tempfile.mkdtemp(prefix="bench-voice-")))
    once("voice: ja first announcement (loads pyopenjtalk)", lambda: voice.synthesize_announcement("ja", "Z-999", 9))
    numbers = iter(range(1000))
    report(
        "voice: ja announcement, cold (new number)",
        timed(lambda: voice.synthesize_announcement("ja", f"A-{next(numbers):03d}", 3), 10),
    )
    numbers_en = iter(range(1000))
    report(
        "voice: en announcement via espeak-ng, cold",
        timed(lambda: voice.synthesize_announcement("en", f"A-{next(numbers_en):03d}", 3), 10),
    )
    report("voice: ja announcement, cached", timed(lambda: voice.synthesize_announcement("ja", "A-001", 3), 200), "us")
    report(
        "voice: tl (no voice) chime + text", timed(lambda: voice.synthesize_announcement("tl", "A-001", 3), 200), "us"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())

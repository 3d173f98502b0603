"""Hall configurations the tests of a day at the counter share: open all day, and a hall of nine counters."""

from __future__ import annotations

import re
from pathlib import Path

from madoguchi.apps.kiosk.demo_material import always_open_config


def open_all_day(folder: Path, **hall: str) -> Path:
    """The example hall open 00:00–23:59 without planned breaks; ``hall`` replaces ``[hall]`` or ``[operations]``
    keys (``late_arrival_place='"end"'``)."""
    path = always_open_config(folder)
    text = path.read_text(encoding="utf-8")
    text = re.sub(r"^breaks = .*$\n", "", text, flags=re.M)  # a planned break must not shape the estimates
    text = re.sub(r"^hours = \{ start = \"(09:00|08:30)\", end = \"(17:00|12:00)\" \}$\n", "", text, flags=re.M)
    for key, value in hall.items():
        text, n = re.subn(rf"^{key} = .*$", f"{key} = {value}", text, count=1, flags=re.M)
        assert n == 1, key
    path.write_text(text, encoding="utf-8")
    return path


def nine_counters(folder: Path) -> Path:
    """One procedure (4 min each) served at nine counters, open all day: what a counter's state changes shows
    plainly in the estimates."""
    counters = "\n".join(f'[[counters]]\nnumber = {n}\nservices = ["juminhyo"]\n' for n in range(1, 10))
    text = f"""[hall]
name = {{ ja = "九窓口の庁舎", en = "Hall of nine counters" }}
opening = {{ start = "00:00", end = "23:59" }}
issue_rate_per_minute = 1000

[[services]]
id = "juminhyo"
prefix = "A"
category = "certificates"
name = {{ ja = "住民票の写し", en = "Certificate of residence" }}
mean_service_min = 4.0

{counters}"""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "nine.toml"
    path.write_text(text, encoding="utf-8")
    return path

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from madoguchi.core.config import EXAMPLE_CONFIG, ConfigError, load_config, parse_config
from madoguchi.core.config_locate import locate_key

EXAMPLE = EXAMPLE_CONFIG


def example_text() -> str:
    return EXAMPLE.read_text(encoding="utf-8")


def test_example_is_a_realistic_hall() -> None:
    cfg = load_config(EXAMPLE)
    assert 8 <= len(cfg.services) <= 12
    assert 1 <= len(cfg.counters) <= 15
    assert {"ja", "en"} <= set(cfg.services[0].name)
    assert sum(s.needs_individual_number for s in cfg.services) <= 2  # most do not need it
    prefixes = [s.prefix for s in cfg.services]
    assert len(prefixes) == len(set(prefixes))


def test_config_objects_are_immutable() -> None:
    cfg = load_config(EXAMPLE)
    with pytest.raises(Exception):  # noqa: B017 - pydantic's frozen error type is an implementation detail
        cfg.hall.call_policy = "counter_priority"  # type: ignore[misc]


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ('call_policy = "oldest_first"', 'call_polcy = "oldest_first"', "hall.call_polcy: unknown key"),
        ('day_reset = "03:00"', 'day_reset = "27:00"', 'hall.day_reset: expected a time of day as "HH:MM"'),
        ("no_show_after_recalls = 2", 'no_show_after_recalls = "two"', "hall.no_show_after_recalls: "),
        ('prefix = "B"', 'prefix = "A"', "services[1].prefix: duplicate prefix 'A'"),
        ('services = ["mynumber"]', 'services = ["mynumbr"]', "counters[6].services[0]: unknown service 'mynumbr'"),
        ('form = "insurance"', 'form = "insurence"', "services[7].form: unknown form 'insurence'"),
        (
            'breaks = [{ start = "11:30", end = "12:30" }]',
            'breaks = [{ start = "12:30", end = "11:30" }]',
            "expected the end after the start",
        ),
    ],
)
def test_mistakes_name_file_line_and_key(old: str, new: str, expected: str) -> None:
    text = example_text()
    assert old in text
    bad = text.replace(old, new, 1)
    with pytest.raises(ConfigError) as info:
        parse_config(bad, "hall.toml")
    message = str(info.value)
    assert expected in message
    line_no = int(message.split(":")[1])
    # the reported line is where the mistake is (or its enclosing key)
    assert new.split("=")[0].strip().split(" ")[0] in bad.splitlines()[line_no - 1] or line_no > 0


def test_not_toml_is_reported_without_traceback() -> None:
    with pytest.raises(ConfigError, match="not valid TOML"):
        parse_config("[hall\nname = 1", "bad.toml")


def test_locate_array_of_tables() -> None:
    text = "[[a]]\nx = 1\n[[a]]\nx = 2\ny = [1,\n 2]\n[[a]]\n[a.sub]\nz = 3\n"
    assert locate_key(text, ("a", 1, "x")) == 4
    assert locate_key(text, ("a", 1, "y", 1)) == 5
    assert locate_key(text, ("a", 2, "sub", "z")) == 9


def run_main(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "madoguchi", *args], capture_output=True, text=True, cwd=EXAMPLE.parents[1]
    )


def test_check_config_cli(tmp_path: Path) -> None:
    ok = run_main("check-config", str(EXAMPLE))
    assert ok.returncode == 0, ok.stderr
    assert "住民票の写し" in ok.stdout and "12 counters" in ok.stdout
    bad = tmp_path / "hall.toml"
    bad.write_text(example_text().replace('prefix = "B"', 'prefix = "A"'), encoding="utf-8")
    res = run_main("check-config", str(bad))
    assert res.returncode == 2
    assert f"{bad}:" in res.stderr and "duplicate prefix" in res.stderr
    assert "Traceback" not in res.stderr


def test_server_validates_config_first(tmp_path: Path) -> None:
    bad = tmp_path / "hall.toml"
    bad.write_text("[hall]\nname = 3\n", encoding="utf-8")
    res = run_main("server", "--config", str(bad), "--data-dir", str(tmp_path / "d"))
    assert res.returncode == 2
    assert "hall.name" in res.stderr and "Traceback" not in res.stderr

"""``madoguchi card-check`` exit codes, run as a subprocess against pcscd + the virtual card."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

from madoguchi.devices.card.pcscd_harness import InsertCard, wait_for_presence


def card_check(repo_root: Path, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "madoguchi", "card-check", "--reader", "00 00$", "--timeout", "3", *args],
        cwd=repo_root,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_read_prints_json(repo_root: Path, insert_card: InsertCard) -> None:
    insert_card()
    done = card_check(repo_root, "--allow-virtual", "--read", stdin="1234\n")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == {
        "name": "平塚　花子",
        "address": "神奈川県平塚市浅間町９－１",
        "birth_date": "1980-02-17",
        "sex": "female",
    }
    assert "PIN tries left: 3" in done.stderr


def test_check_without_read_spends_nothing(repo_root: Path, insert_card: InsertCard) -> None:
    card = insert_card()
    done = card_check(repo_root, "--allow-virtual")
    assert done.returncode == 0, done.stderr
    assert "My Number card: yes" in done.stderr and done.stdout == ""
    assert card.card.verify_attempts == 0


def test_wrong_pin_exits_3(repo_root: Path, insert_card: InsertCard) -> None:
    insert_card()
    done = card_check(repo_root, "--allow-virtual", "--read", stdin="9999\n")
    assert done.returncode == 3
    assert "2 tries left" in done.stderr and "9999" not in done.stderr + done.stdout


def test_locked_exits_4(repo_root: Path, insert_card: InsertCard) -> None:
    insert_card(tries_left=0)
    assert card_check(repo_root, "--allow-virtual", "--read", stdin="1234\n").returncode == 4


def test_no_reader_or_no_card_exits_5(repo_root: Path, pcscd: object) -> None:
    assert card_check(repo_root).returncode == 5  # virtual readers are ignored without --allow-virtual
    done = card_check(repo_root, "--allow-virtual", "--timeout", "0.3")
    assert done.returncode == 5 and "no card" in done.stderr


def test_not_mynumber_exits_6(repo_root: Path, insert_card: InsertCard) -> None:
    insert_card(is_mynumber=False)
    assert card_check(repo_root, "--allow-virtual").returncode == 6


def test_card_sim_cli_with_card_check(repo_root: Path, pcscd: object) -> None:
    sim = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "madoguchi",
            "card-sim",
            "--port",
            "35964",
            "--name",
            "試験　一郎",
            "--sex",
            "male",
            "--pin",
            "4321",
            "--birth-date",
            "1955-05-05",
        ],
        cwd=repo_root,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        wait_for_presence("Virtual PCD 00 01", present=True, timeout=10)
        done = subprocess.run(
            [sys.executable, "-m", "madoguchi", "card-check", "--reader", "00 01$", "--allow-virtual", "--read"],
            cwd=repo_root,
            input="4321\n",
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert done.returncode == 0, done.stderr
        assert json.loads(done.stdout)["name"] == "試験　一郎"
        assert json.loads(done.stdout)["birth_date"] == "1955-05-05"
    finally:
        os.kill(sim.pid, signal.SIGTERM)
        sim.wait(timeout=10)
    wait_for_presence("Virtual PCD 00 01", present=False, timeout=10)

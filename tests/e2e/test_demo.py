"""`make demo` smoke test: the whole hall starts in one process, serves traffic, and shuts down cleanly."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def test_demo_runs_and_quits(artifacts_dir: Path) -> None:
    out = artifacts_dir / "demo"
    res = subprocess.run(
        [sys.executable, "main.py", "demo", "--quit-after", "14", "--speed", "120", "--screenshot-dir", str(out)],
        capture_output=True,
        text=True,
        cwd=REPO,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
        timeout=180,
    )
    assert res.returncode == 0, res.stderr[-3000:]
    assert "hall server: http://127.0.0.1:" in res.stdout
    assert "Traceback" not in res.stderr
    shots = sorted(p.name for p in out.glob("demo-*.png"))
    assert any("KioskWindow" in s for s in shots) and any("BoardWindow" in s for s in shots)
    assert "ticket" in res.stderr  # the traffic generator issued and served tickets

"""The collector is paused while the hall server starts and runs again in every process that serves
(``queueing/startup_heap.py``): a worker left with it paused would never free a reference cycle."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from queueing.testing import REPO, free_port

pytestmark = pytest.mark.timeout(60)

# ``main.py server`` as it runs, except that serving reports the collector's state instead of serving; a worker of
# several then stops its supervisor, which stops the rest.
_REPORT_INSTEAD_OF_SERVING = """
import gc, json, os, signal, sys
sys.path.insert(0, {repo!r})
import main
from queueing.server.workers import ServerLaunch

def report(self, app, sockets=None):
    with open({out!r}, "a") as f:
        f.write(json.dumps({{"enabled": gc.isenabled(), "frozen": gc.get_freeze_count()}}) + "\\n")
    if sockets is not None:
        os.kill(os.getppid(), signal.SIGTERM)

ServerLaunch.serve = report
sys.exit(main.main(sys.argv[1:]))
"""


@pytest.mark.parametrize("workers", [1, 2])
def test_every_serving_process_collects_again_with_the_start_frozen(tmp_path: Path, workers: int) -> None:
    out = tmp_path / "states.jsonl"
    script = _REPORT_INSTEAD_OF_SERVING.format(repo=str(REPO), out=str(out))
    config = REPO / "deploy" / "hall.example.toml"
    args = ["server", "--config", str(config), "--data-dir", str(tmp_path / "data"), "--port", str(free_port())]
    subprocess.run([sys.executable, "-c", script, *args, "--workers", str(workers)], cwd=REPO, timeout=50, check=False)
    states = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert states, "no process reached the point of serving"
    for state in states:
        assert state["enabled"] is True
        assert state["frozen"] > 10_000  # the imported code and the app: never scanned again

"""The collector is paused while the hall server starts and runs again in every process it starts
(``queueing/startup_heap.py``): a process left with it paused would never free a reference cycle."""

from __future__ import annotations

import gc
import json
import subprocess
import sys
from pathlib import Path

import pytest

from madoguchi.client.local_server import free_port
from madoguchi.core.child_process import die_with_parent
from madoguchi.core.config import EXAMPLE_CONFIG
from madoguchi.server.startup_heap import collector_paused
from tests.support.paths import REPO

pytestmark = pytest.mark.timeout(60)

# ``madoguchi server`` as it runs, except that each process reports the collector's state where it would begin its
# work (serving, or estimating) and then waits; the last to report stops the supervisor, which stops the rest.
_REPORT_INSTEAD_OF_WORKING = """
import gc, json, os, signal, sys
sys.path.insert(0, {repo!r})
from madoguchi import cli
import madoguchi.server.workers as workers

def report(expected, supervisor):
    line = json.dumps({{"pid": os.getpid(), "enabled": gc.isenabled(), "frozen": gc.get_freeze_count()}})
    with open({out!r}, "a") as f:
        f.write(line + "\\n")
    with open({out!r}) as f:
        if len(f.readlines()) < expected:
            signal.pause()  # until the supervisor's SIGTERM
    if supervisor:
        os.kill(os.getppid(), signal.SIGTERM)

def serve(self, app, sockets=None):
    several = sockets is not None  # a worker of several: it and the estimates process report
    report(self.workers + 1 if several else 1, several)

workers.ServerLaunch.serve = serve
workers.estimates_main = lambda launch, beat: report(launch.workers + 1, True)
sys.exit(cli.main(sys.argv[1:]))
"""


@pytest.mark.parametrize("workers", [1, 2])
def test_every_process_collects_again_with_the_start_frozen(tmp_path: Path, workers: int) -> None:
    out = tmp_path / "states.jsonl"
    script = _REPORT_INSTEAD_OF_WORKING.format(repo=str(REPO), out=str(out))
    config = EXAMPLE_CONFIG
    args = ["server", "--config", str(config), "--data-dir", str(tmp_path / "data"), "--port", str(free_port())]
    done = subprocess.run(
        [sys.executable, "-c", script, *args, "--workers", str(workers)],
        cwd=REPO,
        timeout=50,
        capture_output=True,
        text=True,
        preexec_fn=die_with_parent,  # a killed test run leaves no supervisor behind
    )
    assert out.exists(), done.stderr
    states = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    # with several workers: each worker and the estimates process
    assert len({s["pid"] for s in states}) == (workers + 1 if workers > 1 else 1), done.stderr
    for state in states:
        assert state["enabled"] is True
        assert state["frozen"] > 10_000  # the imported code and the app: never scanned again


def test_a_start_that_fails_gives_the_collector_back() -> None:
    assert gc.isenabled()
    with pytest.raises(SystemExit), collector_paused():
        assert not gc.isenabled()
        raise SystemExit("cannot listen on 0.0.0.0:8700")
    assert gc.isenabled()

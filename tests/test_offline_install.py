"""A role installs from its wheelhouse into a fresh virtualenv with no package index, and runs.

The server role proves the mechanism at the smallest cost (34 wheels, ~28 MiB): ``scripts/wheelhouse`` fills
the folder from the index as on an office PC with access, then the folder's own ``install-role`` installs with
the index disabled, this machine's pip configuration ignored and every proxy pointing at a closed port, so any
attempt to reach the network fails. The installed ``madoguchi`` then provisions a hall, serves it, and a kiosk
takes a ticket from it. Its closure's licences are checked inside the new virtualenv too.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from madoguchi.client.hall_client import HallClient, wait_until_up
from madoguchi.client.local_server import free_port, stop_process

REPO = Path(__file__).resolve().parents[1]
CLOSED = "http://127.0.0.1:9"  # the discard port: nothing listens, every request fails at once


def _fresh_machine_env() -> dict[str, str]:
    """pip as on a fresh machine: no configuration of this one (its local wheel cache, its mirrors)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PIP_") and k != "PYTHONPATH"}
    env["PIP_CONFIG_FILE"] = os.devnull
    return env


@pytest.fixture(scope="module")
def server_wheelhouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheelhouse-server")
    done = subprocess.run(
        [sys.executable, str(REPO / "scripts" / "wheelhouse"), "server", str(out)],
        env=_fresh_machine_env(),
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return out


def test_the_server_role_installs_offline_and_serves(server_wheelhouse: Path, tmp_path: Path) -> None:
    wheels = {w.name.split("-")[0].lower() for w in server_wheelhouse.glob("*.whl")}
    assert "madoguchi" in wheels and "fastapi" in wheels
    assert not wheels & {"pyside6", "pyside6_essentials", "pytest", "opencv_python_headless", "matplotlib"}

    offline = {**_fresh_machine_env(), "http_proxy": CLOSED, "https_proxy": CLOSED, "PIP_INDEX_URL": CLOSED}
    prefix = tmp_path / "opt-madoguchi"
    done = subprocess.run(
        ["bash", str(server_wheelhouse / "install-role"), "server", "--prefix", str(prefix),
         "--wheelhouse", str(server_wheelhouse), "--no-system-packages"],
        env=offline, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    venv = prefix / ".venv"
    madoguchi = venv / "bin" / "madoguchi"

    # only the role: no Qt, no test stack, no development tools in the production install
    listed = subprocess.run(
        [str(venv / "bin" / "python"), "-m", "pip", "list", "--format", "json"],
        env=offline,
        capture_output=True,
        cwd=tmp_path,
    )
    installed = {p["name"].lower() for p in json.loads(listed.stdout)}
    assert not installed & {"pyside6", "pytest", "ruff", "mypy", "matplotlib", "argostranslate", "minisbd"}
    check = subprocess.run(
        [str(venv / "bin" / "python"), "-c", _LICENCE_CHECK, str(REPO)],
        env=offline,
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert check.returncode == 0, check.stdout + check.stderr

    example = subprocess.run(
        [str(venv / "bin" / "python"), "-c", "from madoguchi.core.config import EXAMPLE_CONFIG; print(EXAMPLE_CONFIG)"],
        env=offline, capture_output=True, text=True, check=True, cwd=tmp_path,
    ).stdout.strip()  # fmt: skip
    assert example.startswith(str(venv))  # the installed package, not this source tree
    data = tmp_path / "data"
    provisioned = subprocess.run(
        [str(madoguchi), "admin", "--data-dir", str(data), "--config", example, "provision"],
        input=json.dumps({"devices": [{"name": "kiosk-1", "role": "kiosk"}], "staff": []}),
        env=offline, capture_output=True, text=True, timeout=60, cwd=tmp_path,
    )  # fmt: skip
    assert provisioned.returncode == 0, provisioned.stderr[-2000:]
    token = json.loads(provisioned.stdout)["devices"]["kiosk-1"]

    port = free_port()
    server = subprocess.Popen(
        [str(madoguchi), "server", "--config", example, "--data-dir", str(data), "--port", str(port)],
        env=offline, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, cwd=tmp_path,
    )  # fmt: skip
    try:
        base = f"http://127.0.0.1:{port}"
        assert wait_until_up(base, 30), server.stdout.read().decode() if server.stdout else ""
        client = HallClient(base, token)
        try:
            services = client.services()
            ticket = client.issue(services[0].id)
        finally:
            client.close()
        assert ticket.ticket.number and ticket.ticket.service_id == services[0].id
    finally:
        stop_process(server, grace=10)


# runs inside the new virtualenv: the licences of what is really installed there
_LICENCE_CHECK = """
import importlib.metadata as md, sys
sys.path.insert(0, sys.argv[1] + "/tests/support")
import licences
bad = {}
for dist in md.distributions():
    name = dist.metadata["Name"]
    if name.lower() in ("madoguchi", "pip", "setuptools"):
        continue
    verdict = licences.licence_of(name)
    if not licences.allowed(verdict):
        bad[name] = verdict
print(bad)
sys.exit(1 if bad else 0)
"""


def test_wheels_built_here_join_the_wheelhouse_hashes(tmp_path: Path) -> None:
    """pyscard and unidic-lite come from locked sdists: the wheels built from them get their own hash line."""
    import importlib.util
    from importlib.machinery import SourceFileLoader

    loader = SourceFileLoader("wheelhouse", str(REPO / "scripts" / "wheelhouse"))
    spec = importlib.util.spec_from_loader("wheelhouse", loader)
    assert spec is not None
    wheelhouse = importlib.util.module_from_spec(spec)
    loader.exec_module(wheelhouse)
    lock = (
        "pyscard==2.3.1 \\\n    --hash=sha256:" + "a" * 64 + "\npyserial==3.5 \\\n    --hash=sha256:" + "b" * 64 + "\n"
    )
    built = tmp_path / "pyscard-2.3.1-cp311-cp311-linux_x86_64.whl"
    built.write_bytes(b"a wheel built here")
    (tmp_path / "pyserial-3.5-py2.py3-none-any.whl").write_bytes(b"from the index")
    (tmp_path / "madoguchi-0.1.0-py3-none-any.whl").write_bytes(b"ours, installed without hashes")
    import hashlib

    digest = hashlib.sha256(b"a wheel built here").hexdigest()
    index_digest = hashlib.sha256(b"from the index").hexdigest()
    lock = lock.replace("b" * 64, index_digest)
    text = wheelhouse.with_built_wheels(lock, tmp_path)
    assert text.splitlines()[:3] == [
        "pyscard==2.3.1 \\",
        f"    --hash=sha256:{digest} \\",
        "    --hash=sha256:" + "a" * 64,
    ]
    assert text.count("--hash") == 3

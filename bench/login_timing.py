"""How long a staff login takes to be refused, for a known id and for an unknown one (docs/security.md).

An attacker must not learn which ids exist from the answer time. Prints p50/p95 ms of the password check alone
(in this process, 40 of each) and of refused logins against a real server (9 of each: the per-source throttle
allows 20 failures a minute). Run: ``python bench/login_timing.py``.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import httpx

from madoguchi.client.local_server import HallServerProcess
from madoguchi.server.security import hash_password, unknown_account_hash, verify_password


def _ms(samples: list[float]) -> str:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return f"p50 {statistics.median(ordered) * 1000:6.1f} ms  p95 {p95 * 1000:6.1f} ms  (n={len(ordered)})"


def _timed(fn: object) -> float:
    assert callable(fn)
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def main() -> int:
    known = hash_password("the staff member's password")
    unknown = unknown_account_hash()
    check_known = [_timed(lambda: verify_password("a guess", known)) for _ in range(40)]
    check_unknown = [_timed(lambda: verify_password("a guess", unknown)) for _ in range(40)]
    print(f"password check, known id:    {_ms(check_known)}")
    print(f"password check, unknown id:  {_ms(check_unknown)}")
    with tempfile.TemporaryDirectory(prefix="madoguchi-login-") as tmp, HallServerProcess(Path(tmp) / "hall") as srv:
        url = f"{srv.base_url}/api/v1/staff/login"
        headers = {"Authorization": f"Bearer {srv.tokens['counter-pc-1']}"}
        timings: dict[str, list[float]] = {"known": [], "unknown": []}
        with httpx.Client(headers=headers, timeout=10) as http:
            for i in range(9):
                for kind, staff_id in (("known", srv.staff_ids[i % 3]), ("unknown", f"no-such-clerk-{i}")):
                    start = time.perf_counter()
                    r = http.post(url, json={"staff_id": staff_id, "password": "a guess"})
                    timings[kind].append(time.perf_counter() - start)
                    assert r.status_code == 401, r.status_code
    print(f"refused login, known id:     {_ms(timings['known'])}")
    print(f"refused login, unknown id:   {_ms(timings['unknown'])}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

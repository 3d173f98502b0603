"""A whole city-hall day under faults (issue 13), as a benchmark: prints the soak's figures.

    python bench/soak.py                      # the whole day: 510 simulated minutes at x30 (~17 min wall)
    python bench/soak.py --minutes 120 --speed 60 --out /tmp/soak

Same run as ``madoguchi soak``: server, printer simulators, kiosks and the Qt board as processes, staff and
the WebSocket board as threads, faults on a schedule (the last one a server clock jump over the day roll),
invariants from the database and the clients' records. The Markdown report and
the PNG timeline land in ``--out``. Prints figures; exits non-zero only when an invariant was violated.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from madoguchi.apps.soak import cli  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    cli.add_arguments(parser)
    args = parser.parse_args()
    if args.out == Path("soak-out"):
        args.out = Path(tempfile.mkdtemp(prefix="soak-"))
    return cli.run(args)


if __name__ == "__main__":
    raise SystemExit(main())

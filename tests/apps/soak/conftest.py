"""The short soak runs once per test session; the tests read its result."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(scope="session")
def short_soak(tmp_path_factory: pytest.TempPathFactory, artifacts_dir: Path):  # type: ignore[no-untyped-def]
    import shutil

    from madoguchi.apps.soak.cli import NOT_COVERED, SHORT_MINUTES, SHORT_SPEED
    from madoguchi.apps.soak.report import write_report
    from madoguchi.apps.soak.run import SoakSettings, run_soak

    out: Path = tmp_path_factory.mktemp("soak")
    result = run_soak(SoakSettings(SHORT_MINUTES, SHORT_SPEED, out))
    result.notes.extend(NOT_COVERED)
    md, png, summary = write_report(result)
    keep = artifacts_dir / "soak"  # for people to look at after a CI run
    keep.mkdir(parents=True, exist_ok=True)
    for path in (md, png, out / "server.log"):
        shutil.copy2(path, keep / path.name)
    return result, md, png, summary

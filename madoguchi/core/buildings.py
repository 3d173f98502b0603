"""Several buildings: the hall servers one admin console (and ``madoguchi buildings``) follows.

A city has a main building and branch offices (支所); each runs its own hall server and keeps working alone
when the network between buildings drops. The list is a small TOML file on the manager's PC::

    [[buildings]]
    name = { ja = "本庁舎", en = "Main building" }
    server = "https://hall-main.city.example:8700"
    token_file = "/etc/madoguchi/admin-main.token"     # that server's admin token
    ca_file = "/etc/madoguchi/tls/ca.pem"               # optional

Relative paths are read from the file's folder.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from madoguchi.core.config import ConfigError, LocalizedText, localized


class Building(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    name: LocalizedText
    server: str = Field(pattern=r"^https?://")
    token_file: Path
    ca_file: Path | None = None

    def label(self, language: str) -> str:
        return localized(self.name, language)

    def token(self) -> str:
        return self.token_file.read_text(encoding="utf-8").strip()


class Buildings(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    buildings: tuple[Building, ...] = Field(min_length=1)


def load_buildings(path: Path) -> tuple[Building, ...]:
    """Read and check the list; raises ConfigError (file and what is wrong) on any mistake."""
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
        found = Buildings.model_validate(raw).buildings
    except OSError as exc:
        raise ConfigError(path, [f"{path}: cannot read: {exc.strerror}"]) from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(path, [f"{path}: not valid TOML: {exc}"]) from None
    except ValidationError as exc:
        lines = [f"{path}: {'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors()]
        raise ConfigError(path, lines) from None
    names = [b.name["ja"] for b in found]
    if len(set(names)) != len(names):
        raise ConfigError(path, [f"{path}: two buildings have the same name"])
    base = path.parent
    return tuple(
        b.model_copy(
            update={
                "token_file": base / b.token_file,
                "ca_file": base / b.ca_file if b.ca_file is not None else None,
            }
        )
        for b in found
    )

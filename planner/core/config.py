"""Settings a rep or team can change in `config.toml`, with safe defaults."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from planner.core.errors import PlannerError
from planner.core.i18n import LANGUAGES, _

DEFAULT_CADENCE = {"A": 14, "B": 30, "C": 90}


@dataclass(frozen=True)
class Settings:
    """`key_threshold`: revenue share the key accounts must cover (0.8 = the 80/20 rule).
    `cadence`: days between contacts per class before an account counts as stale.
    `high_threat`: the competitor threat level (1-5) that demands a counter-action.
    `keymap`: binding id to keys (e.g. `list-new = "insert"`), applied over the defaults.
    `language`: "en" or "zh" for the interface, whatever the locale says (None: follow it)."""

    key_threshold: float = 0.8
    cadence: dict[str, int] = field(default_factory=lambda: dict(DEFAULT_CADENCE))
    high_threat: int = 4
    keymap: dict[str, str] = field(default_factory=dict)
    language: str | None = None

    def cadence_days(self, account_class: str, override: int | None = None) -> int:
        """An account's own cadence if it has one, else its class's (90 days for none)."""
        return override or self.cadence.get(account_class, 90)


class ConfigError(PlannerError):
    pass


def load(path: Path) -> Settings:
    """Read `path` if it exists; a broken file is an error, not a silent default."""
    if not path.exists():
        return Settings()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise ConfigError(_("Cannot read the settings file {path}: {error}").format(path=path, error=error)) from error
    threshold = data.get("key_threshold", 0.8)
    if isinstance(threshold, bool) or not isinstance(threshold, (int, float)) or not 0 < threshold <= 1:
        raise ConfigError(
            _("{path}: key_threshold must be a number above 0 and at most 1, like 0.8.").format(path=path)
        )
    cadence = dict(DEFAULT_CADENCE)
    for key, days in data.get("cadence", {}).items():
        if key not in DEFAULT_CADENCE or isinstance(days, bool) or not isinstance(days, int) or days < 1:
            raise ConfigError(_("{path}: cadence takes A, B and C, each a whole number of days.").format(path=path))
        cadence[key] = days
    threat = data.get("high_threat", 4)
    if isinstance(threat, bool) or not isinstance(threat, int) or not 1 <= threat <= 5:
        raise ConfigError(_("{path}: high_threat must be a whole number from 1 to 5.").format(path=path))
    keymap = data.get("keymap", {})
    if not isinstance(keymap, dict) or not all(isinstance(v, str) and v for v in keymap.values()):
        raise ConfigError(
            _('{path}: [keymap] maps a key binding id to keys, like list-new = "insert" (? shows the ids).').format(
                path=path
            )
        )
    language = data.get("language")
    if language is not None and language not in LANGUAGES:
        raise ConfigError(_('{path}: language must be "en" or "zh".').format(path=path))
    return Settings(
        key_threshold=float(threshold), cadence=cadence, high_threat=threat, keymap=keymap, language=language
    )


def configured_language(path: Path) -> str | None:
    """The `language` setting alone, read before anything else so even `--help` is in
    it; a file or folder that cannot be read gives None here (`load` reports it in
    full later), and the locale decides."""
    try:
        return load(path).language
    except (ConfigError, OSError):
        return None

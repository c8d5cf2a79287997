"""The interface's language: English (the source strings) or Simplified Chinese.

Every user-visible string goes through `_` (or `ngettext`), looked up at the moment it
is shown in the gettext catalog `planner/locale/zh/LC_MESSAGES/planner.po`, compiled
into `planner.mo` by the build. A string that must exist before a language is chosen
(a module constant, a class attribute, a binding's description) is marked with `N_`
where it is written and passed through `_` where it is shown, so one process can
switch language (the tests draw every screen in both).
"""

from __future__ import annotations

import gettext
import os
from collections.abc import Mapping
from pathlib import Path

DOMAIN = "planner"
LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"
LANGUAGES = ("en", "zh")

_catalog: gettext.NullTranslations = gettext.NullTranslations()
_language = "en"


def _(message: str) -> str:
    """`message` in the interface's language."""
    return _catalog.gettext(message)


def N_(message: str) -> str:  # noqa: N802 (gettext's own name for the marker)
    """Mark `message` for the catalog without translating it yet (see the module's doc)."""
    return message


def ngettext(singular: str, plural: str, count: int) -> str:
    """The singular or plural form for `count`, in the interface's language."""
    return _catalog.ngettext(singular, plural, count)


def language() -> str:
    """ "en" or "zh"."""
    return _language


def chinese() -> bool:
    return _language == "zh"


def language_from(environ: Mapping[str, str], configured: str | None = None) -> str:
    """The language to use: `language` in config.toml if set, else the locale's
    (LC_ALL, then LC_MESSAGES, then LANG, as POSIX orders them): zh_* is Chinese."""
    if configured:
        return configured
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = environ.get(name, "")
        if value:
            return "zh" if value.lower().startswith("zh") else "en"
    return "en"


class CatalogMissing(RuntimeError):
    """The Chinese catalog was not compiled: the planner was not installed with pip."""


def set_language(lang: str) -> None:
    """Switch every later `_` to `lang`; argparse's own texts follow it too, since
    argparse asks gettext's default domain, which is bound here."""
    global _catalog, _language
    if lang not in LANGUAGES:
        raise ValueError(f"language must be one of {', '.join(LANGUAGES)}, not {lang!r}")
    if lang == "en":
        _catalog = gettext.NullTranslations()
    else:
        try:
            _catalog = gettext.translation(DOMAIN, LOCALE_DIR, languages=[lang])
        except OSError as error:
            raise CatalogMissing(
                f"The Chinese messages are not compiled ({error}); reinstall the planner with pip."
            ) from error
    _language = lang
    gettext.bindtextdomain(DOMAIN, str(LOCALE_DIR))
    gettext.textdomain(DOMAIN)
    os.environ["LANGUAGE"] = lang

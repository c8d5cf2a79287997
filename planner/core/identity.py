"""Who is at the keyboard: the real uid's login name, never `$USER`."""

from __future__ import annotations

import os
import pwd


def current_user() -> str:
    """`getpass.getuser()` trusts `$USER`; the password database does not lie."""
    uid = os.getuid()
    try:
        return pwd.getpwuid(uid).pw_name
    except KeyError:
        return f"uid{uid}"

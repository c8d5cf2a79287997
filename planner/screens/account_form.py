"""The account form: a new account, or an existing one's profile, on the record form."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from planner.core import models as m
from planner.core.formatting import name_key
from planner.core.i18n import _
from planner.screens.record_form import RecordForm

if TYPE_CHECKING:
    from planner.store.store import Store

ACCOUNT_FIELDS = (
    "name", "industry_id", "region", "account_class", "owner", "revenue", "profit", "influence",
    "input_people", "input_money", "input_material", "application_level", "problems",
    "procurement_method", "notes", "cadence_days",
)  # fmt: skip


def same_name(store: Store, values: dict[str, Any], account: m.Account | None) -> str | None:
    """Ask before a second account gets the name of one that exists (a rename to the
    name the account already has asks nothing)."""
    name = values.get("name") or ""
    if account is not None and name_key(name) == name_key(account.name):
        return None
    found = store.accounts_named(name, other_than=account.id if account else None)
    if not found:
        return None
    name, owner, region = found[0]
    where = ", ".join(part for part in (owner, region) if part) or _("no owner or region recorded")
    return _("An account named {name!r} already exists ({where}). Save anyway?").format(name=name, where=where)


class AccountForm(RecordForm):
    """Edit `account`, or (None) make a new one owned by `owner`; dismissed with the
    saved account."""

    def __init__(self, account: m.Account | None, industries: Sequence[tuple[str, str]], owner: str = ""):
        if account is not None and account.industry_id and account.industry_id not in {v for __, v in industries}:
            # Restored, or synced, after its industry was deleted: the picker shows that.
            industries = [*industries, (_("a deleted industry: pick another"), account.industry_id)]
        choices = {"industry_id": industries}
        if account is None:
            fresh: dict[str, Any] = {"account_class": "C", "owner": owner, "influence": 3}

            def create(store: Store, values: dict[str, Any]) -> m.Account:
                return store.create(m.Account, **{**fresh, **values})

            super().__init__(
                _("New account"), m.Account, ACCOUNT_FIELDS, fresh, create, choices=choices,
                question=lambda store, values: same_name(store, values, None),
            )  # fmt: skip
        else:

            def update(store: Store, values: dict[str, Any]) -> m.Account:
                return store.update(m.Account, account.id, account.version, **values)

            super().__init__(
                _("Edit {name}").format(name=account.name), m.Account, ACCOUNT_FIELDS, account.model_dump(), update,
                choices=choices,
                question=lambda store, values: same_name(store, values, account),
            )  # fmt: skip

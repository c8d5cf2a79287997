"""The account form: a new account, or an existing one's profile, on the record form."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from planner.core import models as m
from planner.screens.record_form import RecordForm

if TYPE_CHECKING:
    from planner.store.store import Store

ACCOUNT_FIELDS = (
    "name", "industry_id", "region", "account_class", "owner", "revenue", "profit", "influence",
    "input_people", "input_money", "input_material", "application_level", "problems",
    "procurement_method", "notes", "cadence_days",
)  # fmt: skip


class AccountForm(RecordForm):
    """Edit `account`, or (None) make a new one owned by `owner`; dismissed with the
    saved account."""

    def __init__(self, account: m.Account | None, industries: Sequence[tuple[str, str]], owner: str = ""):
        choices = {"industry_id": industries}
        if account is None:
            fresh: dict[str, Any] = {"account_class": "C", "owner": owner, "influence": 3}

            def create(store: Store, values: dict[str, Any]) -> m.Account:
                return store.create(m.Account, **{**fresh, **values})

            super().__init__("New account", m.Account, ACCOUNT_FIELDS, fresh, create, choices=choices)
        else:

            def update(store: Store, values: dict[str, Any]) -> m.Account:
                return store.update(m.Account, account.id, account.version, **values)

            super().__init__(
                f"Edit {account.name}", m.Account, ACCOUNT_FIELDS, account.model_dump(), update, choices=choices
            )

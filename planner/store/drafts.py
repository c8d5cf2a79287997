"""Drafts: each rep's unsaved form text, kept in the database so a dropped SSH
connection or a closed laptop loses nothing. Written outside the change log (a draft
is nobody else's business and must not make the other reps' screens reload)."""

from __future__ import annotations

import json
from datetime import UTC
from typing import Any

from sqlmodel import select

from planner.core import models as m
from planner.core.drafts import DraftNote
from planner.store.audit import encode
from planner.store.base import StoreBase


class Drafts(StoreBase):
    def keep_draft(self, key: str, title: str, fields: dict[str, Any]) -> None:
        """Keep (or replace) this rep's draft of the form `key`."""
        d = m.Draft
        with self.db.write() as session:
            found = session.exec(select(d).where(d.who == self.db.user, d.key == key)).first()
            if found is None:
                found = d(who=self.db.user, key=key)
                session.add(found)
            found.title, found.fields, found.saved_at = title, encode(fields), m.utcnow()

    def draft(self, key: str) -> DraftNote | None:
        """This rep's draft of the form `key`, if there is one."""
        d = m.Draft
        with self.db.read() as session:
            found = session.exec(select(d).where(d.who == self.db.user, d.key == key)).first()
        if found is None:
            return None
        saved = found.saved_at if found.saved_at.tzinfo else found.saved_at.replace(tzinfo=UTC)
        return DraftNote(found.key, found.title, json.loads(found.fields), saved)

    def drop_draft(self, key: str) -> None:
        d = m.Draft
        with self.db.write() as session:
            for found in session.exec(select(d).where(d.who == self.db.user, d.key == key)):
                session.delete(found)

"""The only way the UI and the CLI reach data: one `Store` over one `Database`.

Its parts live in their own modules: plain reads (`base`), writes (`writes`), the
screens' listings (`listings`), portfolio figures and the agenda (`reports`), the
account-analysis screens' reads (`account_views`), the change log and deleted
records (`history`), whole-plan reads for export (`exports`), the pre-visit brief
(`briefs`), imports from CRMs and spreadsheets (`importing`), each rep's unsaved
form text (`drafts`), values stored in the wrong form (`checks`), and a laptop
copy's sync state and conflicts (`replication`).
"""

from __future__ import annotations

from planner.store.account_views import AccountViews
from planner.store.briefs import Briefs
from planner.store.drafts import Drafts
from planner.store.exports import Exports
from planner.store.history import HistoryReads
from planner.store.importing import Imports
from planner.store.replication import Replication


class Store(Replication, Briefs, AccountViews, Exports, HistoryReads, Imports, Drafts):
    """Queries and commands over one `Database`; the app and CLI get one injected."""

"""Finding an account by what a rep types, and reading a whole account plan for export."""

from __future__ import annotations

from datetime import date

from sqlmodel import col, or_, select

from planner.core import models as m
from planner.core.errors import NotFound
from planner.core.export import PlanDocument
from planner.core.formatting import name_key, names_list
from planner.core.i18n import _, chinese, ngettext
from planner.core.pinyin import search_key, typed_key
from planner.core.rows import AccountRow
from planner.store.base import T
from planner.store.reports import Reports


def _which(store: Reports, rows: list[AccountRow]) -> str:
    """Accounts of one name told apart: id, owner and region."""
    regions = {a.id: a.region for a in (store.get(m.Account, row.id) for row in rows)}
    return ("；" if chinese() else "; ").join(
        _("{id} (owner {owner}, {region})").format(
            id=row.id, owner=row.owner or "—", region=regions[row.id] or _("no region")
        )
        for row in rows
    )


SHOWN_MATCHES = 5


class Exports(Reports):
    def find_account(self, wanted: str, *, deleted: bool = False) -> m.Account:
        """An account by id, by name (case, width and spacing aside), or by a name
        fragment matching exactly one account. Two accounts of the same name are
        listed, with owner and region, for the rep to give the id. With `deleted`, a
        deleted account is found by id or exact name too: its history outlives it."""
        rows = self.account_rows()
        by_id = next((row for row in rows if row.id == wanted), None)
        if by_id is not None:
            return self.get(m.Account, by_id.id)
        named = [row for row in rows if name_key(row.name) == name_key(wanted)]
        if len(named) == 1:
            return self.get(m.Account, named[0].id)
        if len(named) > 1:
            raise NotFound(
                _("{n} accounts are named '{wanted}': {which}; give the id instead.").format(
                    n=len(named), wanted=wanted, which=_which(self, named)
                )
            )
        if deleted:
            a = m.Account
            query = select(a).where(or_(a.id == wanted, a.name == wanted), col(a.deleted_at).is_not(None))
            with self.db.read() as session:
                found = session.exec(query).all()
            if len(found) == 1:
                return found[0]
        needle = name_key(wanted)
        matches = [row for row in rows if needle in name_key(row.name)]
        if not matches and (typed := typed_key(wanted)):
            # pinyin, full or initials, as the customer list's filter: jnkj finds 江南科技大学
            matches = [row for row in rows if typed in search_key(row.name)]
        if len(matches) == 1:
            return self.get(m.Account, matches[0].id)
        if not matches:
            raise NotFound(_("No account matches '{wanted}'.").format(wanted=wanted))
        names = sorted(row.name for row in matches)
        shown = names_list(names[:SHOWN_MATCHES]) + ("…" if len(names) > SHOWN_MATCHES else "")
        raise NotFound(
            ngettext(
                "{n} account matches '{wanted}' ({names}); give more of the name.",
                "{n} accounts match '{wanted}' ({names}); give more of the name.",
                len(matches),
            ).format(n=len(matches), wanted=wanted, names=shown)
        )

    def plan_document(self, account_id: str, today: date) -> PlanDocument:
        """Everything `planner.core.export` writes about the account."""
        account = self.get(m.Account, account_id)
        summary = self.portfolio(today).find(account_id)
        if summary is None:
            raise NotFound(_("The account '{name}' was deleted.").format(name=account.name))

        def of_account(model: type[T]) -> list[T]:
            return self.list(model, account_id=account_id)

        return PlanDocument(
            account=account,
            industry=self.industry_of(account),
            summary=summary,
            tree=self.org_tree(account_id),
            people=of_account(m.Person),
            projects=of_account(m.Project),
            purchases=of_account(m.Purchase),
            brands={c.id: c.name for c in self.list(m.Competitor)},
            positions=of_account(m.CompetitorPosition),
            swot=of_account(m.SwotItem),
            goals=of_account(m.Goal),
            strategies=of_account(m.Strategy),
            actions=of_account(m.Action),
            reviews=of_account(m.PlanReview),
            visits=of_account(m.Visit),
            met=self.attendees(account_id),
        )

"""The pre-visit brief from hand-built records: who comes first, what is overdue, which
threat has no answer, and the checklist to print, read off the Markdown itself."""

from __future__ import annotations

from datetime import date, datetime

from planner.core import models as m
from planner.core.analysis import Cadence, Forecast, ParetoEntry, QuadrantEntry, RedFlag
from planner.core.brief import BriefDocument, brief_markdown, build_brief, write_brief
from planner.core.competition import Counter, PositionRow
from planner.core.export import CHECKLIST
from planner.core.overview import Overview
from planner.core.portfolio import AccountSummary
from planner.core.rows import AccountRow
from planner.core.stakeholders import Stakeholder

TODAY = date(2026, 11, 27)
ACCOUNT = m.Account(id="acc", name="Acme | Bank", account_class="A", owner="rep-a", region="Shanghai")


def person(name: str, layer: str, influence: int, closeness: int, stance: str = "neutral", title: str = "") -> m.Person:
    return m.Person(
        id=name, account_id="acc", name=name, title=title, layer=layer, influence=influence, closeness=closeness,
        stance=stance,
    )  # fmt: skip


def visit(day: date, **values) -> m.Visit:
    return m.Visit(id=f"v{day}", account_id="acc", visited_on=day, created_at=datetime(2026, 1, 1), **values)


def position(brand: str, threat: int, *counters: Counter) -> PositionRow:
    return PositionRow(
        brand, 1, "acc", brand, brand, "", 1, "", "", "", "", "", "", "", threat, tuple(counters)
    )  # fmt: skip


def document(**changes) -> BriefDocument:
    row = AccountRow("acc", ACCOUNT.name, "Finance", "金融", "major", "A", "rep-a", 1e6, 1e5, 4, 1, 1, 1, None,
                     date(2026, 11, 20), 1)  # fmt: skip
    summary = AccountSummary(
        row, ParetoEntry("acc", 1e6, 1, 1.0, 1.0, True), QuadrantEntry("acc", 0.9, 0.4, "Focus in: grow"),
        Cadence(7, 14, False),
    )  # fmt: skip
    overview = dict(
        account=ACCOUNT, industry=None, summary=summary, flags=[], projects=[], purchases=[], yearly=[],
        forecast=None, visits=[], met={}, people=[], problems=[], year=TODAY.year,
    )  # fmt: skip
    overview.update(changes.pop("overview", {}))
    values = dict(
        overview=Overview(**overview), people=(), positions=[], actions=[], goals=[], high_threat=4, today=TODAY
    )
    values.update(changes)
    return BriefDocument(**values)


def markdown(**changes) -> str:
    return brief_markdown(build_brief(document(**changes)))


def table_rows(text: str, title: str) -> list[str]:
    """The rows of the table in one section (after its header and rule)."""
    body = text.split(f"## {title}", 1)[1].split("\n## ", 1)[0]
    return [line for line in body.splitlines() if line.startswith("|")][2:]


def lines_with(text: str, *words: str) -> list[str]:
    return [line for line in text.splitlines() if all(word in line for word in words)]


def test_the_people_come_layer_by_layer_most_influential_first_with_what_they_value_and_when_last_met():
    people = (
        Stakeholder(person("User", "usage", 5, 5), "", None),
        Stakeholder(person("Dean", "decision", 3, 3, "supporter"), "", date(2026, 11, 1)),
        Stakeholder(person("Director", "decision", 5, 1, "opponent", title="IT director"), "", None),
        Stakeholder(person("President", "image", 2, 2), "", date(2026, 10, 2)),
        Stakeholder(person("Chief", "implementation", 4, 4), "", None),
    )
    text = markdown(people=people)
    rows = table_rows(text, "People to meet")
    assert [row.split(" | ")[1].split(",")[0] for row in rows] == ["President", "Director", "Dean", "Chief", "User"]
    (director,) = lines_with(text, "Director, IT director")
    assert "| decision: " + m.LAYER_VALUES["decision"] + " |" in director  # the layer named on its first row
    assert "✗ opponent | 5/5 | 1/5 ⚑ | never |" in director  # influential, not close: flagged
    (dean,) = lines_with(text, "| Dean")
    assert dean.startswith("|  | Dean") and dean.endswith("| 2026-11-01 |")  # same layer: not named again
    assert "1/5 ⚑" not in lines_with(text, "| President")[0]  # not influential enough to flag


def test_the_last_commitment_and_every_open_follow_up_with_the_overdue_ones_marked():
    visits = [
        visit(date(2026, 11, 20), purpose="Pilot\n review", commitment="CIO will sign the pilot",
              next_step="Send the quote", next_step_date=date(2026, 11, 25)),
        visit(date(2026, 10, 1), next_step="Book the demo room", next_step_date=date(2026, 12, 3)),
        visit(date(2026, 9, 1), next_step="Done long ago", next_step_date=date(2026, 9, 9), next_step_done=True),
        visit(date(2026, 8, 1), next_step="Undated idea"),
    ]  # fmt: skip
    text = markdown(overview={"visits": visits, "met": {"v2026-11-20": [("p", "Helen Xu")]}})
    assert "## Last visit, and what is still open\n- Last visit 2026-11-20: Pilot review; met Helen Xu\n" in text
    assert "- Commitment: CIO will sign the pilot\n\n" in text  # its open next step is in the table
    assert lines_with(text, "| 2026-11-25 ⚑ overdue | Send the quote | follow-up of 2026-11-20 |")
    assert lines_with(text, "| 2026-12-03 | Book the demo room | follow-up of 2026-10-01 |")
    assert not lines_with(text, "Done long ago") and not lines_with(text, "Undated idea")


def test_a_last_visit_without_a_commitment_is_flagged_and_a_next_step_outside_the_table_is_said():
    text = markdown(overview={"visits": [visit(date(2026, 11, 20), next_step="Call back")]})
    assert "- Last visit 2026-11-20; met nobody recorded\n- Commitment: ⚑ none\n" in text
    assert "- Next step: Call back (no date)\n- Nothing open.\n" in text
    done = visit(
        date(2026, 11, 20), commitment="A demo", next_step="Book it", next_step_date=TODAY, next_step_done=True
    )
    assert "- Next step: Book it, by 2026-11-27 (done)\n" in markdown(overview={"visits": [done]})


def test_open_actions_and_goals_due_within_30_days_or_overdue_in_date_order():
    actions = [
        m.Action(account_id="acc", title="Call the CFO", status="doing", owner="li", due_date=date(2026, 12, 1)),
        m.Action(account_id="acc", title="Old and done", status="done", due_date=date(2026, 11, 1)),
        m.Action(account_id="acc", title="Late reply", status="todo", due_date=date(2026, 11, 26)),
        m.Action(account_id="acc", title="Some day", status="todo"),
    ]
    goals = [
        m.Goal(account_id="acc", phase="Q4", text="Pilot signed", due_date=date(2026, 12, 27)),
        m.Goal(account_id="acc", text="Missed goal", due_date=date(2026, 11, 1)),
        m.Goal(account_id="acc", text="Next year", due_date=date(2026, 12, 28)),
        m.Goal(account_id="acc", text="Undated goal"),
    ]
    text = markdown(actions=actions, goals=goals)
    due = [row.split(" | ")[1] for row in table_rows(text, "Last visit, and what is still open")]
    assert due == ["Missed goal", "Late reply", "Call the CFO", "Pilot signed", "Some day"]
    assert lines_with(text, "| 2026-11-26 ⚑ overdue | Late reply | action, todo |")
    assert lines_with(text, "| 2026-12-01 | Call the CFO | action, doing, li |")
    assert lines_with(text, "| 2026-12-27 | Pilot signed | goal, Q4 |")
    assert lines_with(text, "| — | Some day | action, todo |")


def test_only_high_threats_are_listed_with_their_counters_and_one_without_is_flagged():
    positions = [
        position("Kunlun", 5),
        position("Northgate", 4, Counter("TCO comparison", "doing", date(2026, 12, 5), "rep-a")),
        position("Minor Co", 3),
    ]
    text = markdown(positions=positions)
    assert "## Red flags, and competitors at threat 4/5 or more\n- No red flags.\n" in text
    assert lines_with(text, "| Kunlun | 5/5 | no counter-action ⚑ |")
    assert lines_with(text, "| Northgate | 4/5 | TCO comparison (doing, due 2026-12-05) |")
    assert "Minor Co" not in text
    stricter = markdown(positions=positions, high_threat=5)
    assert "## Red flags, and competitors at threat 5/5 or more" in stricter and "Northgate" not in stricter


def test_red_flags_forecast_and_open_projects_as_the_app_computes_them():
    flags = [RedFlag("no-commitment", "The last visit (2026-11-20) ended without a commitment")]
    projects = [
        m.Project(account_id="acc", name="Refresh", stage="producing", amount=1_000_000, probability=80,
                  expected_date=date(2026, 12, 20)),
        m.Project(account_id="acc", name="Expansion", stage="potential", amount=500_000, probability=20),
        m.Project(account_id="acc", name="Won already", stage="won", amount=9_000_000, probability=100),
    ]  # fmt: skip
    forecast = Forecast(2026, 1_250_000, "linear trend over 2023-2025", ())
    text = markdown(overview={"flags": flags, "projects": projects, "forecast": forecast})
    assert "- ⚑ The last visit (2026-11-20) ended without a commitment" in text
    assert "Purchases forecast 2026: 1,250,000 — linear trend over 2023-2025" in text
    assert "open projects 1,500,000, weighted by probability 900,000." in text
    assert lines_with(text, "| Refresh | producing | 1,000,000 | 80% | 2026-12-20 |")
    assert lines_with(text, "| Expansion | potential | 500,000 | 20% | — |")
    assert "Won already" not in text


def test_an_empty_account_still_makes_a_whole_brief():
    text = markdown()
    assert text.startswith("# Visit brief: Acme | Bank — 2026-11-27\n")
    assert "last contact 2026-11-20, 7 days ago (cadence 14 days)" in text
    for said in ("_Nobody recorded yet", "- No visit yet.\n- Nothing open.\n",
                 "- No red flags.\n- No competitor at threat 4/5 or more.\n",
                 "no forecast (no purchases before the year it would forecast); no open project."):  # fmt: skip
        assert said in text


def test_the_five_treasures_are_boxes_to_tick_and_the_commitment_is_asked_for():
    text = markdown()
    checklist = text.split("## Five treasures (五件宝) for this visit\n")[1].splitlines()
    assert checklist[: len(CHECKLIST)] == [f"- [ ] {label}" for _, label in CHECKLIST]
    assert checklist[-1].startswith("- [ ] before leaving, the customer's commitment")


def test_the_same_records_make_the_same_bytes_and_the_file_is_named_by_account_and_day(tmp_path):
    assert markdown() == markdown()
    path = write_brief(build_brief(document()), tmp_path / "briefs")
    assert path.name == "Acme _ Bank brief 2026-11-27.md"
    assert path.read_text(encoding="utf-8") == markdown()
    assert [p.name for p in path.parent.iterdir()] == [path.name]  # no partial file left behind

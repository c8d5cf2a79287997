"""Funnel moves from hand-made change-log entries around a quarter's boundaries."""

from __future__ import annotations

from datetime import UTC, date, datetime

from planner.core.funnel_moves import ClassChange, Move, MovedAccount, moves, quarter_of, year_of

Q4 = quarter_of(date(2026, 11, 27))
ACCOUNTS = {
    "bank": ("Harbour Bank", 800.0),
    "school": ("江南大学", 150.0),
    "shop": ("Corner Shop", 50.0),
    "mill": ("Paper Mill", 300.0),
}


def at(month: int, day: int, hour: int = 12, year: int = 2026) -> datetime:
    return datetime(year, month, day, hour, tzinfo=UTC)


def test_quarters_and_years_step_and_toggle():
    assert (Q4.start, Q4.end, Q4.label) == (date(2026, 10, 1), date(2027, 1, 1), "Q4 2026")
    assert Q4.shifted(1) == quarter_of(date(2027, 1, 1)) and Q4.shifted(1).label == "Q1 2027"
    assert Q4.shifted(-4).label == "Q4 2025" and Q4.shifted(-3).label == "Q1 2026"
    year = Q4.toggled()
    assert (year.start, year.end, year.label) == (date(2026, 1, 1), date(2027, 1, 1), "2026")
    assert year.shifted(-1) == year_of(date(2025, 5, 5)) and year.toggled().label == "Q1 2026"


def test_the_class_at_the_start_against_the_class_at_the_end():
    changes = [
        # bank: B since 2025, made A in October → B → A.
        ClassChange("bank", at(3, 1, year=2025), None, "B"),
        ClassChange("bank", at(10, 2), "B", "A"),
        # school: C, then cycled with c in November: C → A, A → B → one move, C → B.
        ClassChange("school", at(1, 5), None, "C"),
        ClassChange("school", at(11, 3), "C", "A"),
        ClassChange("school", at(11, 3, 13), "A", "B"),
        # shop: A → B in November, and back to A in December → no move.
        ClassChange("shop", at(2, 1), None, "A"),
        ClassChange("shop", at(11, 20), "A", "B"),
        ClassChange("shop", at(12, 1), "B", "A"),
        # mill: changed only before the quarter (September 30th, 23:59) → no move.
        ClassChange("mill", at(1, 1), None, "C"),
        ClassChange("mill", datetime(2026, 9, 30, 23, 59, tzinfo=UTC), "C", "B"),
    ]
    assert moves(changes, ACCOUNTS, Q4) == [
        Move("C", "B", (MovedAccount("school", "江南大学", 150.0),)),
        Move("B", "A", (MovedAccount("bank", "Harbour Bank", 800.0),)),
    ]


def test_boundaries_a_change_at_the_first_moment_counts_one_at_the_end_does_not():
    changes = [
        ClassChange("bank", at(1, 1), None, "A"),
        ClassChange("bank", datetime(2026, 10, 1, tzinfo=UTC), "A", "B"),  # the quarter's first moment
        ClassChange("mill", at(1, 1), None, "A"),
        ClassChange("mill", datetime(2027, 1, 1, tzinfo=UTC), "A", "C"),  # the next quarter's
    ]
    (move,) = moves(changes, ACCOUNTS, Q4)
    assert (move.source, move.target, [a.id for a in move.accounts]) == ("A", "B", ["bank"])
    assert not move.onward
    (later,) = moves(changes, ACCOUNTS, Q4.shifted(1))
    assert (later.source, later.target, later.value) == ("A", "C", 300.0)


def test_accounts_added_in_the_period_start_from_their_first_class():
    changes = [
        ClassChange("bank", at(10, 5), None, "C"),  # added as C, made B: a move
        ClassChange("bank", at(11, 5), "C", "B"),
        ClassChange("school", at(10, 6), None, "A"),  # added as A: joining is no move
        # shop was added before the change log began: its first entry says it was B.
        ClassChange("shop", at(11, 9), "B", "A"),
    ]
    assert [(m.source + m.target, [a.id for a in m.accounts]) for m in moves(changes, ACCOUNTS, Q4)] == [
        ("CB", ["bank"]),
        ("BA", ["shop"]),
    ]


def test_a_move_counts_its_accounts_and_their_revenue_richest_first_and_deleted_accounts_nowhere():
    changes = [ClassChange(a, at(1, 1), None, "C") for a in ("bank", "school", "shop", "gone")]
    changes += [ClassChange(a, at(11, 1), "C", "B") for a in ("shop", "bank", "school", "gone")]
    (move,) = moves(changes, ACCOUNTS, year_of(date(2026, 3, 3)))
    assert [a.name for a in move.accounts] == ["Harbour Bank", "江南大学", "Corner Shop"]
    assert (len(move.accounts), move.value, move.onward) == (3, 1000.0, True)

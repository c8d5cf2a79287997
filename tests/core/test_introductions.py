"""How each person was first met and the introduction path to them, from the contacts alone."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from planner.core import models as m
from planner.core.introductions import (
    Contact,
    HowMet,
    Introducer,
    channel_choices,
    channel_label,
    contacts_from,
    how_met,
    introduction_problems,
    path_text,
    short_text,
)

DAY = date(2026, 11, 1)
NAMES = {"li": "李明", "zhang": "张伟", "wang": "王芳", "zhao": "赵磊"}
_made = iter(range(10_000))


def contact(day: int, channel: str, people: tuple[str, ...], by: str | None = None, cid: str = "") -> Contact:
    """A contact `day` days after DAY; contacts are recorded in the order they are made here."""
    made = datetime(2026, 1, 1, tzinfo=UTC) + timedelta(seconds=next(_made))
    return Contact(cid or f"v{day}-{channel}", DAY + timedelta(days=day), made, channel, by, people)


def test_a_chain_of_introductions_leads_back_to_someone_met_at_an_event():
    event = contact(0, "event", ("li",))
    first = contact(5, "introduction", ("zhang",), by="li")
    second = contact(9, "introduction", ("wang",), by="zhang")
    found = how_met([second, event, first], NAMES)

    wang = found["wang"]
    assert wang.first == second
    assert [link.id for link in wang.path] == ["zhang", "li"]
    assert wang.root == event and not wang.circular
    assert found["zhang"].path == (Introducer("li", "李明"),)
    assert found["li"] == HowMet(event)
    assert path_text("王芳", wang) == "王芳 ← introduced by 张伟 ← introduced by 李明 (李明 first met: event)"
    assert short_text(wang) == "Introduced by 张伟 ← 李明"
    assert short_text(found["li"]) == "First met: event"


def test_the_earliest_introduction_a_person_attended_is_the_one_followed():
    later = contact(8, "introduction", ("wang",), by="li")
    earlier = contact(3, "introduction", ("wang",), by="zhang")
    zhang_met = contact(1, "phone", ("zhang",))
    found = how_met([later, earlier, zhang_met], NAMES)
    assert [link.id for link in found["wang"].path] == ["zhang"]
    assert found["wang"].root == zhang_met


def test_on_one_day_the_contact_recorded_first_counts_as_earlier():
    phoned = contact(2, "phone", ("wang",), cid="b")
    introduced = contact(2, "introduction", ("wang",), by="li", cid="a")
    found = how_met([introduced, phoned], NAMES)
    assert found["wang"].first == phoned
    assert short_text(found["wang"]) == "First met: phone call · introduced by 李明"


def test_circular_records_end_the_path_before_anyone_repeats():
    a_by_b = contact(1, "introduction", ("li",), by="zhang")
    b_by_a = contact(2, "introduction", ("zhang",), by="li")
    c_by_a = contact(3, "introduction", ("wang",), by="li")
    found = how_met([a_by_b, b_by_a, c_by_a], NAMES)

    assert [link.id for link in found["li"].path] == ["zhang"] and found["li"].circular
    assert [link.id for link in found["zhang"].path] == ["li"] and found["zhang"].circular
    wang = found["wang"]
    assert [link.id for link in wang.path] == ["li", "zhang"] and wang.circular
    assert path_text("王芳", wang).endswith("introduced by 张伟 (the introductions recorded go round in a circle)")


def test_someone_recorded_as_introducing_themself_is_not_their_own_path():
    odd = contact(1, "introduction", ("li", "zhang"), by="li")
    found = how_met([odd], NAMES)
    assert found["li"].path == () and found["li"].circular
    assert [link.id for link in found["zhang"].path] == ["li"]


def test_without_introductions_there_is_no_path_only_how_each_was_first_met():
    found = how_met([contact(4, "visit", ("li", "zhang")), contact(1, "phone", ("zhang",))], NAMES)
    assert found["li"] == HowMet(found["li"].first) and found["li"].first.channel == "visit"
    assert found["zhang"].first.channel == "phone" and found["zhang"].path == ()
    assert path_text("张伟", found["zhang"]) == "张伟 — first met: phone call, 2026-11-02"
    assert "wang" not in found  # never met: no entry, and the card says so
    assert short_text(HowMet(None)) == ""  # the card says "Last met never" already
    assert path_text("王芳", HowMet(None)) == "王芳: not met yet"


def test_an_introducer_on_another_channel_or_an_introduction_without_one_leads_nowhere():
    stray = contact(1, "phone", ("wang",), by="li")  # only merged or old records hold this
    unnamed = contact(2, "introduction", ("zhao",))
    found = how_met([stray, unnamed], NAMES)
    assert found["wang"].path == () and found["zhao"].path == ()
    assert short_text(found["zhao"]) == "First met: introduction"


def test_an_introducer_never_met_and_one_no_longer_recorded():
    found = how_met(
        [contact(1, "introduction", ("wang",), by="gone"), contact(2, "introduction", ("zhao",), by="li")], NAMES
    )
    assert path_text("王芳", found["wang"]) == (
        "王芳 ← introduced by (someone no longer recorded) ((someone no longer recorded) not met yet)"
    )
    assert path_text("赵磊", found["zhao"]) == "赵磊 ← introduced by 李明 (李明 not met yet)"


def test_contacts_come_from_live_visits_with_who_was_met():
    kept = m.Visit(id="v1", account_id="a", visited_on=DAY, channel="introduction", introduced_by_id="li")
    gone = m.Visit(id="v2", account_id="a", visited_on=DAY, deleted_at=datetime(2026, 1, 1, tzinfo=UTC))
    contacts = contacts_from([kept, gone], {"v1": [("wang", "王芳")], "v2": [("zhao", "赵磊")]})
    assert [(c.id, c.people, c.introduces) for c in contacts] == [("v1", ("wang",), True)]


@pytest.mark.parametrize(
    ("channel", "introducer", "people", "wrong"),
    [
        ("introduction", "li", ["wang", "zhang"], None),
        ("introduction", None, ["wang"], None),
        ("phone", None, ["wang"], None),
        ("introduction", "li", ["li", "wang"], "cannot be one of the people introduced"),
        ("phone", "li", ["wang"], "Only an introduction has an introducer"),
        (None, "li", [], "Only an introduction has an introducer"),
    ],
)
def test_the_introducer_must_fit_the_channel_and_the_people_introduced(channel, introducer, people, wrong):
    problems = introduction_problems(channel, introducer, people)
    if wrong is None:
        assert problems == {}
    else:
        assert list(problems) == ["introduced_by_id"] and wrong in problems["introduced_by_id"]


def test_every_channel_has_a_label_and_a_choice():
    assert [code for _label, code in channel_choices()] == list(m.CHANNELS)
    assert channel_label("phone") == "phone call" and channel_label("carrier pigeon") == "carrier pigeon"


def test_the_path_and_the_card_line_read_in_chinese(chinese):
    event = contact(0, "event", ("li",))
    found = how_met(
        [event, contact(5, "introduction", ("zhang",), by="li"), contact(9, "introduction", ("wang",), by="zhang")],
        NAMES,
    )
    assert path_text("王芳", found["wang"]) == "王芳 ← 由张伟介绍 ← 由李明介绍（李明初识方式：活动）"
    assert short_text(found["wang"]) == "介绍人 张伟 ← 李明"
    assert short_text(found["li"]) == "初识方式：活动"
    assert [label for label, _code in channel_choices()] == ["拜访", "电话拜访", "他人介绍", "活动"]
    assert "介绍人不能是被介绍的人" in introduction_problems("introduction", "li", ["li"])["introduced_by_id"]

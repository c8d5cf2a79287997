"""How the rep came to know each of an account's people: derived from the contacts, never stored.

The method builds relationships by visits, phone calls (电话拜访), introductions by
others (他人介绍) and events (活动); every contact (`Visit`) records which of these
it was (`channel`), and an introduction names who introduced (`introduced_by_id`),
its attendees being the people introduced. From those records this module works out,
for each person, how they were first met, and the introduction path to them: the
earliest introduction they attended leads to its introducer, that person's earliest
introduction to theirs, and so on, until someone was met without one. Records that
go round in a circle (A introduced B, later B introduced A) end the path where it
would repeat someone.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import NamedTuple

from planner.core import models as m
from planner.core.i18n import N_, _

INTRODUCTION = "introduction"
CHANNEL_LABELS = {
    "visit": N_("visit"),
    "phone": N_("phone call"),
    "introduction": N_("introduction"),
    "event": N_("event"),
}
"""Each channel's name as a rep reads it (the codes in `models.CHANNELS` are stored, not shown)."""


def channel_label(channel: str) -> str:
    """The channel as the rep reads it, in the interface's language ("phone call", 电话拜访)."""
    label = CHANNEL_LABELS.get(channel)
    return _(label) if label else channel


def channel_choices() -> list[tuple[str, str]]:
    """(label, code) for a picker, in the method's order."""
    return [(channel_label(channel), channel) for channel in m.CHANNELS]


@dataclass(frozen=True)
class Contact:
    """One live contact of an account: when, how, who introduced, and who was met."""

    id: str
    on: date
    created_at: datetime
    channel: str
    introduced_by_id: str | None
    people: tuple[str, ...]

    @property
    def introduces(self) -> bool:
        """An introduction with its introducer recorded (an introducer on another
        channel, which only old or merged records can hold, does not count)."""
        return self.channel == INTRODUCTION and bool(self.introduced_by_id)

    @property
    def order(self) -> tuple[bool, date, bool, datetime, str]:
        """Earlier first; two contacts on one day in the order they were recorded; a
        contact whose date or stamp a damaged row lost comes after the dated ones."""
        return (
            self.on is None,
            self.on or date.min,
            self.created_at is None,
            self.created_at or datetime.min,
            self.id,
        )


class Introducer(NamedTuple):
    id: str
    name: str


@dataclass(frozen=True)
class HowMet:
    """How the rep came to know one person.

    `first` is the earliest contact the person attended (None: never met). `path` is
    who introduced them, then who introduced that person, and so on (nearest first);
    `root` is how the last person on the path was first met (None when they never
    were), and `circular` says the records go round: the next introducer is already
    on the path (the person themself included)."""

    first: Contact | None
    path: tuple[Introducer, ...] = ()
    root: Contact | None = None
    circular: bool = False


NOT_MET = HowMet(None)


def contacts_from(visits: Iterable[m.Visit], met: Mapping[str, Iterable[tuple[str, str]]]) -> list[Contact]:
    """The live `visits` of one account as contacts, with who was met at each
    (`met`: visit id → (person id, name), as the store's `attendees` reads them)."""
    return [
        Contact(
            v.id,
            v.visited_on,
            v.created_at,
            v.channel,
            v.introduced_by_id,
            tuple(person_id for person_id, _name in met.get(v.id, ())),
        )
        for v in visits
        if v.deleted_at is None
    ]


def first_contacts(contacts: Iterable[Contact]) -> dict[str, Contact]:
    """Each person's earliest contact."""
    first: dict[str, Contact] = {}
    for contact in sorted(contacts, key=lambda c: c.order):
        for person_id in contact.people:
            first.setdefault(person_id, contact)
    return first


def how_met(contacts: Iterable[Contact], names: Mapping[str, str]) -> dict[str, HowMet]:
    """How each person who attended any of `contacts` was met, and the path to them
    (`names` names the introducers; anyone missing reads as no longer recorded)."""
    contacts = list(contacts)
    first = first_contacts(contacts)
    introduced = first_contacts(c for c in contacts if c.introduces)
    return {person_id: _how(person_id, first, introduced, names) for person_id in first}


def _how(
    person_id: str, first: Mapping[str, Contact], introduced: Mapping[str, Contact], names: Mapping[str, str]
) -> HowMet:
    path: list[Introducer] = []
    seen = {person_id}
    at = person_id
    circular = False
    while (step := introduced.get(at)) is not None and step.introduced_by_id:
        introducer = step.introduced_by_id
        if introducer in seen:
            circular = True
            break
        path.append(Introducer(introducer, names.get(introducer, "")))
        seen.add(introducer)
        at = introducer
    return HowMet(first.get(person_id), tuple(path), first.get(at) if path else None, circular)


def introduction_problems(channel: str | None, introduced_by_id: str | None, people: Iterable[str]) -> dict[str, str]:
    """What is wrong with a contact's introducer, per field (empty when nothing is):
    only an introduction has an introducer, and the introducer is not one of the
    people introduced. The form shows these at the field; the store can apply them too."""
    if not introduced_by_id:
        return {}
    if channel != INTRODUCTION:
        return {
            "introduced_by_id": _(
                "Only an introduction has an introducer: set How it happened to introduction, or clear Introduced by."
            )
        }
    if introduced_by_id in set(people):
        return {
            "introduced_by_id": _(
                "The introducer cannot be one of the people introduced: untick them under People met, "
                "or choose who introduced them."
            )
        }
    return {}


def short_text(how: HowMet) -> str:
    """One line for a person's card: how they were first met and who introduced them,
    nearest introducer first ("Introduced by 孙明 ← 林晨"); empty for someone never met
    (the card already says "Last met never")."""
    if how.first is None:
        return ""
    if not how.path:
        return _("First met: {how}").format(how=channel_label(how.first.channel))
    chain = " ← ".join(_name(link) for link in how.path)
    if how.first.channel == INTRODUCTION:
        return _("Introduced by {chain}").format(chain=chain)
    return _("First met: {how} · introduced by {chain}").format(how=channel_label(how.first.channel), chain=chain)


def path_text(name: str, how: HowMet) -> str:
    """The whole introduction path to the person called `name`, on one line:
    "钱俊 ← introduced by 孙明 ← introduced by 林晨 (林晨 first met: visit)"."""
    if how.first is None:
        return _("{name}: not met yet").format(name=name)
    if not how.path:
        return _("{name} — first met: {how}, {day}").format(
            name=name, how=channel_label(how.first.channel), day=how.first.on.isoformat()
        )
    steps = " ← ".join([name] + [_("introduced by {name}").format(name=_name(link)) for link in how.path])
    last = _name(how.path[-1])
    if how.circular:
        return _("{path} (the introductions recorded go round in a circle)").format(path=steps)
    if how.root is None:
        return _("{path} ({name} not met yet)").format(path=steps, name=last)
    return _("{path} ({name} first met: {how})").format(path=steps, name=last, how=channel_label(how.root.channel))


def _name(link: Introducer) -> str:
    return link.name or _("(someone no longer recorded)")

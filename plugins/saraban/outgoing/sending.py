"""Sending registered letters to the office's schools, and the saved school groups: no request
globals here.

Each school a letter goes to is one ``LetterDelivery`` with its channel (in the system, by e-mail,
by post, by hand; Regulation No. 4, 2021 makes the system the primary one). A delivery in the
system puts the letter in the school's inbox and tells the school's people; the others record how
it left. A letter goes to a school once. Secret letters go by post or by hand only: in the system
every reader of the school would see them.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from core.auth.models import User
from core.auth.permissions import can
from core.db import db, utcnow
from core.i18n import lazy_gettext as _l
from core.i18n.collation import thai_order
from core.org.models import OrgUnit, OrgUnitKind
from plugins.saraban.models import Letter, LetterStatus, Register
from plugins.saraban.outgoing.models import DeliveryChannel, LetterDelivery, SchoolGroup, SchoolGroupMember
from plugins.saraban.routing.services import log_step, thai_day
from plugins.saraban.schools.services import tell_schools
from plugins.saraban.services import LetterError, can_read, is_office_staff

SEND = "saraban.letter.send"  # send the office's letters to schools; keep the school groups
NOTE_LENGTH = 300
GROUP_NAME_LENGTH = 200
# How the register's การปฏิบัติ column writes each channel (Thai, official, whatever the reader's language).
CHANNEL_THAI = {
    DeliveryChannel.SYSTEM: "ทางระบบ",
    DeliveryChannel.EMAIL: "ทางไปรษณีย์อิเล็กทรอนิกส์",
    DeliveryChannel.POST: "ทางไปรษณีย์",
    DeliveryChannel.HAND: "ด้วยมือ",
}
SECRET_BY_SYSTEM = _l(
    "A secret letter goes to schools by post or by hand, sealed: not through the system, where every "
    "reader of the school would see it."
)


# --- the office's schools ------------------------------------------------------------------


def office_schools(office_id: int) -> list[OrgUnit]:
    """The office's active schools, in Thai order."""
    return list(
        db.session.scalars(
            select(OrgUnit)
            .where(
                OrgUnit.office_id == office_id, OrgUnit.kind == OrgUnitKind.SCHOOL, OrgUnit.active.is_(True)
            )
            .order_by(thai_order(OrgUnit.name))
        )
    )


def active_schools(office_id: int, school_ids: Iterable[int]) -> list[OrgUnit]:
    """Those of ``school_ids`` that are active schools of the office (others are left out)."""
    wanted = set(school_ids)
    if not wanted:
        return []
    return list(
        db.session.scalars(
            select(OrgUnit)
            .where(
                OrgUnit.id.in_(wanted),
                OrgUnit.office_id == office_id,
                OrgUnit.kind == OrgUnitKind.SCHOOL,
                OrgUnit.active.is_(True),
            )
            .order_by(thai_order(OrgUnit.name))
        )
    )


def checked_schools(office_id: int, school_ids: Iterable[int]) -> list[OrgUnit]:
    """The schools chosen, refused as a whole when one is not an active school of the office."""
    wanted = set(school_ids)
    schools = active_schools(office_id, wanted)
    if len(schools) != len(wanted):
        raise LetterError(_l("Choose schools of the office."))
    return schools


# --- sending -------------------------------------------------------------------------------


def may_send(user: User, letter: Letter) -> bool:
    """The central registry sends the office's own letters (not received ones) while they stand."""
    return (
        can(user, SEND)
        and is_office_staff(user)
        and can_read(user, letter)
        and letter.register != Register.RECEIVE
        and letter.status == LetterStatus.REGISTERED
    )


def send_to_schools(
    letter: Letter, sender: User, school_ids: Iterable[int], channel: DeliveryChannel, note: str = ""
) -> list[LetterDelivery]:
    """Record the letter as sent to each school not sent to before; in the system it reaches their
    inbox and their people are told. Checked before anything is written; the caller commits."""
    if letter.register == Register.RECEIVE:
        raise LetterError(
            _l("Only the office's own letters (sent, circulars, orders, announcements) go to schools.")
        )
    if letter.status != LetterStatus.REGISTERED:
        raise LetterError(_l("A cancelled or destroyed letter is not sent."))
    if channel is DeliveryChannel.SYSTEM and letter.is_secret:
        raise LetterError(SECRET_BY_SYSTEM)
    note = " ".join(note.split())
    if len(note) > NOTE_LENGTH:
        raise LetterError(_l("The note holds at most %(count)d characters.", count=NOTE_LENGTH))
    schools = checked_schools(letter.office_id, school_ids)
    if not schools:
        raise LetterError(_l("Choose at least one school or school group."))
    already = set(
        db.session.scalars(select(LetterDelivery.school_id).where(LetterDelivery.letter_id == letter.id))
    )
    fresh = [school for school in schools if school.id not in already]
    if not fresh:
        raise LetterError(_l("The letter was already sent to these schools."))
    now = utcnow()
    deliveries = [
        LetterDelivery(
            office_id=letter.office_id,
            letter=letter,
            school=school,
            channel=channel.value,
            note=note,
            sent_at=now,
            sent_by=sender,
        )
        for school in fresh
    ]
    db.session.add_all(deliveries)
    db.session.flush()
    whom = fresh[0].name if len(fresh) == 1 else f"โรงเรียน {len(fresh)} แห่ง"
    log_step(letter, f"ส่ง {whom} {CHANNEL_THAI[channel]} {thai_day(now)}")
    if channel is DeliveryChannel.SYSTEM:
        tell_schools(letter, [school.id for school in fresh])
    return deliveries


def deliveries_of(letter: Letter) -> list[LetterDelivery]:
    """Where the letter went, the schools in Thai order."""
    return list(
        db.session.scalars(
            select(LetterDelivery)
            .join(OrgUnit, OrgUnit.id == LetterDelivery.school_id)
            .where(LetterDelivery.letter_id == letter.id)
            .order_by(thai_order(OrgUnit.name))
            .options(selectinload(LetterDelivery.school), selectinload(LetterDelivery.acknowledged_by))
        )
    )


# --- school groups -------------------------------------------------------------------------


def school_groups(office_id: int) -> list[SchoolGroup]:
    return list(
        db.session.scalars(
            select(SchoolGroup)
            .where(SchoolGroup.office_id == office_id)
            .order_by(thai_order(SchoolGroup.name))
            .options(selectinload(SchoolGroup.members))
        )
    )


def find_group(office_id: int, group_id: int) -> SchoolGroup | None:
    group = db.session.get(SchoolGroup, group_id)
    return group if group is not None and group.office_id == office_id else None


def schools_of_groups(office_id: int, group_ids: Iterable[int]) -> set[int]:
    """The schools of the office's groups named (another office's group is refused)."""
    wanted = set(group_ids)
    if not wanted:
        return set()
    found = {group.id: group for group in school_groups(office_id) if group.id in wanted}
    if len(found) != len(wanted):
        raise LetterError(_l("Choose school groups of the office."))
    return {school_id for group in found.values() for school_id in group.school_ids}


def save_group(
    office_id: int, group: SchoolGroup | None, name: str, school_ids: Iterable[int]
) -> SchoolGroup:
    """Create a group, or rename it and set its schools; the caller commits."""
    name = " ".join(name.split())
    if not name or len(name) > GROUP_NAME_LENGTH:
        raise LetterError(
            _l("Give the group a name of at most %(count)d characters.", count=GROUP_NAME_LENGTH)
        )
    schools = checked_schools(office_id, school_ids)
    if not schools:
        raise LetterError(_l("Choose the schools of the group."))
    clash = db.session.scalar(
        select(SchoolGroup.id).where(SchoolGroup.office_id == office_id, SchoolGroup.name == name)
    )
    if clash is not None and (group is None or clash != group.id):
        raise LetterError(_l("The office already has a school group of that name."))
    if group is None:
        group = SchoolGroup(office_id=office_id)
        db.session.add(group)
    group.name, group.updated_at = name, utcnow()
    keep = {school.id for school in schools}
    group.members = [member for member in group.members if member.school_id in keep] + [
        SchoolGroupMember(school=school)
        for school in schools
        if school.id not in {member.school_id for member in group.members}
    ]
    db.session.flush()
    return group


def delete_group(group: SchoolGroup) -> None:
    db.session.delete(group)
    db.session.flush()

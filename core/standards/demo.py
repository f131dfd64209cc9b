"""A year of measured services and survey answers for the demo office, so that the report,
the charts and the operation plan have something true to show.

Generated from the office's catalogue (whatever the plugins declare) for the services that no
plugin's own demo recorded: services whose standards run between the common marks get records
on random working days, most within their times and some not; about two thirds of the
requesters answer the survey.
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import select

from core.auth.models import User
from core.calendar.holidays import calendar_for
from core.db import db
from core.i18n.fiscal import fiscal_year, fiscal_year_range
from core.i18n.thaidate import BANGKOK
from core.standards.contributions import Mark
from core.standards.models import ServiceRecord
from core.standards.services import OfficeService, finish, office_catalogue, open_service, start
from core.standards.survey import ITEMS, submit

COMMENTS = (
    "เจ้าหน้าที่ให้บริการรวดเร็ว อธิบายชัดเจน",
    "ประทับใจในความเต็มใจให้บริการ",
    "อยากให้มีช่องทางแจ้งผ่านโทรศัพท์มือถือเพิ่มเติม",
    "รอนานเล็กน้อยเพราะต้องรออะไหล่",
    "ขอบคุณที่ช่วยแก้ปัญหาให้ทันเวลาประชุม",
)
COMMON = {m.value for m in Mark}
DAILY_CHANCE = 0.2  # of a request for each service on a working day


def create_demo_services(office_id: int, requesters: list[User], staff: User, today: date) -> int:
    """Records from the start of last fiscal year until ``today``; returns how many."""
    rng = random.Random(2569)  # the same demo every time
    calendar = calendar_for(office_id)
    recorded = set(
        db.session.scalars(select(ServiceRecord.service_key).where(ServiceRecord.office_id == office_id))
    )
    services = [
        s for s in office_catalogue(office_id, offered_only=True) if _measurable(s) and s.key not in recorded
    ]
    first, _last = fiscal_year_range(fiscal_year(today) - 1)
    made, day = 0, first
    while day < today and services:
        if calendar.is_working_day(day):
            for service in services:
                if rng.random() < DAILY_CHANCE:
                    _one(office_id, service, rng, calendar, day, rng.choice(requesters), staff)
                    made += 1
        day += timedelta(days=1)
    return made


def _measurable(service: OfficeService) -> bool:
    standards = service.service.standards
    return bool(standards) and all({s.start, s.end} <= COMMON for s in standards)


def _one(office_id, service, rng, calendar, day, requester, staff) -> None:
    received = _utc(datetime.combine(day, time(8, 30), BANGKOK) + timedelta(minutes=rng.randrange(0, 420)))
    budget = max(service.limits.values())
    share = rng.uniform(0.05, 0.9) if rng.random() < 0.85 else rng.uniform(1.05, 1.8)
    done = calendar.add_working_time(received, timedelta(minutes=budget * share))
    started = calendar.add_working_time(
        received, timedelta(minutes=min(budget, 240) * rng.uniform(0.02, 0.5))
    )
    title = f"{service.service.title} — {requester.org_unit.name if requester.org_unit else requester.name}"
    record = open_service(
        office_id=office_id,
        service_key=service.key,
        title=title,
        requester=requester,
        received_at=received,
        actor=staff,
    )
    start(record, min(started, done), staff)
    finish(record, done, staff, invite=False)  # the past: nobody is asked today
    if service.service.survey and rng.random() < 0.65:
        mood = rng.choice((5, 5, 4, 4, 4, 3))
        scores = {key: max(1, min(5, mood + rng.choice((-1, 0, 0, 0, 1)))) for key in ITEMS}
        response = submit(record, scores, rng.choice(COMMENTS) if rng.random() < 0.2 else None, requester)
        response.submitted_at = done + timedelta(hours=rng.uniform(1, 48))


def _utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC).replace(tzinfo=None)

"""The office's catalogue of services and the life of a service record.

Plugins call ``open_service`` when a request arrives, ``mark``/``pause``/``resume`` as the
work goes on, and ``finish`` when it is done: the standards are then measured with the
times the office allows at that moment, and the requester is invited to the survey.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from core.auth.models import User
from core.calendar.holidays import calendar_for
from core.calendar.working_time import WorkingCalendar
from core.db import db, utcnow
from core.i18n import lazy_gettext as _l
from core.i18n.fiscal import fiscal_quarter, fiscal_year
from core.i18n.thaidate import to_local
from core.plugins.offices import enabled_for_office
from core.standards.contributions import Clock, Mark, ServiceType
from core.standards.measure import Measurement, elapsed, measure, paused_spans
from core.standards.models import (
    RecordStatus,
    ServiceMark,
    ServiceRecord,
    ServiceResult,
    ServiceSetting,
    StandardSetting,
)
from core.state import khet


class ServiceStateError(ValueError):
    """A step that does not fit the service's state; the message is shown to the person."""

    def __init__(self, message: object) -> None:
        super().__init__(str(message))
        self.message = message


@dataclass(frozen=True)
class OfficeService:
    """A service type as one office runs it: its own times and operation-plan months."""

    service: ServiceType
    enabled: bool
    months: tuple[int, ...]
    limits: dict[str, int]  # standard key -> minutes

    @property
    def key(self) -> str:
        return self.service.key


def catalogue() -> dict[str, ServiceType]:
    """Every service type the installed plugins declare."""
    return khet().registry.service_types


def office_catalogue(office_id: int, *, offered_only: bool = False) -> list[OfficeService]:
    """The services of the plugins the office has switched on, with the office's settings."""
    plugins = enabled_for_office(office_id)
    settings = {
        s.service_key: s
        for s in db.session.scalars(select(ServiceSetting).where(ServiceSetting.office_id == office_id))
    }
    services = [
        _as_run(service, settings.get(service.key))
        for service in catalogue().values()
        if service.plugin in plugins
    ]
    return [s for s in services if s.enabled or not offered_only]


def office_service(office_id: int, service_key: str) -> OfficeService:
    service = catalogue().get(service_key)
    if service is None:
        raise LookupError(f"no service type {service_key!r} is declared")
    setting = db.session.scalar(
        select(ServiceSetting).where(
            ServiceSetting.office_id == office_id, ServiceSetting.service_key == service_key
        )
    )
    return _as_run(service, setting)


def _as_run(service: ServiceType, setting: ServiceSetting | None) -> OfficeService:
    limits = {s.key: s.minutes for s in service.standards}
    if setting is None:
        return OfficeService(service, True, service.months, limits)
    limits |= {s.standard_key: s.minutes for s in setting.standards if s.standard_key in limits}
    months = tuple(int(m) for m in setting.plan_months.split(",")) if setting.plan_months else service.months
    return OfficeService(service, setting.enabled, months, limits)


def save_settings(
    office_id: int, service_key: str, *, enabled: bool, months: Iterable[int], limits: dict[str, int]
) -> ServiceSetting:
    """Store an office's choices for one service (the admin console's edit form)."""
    service = catalogue()[service_key]
    setting = db.session.scalar(
        select(ServiceSetting).where(
            ServiceSetting.office_id == office_id, ServiceSetting.service_key == service_key
        )
    ) or ServiceSetting(office_id=office_id, service_key=service_key, standards=[])
    setting.enabled = enabled
    chosen = sorted(set(months), key=lambda m: (m - 10) % 12)
    setting.plan_months = None if tuple(chosen) == service.months else ",".join(map(str, chosen))
    existing = {s.standard_key: s for s in setting.standards}
    for standard in service.standards:
        minutes = limits.get(standard.key, standard.minutes)
        row = existing.get(standard.key)
        if row is not None and row.minutes != minutes:
            row.minutes = minutes
        elif row is None and minutes != standard.minutes:
            setting.standards.append(StandardSetting(standard_key=standard.key, minutes=minutes))
    db.session.add(setting)
    db.session.flush()
    return setting


def open_service(
    *,
    office_id: int,
    service_key: str,
    title: str,
    requester: User | None = None,
    requester_unit_id: int | None = None,
    requester_name: str | None = None,
    requester_email: str | None = None,
    received_at: datetime | None = None,
    reference: str | None = None,
    url: str | None = None,
    subject: tuple[str, object] | None = None,
    actor: User | None = None,
) -> ServiceRecord:
    """Start measuring a service the office has just received (รับเรื่อง).

    The requester's unit or school defaults to the requesting person's own.
    """
    run = office_service(office_id, service_key)
    if not run.enabled:
        raise ServiceStateError(
            _l("This office does not offer the service “%(title)s”.", title=run.service.title)
        )
    name = requester_name or (requester.name if requester else None)
    if not name:
        raise ValueError("a service needs its requester: a person or a name")
    at = received_at or utcnow()
    subject_key, subject_id = subject if subject else (None, None)
    record = ServiceRecord(
        office_id=office_id,
        service_key=service_key,
        title=title[:300],
        reference=reference,
        url=url,
        subject_key=subject_key,
        subject_id=None if subject_id is None else str(subject_id),
        requester=requester,
        requester_unit_id=requester_unit_id or (requester.org_unit_id if requester else None),
        requester_name=name,
        requester_email=requester_email or (requester.email if requester else None),
        received_at=at,
        status=RecordStatus.OPEN,
    )
    record.marks.append(ServiceMark(mark=Mark.RECEIVED, at=at, actor=actor))
    db.session.add(record)
    db.session.flush()
    return record


def mark(
    record: ServiceRecord, name: str, at: datetime | None = None, actor: User | None = None
) -> ServiceMark:
    """Record one of the service type's own instants (set up, checked, scheduled start)."""
    if name in (Mark.RECEIVED, Mark.PAUSED, Mark.RESUMED, Mark.FINISHED):
        raise ValueError(f"use open_service, pause, resume or finish for {name!r}")
    if name not in catalogue()[record.service_key].known_marks():
        raise ValueError(f"service {record.service_key!r} has no mark {name!r}")
    _require_active(record)
    return _add_mark(record, name, at, actor)


def start(record: ServiceRecord, at: datetime | None = None, actor: User | None = None) -> ServiceMark | None:
    """The first response (เริ่มดำเนินการ); later calls change nothing."""
    _require_active(record)
    if any(m.mark == Mark.STARTED for m in record.marks):
        return None
    return _add_mark(record, Mark.STARTED, at, actor)


def pause(record: ServiceRecord, at: datetime | None = None, actor: User | None = None) -> ServiceMark:
    """Stop the clock: waiting for a vendor, parts or the requester."""
    _require_active(record)
    if record.status == RecordStatus.PAUSED:
        raise ServiceStateError(_l("The service is already paused."))
    record.status = RecordStatus.PAUSED
    return _add_mark(record, Mark.PAUSED, at, actor)


def resume(record: ServiceRecord, at: datetime | None = None, actor: User | None = None) -> ServiceMark:
    if record.status != RecordStatus.PAUSED:
        raise ServiceStateError(_l("The service is not paused."))
    record.status = RecordStatus.OPEN
    return _add_mark(record, Mark.RESUMED, at, actor)


def finish(
    record: ServiceRecord, at: datetime | None = None, actor: User | None = None, *, invite: bool = True
) -> list[ServiceResult]:
    """Close the service (เสร็จสิ้น): measure every standard and invite the requester's rating
    (``invite=False`` for services of the past entered afterwards)."""
    from core.standards.survey import (
        invite as invite_requester,
    )  # the survey needs finished records; not the reverse

    _require_active(record)
    at = at or utcnow()
    start(record, at, actor)  # a service finished at once was also answered at once
    _add_mark(record, Mark.FINISHED, at, actor)
    record.status = RecordStatus.FINISHED
    record.finished_at = at
    local_day = to_local(at).date()
    record.fiscal_year, record.fiscal_quarter = fiscal_year(local_day), fiscal_quarter(local_day)
    calendar = calendar_for(record.office_id)
    marks = _marks(record)
    record.working_minutes = (
        elapsed(record.received_at, at, Clock.WORKING, calendar, paused_spans(marks, at)).total_seconds() / 60
    )
    record.results = [
        ServiceResult(standard_key=m.standard.key, minutes=m.minutes, limit_minutes=m.limit, met=m.met)
        for m in progress(record, at, calendar=calendar)
        if m.met is not None and m.minutes is not None
    ]
    db.session.flush()
    if invite:
        invite_requester(record)
    return record.results


def cancel(record: ServiceRecord, actor: User | None = None) -> None:
    """A request withdrawn or made in error: it leaves the report, its marks stay."""
    _require_active(record)
    record.status = RecordStatus.CANCELLED
    db.session.flush()


def progress(
    record: ServiceRecord, now: datetime | None = None, *, calendar: WorkingCalendar | None = None
) -> list[Measurement]:
    """Each standard of the service as it stands at ``now`` (met, missed, or due when)."""
    now = now or utcnow()
    run = office_service(record.office_id, record.service_key)
    calendar = calendar or calendar_for(record.office_id)
    marks = _marks(record)
    return [measure(marks, s, run.limits[s.key], calendar, now) for s in run.service.standards]


def records_about(subject_key: str, subject_id: object) -> list[ServiceRecord]:
    """The service records of a plugin's record, oldest first."""
    return list(
        db.session.scalars(
            select(ServiceRecord)
            .where(ServiceRecord.subject_key == subject_key, ServiceRecord.subject_id == str(subject_id))
            .order_by(ServiceRecord.id)
        )
    )


def _marks(record: ServiceRecord) -> list[tuple[str, datetime]]:
    return sorted(((m.mark, m.at) for m in record.marks), key=lambda pair: pair[1])


def _add_mark(record: ServiceRecord, name: str, at: datetime | None, actor: User | None) -> ServiceMark:
    entry = ServiceMark(mark=name, at=at or utcnow(), actor=actor)
    record.marks.append(entry)
    db.session.flush()
    return entry


def _require_active(record: ServiceRecord) -> None:
    if record.status in (RecordStatus.FINISHED, RecordStatus.CANCELLED):
        raise ServiceStateError(_l("The service is already closed."))

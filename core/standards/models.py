"""Office settings of the catalogue, service records with their marks and results, survey answers."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import (
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.audit import AuditSpec
from core.auth.models import User
from core.db import Base
from core.i18n import lazy_gettext as _l
from core.org.models import OrgUnit


class RecordStatus(StrEnum):
    OPEN = "open"
    PAUSED = "paused"
    FINISHED = "finished"
    CANCELLED = "cancelled"


RECORD_STATUS_LABELS = {
    RecordStatus.OPEN: _l("In progress"),
    RecordStatus.PAUSED: _l("Paused"),
    RecordStatus.FINISHED: _l("Finished"),
    RecordStatus.CANCELLED: _l("Cancelled"),
}


class ServiceSetting(Base):
    """How one office runs one service of the catalogue: whether at all, and in which months."""

    __tablename__ = "core_service_settings"
    __table_args__ = (UniqueConstraint("office_id", "service_key"),)
    __audit__ = AuditSpec(
        "core.service_setting",
        label=lambda setting: setting.service_key,
        labels={
            "service_key": _l("Service"),
            "enabled": _l("Offered"),
            "plan_months": _l("Months in the operation plan"),
            "office": _l("Office"),
        },
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("core_org_units.id", ondelete="CASCADE"))
    service_key: Mapped[str] = mapped_column(String(80))
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    plan_months: Mapped[str | None] = mapped_column(String(40))  # "10,11,12"; None: the catalogue's

    office: Mapped[OrgUnit] = relationship()
    standards: Mapped[list[StandardSetting]] = relationship(
        back_populates="setting", cascade="all, delete-orphan", order_by="StandardSetting.id"
    )


class StandardSetting(Base):
    """An office's own time for one standard, replacing the catalogue's."""

    __tablename__ = "core_standard_settings"
    __table_args__ = (UniqueConstraint("setting_id", "standard_key"),)
    __audit__ = AuditSpec(
        "core.standard_setting",
        label=lambda standard: standard.standard_key,
        parent=lambda standard: ("core.service_setting", standard.setting_id),
        labels={"standard_key": _l("Standard"), "minutes": _l("Time allowed (minutes)")},
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    setting_id: Mapped[int] = mapped_column(ForeignKey("core_service_settings.id", ondelete="CASCADE"))
    standard_key: Mapped[str] = mapped_column(String(60))
    minutes: Mapped[int] = mapped_column(Integer)

    setting: Mapped[ServiceSetting] = relationship(back_populates="standards")


class ServiceRecord(Base):
    """One service given (งานบริการ): a repair, a video conference, a web post.

    The plugin's own record (``subject_key``/``subject_id``) holds the details; this holds
    what the standards and the report need. Period columns are set when the service finishes,
    so the report reads them through an index.
    """

    __tablename__ = "core_service_records"
    __table_args__ = (
        Index("ix_core_service_records_period", "office_id", "fiscal_year", "fiscal_quarter", "service_key"),
        Index("ix_core_service_records_subject", "subject_key", "subject_id"),
    )
    __audit__ = AuditSpec(
        "core.service_record",
        label=lambda record: record.reference or record.title,
        labels={
            "service_key": _l("Service"),
            "title": _l("Subject"),
            "reference": _l("Reference"),
            "status": _l("Status"),
            "requester": _l("Requester"),
            "requester_unit_id": _l("Requester's unit or school"),
            "requester_name": _l("Requester's name"),
            "requester_email": _l("Requester's e-mail"),
            "received_at": _l("Received"),
            "finished_at": _l("Finished"),
            "working_minutes": _l("Working time (minutes)"),
            "survey_invited_at": _l("Survey sent"),
        },
        exclude=frozenset({"fiscal_year", "fiscal_quarter"}),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("core_org_units.id"))
    service_key: Mapped[str] = mapped_column(String(80))
    title: Mapped[str] = mapped_column(String(300))
    reference: Mapped[str | None] = mapped_column(String(60))
    url: Mapped[str | None] = mapped_column(String(300))
    subject_key: Mapped[str | None] = mapped_column(String(80))
    subject_id: Mapped[str | None] = mapped_column(String(64))
    requester_id: Mapped[int | None] = mapped_column(ForeignKey("core_users.id"), index=True)
    # the requester's work unit or school, for the report's volume by unit and school
    requester_unit_id: Mapped[int | None] = mapped_column(ForeignKey("core_org_units.id"))
    requester_name: Mapped[str] = mapped_column(String(200))
    requester_email: Mapped[str | None] = mapped_column(String(254))
    status: Mapped[str] = mapped_column(String(20), default=RecordStatus.OPEN)
    received_at: Mapped[datetime] = mapped_column(DateTime)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime)
    working_minutes: Mapped[float | None] = mapped_column(Float)
    fiscal_year: Mapped[int | None] = mapped_column(SmallInteger)
    fiscal_quarter: Mapped[int | None] = mapped_column(SmallInteger)
    survey_invited_at: Mapped[datetime | None] = mapped_column(DateTime)

    office: Mapped[OrgUnit] = relationship(foreign_keys=[office_id])
    requester: Mapped[User | None] = relationship()
    marks: Mapped[list[ServiceMark]] = relationship(
        back_populates="record", cascade="all, delete-orphan", order_by="(ServiceMark.at, ServiceMark.id)"
    )
    results: Mapped[list[ServiceResult]] = relationship(
        back_populates="record", cascade="all, delete-orphan", order_by="ServiceResult.standard_key"
    )
    response: Mapped[SurveyResponse | None] = relationship(back_populates="record")

    def __str__(self) -> str:
        return self.reference or self.title


class ServiceMark(Base):
    """An instant in a service's life: received, started, paused, resumed, finished, or its own."""

    __tablename__ = "core_service_marks"
    __table_args__ = (Index("ix_core_service_marks_record", "record_id", "at"),)
    __audit__ = AuditSpec(
        "core.service_mark",
        label=lambda mark: mark.mark,
        parent=lambda mark: ("core.service_record", mark.record_id),
        labels={"mark": _l("Step"), "at": _l("At"), "actor": _l("By")},
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    record_id: Mapped[int] = mapped_column(ForeignKey("core_service_records.id", ondelete="CASCADE"))
    mark: Mapped[str] = mapped_column(String(40))
    at: Mapped[datetime] = mapped_column(DateTime)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("core_users.id"))

    record: Mapped[ServiceRecord] = relationship(back_populates="marks")
    actor: Mapped[User | None] = relationship()


class ServiceResult(Base):
    """How one standard went for one finished service, with the time allowed at the time."""

    __tablename__ = "core_service_results"

    record_id: Mapped[int] = mapped_column(
        ForeignKey("core_service_records.id", ondelete="CASCADE"), primary_key=True
    )
    standard_key: Mapped[str] = mapped_column(String(60), primary_key=True)
    minutes: Mapped[float] = mapped_column(Float)
    limit_minutes: Mapped[int] = mapped_column(Integer)
    met: Mapped[bool] = mapped_column(Boolean)

    record: Mapped[ServiceRecord] = relationship(back_populates="results")


class SurveyResponse(Base):
    """The requester's answer to the satisfaction survey (แบบประเมินความพึงพอใจ); one per service."""

    __tablename__ = "core_survey_responses"
    __audit__ = AuditSpec(
        "core.survey_response",
        label=lambda response: str(response.record_id),
        parent=lambda response: ("core.service_record", response.record_id),
        labels={"submitted_at": _l("Answered"), "comment": _l("Comments"), "respondent": _l("By")},
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    record_id: Mapped[int] = mapped_column(
        ForeignKey("core_service_records.id", ondelete="CASCADE"), unique=True
    )
    submitted_at: Mapped[datetime] = mapped_column(DateTime)
    respondent_id: Mapped[int | None] = mapped_column(ForeignKey("core_users.id"))
    comment: Mapped[str | None] = mapped_column(Text)

    record: Mapped[ServiceRecord] = relationship(back_populates="response")
    respondent: Mapped[User | None] = relationship()
    answers: Mapped[list[SurveyAnswer]] = relationship(
        back_populates="response", cascade="all, delete-orphan"
    )


class SurveyAnswer(Base):
    """One rating, 1 (least) to 5 (most), of one item of the questionnaire."""

    __tablename__ = "core_survey_answers"

    response_id: Mapped[int] = mapped_column(
        ForeignKey("core_survey_responses.id", ondelete="CASCADE"), primary_key=True
    )
    item: Mapped[str] = mapped_column(String(40), primary_key=True)  # e.g. staff.courtesy
    score: Mapped[int] = mapped_column(SmallInteger)

    response: Mapped[SurveyResponse] = relationship(back_populates="answers")

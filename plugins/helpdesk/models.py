"""Tickets of the ICT service centre (ศูนย์บริการ ICT) and their timelines."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from enum import StrEnum

from sqlalchemy import Boolean, DateTime, ForeignKey, Index, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.audit import AuditSpec
from core.auth.models import User
from core.db import Base
from core.i18n import lazy_gettext as _l
from core.i18n import lazy_pgettext
from core.org.models import OrgUnit
from core.uploads import StoredFile
from plugins.helpdesk.assets.models import Asset


class RequestType(StrEnum):
    """The services of the manual; each is measured as ``helpdesk.<value>``."""

    REPAIR = "repair"  # แจ้งซ่อมคอมพิวเตอร์และอุปกรณ์ต่อพ่วง
    PHONE = "phone"  # ขอคำปรึกษาทางโทรศัพท์
    SOFTWARE = "software"  # ขอติดตั้งโปรแกรม
    ACCOUNT = "account"  # ขอบัญชีผู้ใช้ระบบสารบรรณอิเล็กทรอนิกส์ อีเมล บัตรผู้ใช้เครือข่าย
    GENERAL = "general"  # แบบฟอร์มขอใช้บริการ

    @property
    def service_key(self) -> str:
        return f"helpdesk.{self.value}"


REQUEST_TYPE_LABELS = {
    RequestType.REPAIR: _l("Repair of a computer or peripheral"),
    RequestType.PHONE: _l("Phone consultation"),
    RequestType.SOFTWARE: _l("Software installation"),
    RequestType.ACCOUNT: _l("Account (e-office, e-mail, network card)"),
    RequestType.GENERAL: _l("Other service request"),
}


class TicketStatus(StrEnum):
    NEW = "new"  # รอรับเรื่อง
    ACCEPTED = "accepted"  # รับเรื่องแล้ว
    IN_PROGRESS = "in_progress"  # กำลังดำเนินการ
    WAITING_PARTS = "waiting_parts"  # รออะไหล่
    AT_VENDOR = "at_vendor"  # ส่งร้าน
    WAITING_REQUESTER = "waiting_requester"  # รอข้อมูลจากผู้แจ้ง
    DONE = "done"  # เสร็จสิ้น
    HANDED_OVER = "handed_over"  # ส่งมอบแล้ว
    CLOSED = "closed"  # ปิด


STATUS_LABELS = {
    TicketStatus.NEW: _l("Waiting to be received"),
    TicketStatus.ACCEPTED: lazy_pgettext("ticket status", "Received"),
    TicketStatus.IN_PROGRESS: _l("In progress"),
    TicketStatus.WAITING_PARTS: _l("Waiting for parts"),
    TicketStatus.AT_VENDOR: _l("At the vendor"),
    TicketStatus.WAITING_REQUESTER: _l("Waiting for the requester"),
    TicketStatus.DONE: _l("Done"),
    TicketStatus.HANDED_OVER: _l("Handed over"),
    TicketStatus.CLOSED: _l("Closed"),
}

WAITING = frozenset({TicketStatus.WAITING_PARTS, TicketStatus.AT_VENDOR, TicketStatus.WAITING_REQUESTER})
FINISHED = frozenset({TicketStatus.DONE, TicketStatus.HANDED_OVER, TicketStatus.CLOSED})
OPEN = frozenset(TicketStatus) - FINISHED
OPEN_STATUSES = sorted(s.value for s in OPEN)  # for queries: ``status IN (...)``


class EntryKind(StrEnum):
    CREATED = "created"
    REPLY = "reply"  # seen by the requester
    NOTE = "note"  # staff only
    STATUS = "status"
    ASSIGNED = "assigned"
    MERGED = "merged"
    STEP = "step"  # a step of the manual's procedure (ขั้นตอนการปฏิบัติงาน) without a change of status


class Step(StrEnum):
    """The steps of the manuals' procedures (seed 002 §6) a ticket's timeline records.

    A step is its own entry, or names the change of status it caused (a call answered is done).
    """

    ANSWERED = "answered"  # ตอบ/แนะนำวิธีแก้ไขได้ทันที
    CALLBACK_PROMISED = "callback_promised"  # แจ้งเวลาโทรกลับ
    CALLBACK_MOVED = "callback_moved"
    CALLED_BACK = "called_back"  # โทรกลับแจ้งวิธีแก้ไขปัญหา
    REOPENED = "reopened"
    # Repair (การซ่อมบำรุง, §6.2)
    INSPECTED = "inspected"  # ตรวจสอบ วิเคราะห์สาเหตุ (the cause in the entry)
    SENT_TO_VENDOR = "sent_to_vendor"  # เช่า/อยู่ในประกัน: ติดต่อร้าน/บริษัทผู้รับผิดชอบ
    BACK_FROM_VENDOR = "back_from_vendor"
    PARTS_REQUESTED = "parts_requested"  # แจ้งฝ่ายพัสดุเพื่อจัดซื้ออุปกรณ์
    PARTS_APPROVED = "parts_approved"
    PARTS_REFUSED = "parts_refused"
    PARTS_WITHDRAWN = "parts_withdrawn"
    REPAIRED = "repaired"  # ดำเนินการแก้ไข ซ่อมบำรุง
    VERIFIED = "verified"  # ตรวจสอบผลการแก้ไขซ่อมบำรุง: ใช้งานได้
    VERIFY_FAILED = "verify_failed"
    # Software installation (การบริการติดตั้งชุดคำสั่งสำเร็จรูป, §6.4)
    PREPARED = "prepared"  # เตรียมแผ่นโปรแกรม
    INSTALLED = "installed"  # ติดตั้งโปรแกรม
    TEST_PASSED = "test_passed"  # ทดสอบการใช้งาน: ผ่าน
    TEST_FAILED = "test_failed"  # ไม่ผ่าน: ตรวจสอบปัญหา
    REINSTALLED = "reinstalled"  # ติดตั้งใหม่อีกครั้ง
    FOLLOWED_UP = "followed_up"  # ติดตามผลหลังการติดตั้งใช้งาน
    # Any request: details missing go back to the requester (ประสานงานผู้ขอรับบริการ)
    INFO_ASKED = "info_asked"
    INFO_GIVEN = "info_given"
    # Account requests (การให้บริการขอใช้งานระบบสารบรรณอิเล็กทรอนิกส์, §6.7)
    ACCOUNT_CREATED = "account_created"  # บันทึกข้อมูลลงระบบ แจ้งสิทธิ์เข้าใช้งาน
    # The service request form (แบบฟอร์มขอใช้บริการ): the DLICT group director's opinion
    PERMITTED = "permitted"  # อนุญาต
    NOT_PERMITTED = "not_permitted"  # ไม่อนุญาต
    OPINION_RETURNED = "opinion_returned"  # ส่งคืนให้แก้ไข
    WITHDRAWN = "withdrawn"  # ผู้ขอถอนคำขอ


STEP_LABELS = {
    Step.ANSWERED: _l("Answered on the telephone"),
    Step.CALLBACK_PROMISED: _l("Call-back promised for %(time)s"),
    Step.CALLBACK_MOVED: _l("Call-back moved to %(time)s"),
    Step.CALLED_BACK: _l("Called back"),
    Step.REOPENED: _l("Reopened"),
    Step.INSPECTED: _l("Inspected: the cause"),
    Step.SENT_TO_VENDOR: _l("Sent to the vendor"),
    Step.BACK_FROM_VENDOR: _l("Back from the vendor"),
    Step.PARTS_REQUESTED: _l("Parts requested"),
    Step.PARTS_APPROVED: _l("Parts approved"),
    Step.PARTS_REFUSED: _l("Parts not approved"),
    Step.PARTS_WITHDRAWN: _l("Parts request withdrawn"),
    Step.REPAIRED: _l("Repaired"),
    Step.VERIFIED: _l("Repair checked: it works"),
    Step.VERIFY_FAILED: _l("Repair checked: still not working"),
    Step.PREPARED: _l("Installation media prepared"),
    Step.INSTALLED: _l("Installed"),
    Step.TEST_PASSED: _l("Tested: it works"),
    Step.TEST_FAILED: _l("Tested: it does not work"),
    Step.REINSTALLED: _l("Installed again"),
    Step.FOLLOWED_UP: _l("Followed up after installation"),
    Step.INFO_ASKED: _l("More information asked of the requester"),
    Step.INFO_GIVEN: _l("The requester completed the request"),
    Step.ACCOUNT_CREATED: _l("Recorded in the system; access rights sent to the requester"),
    Step.PERMITTED: _l("The DLICT group director permits the service"),
    Step.NOT_PERMITTED: _l("The DLICT group director does not permit the service"),
    Step.OPINION_RETURNED: _l("The DLICT group director returned the request for changes"),
    Step.WITHDRAWN: _l("Withdrawn by the requester"),
}


class TicketLabels:
    """The translated status and request type of a ticket, for a loaded ``Ticket`` and for a
    list's ``QueueRow`` alike (both hold ``status`` and ``request_type``)."""

    __slots__ = ()

    @property
    def status_label(self) -> object:
        return STATUS_LABELS[self.status]  # type: ignore[attr-defined]

    @property
    def type_label(self) -> object:
        return REQUEST_TYPE_LABELS[self.request_type]  # type: ignore[attr-defined]


class Ticket(TicketLabels, Base):
    """A request to the ICT service centre, numbered per office and fiscal year (2570-00042)."""

    __tablename__ = "helpdesk_tickets"
    __table_args__ = (
        UniqueConstraint("office_id", "number"),
        Index("ix_helpdesk_tickets_office", "office_id", "id"),  # the queue's "all" view, newest first
        Index("ix_helpdesk_tickets_queue", "office_id", "status", "id"),
        Index("ix_helpdesk_tickets_assignee", "assignee_id", "status", "id"),
        Index("ix_helpdesk_tickets_requester", "requester_id", "id"),
        Index("ix_helpdesk_tickets_callbacks", "office_id", "callback_at"),  # the call-back queue
        Index("ix_helpdesk_tickets_unit", "office_id", "unit_id", "id"),  # the queue of one unit
    )
    __audit__ = AuditSpec(
        "helpdesk.ticket",
        label=lambda ticket: ticket.number,
        labels={
            "number": _l("Ticket number"),
            "request_type": _l("Request type"),
            "title": _l("Subject"),
            "description": _l("Details"),
            "requester": _l("Requester"),
            "requester_name": _l("Requester's name"),
            "requester_phone": _l("Telephone"),
            "requester_position": _l("Position"),
            "service_at": _l("Wanted on"),
            "requester_email": _l("E-mail"),
            "requester_unit": _l("Group or school"),
            "unit": _l("Queue"),
            "assignee": _l("Assigned to"),
            "status": _l("Status"),
            "callback_at": _l("Call back at"),
            "called_back_at": _l("Called back"),
            "closed_at": _l("Closed"),
            "merged_into": _l("Merged into"),
            "asset": _l("Asset"),
        },
        redact=frozenset({"access_code_hash"}),
        exclude=frozenset({"updated_at", "service_record_id", "sla_warnings"}),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("core_org_units.id"))
    number: Mapped[str] = mapped_column(String(20))
    access_code_hash: Mapped[str] = mapped_column(String(64))
    request_type: Mapped[str] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    requester_id: Mapped[int | None] = mapped_column(ForeignKey("core_users.id"))
    requester_name: Mapped[str] = mapped_column(String(200))
    requester_phone: Mapped[str | None] = mapped_column(String(40))
    requester_position: Mapped[str | None] = mapped_column(String(200))  # ตำแหน่ง, as on the form
    service_at: Mapped[datetime | None] = mapped_column(DateTime)  # วันที่ เวลา ที่ขอใช้บริการ
    requester_email: Mapped[str | None] = mapped_column(String(254))
    requester_unit_id: Mapped[int | None] = mapped_column(ForeignKey("core_org_units.id"))
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("core_org_units.id"))
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("core_users.id"))
    status: Mapped[str] = mapped_column(String(20), default=TicketStatus.NEW)
    # A phone consultation not answered at once: the call-back promised (its own deadline).
    callback_at: Mapped[datetime | None] = mapped_column(DateTime)
    called_back_at: Mapped[datetime | None] = mapped_column(DateTime)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    updated_at: Mapped[datetime] = mapped_column(DateTime)
    closed_at: Mapped[datetime | None] = mapped_column(DateTime)
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("helpdesk_tickets.id"))
    service_record_id: Mapped[int | None] = mapped_column(ForeignKey("core_service_records.id"))
    asset_id: Mapped[int | None] = mapped_column(ForeignKey("helpdesk_assets.id"), index=True)
    # The warnings already sent, "soon:first_response,late:resolution": each is sent once.
    sla_warnings: Mapped[str] = mapped_column(String(200), default="", server_default="")

    office: Mapped[OrgUnit] = relationship(foreign_keys=[office_id])
    requester: Mapped[User | None] = relationship(foreign_keys=[requester_id])
    requester_unit: Mapped[OrgUnit | None] = relationship(foreign_keys=[requester_unit_id])
    unit: Mapped[OrgUnit | None] = relationship(foreign_keys=[unit_id])
    assignee: Mapped[User | None] = relationship(foreign_keys=[assignee_id])
    merged_into: Mapped[Ticket | None] = relationship(remote_side=[id])
    asset: Mapped[Asset | None] = relationship()
    account: Mapped[AccountRequest | None] = relationship(
        back_populates="ticket", cascade="all, delete-orphan"
    )
    entries: Mapped[list[TicketEntry]] = relationship(
        back_populates="ticket", cascade="all, delete-orphan", order_by="TicketEntry.id"
    )

    @property
    def callback_pending(self) -> bool:
        return self.callback_at is not None and self.called_back_at is None and self.status in OPEN

    def __str__(self) -> str:
        return f"{self.number} {self.title}"


class TicketEntry(Base):
    """One line of a ticket's timeline: a reply, an internal note, a change of status or hands."""

    __tablename__ = "helpdesk_ticket_entries"
    __table_args__ = (Index("ix_helpdesk_ticket_entries_ticket", "ticket_id", "id"),)
    __audit__ = AuditSpec(
        "helpdesk.ticket_entry",
        label=lambda entry: entry.kind,
        parent=lambda entry: ("helpdesk.ticket", entry.ticket_id),
        labels={
            "kind": _l("Kind"),
            "body": _l("Text"),
            "status": _l("Status"),
            "step": _l("Step"),
            "moment": _l("Time"),
            "internal": _l("Staff only"),
        },
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("helpdesk_tickets.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(20))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("core_users.id"))
    body: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str | None] = mapped_column(String(20))
    step: Mapped[str | None] = mapped_column(String(30))
    moment: Mapped[datetime | None] = mapped_column(DateTime)  # the time a step names (a call-back)
    internal: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime)

    ticket: Mapped[Ticket] = relationship(back_populates="entries")
    author: Mapped[User | None] = relationship()


class PartsStatus(StrEnum):
    PENDING = "pending"  # รออนุมัติ
    APPROVED = "approved"
    REFUSED = "refused"
    WITHDRAWN = "withdrawn"


PARTS_STATUS_LABELS = {
    PartsStatus.PENDING: _l("Waiting for approval"),
    PartsStatus.APPROVED: _l("Approved"),
    PartsStatus.REFUSED: _l("Not approved"),
    PartsStatus.WITHDRAWN: _l("Withdrawn"),
}


class PartsRequest(Base):
    """A request to buy parts for a repair (รายการอะไหล่), decided through an approval chain."""

    __tablename__ = "helpdesk_parts_requests"
    __table_args__ = (Index("ix_helpdesk_parts_requests_ticket", "ticket_id", "id"),)
    __audit__ = AuditSpec(
        "helpdesk.parts_request",
        label=lambda parts: parts.items[:60],
        parent=lambda parts: ("helpdesk.ticket", parts.ticket_id),
        labels={
            "items": _l("Parts"),
            "estimated_cost": _l("Estimated cost (baht)"),
            "reason": _l("Why they are needed"),
            "status": _l("Status"),
            "requested_by": _l("Requested by"),
            "decided_at": _l("Decided"),
        },
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("core_org_units.id"))
    ticket_id: Mapped[int] = mapped_column(ForeignKey("helpdesk_tickets.id", ondelete="CASCADE"))
    items: Mapped[str] = mapped_column(Text)
    estimated_cost: Mapped[Decimal] = mapped_column(Numeric(12, 2))
    reason: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20), default=PartsStatus.PENDING)
    requested_by_id: Mapped[int] = mapped_column(ForeignKey("core_users.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime)
    decided_at: Mapped[datetime | None] = mapped_column(DateTime)

    ticket: Mapped[Ticket] = relationship()
    requested_by: Mapped[User] = relationship()

    @property
    def status_label(self) -> object:
        return PARTS_STATUS_LABELS[PartsStatus(self.status)]

    def __str__(self) -> str:
        return self.items


class AccountKind(StrEnum):
    SARABAN = "saraban"  # ระบบสารบรรณอิเล็กทรอนิกส์ (e-office)
    EMAIL = "email"  # อีเมลหน่วยงาน
    NETWORK = "network"  # บัตรประจำตัวผู้ใช้งานเครือข่าย


ACCOUNT_KIND_LABELS = {
    AccountKind.SARABAN: _l("E-office (saraban) account"),
    AccountKind.EMAIL: _l("E-mail address"),
    AccountKind.NETWORK: _l("Network identity card"),
}


class AccessLevel(StrEnum):
    USER = "user"  # ผู้ใช้งานทั่วไป
    CLERK = "clerk"  # เจ้าหน้าที่สารบรรณ
    EXECUTIVE = "executive"  # ผู้บริหาร


ACCESS_LABELS = {
    AccessLevel.USER: _l("Ordinary user"),
    AccessLevel.CLERK: _l("Correspondence clerk of a group or school"),
    AccessLevel.EXECUTIVE: _l("Executive"),
}

ACCOUNT_LABELS = {
    "kind": _l("Account asked for"),
    "name_en": _l("Name in English"),
    "wanted": _l("Address or user name wanted"),
    "access": _l("Access rights"),
    "devices": _l("Devices that will connect"),
}
# What each kind needs besides the requester's name, position and unit (ticket fields).
ACCOUNT_FIELDS = {
    AccountKind.SARABAN: ("name_en", "access"),
    AccountKind.EMAIL: ("name_en", "wanted"),
    AccountKind.NETWORK: ("name_en", "devices"),
}


@dataclass(frozen=True)
class AccountDetails:
    """The fields of an account request (แบบฟอร์มขอใช้งานระบบ / แบบคำขอมีบัตรประจำตัว)."""

    kind: AccountKind
    name_en: str | None = None
    wanted: str | None = None
    access: str | None = None
    devices: str | None = None

    def missing(self) -> list[str]:
        """The fields its kind needs that are empty."""
        return [name for name in ACCOUNT_FIELDS[self.kind] if not (getattr(self, name) or "").strip()]

    def values(self) -> dict[str, str | None]:
        return {name: (getattr(self, name) or "").strip() or None for name in ACCOUNT_LABELS} | {
            "kind": self.kind
        }


class AccountRequest(Base):
    """What an account request asks for, beside its ticket."""

    __tablename__ = "helpdesk_account_requests"
    __audit__ = AuditSpec(
        "helpdesk.account_request",
        label=lambda account: account.kind,
        parent=lambda account: ("helpdesk.ticket", account.ticket_id),
        labels=ACCOUNT_LABELS,
    )

    ticket_id: Mapped[int] = mapped_column(
        ForeignKey("helpdesk_tickets.id", ondelete="CASCADE"), primary_key=True
    )
    kind: Mapped[str] = mapped_column(String(20))
    name_en: Mapped[str | None] = mapped_column(String(200))
    wanted: Mapped[str | None] = mapped_column(String(200))
    access: Mapped[str | None] = mapped_column(String(20))
    devices: Mapped[str | None] = mapped_column(Text)

    ticket: Mapped[Ticket] = relationship(back_populates="account")

    @property
    def kind_label(self) -> object:
        return ACCOUNT_KIND_LABELS[AccountKind(self.kind)]

    @property
    def access_label(self) -> object | None:
        return ACCESS_LABELS[AccessLevel(self.access)] if self.access else None

    def details(self) -> AccountDetails:
        return AccountDetails(AccountKind(self.kind), self.name_en, self.wanted, self.access, self.devices)


DUTY_LABELS = {
    "request_type": _l("Request type"),
    "unit": _l("Responsible unit"),
    "technician": _l("Technician"),
    "order_reference": _l("Office order"),
}


class DutyAssignment(Base):
    """Who handles which requests (มอบหมายหน้าที่), as the office's order of duties says.

    A row names the unit responsible for a request type and, usually, one of its technicians;
    a new ticket of that type goes to the unit, and to its least busy technician on duty.
    """

    __tablename__ = "helpdesk_duties"
    __table_args__ = (
        UniqueConstraint("office_id", "request_type", "unit_id", "technician_id"),
        Index("ix_helpdesk_duties_type", "office_id", "request_type"),
    )
    __audit__ = AuditSpec(
        "helpdesk.duty",
        label=lambda duty: f"{duty.request_type} {duty.unit.name if duty.unit else ''}".strip(),
        labels=DUTY_LABELS,
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("core_org_units.id"))
    request_type: Mapped[str] = mapped_column(String(20))
    unit_id: Mapped[int] = mapped_column(ForeignKey("core_org_units.id"))
    technician_id: Mapped[int | None] = mapped_column(ForeignKey("core_users.id"), index=True)
    order_reference: Mapped[str | None] = mapped_column(String(100))  # e.g. คำสั่งที่ 288/2561

    office: Mapped[OrgUnit] = relationship(foreign_keys=[office_id])
    unit: Mapped[OrgUnit] = relationship(foreign_keys=[unit_id])
    technician: Mapped[User | None] = relationship()

    @property
    def type_label(self) -> object:
        return REQUEST_TYPE_LABELS[RequestType(self.request_type)]

    def __str__(self) -> str:
        who = self.technician.name if self.technician else ""
        return f"{self.type_label} · {self.unit.name if self.unit else ''} {who}".strip()


class TicketPhoto(Base):
    """A photo the requester (or a technician) attached to a ticket, with a small copy to list it."""

    __tablename__ = "helpdesk_ticket_photos"
    __table_args__ = (Index("ix_helpdesk_ticket_photos_ticket", "ticket_id", "id"),)
    __audit__ = AuditSpec(
        "helpdesk.ticket_photo",
        label=lambda photo: photo.file.name if photo.file else str(photo.file_id),
        parent=lambda photo: ("helpdesk.ticket", photo.ticket_id),
        labels={"file": _l("Photo"), "entry": _l("With the message")},
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("helpdesk_tickets.id", ondelete="CASCADE"))
    entry_id: Mapped[int | None] = mapped_column(ForeignKey("helpdesk_ticket_entries.id", ondelete="CASCADE"))
    file_id: Mapped[int] = mapped_column(ForeignKey("core_files.id"))
    thumbnail_id: Mapped[int | None] = mapped_column(ForeignKey("core_files.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime)

    ticket: Mapped[Ticket] = relationship()
    entry: Mapped[TicketEntry | None] = relationship()
    file: Mapped[StoredFile] = relationship(foreign_keys=[file_id])
    thumbnail: Mapped[StoredFile | None] = relationship(foreign_keys=[thumbnail_id])

    @property
    def internal(self) -> bool:
        return self.entry is not None and self.entry.internal

"""The asset register (ทะเบียนครุภัณฑ์) of the ICT service centre."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import Boolean, Date, DateTime, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.audit import AuditSpec
from core.auth.models import User
from core.db import Base, utcnow
from core.i18n import lazy_gettext as _l
from core.org.models import OrgUnit


class AssetType(StrEnum):
    DESKTOP = "desktop"  # คอมพิวเตอร์ตั้งโต๊ะ
    NOTEBOOK = "notebook"  # คอมพิวเตอร์โน้ตบุ๊ก
    TABLET = "tablet"  # แท็บเล็ต
    MONITOR = "monitor"  # จอภาพ
    PRINTER = "printer"  # เครื่องพิมพ์
    SCANNER = "scanner"  # เครื่องสแกนเอกสาร
    PROJECTOR = "projector"  # เครื่องฉายภาพ (โปรเจกเตอร์)
    NETWORK = "network"  # อุปกรณ์เครือข่าย
    SERVER = "server"  # เครื่องคอมพิวเตอร์แม่ข่าย
    UPS = "ups"  # เครื่องสำรองไฟฟ้า
    CONFERENCE = "conference"  # อุปกรณ์ประชุมทางไกล
    OTHER = "other"  # อื่น ๆ


ASSET_TYPE_LABELS = {
    AssetType.DESKTOP: _l("Desktop computer"),
    AssetType.NOTEBOOK: _l("Notebook computer"),
    AssetType.TABLET: _l("Tablet"),
    AssetType.MONITOR: _l("Monitor"),
    AssetType.PRINTER: _l("Printer"),
    AssetType.SCANNER: _l("Scanner"),
    AssetType.PROJECTOR: _l("Projector"),
    AssetType.NETWORK: _l("Network device"),
    AssetType.SERVER: _l("Server"),
    AssetType.UPS: _l("UPS"),
    AssetType.CONFERENCE: _l("Video-conference equipment"),
    AssetType.OTHER: _l("Other"),
}


class AssetStatus(StrEnum):
    IN_USE = "in_use"  # ใช้งาน
    IN_REPAIR = "in_repair"  # ส่งซ่อม
    AT_VENDOR = "at_vendor"  # ส่งร้าน
    SPARE = "spare"  # สำรอง
    ON_LOAN = "on_loan"  # ให้ยืม
    WRITTEN_OFF = "written_off"  # จำหน่าย


ASSET_STATUS_LABELS = {
    AssetStatus.IN_USE: _l("In use"),
    AssetStatus.IN_REPAIR: _l("In repair"),
    AssetStatus.AT_VENDOR: _l("At the vendor"),
    AssetStatus.SPARE: _l("Spare"),
    AssetStatus.ON_LOAN: _l("On loan"),
    AssetStatus.WRITTEN_OFF: _l("Written off"),
}

ASSET_LABELS = {
    "asset_number": _l("Asset number"),
    "asset_type": _l("Type"),
    "brand": _l("Brand"),
    "model": _l("Model"),
    "serial_number": _l("Serial number"),
    "location": _l("Location"),
    "owner": _l("Owner"),
    "owner_name": _l("Owner (not a Khet user)"),
    "purchase_date": _l("Purchase date"),
    "warranty_end": _l("Warranty end"),
    "vendor": _l("Vendor"),
    "vendor_contact": _l("Vendor contact"),
    "contract_number": _l("Contract or purchase order number"),
    "leased": _l("Leased"),
    "status": _l("Status"),
    "note": _l("Note"),
    "office": _l("Office"),
    "created_at": _l("Created"),
}


class Asset(Base):
    """One durable item (ครุภัณฑ์) of an office, where it stands and who looks after it.

    Assets are written off, never deleted: tickets keep pointing at them. Every list filters on
    the office first, so each index leads with ``office_id`` and ends with the sort column.
    """

    __tablename__ = "helpdesk_assets"
    __table_args__ = (
        UniqueConstraint("office_id", "asset_number"),  # also the list's default order
        Index("ix_helpdesk_assets_status", "office_id", "status", "asset_number"),
        Index("ix_helpdesk_assets_type", "office_id", "asset_type", "asset_number"),
        Index("ix_helpdesk_assets_location", "office_id", "location_id", "asset_number"),
        Index("ix_helpdesk_assets_serial", "office_id", "serial_number"),
        Index("ix_helpdesk_assets_warranty", "office_id", "warranty_end"),
    )
    __audit__ = AuditSpec("helpdesk.asset", label=lambda asset: asset.asset_number, labels=ASSET_LABELS)

    id: Mapped[int] = mapped_column(primary_key=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("core_org_units.id"))
    asset_number: Mapped[str] = mapped_column(String(60))  # เลขครุภัณฑ์, e.g. 7440-001-0001/2566
    asset_type: Mapped[AssetType] = mapped_column(String(20))
    brand: Mapped[str | None] = mapped_column(String(100))
    model: Mapped[str | None] = mapped_column(String(100))
    serial_number: Mapped[str | None] = mapped_column(String(100))
    location_id: Mapped[int] = mapped_column(ForeignKey("core_org_units.id"))
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("core_users.id"), index=True)
    # Someone without an account (a school's teacher), when ``owner`` is not set.
    owner_name: Mapped[str | None] = mapped_column(String(200))
    purchase_date: Mapped[date | None] = mapped_column(Date)
    warranty_end: Mapped[date | None] = mapped_column(Date)
    vendor: Mapped[str | None] = mapped_column(String(200))
    vendor_contact: Mapped[str | None] = mapped_column(String(200))
    contract_number: Mapped[str | None] = mapped_column(String(100))
    leased: Mapped[bool] = mapped_column(Boolean, default=False)  # เช่า: the lessor repairs it
    status: Mapped[AssetStatus] = mapped_column(String(20), default=AssetStatus.IN_USE)
    note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    office: Mapped[OrgUnit] = relationship(foreign_keys=[office_id])
    location: Mapped[OrgUnit] = relationship(foreign_keys=[location_id])
    owner: Mapped[User | None] = relationship(foreign_keys=[owner_id])

    def __str__(self) -> str:
        described = " ".join(part for part in (self.brand, self.model) if part)
        return f"{self.asset_number} {described}".strip()

    @property
    def type_label(self) -> object:
        return ASSET_TYPE_LABELS[AssetType(self.asset_type)]

    @property
    def status_label(self) -> object:
        return ASSET_STATUS_LABELS[AssetStatus(self.status)]

    @property
    def owner_display(self) -> str:
        return self.owner.name if self.owner is not None else (self.owner_name or "")

    def under_warranty(self, on: date) -> bool:
        """Whether the vendor still owes free repairs on ``on`` (the warranty's last day included)."""
        return self.warranty_end is not None and on <= self.warranty_end

    def repaired_by_vendor(self, on: date) -> bool:
        """Leased or under warranty: the manual sends such a repair to the vendor (ส่งร้าน)."""
        return self.leased or self.under_warranty(on)

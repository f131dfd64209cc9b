"""Looking up, checking and changing assets; no request globals here.

Ticket code links a ticket to an asset with ``get_asset(office_id, asset_id)`` (never another
office's asset) or ``find_by_number``, offers choices with ``search_assets``, asks
``Asset.repaired_by_vendor(today)`` whether a repair goes to the vendor, and moves the asset
with ``set_status``. ``repair_history`` lists the tickets of one asset.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import or_, select

from core.db import db
from core.i18n.collation import thai_order
from core.org.models import OrgUnit
from plugins.helpdesk.assets.models import Asset, AssetStatus

SEARCH_LIMIT = 20
HISTORY_LIMIT = 100


class AssetError(ValueError):
    """An asset that cannot be saved as it is; ``reason`` selects the translated message."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def office_units(office_id: int) -> list[OrgUnit]:
    """The places an asset of the office can stand: its units and schools, in Thai order."""
    return list(
        db.session.scalars(
            select(OrgUnit)
            .where(OrgUnit.office_id == office_id, OrgUnit.active.is_(True))
            .order_by(thai_order(OrgUnit.name))
        )
    )


def get_asset(office_id: int, asset_id: int) -> Asset | None:
    """The office's asset with that id; None for another office's, so links cannot cross offices."""
    asset = db.session.get(Asset, asset_id)
    return asset if asset is not None and asset.office_id == office_id else None


def find_by_number(office_id: int, asset_number: str) -> Asset | None:
    return db.session.scalar(
        select(Asset).where(Asset.office_id == office_id, Asset.asset_number == asset_number.strip())
    )


def search_assets(office_id: int, term: str, limit: int = SEARCH_LIMIT) -> list[Asset]:
    """Assets whose number starts with ``term`` or whose serial number is ``term``, for pickers.

    People read the number off the asset's label, so a prefix is what they type. The query
    walks the office's index in number order and stops at ``limit`` matches.
    """
    term = term.strip()
    if not term:
        return []
    escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    query = (
        select(Asset)
        .where(
            Asset.office_id == office_id,
            or_(Asset.asset_number.like(f"{escaped}%", escape="\\"), Asset.serial_number == term),
        )
        .order_by(Asset.asset_number)
        .limit(limit)
    )
    return list(db.session.scalars(query))


def check_asset(asset: Asset) -> None:
    """Refuse an asset whose place, owner or number does not fit its office.

    The office follows the location, so an asset is always registered where it stands.
    """
    if asset.location is None:
        raise AssetError("location_required")
    asset.office_id = asset.location.office_id
    if asset.owner is not None and asset.owner.office_id != asset.office_id:
        raise AssetError("owner_elsewhere")
    asset.asset_number = (asset.asset_number or "").strip()
    if not asset.asset_number:
        raise AssetError("number_required")
    taken = select(Asset.id).where(
        Asset.office_id == asset.office_id, Asset.asset_number == asset.asset_number
    )
    if asset.id is not None:
        taken = taken.where(Asset.id != asset.id)
    with db.session.no_autoflush:
        if db.session.scalar(taken.limit(1)) is not None:
            raise AssetError("number_taken")


def set_status(asset: Asset, status: AssetStatus) -> None:
    """Move an asset (to the vendor, into repair, back in use); the audit trail records it."""
    asset.status = AssetStatus(status)


@dataclass(frozen=True)
class RepairEntry:
    """One ticket about an asset, newest first in ``repair_history``."""

    ticket_id: int
    number: str
    title: str
    status: str
    status_label: object
    created_at: datetime
    closed_at: datetime | None


def repair_history(asset: Asset, limit: int = HISTORY_LIMIT) -> list[RepairEntry]:
    """The tickets linked to the asset, newest first; empty until tickets carry ``asset_id``."""
    from plugins.helpdesk.models import Ticket  # the ticket model imports assets for its link

    asset_id = getattr(Ticket, "asset_id", None)
    if asset_id is None:
        return []
    tickets = db.session.scalars(
        select(Ticket)
        .where(asset_id == asset.id, Ticket.office_id == asset.office_id)
        .order_by(Ticket.id.desc())
        .limit(limit)
    )
    return [
        RepairEntry(
            ticket_id=ticket.id,
            number=ticket.number,
            title=ticket.title,
            status=ticket.status,
            status_label=ticket.status_label,
            created_at=ticket.created_at,
            closed_at=ticket.closed_at,
        )
        for ticket in tickets
    ]

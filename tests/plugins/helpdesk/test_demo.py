"""The demo office's ICT centre: assets where people work, repairs that name them, a year of loans."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import func, select

from core.approvals.models import ApprovalRequest, RequestStatus
from core.db import db
from core.demo import create_demo
from core.i18n.thaidate import today
from core.org.models import OrgUnit, OrgUnitKind
from plugins.helpdesk import phone, steps
from plugins.helpdesk.assets.models import Asset
from plugins.helpdesk.assets.services import repair_history
from plugins.helpdesk.loans.models import Loan, LoanStatus
from plugins.helpdesk.models import DutyAssignment, RequestType, Step, Ticket
from plugins.helpdesk.models import TicketStatus as S


def test_the_demo_office_has_assets_repairs_and_loans(app):
    create_demo()
    office = db.session.scalars(select(OrgUnit).where(OrgUnit.kind == OrgUnitKind.OFFICE)).one()
    assets = db.session.scalars(select(Asset).where(Asset.office_id == office.id)).all()
    places = {asset.location.kind for asset in assets}
    assert len(assets) > 40 and places >= {OrgUnitKind.OFFICE, OrgUnitKind.WORK_UNIT, OrgUnitKind.SCHOOL}
    assert any(asset.leased for asset in assets) and not all(asset.leased for asset in assets)
    assert len({asset.asset_number for asset in assets}) == len(assets)

    repairs = db.session.scalars(select(Ticket).where(Ticket.request_type == RequestType.REPAIR)).all()
    assert repairs and all(ticket.asset_id for ticket in repairs)
    assert repair_history(repairs[0].asset)

    statuses = dict(db.session.execute(select(Loan.status, func.count()).group_by(Loan.status)).all())
    assert statuses.keys() == {s.value for s in LoanStatus} - {LoanStatus.CANCELLED}
    assert statuses[LoanStatus.RETURNED] > 10
    out = db.session.scalars(select(Loan).where(Loan.status == LoanStatus.HANDED_OUT)).all()
    assert any(loan.due_on < today() for loan in out)  # the reminder job has one to chase
    pending = db.session.scalars(
        select(ApprovalRequest).where(ApprovalRequest.status == RequestStatus.IN_PROGRESS)
    )
    assert {request.subject_key for request in pending} >= {
        "helpdesk.loan",
        "helpdesk.parts_request",  # the RAM the technician asked for, before the DLICT director
        "helpdesk.service_request",  # the video-conference room, for the director's opinion
    }

    # Today's desk shows each wait of the procedures, and new requests follow the order of duties.
    assert {duty.request_type for duty in db.session.scalars(select(DutyAssignment))} == set(RequestType)
    [callback] = phone.callbacks_due(office.id)
    assert callback.callback_at > datetime.now(UTC).replace(tzinfo=None)
    waits = {
        "คอมพิวเตอร์ห้องธุรการเปิดช้าและค้างบ่อย": S.WAITING_PARTS,
        "เครื่องพิมพ์ดึงกระดาษซ้อนกันหลายแผ่น": S.AT_VENDOR,
        "ขออีเมลหน่วยงานสำหรับครูบรรจุใหม่": S.WAITING_REQUESTER,
    }
    found = db.session.execute(select(Ticket.title, Ticket.status).where(Ticket.title.in_(waits))).all()
    assert dict(found) == waits
    reinstalled = db.session.scalars(select(Ticket).where(Ticket.title == "ขอติดตั้งโปรแกรมอ่านไฟล์ PDF")).all()
    assert any(steps.next_steps(ticket) == [Step.TEST_PASSED, Step.TEST_FAILED] for ticket in reinstalled)

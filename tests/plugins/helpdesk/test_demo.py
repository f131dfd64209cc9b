"""The demo office's ICT centre: assets where people work, repairs that name them, a year of loans."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from core.approvals.models import ApprovalRequest, RequestStatus
from core.db import db
from core.demo import create_demo
from core.org.models import OrgUnit, OrgUnitKind
from plugins.helpdesk.assets.models import Asset
from plugins.helpdesk.assets.services import repair_history
from plugins.helpdesk.loans.models import Loan, LoanStatus
from plugins.helpdesk.models import RequestType, Ticket


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
    assert any(loan.due_on < date.today() for loan in out)  # the reminder job has one to chase
    pending = db.session.scalars(
        select(ApprovalRequest).where(ApprovalRequest.status == RequestStatus.IN_PROGRESS)
    )
    assert any(request.subject_key == "helpdesk.loan" for request in pending)

"""Equipment loans: the request goes up the loan chain to the DLICT group director, the centre
hands out and takes back, the asset follows, late borrowers are reminded, the form prints."""

from __future__ import annotations

import shutil
import subprocess
from datetime import date, timedelta

import pytest

from core.approvals.chains import seed_chains
from core.approvals.engine import act
from core.approvals.models import ActionKind
from core.approvals.views import latest_request
from core.db import db
from core.notifications.models import Notification
from plugins.helpdesk.assets.models import Asset, AssetStatus, AssetType
from plugins.helpdesk.loans import services
from plugins.helpdesk.loans.models import Condition, Loan, LoanStatus
from plugins.helpdesk.loans.services import LoanError
from tests.conftest import login, post
from tests.plugins.helpdesk import test_tickets

office = test_tickets.office  # the helpdesk's test office and its people (a fixture)
TODAY = date(2026, 11, 23)


@pytest.fixture
def projector(office):
    asset = Asset(
        office_id=office["office"].id,
        asset_number="7440-005-0001/2567",
        asset_type=AssetType.PROJECTOR,
        location_id=office["unit"].id,
    )
    db.session.add(asset)
    seed_chains()
    db.session.commit()
    return asset


def _borrow(office, asset_number="7440-005-0001/2567") -> Loan:
    loan = services.request_loan(
        office["teacher"],
        "เครื่องฉายภาพ 1 เครื่อง",
        "อบรมครูเรื่องสื่อการสอน",
        TODAY,
        TODAY + timedelta(days=3),
        asset_number,
    )
    db.session.commit()
    return loan


def _approve(loan: Loan, approver) -> None:
    request = latest_request(services.SUBJECT, loan.id)
    act(
        request,
        ActionKind.APPROVE,
        approver,
        expected_version=request.version,
        decision="approve",
        signed=True,
    )
    db.session.commit()


def test_a_loan_is_approved_handed_out_and_taken_back(office, projector):
    loan = _borrow(office)
    request = latest_request(services.SUBJECT, loan.id)
    assert {c.user_id for c in request.steps[0].candidates} == {office["head"].id}  # the resolver's answer
    _approve(loan, office["head"])
    assert loan.status == LoanStatus.APPROVED
    kinds = [n.kind for n in db.session.query(Notification).filter_by(recipient_id=office["teacher"].id)]
    assert "update" in kinds
    services.hand_out(loan, office["tech"])
    assert loan.status == LoanStatus.HANDED_OUT and projector.status == AssetStatus.ON_LOAN
    with pytest.raises(LoanError):
        services.take_back(loan, office["tech"], Condition.DAMAGED)  # say what is wrong
    services.take_back(loan, office["tech"], Condition.DAMAGED, "หลอดภาพเสื่อม")
    assert loan.status == LoanStatus.RETURNED and projector.status == AssetStatus.IN_REPAIR


def test_nonsense_loans_are_refused(office, projector):
    with pytest.raises(LoanError):
        services.request_loan(office["teacher"], "โน้ตบุ๊ก", "ใช้งาน", TODAY, TODAY - timedelta(days=1))
    with pytest.raises(LoanError):
        services.request_loan(office["teacher"], "โน้ตบุ๊ก", "ใช้งาน", TODAY, TODAY + timedelta(days=365))
    with pytest.raises(LoanError):
        _borrow(office, "0000")
    with pytest.raises(LoanError):
        services.hand_out(_borrow(office), office["tech"])  # not approved yet


def test_late_borrowers_are_reminded_once_a_day(office, projector):
    loan = _borrow(office)
    _approve(loan, office["head"])
    services.hand_out(loan, office["tech"])
    db.session.commit()
    due = loan.due_on
    assert services.remind_overdue(today=due) == 0
    assert services.remind_overdue(today=due + timedelta(days=1)) == 1
    assert services.remind_overdue(today=due + timedelta(days=1)) == 0
    assert services.remind_overdue(today=due + timedelta(days=2)) == 1
    assert [
        n.kind for n in db.session.query(Notification).filter_by(recipient_id=office["teacher"].id)
    ].count("overdue") == 2


def test_a_teacher_borrows_on_the_site_and_prints_the_approved_form(office, projector, client, web):
    login(client, "teacher@a.example")
    form = {
        "items": "เครื่องฉายภาพ",
        "purpose": "ประชุมผู้ปกครอง",
        "start_on": "23/11/2569",
        "due_on": "25/11/2569",
    }
    post(client, "/helpdesk/loans/new", form, token_page="/helpdesk/loans/new")
    loan = db.session.query(Loan).one()
    assert (loan.start_on, loan.due_on) == (date(2026, 11, 23), date(2026, 11, 25))  # Buddhist Era typed
    _approve(loan, office["head"])
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext is not installed (Debian's poppler-utils; CI installs it)")
    pdf = client.get(f"/helpdesk/loans/{loan.id}.pdf")
    text = subprocess.run(
        ["pdftotext", "-raw", "-", "-"], input=pdf.data, capture_output=True, check=True
    ).stdout.decode()
    for expected in ("แบบบันทึกขอยืมวัสดุอุปกรณ์", "ครูใจ ดีงาม", "เครื่องฉายภาพ", "อนุมัติ", "หัวหน้า ใจดี"):
        assert expected in text, expected
    stranger = web.test_client()
    login(stranger, "clerk@a.example")
    assert stranger.get(f"/helpdesk/loans/{loan.id}").status_code == 404
    assert stranger.get(f"/helpdesk/loans/{loan.id}.pdf").status_code == 404

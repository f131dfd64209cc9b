"""The survey link, the report page and its files, and the office's settings in the admin console."""

from __future__ import annotations

import shutil
import subprocess
from datetime import datetime, timedelta
from io import BytesIO

import pytest
from flask import Flask
from openpyxl import load_workbook

from core.audit.models import AuditEvent
from core.db import db, utcnow
from core.jobs import wait_idle
from core.notifications.models import Notification
from core.standards.models import ServiceRecord, StandardSetting, SurveyResponse
from core.standards.services import finish, open_service
from core.standards.survey import ITEMS, survey_path
from tests.conftest import login, make_user, post
from tests.core import test_notifications, test_standards
from tests.core.test_notifications import BASE_URL
from tests.core.test_standards import bkk

# The fixtures of the service tests: the "repairs" plugin and its office; an SMTP server.
repairs, office, inbox = test_standards.repairs, test_standards.office, test_notifications.inbox

ALL_FIVES = {key.replace(".", "__"): "5" for key in ITEMS}


def _finished(office, **requester) -> ServiceRecord:
    record = open_service(
        office_id=office["office"].id,
        service_key="repairs.repair",
        title="เครื่องพิมพ์ห้องประชุมใช้งานไม่ได้",
        received_at=bkk(2026, 10, 5, 9),
        **(requester or {"requester": office["teacher"]}),
    )
    finish(record, bkk(2026, 10, 5, 11))
    db.session.commit()
    return record


def _link(office) -> str:
    return db.session.query(Notification).filter_by(recipient_id=office["teacher"].id).one().url


def test_a_requester_rates_the_service_without_signing_in(office, client):
    record = _finished(office)
    link = _link(office)
    page = client.get(link).get_data(as_text=True)
    assert "เครื่องพิมพ์ห้องประชุมใช้งานไม่ได้" in page and "ด้านเจ้าหน้าที่" in page and "มากที่สุด" in page
    missing_one = {**ALL_FIVES}
    missing_one.pop("staff__courtesy")
    answer = post(client, link, missing_one, token_page=link)
    assert answer.status_code == 200 and "โปรดให้คะแนนทุกข้อ" in answer.get_data(as_text=True)
    assert db.session.query(SurveyResponse).count() == 0  # nothing half kept
    thanks = post(client, link, {**ALL_FIVES, "comment": "ช่างมาเร็วมาก"}, token_page=link)
    assert thanks.status_code == 200 and "ขอบคุณ" in thanks.get_data(as_text=True)
    response = db.session.query(SurveyResponse).one()
    assert response.record_id == record.id and response.comment == "ช่างมาเร็วมาก"
    assert sorted(a.score for a in response.answers) == [5] * len(ITEMS)
    replay = client.get(link)
    assert replay.status_code == 409 and "ประเมินแล้ว" in replay.get_data(as_text=True)


def test_bad_and_expired_links_get_a_clear_page(office, client):
    record = _finished(office)
    link = _link(office)
    forged = client.get(link[:-3] + ("abc" if not link.endswith("abc") else "xyz"))
    assert forged.status_code == 404 and "ลิงก์แบบประเมินนี้ไม่ถูกต้อง" in forged.get_data(as_text=True)
    record.survey_invited_at -= timedelta(days=31)
    db.session.commit()
    expired = client.get(link)
    assert expired.status_code == 410 and "หมดอายุ" in expired.get_data(as_text=True)
    assert post(client, link, ALL_FIVES, token_page="/login").status_code == 410
    assert db.session.query(SurveyResponse).count() == 0


def test_a_link_for_one_service_cannot_be_bent_to_another(office, client, web):
    first = _finished(office)
    second = _finished(office)
    with web.test_request_context():
        first_link = survey_path(first)
    assert first_link != survey_path(second)
    post(client, first_link, ALL_FIVES, token_page=first_link)
    assert [r.record_id for r in db.session.query(SurveyResponse)] == [first.id]


@pytest.fixture
def mailing_app(make_app, app, inbox) -> Flask:
    return make_app(
        environ={
            "KHET_SMTP_URL": f"smtp://127.0.0.1:{inbox.port}",
            "KHET_MAIL_FROM": "Khet <khet@office.example>",
            "KHET_BASE_URL": BASE_URL,
        }
    )


def test_school_staff_without_an_account_get_the_link_by_mail(office, mailing_app, inbox):
    with mailing_app.app_context():
        record = open_service(
            office_id=office["office"].id,
            service_key="repairs.repair",
            title="ขอติดตั้งโปรแกรม",
            requester_name="ครูสมศรี โรงเรียนบ้านทดสอบ",
            requester_email="somsri@school.example",
            received_at=bkk(2026, 10, 5, 9),
        )
        finish(record, bkk(2026, 10, 5, 10))
        db.session.commit()
        with mailing_app.test_request_context():
            link = survey_path(record)
    assert wait_idle(mailing_app)
    (message,) = inbox.messages
    assert message["To"].addresses[0].addr_spec == "somsri@school.example"
    assert f"{BASE_URL}{link}" in message.get_content() and "ขอติดตั้งโปรแกรม" in message["Subject"]


@pytest.fixture
def director(office):
    person = make_user("boss@a.example", office["office"], "office_director", name="ผอ.เขต ทดสอบ")
    db.session.commit()
    return person


def test_the_report_page_and_its_files(office, director, client):
    record = _finished(office)
    with client.application.test_request_context():
        link = survey_path(record)
    post(client, link, {**ALL_FIVES, "comment": "ดีมาก"}, token_page=link)
    login(client, "boss@a.example")
    page = client.get("/reports/services?year=2570&quarter=1").get_data(as_text=True)
    assert "ปีงบประมาณ 2570 ไตรมาส 1" in page and "Repair" in page and "5.00" in page and "ดีมาก" in page
    typo = client.get("/reports/services?year=70&quarter=9")
    assert typo.status_code == 200 and "พุทธศักราช" in typo.get_data(as_text=True)
    _check_the_files(client)
    events_before = db.session.query(AuditEvent).filter_by(type="core.standards.report_exported").count()
    assert client.get("/reports/services.pdf?year=2570&quarter=1").mimetype == "application/pdf"
    assert (
        events_before + 1
        == db.session.query(AuditEvent).filter_by(type="core.standards.report_exported").count()
    )


def _check_the_files(client) -> None:
    """The PDF reads back as Thai text; the workbook holds numbers as numbers; the plan prints."""
    pdf = client.get("/reports/services.pdf?year=2570&quarter=1")
    assert "filename*=UTF-8''" in pdf.headers["Content-Disposition"]
    text = pdf_text(pdf.data)
    for expected in (
        "รายงานผลการให้บริการ",
        "สพป.ทดสอบ เขต 1",
        "ปีงบประมาณ 2570 ไตรมาส 1",
        "1 ตุลาคม พ.ศ. 2569",
        "ด้านเจ้าหน้าที่ผู้ให้บริการ",
        "มากที่สุด",
        "5.00",
        "ดีมาก",
        "งานบริการจำแนกตามหน่วยงานและสถานศึกษา",
    ):
        assert expected in text, expected
    workbook = load_workbook(BytesIO(client.get("/reports/services.xlsx?year=2570&quarter=1").data))
    summary = list(workbook["สรุป"].iter_rows(values_only=True))
    assert summary[0][:3] == ("โมดูล", "งานบริการ", "จำนวน")
    assert summary[1][1:4] == ("Repair", 1, 100) and summary[1][5:8] == (5, 0, "มากที่สุด")
    units = list(workbook["หน่วยงานและสถานศึกษา"].iter_rows(values_only=True))
    assert units[1][:5] == ("สถานศึกษา", "โรงเรียนทดสอบ A", 1, 100, 0)
    comments = list(workbook["ความคิดเห็น"].iter_rows(values_only=True))
    assert comments[1][2] == "ดีมาก" and isinstance(comments[1][1], datetime)
    plan = client.get("/reports/plan?year=2570").get_data(as_text=True)
    assert "แผนการดำเนินงาน ปีงบประมาณ 2570" in plan and "ต.ค." in plan
    plan_text = pdf_text(client.get("/reports/plan.pdf?year=2570").data)
    assert "แผนการดำเนินงาน" in plan_text and "ไตรมาส 1" in plan_text and "Repair" in plan_text


def pdf_text(data: bytes) -> str:
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext is not installed (Debian's poppler-utils; CI installs it)")
    return subprocess.run(
        ["pdftotext", "-raw", "-", "-"], input=data, capture_output=True, check=True
    ).stdout.decode()


def test_the_dashboard_shows_this_quarter(office, director, client):
    record = open_service(
        office_id=office["office"].id,
        service_key="repairs.repair",
        title="ขอรหัสผ่านอีเมลใหม่",
        requester=office["teacher"],
        received_at=utcnow() - timedelta(minutes=5),
    )
    finish(record, utcnow())
    db.session.commit()
    login(client, "boss@a.example")
    page = client.get("/").get_data(as_text=True)
    assert "งานบริการไตรมาสนี้" in page and "งานบริการที่เสร็จสิ้น" in page and "100.0 %" in page
    teacher = client.application.test_client()
    login(teacher, "teacher@a.example")
    assert "งานบริการไตรมาสนี้" not in teacher.get("/").get_data(as_text=True)


def test_the_report_reads_in_english(office, client):
    make_user("deputy@a.example", office["office"], "deputy_director", locale="en")
    _finished(office)
    login(client, "deputy@a.example")
    page = client.get("/reports/services?year=2570&quarter=1")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "Fiscal year 2570, quarter 1" in text and "1 October 2026" in text
    assert "Within standard (%)" in text


def test_only_readers_of_the_report_reach_it(office, client):
    login(client, "teacher@a.example")
    assert client.get("/reports/services").status_code == 403
    assert client.get("/reports/services.xlsx").status_code == 403
    assert client.get("/reports/plan").status_code == 403


def test_the_office_sets_its_times_in_the_admin_console(office, client):
    make_user("admin@a.example", office["unit"], "admin")
    db.session.commit()
    login(client, "admin@a.example")
    listing = client.get("/admin/core_standards/").get_data(as_text=True)
    assert "Repair" in listing and "3 วันทำการ" in listing and "4 ชั่วโมงทำการ" in listing
    edit = "/admin/core_standards/edit/repairs.repair"
    bad = post(client, edit, {"enabled": "y", "limit_first_response-amount": "0"}, token_page=edit)
    assert bad.status_code == 200 and db.session.query(StandardSetting).count() == 0
    saved = post(
        client,
        edit,
        {
            "enabled": "y",
            "months": ["10", "11"],
            "limit_first_response-amount": "2",
            "limit_first_response-unit": "hours",
            "limit_resolution-amount": "3",
            "limit_resolution-unit": "days",
        },
        token_page=edit,
    )
    assert saved.status_code == 302
    assert [(s.standard_key, s.minutes) for s in db.session.query(StandardSetting)] == [
        ("first_response", 120)
    ]
    history = db.session.query(AuditEvent).filter(AuditEvent.type.like("core.standard_setting.%")).count()
    assert history == 1

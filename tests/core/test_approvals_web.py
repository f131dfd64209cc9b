"""The approval pages as people use them: the inbox, the top bar count, deciding with a signature."""

from __future__ import annotations

import re

from core.approvals.models import ApprovalRequest, RequestStatus, StepStatus
from core.db import db
from tests.conftest import PASSWORD, csrf_token, login
from tests.core.test_approvals import A, do, office, plugins, start

__all__ = ["office", "plugins"]  # fixtures used by name


def signed_in(web, email):
    client = web.test_client()
    login(client, email)
    return client


def decide(client, request, decision, *, password=PASSWORD, comment="", version=None):
    page = f"/approvals/{request.id}"
    return client.post(
        f"{page}/act",
        data={
            "csrf_token": csrf_token(client, page),
            "action": "decide",
            "decision": decision,
            "version": version if version is not None else request.version,
            "comment": comment,
            "password": password,
        },
    )


def fresh(request) -> ApprovalRequest:
    db.session.expire_all()
    return db.session.get(ApprovalRequest, request.id)


def test_the_inbox_and_its_count_in_the_top_bar(office, web):
    start(office, "1")
    start(office, "2", "rooms.request")
    client = signed_in(web, "gd@a.example")
    dashboard = client.get("/").get_data(as_text=True)
    assert re.search(r'รอพิจารณา <span class="count"[^>]*>2</span>', dashboard)
    page = client.get("/approvals/").get_data(as_text=True)
    assert page.count("ขออนุมัติเดินทาง") == 2 and "ความเห็นผู้อำนวยการกลุ่ม" in page
    clerk = signed_in(web, "clerk@a.example")
    sent = clerk.get("/approvals/").get_data(as_text=True)
    assert "ไม่มีรายการรอการพิจารณา" in sent and "อยู่ระหว่างพิจารณา" in sent


def test_deciding_asks_for_the_password_and_signs(office, web):
    request = start(office)
    client = signed_in(web, "gd@a.example")
    page = client.get(f"/approvals/{request.id}").get_data(as_text=True)
    assert "เห็นชอบ" in page and 'name="password"' in page
    wrong = decide(client, request, "agree", password="not my password", comment="เห็นชอบตามเสนอ")
    assert wrong.status_code == 200
    page = wrong.get_data(as_text=True)
    assert "รหัสผ่านไม่ถูกต้อง" in page and "เห็นชอบตามเสนอ</textarea>" in page  # what was typed stays
    assert fresh(request).steps[0].status == StepStatus.PENDING
    decide(client, request, "agree", comment="เห็นชอบตามเสนอ")
    request = fresh(request)
    assert request.steps[0].status == StepStatus.APPROVED
    action = request.actions[-1]
    assert (action.endorsement, action.comment, action.signature["name"]) == (
        "เห็นชอบ",
        "เห็นชอบตามเสนอ",
        "วิชัย นำทาง",
    )
    timeline = client.get(f"/approvals/{request.id}").get_data(as_text=True)
    assert "ลงนาม" in timeline and "วิชัย นำทาง" in timeline


def test_a_page_left_open_while_someone_else_decided_changes_nothing(office, web):
    request = start(office)
    client = signed_in(web, "gd@a.example")
    shown_version = request.version
    do(request, A.RETURN, office["director"], comment="แก้ไขวันที่")
    decide(client, request, "agree", version=shown_version)
    page = client.get(f"/approvals/{request.id}").get_data(as_text=True)
    assert "มีผู้ดำเนินการกับเรื่องนี้ไปก่อนหน้า" in page
    assert fresh(request).status == RequestStatus.RETURNED


def test_people_outside_the_request_cannot_open_or_act(office, web):
    request = start(office)
    client = signed_in(web, "teacher@a.example")
    assert client.get(f"/approvals/{request.id}").status_code == 404
    assert decide(client, request, "agree").status_code == 404
    boss = signed_in(web, "boss@a.example")  # not reached yet: may look, may not decide
    page = boss.get(f"/approvals/{request.id}").get_data(as_text=True)
    assert 'name="password"' not in page
    decide(boss, request, "allow")
    assert fresh(request).steps[0].status == StepStatus.PENDING


def test_returning_without_a_comment_is_refused_with_a_message(office, web):
    request = start(office)
    client = signed_in(web, "gd@a.example")
    page = f"/approvals/{request.id}"
    refused = client.post(
        f"{page}/act",
        data={"csrf_token": csrf_token(client, page), "action": "return", "version": request.version},
    )
    assert refused.status_code == 200 and "กรุณาเขียนความเห็น" in refused.get_data(as_text=True)
    assert fresh(request).status == RequestStatus.IN_PROGRESS


def test_a_subject_page_shows_its_approval_timeline(office, web):
    request = start(office, "5")
    do(request, A.APPROVE, office["director"], decision="agree", comment="เห็นชอบ")
    page = signed_in(web, "clerk@a.example").get("/trips/5").get_data(as_text=True)
    assert f'data-approval="{request.id}"' in page
    assert "ความเห็นผู้อำนวยการกลุ่ม" in page and "«เห็นชอบ»" in page and "วิชัย นำทาง" in page
    assert "data-approval" not in signed_in(web, "teacher@a.example").get("/trips/5").get_data(as_text=True)

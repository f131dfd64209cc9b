"""Retention and destruction (issue 7, item 8): after 31 December the year's destruction list
(บัญชีหนังสือขอทำลาย, แบบที่ 25) is drafted once per office; records staff take items off; the
destruction committee (a chair and two members, every one deciding) keeps what it wants and
approves; the National Archives agree; only then are the letters marked destroyed and their
files' bytes deleted, the register entries staying."""

from __future__ import annotations

import io
import re
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner
from flask import current_app
from openpyxl import load_workbook
from sqlalchemy import select
from werkzeug.datastructures import FileStorage

from core.approvals.chains import seed_chains
from core.approvals.engine import act
from core.approvals.models import ActionKind
from core.approvals.views import latest_request
from core.audit.models import AuditEvent
from core.db import db
from core.i18n.thaidate import today as local_today
from core.jobs import wait_idle
from core.notifications.models import Notification
from core.plugins.offices import set_plugin_enabled
from core.uploads import StoredFile
from plugins.saraban import services as letters
from plugins.saraban.models import Letter, LetterStatus, Register, Retention, Secrecy
from plugins.saraban.retention import services
from plugins.saraban.retention.cli import saraban
from plugins.saraban.retention.models import DestructionItem, DestructionList, ItemStatus, ListStatus
from plugins.saraban.retention.services import Drafted, RetentionError
from plugins.saraban.services import LetterEntry
from tests.conftest import SECRET_KEY, login, make_office, make_user, post
from tests.core.test_standards_web import pdf_text

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
CLOSED = 2025  # the machine's last ended year when the list is drafted "now" (tests run in 2026)


def old_letter(office, year: int, retention: Retention, subject: str = "ขอเชิญประชุม", **fields) -> Letter:
    """A letter registered in ``year`` by the office's clerk."""
    fields.setdefault("sender", "สพฐ.")
    letter = letters.register_letter(
        office["office"].id,
        LetterEntry(register=Register.RECEIVE, subject=subject, retention=retention, **fields),
        office["clerk"],
        at=datetime(year, 3, 2, 3, 0),
    )
    db.session.commit()
    return letter


@pytest.fixture
def committee(office):
    """A chair and two members, appointed over the office; the chain seeded."""
    people = [
        make_user(
            f"{name}@a.example",
            office["group"],
            services.COMMITTEE_ROLE,
            role_unit=office["office"],
            name=f"กรรมการ {name}",
        )
        for name in ("chair", "member1", "member2")
    ]
    seed_chains()
    db.session.commit()
    return people


def _draft(office, year: int = CLOSED) -> DestructionList:
    outcome = services.draft_list(office["office"].id, year, office["clerk"])
    db.session.commit()
    assert outcome.outcome is Drafted.DRAFTED
    return outcome.destruction_list


def _listed(destruction_list: DestructionList) -> list[str]:
    return [item.letter.subject for item in services.items_page(destruction_list, ItemStatus.LISTED)]


def _decide(destruction_list, person, decision: str) -> None:
    request = latest_request(services.SUBJECT, destruction_list.id)
    act(request, ActionKind.APPROVE, person, expected_version=request.version, decision=decision, signed=True)
    db.session.commit()


# --- what is listed ------------------------------------------------------------------------


def test_retention_ends_a_year_or_ten_years_on_and_never_for_permanent_letters(office):
    routine = old_letter(office, 2024, Retention.ONE_YEAR, "หนังสือทั่วไป 2567")
    young = old_letter(office, 2025, Retention.ONE_YEAR, "หนังสือทั่วไป 2568")
    ten = old_letter(office, 2015, Retention.TEN_YEARS, "หนังสือสิบปี 2558")
    old_letter(office, 2016, Retention.TEN_YEARS, "หนังสือสิบปี 2559")
    old_letter(office, 2000, Retention.PERMANENT, "หนังสือถาวร")
    cancelled = old_letter(office, 2020, Retention.ONE_YEAR, "ลงผิด")
    letters.cancel_letter(cancelled, office["clerk"], "ลงทะเบียนซ้ำ")
    db.session.commit()
    assert (
        services.retention_ends(routine),
        services.retention_ends(young),
        services.retention_ends(ten),
    ) == (
        2025,
        2026,
        2025,
    )
    assert _listed(_draft(office)) == ["หนังสือสิบปี 2558", "หนังสือทั่วไป 2567"]  # oldest first


def test_a_list_is_drafted_once_per_office_and_year_and_only_for_an_ended_year(office):
    old_letter(office, 2023, Retention.ONE_YEAR, "ปี 2566")
    earlier = _draft(office, 2024)
    old_letter(office, 2024, Retention.ONE_YEAR, "ปี 2567")
    other = make_office("สพม.ทดสอบ เขต 2", "B")
    other_clerk = make_user("clerk@b.example", other["unit"], "clerk")
    letters.register_letter(
        other["office"].id,
        LetterEntry(
            register=Register.RECEIVE, subject="ของอีกเขต", sender="สพฐ.", retention=Retention.ONE_YEAR
        ),
        other_clerk,
        at=datetime(2024, 5, 1),
    )
    db.session.commit()
    drafted = _draft(office)
    assert _listed(drafted) == ["ปี 2567"]  # not the one on the earlier list, not the other office's
    again = services.draft_list(office["office"].id, CLOSED, office["clerk"])
    assert again.outcome is Drafted.EXISTS and again.destruction_list.id == drafted.id
    assert db.session.scalar(select(db.func.count()).select_from(DestructionItem)) == 2
    with pytest.raises(RetentionError, match="has not ended"):
        services.draft_list(office["office"].id, 2026, office["clerk"])
    assert services.draft_list(office["office"].id, 2019).outcome is Drafted.NOTHING
    assert earlier.year == 2024


def _cli(app, *args: str):
    environ = {
        "KHET_DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
        "KHET_INSTANCE_PATH": str(Path(app.instance_path)),
        "KHET_SECRET_KEY": SECRET_KEY,
    }
    result = CliRunner().invoke(saraban, list(args), env=environ)
    db.session.expire_all()
    return result


def test_the_command_drafts_each_year_once_and_refuses_bad_years(app, office):
    old_letter(office, 2024, Retention.ONE_YEAR)
    assert "--office CODE" in _cli(app, "destruction-list", "--help").output
    first = _cli(app, "destruction-list")
    assert (
        first.exit_code == 0
        and "drafted the destruction list of 2025 (B.E. 2568) with 1 letters" in first.output
    )
    again = _cli(app, "destruction-list", "--year", "2568", "--office", "A")  # B.E. is understood
    assert again.exit_code == 0 and "exists already; nothing changed" in again.output
    for args, message in (
        (("--year", "20x5"), "four digits"),
        (("--year", "2026"), "has not ended"),
        (("--year", "2600"), "has not ended"),
        (("--office", "ZZ"), "No office has the code"),
    ):
        result = _cli(app, "destruction-list", *args)
        assert result.exit_code != 0 and message in result.output
        assert len(result.output.strip().splitlines()) == 1, result.output
    assert db.session.scalar(select(db.func.count()).select_from(DestructionList)) == 1


def test_the_yearly_job_drafts_last_years_list_and_tells_the_records_staff(office):
    old_letter(office, 2024, Retention.ONE_YEAR)
    assert services.draft_due_lists() == 1
    assert services.draft_due_lists() == 0  # the next run finds the list
    told = db.session.scalars(
        select(Notification).where(Notification.recipient_id == office["clerk"].id)
    ).all()
    assert [n.subject_key for n in told] == [services.SUBJECT]
    set_plugin_enabled(office["office"].id, "saraban", False)
    db.session.commit()
    assert services.saraban_offices() == []


# --- the committee, the Archives, destruction ----------------------------------------------


def test_nothing_is_destroyed_before_the_committee_and_the_archives_agree(office, committee):
    chair, member1, member2 = committee
    doomed = old_letter(office, 2024, Retention.ONE_YEAR, "ทิ้งได้")
    letters.attach(doomed, _upload(), office["clerk"])
    db.session.commit()
    file = doomed.attachments[0].file
    path = Path(current_app.instance_path) / "uploads" / file.key
    spared = old_letter(office, 2024, Retention.ONE_YEAR, "เจ้าหน้าที่นำออก")
    kept = old_letter(office, 2015, Retention.TEN_YEARS, "คณะกรรมการขยายเวลา")
    forever = old_letter(office, 2015, Retention.TEN_YEARS, "คุณค่าทางประวัติศาสตร์")
    drafted = _draft(office)
    items = {item.letter.subject: item for item in services.items_page(drafted, ItemStatus.LISTED)}

    services.take_off(items["เจ้าหน้าที่นำออก"], office["clerk"], "ยังใช้ตรวจสอบ")
    db.session.commit()
    with pytest.raises(RetentionError):
        services.destroy(drafted, office["clerk"])  # a draft
    with pytest.raises(RetentionError, match="chair"):
        services.send_to_committee(drafted, office["clerk"], office["director"].id)
    db.session.rollback()
    services.send_to_committee(drafted, office["clerk"], chair.id)
    db.session.commit()
    assert drafted.status == ListStatus.WITH_COMMITTEE and drafted.chair == chair
    with pytest.raises(RetentionError):
        services.take_off(items["ทิ้งได้"], office["clerk"])  # the committee has it now
    db.session.rollback()

    with pytest.raises(RetentionError, match="committee"):
        services.keep(items["ทิ้งได้"], office["clerk"], None, "อยากเก็บ")  # not a member
    db.session.rollback()
    services.keep(items["คณะกรรมการขยายเวลา"], member1, 2030, "ยังมีคดีความ")
    services.keep(items["คุณค่าทางประวัติศาสตร์"], member2, None, "มีคุณค่าทางประวัติศาสตร์")
    db.session.commit()
    assert forever.retention == Retention.PERMANENT and kept.retention == Retention.TEN_YEARS
    assert _listed(drafted) == ["ทิ้งได้"]

    for person in committee:
        _decide(drafted, person, "destroy")
    assert drafted.status == ListStatus.WITH_COMMITTEE  # the head of the office decides next
    _decide(drafted, office["director"], "agree")
    assert drafted.status == ListStatus.APPROVED
    with pytest.raises(RetentionError):
        services.destroy(drafted, office["clerk"])  # the Archives have not agreed
    db.session.rollback()
    with pytest.raises(RetentionError, match="between"):
        services.record_archives(drafted, office["clerk"], date(2099, 1, 1), "วธ 0404/1")
    db.session.rollback()
    services.record_archives(drafted, office["clerk"], local_today(), "วธ 0404/1234")
    db.session.commit()
    assert file.is_discarded is False and path.exists()

    services.destroy(drafted, office["clerk"])
    db.session.commit()
    assert wait_idle(current_app)  # the background job that marks the letters
    db.session.expire_all()
    done = db.session.scalars(select(AuditEvent).where(AuditEvent.type == "saraban.destruction.carried_out"))
    assert [event.data for event in done] == [{"letters": 1, "files": 1}]
    assert drafted.status == ListStatus.DESTROYED and drafted.destroyed_by == office["clerk"]
    assert doomed.status == LetterStatus.DESTROYED and not path.exists()
    evidence = db.session.get(StoredFile, file.id)
    with pytest.raises(letters.LetterError):
        letters.attach(doomed, _upload(), office["clerk"])  # a destroyed letter takes nothing new
    with pytest.raises(letters.LetterError):
        letters.cancel_letter(doomed, office["clerk"], "ผิด")
    db.session.rollback()
    assert evidence.is_discarded and len(evidence.sha256) == 64
    assert {spared.status, kept.status, forever.status} == {LetterStatus.REGISTERED}
    types = set(db.session.scalars(select(AuditEvent.type)))
    assert {
        "saraban.destruction.archives_agreed",
        "saraban.destruction.carried_out",
        "saraban.letter.updated",
    } <= types

    # Taken off: listed again next year. Kept until 2030: listed again for 2030, not before.
    assert _listed(_next(office, 2026)) == ["เจ้าหน้าที่นำออก"]
    assert "คณะกรรมการขยายเวลา" not in _subjects_due(office, 2029)
    assert "คณะกรรมการขยายเวลา" in _subjects_due(office, 2030)
    assert "คุณค่าทางประวัติศาสตร์" not in _subjects_due(office, 2060)


def test_a_large_list_is_destroyed_in_batches_and_a_stopped_run_is_resumed(office, committee, monkeypatch):
    for number in range(5):
        old_letter(office, 2024, Retention.ONE_YEAR, f"หนังสือ {number}")
    drafted = _draft(office)
    drafted.status = ListStatus.DESTROYING  # as ordered after the chain and the Archives agreed
    drafted.destroyed_by = office["clerk"]
    db.session.commit()
    monkeypatch.setattr(services, "DESTROY_BATCH", 2)
    assert services._destroy_batch(drafted.id)  # one batch, then the run stops
    db.session.commit()
    assert services.counts(drafted)[ItemStatus.DESTROYED] == 2 and drafted.status == ListStatus.DESTROYING
    assert services.resume_destruction(stalled_after=timedelta(0)) == 1
    db.session.expire_all()
    assert drafted.status == ListStatus.DESTROYED and services.counts(drafted)[ItemStatus.DESTROYED] == 5
    finished = db.session.scalars(
        select(AuditEvent).where(AuditEvent.type == "saraban.destruction.carried_out")
    )
    assert [event.data["letters"] for event in finished] == [5]
    assert services.carry_out(drafted.id) == (0, 0)  # nothing twice


def _next(office, year: int) -> DestructionList:
    outcome = services.draft_list(office["office"].id, year, office["clerk"], today=date(year + 1, 1, 5))
    db.session.commit()
    return outcome.destruction_list


def _upload():
    return FileStorage(io.BytesIO(PDF), filename="หนังสือ.pdf")


def _subjects_due(office, year: int) -> set[str]:
    return {db.session.get(Letter, i).subject for i in services.due_letters(office["office"].id, year)}


def test_the_committee_needs_a_chair_and_two_members_besides_the_sender(office):
    make_user("chair@a.example", office["group"], services.COMMITTEE_ROLE, role_unit=office["office"])
    make_user("member@a.example", office["group"], services.COMMITTEE_ROLE, role_unit=office["office"])
    seed_chains()
    old_letter(office, 2024, Retention.ONE_YEAR)
    drafted = _draft(office)
    chair = services.committee_members(office["office"].id)[0]
    with pytest.raises(RetentionError, match="at least two members"):
        services.send_to_committee(drafted, office["clerk"], chair.id)
    db.session.rollback()
    assert drafted.status == ListStatus.DRAFT and latest_request(services.SUBJECT, drafted.id) is None


def test_a_refusing_member_sends_the_list_nowhere_and_its_letters_wait_for_next_year(office, committee):
    old_letter(office, 2024, Retention.ONE_YEAR, "ทิ้งได้")
    drafted = _draft(office)
    services.send_to_committee(drafted, office["clerk"], committee[0].id)
    db.session.commit()
    request = latest_request(services.SUBJECT, drafted.id)
    act(request, ActionKind.REJECT, committee[1], expected_version=request.version, decision="refuse",
        comment="ยังไม่ครบกำหนดตามระเบียบ", signed=True)  # fmt: skip
    db.session.commit()
    assert drafted.status == ListStatus.REJECTED
    assert "ทิ้งได้" in _subjects_due(office, 2026)


# --- the pages -----------------------------------------------------------------------------


def test_records_staff_print_the_list_as_form_25_with_secret_letters_as_register_entries(
    office, committee, client
):
    old_letter(office, 2024, Retention.ONE_YEAR, "ประชุมผู้บริหาร")
    old_letter(office, 2024, Retention.ONE_YEAR, "เรื่องลับเฉพาะ", secrecy=Secrecy.SECRET)
    drafted = _draft(office)
    login(client, "clerk@a.example")
    page = client.get(f"/saraban/retention/{drafted.id}").get_data(as_text=True)
    assert "ประชุมผู้บริหาร" in page and "เรื่องลับเฉพาะ" not in page and "หนังสือลับ" in page
    pdf = client.get(f"/saraban/retention/{drafted.id}.pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    text = pdf_text(pdf.data).replace("\n", "")  # a narrow column wraps its heading
    for heading in ("บัญชีหนังสือขอทำลาย", "ลำดับที่", "ที่", "ลงวันที่", "เรื่อง", "การพิจารณา", "พ.ศ. 2568"):
        assert heading in text
    assert "ประชุมผู้บริหาร" in text and "เรื่องลับเฉพาะ" not in text and "ทะเบียนรับ" in text
    workbook = load_workbook(io.BytesIO(client.get(f"/saraban/retention/{drafted.id}.xlsx").data))
    cells = [cell for row in workbook.active.iter_rows(values_only=True) for cell in row]
    assert "ประชุมผู้บริหาร" in cells and "เรื่องลับเฉพาะ" not in cells
    exported = db.session.scalars(select(AuditEvent).where(AuditEvent.type == "saraban.destruction.exported"))
    assert len(exported.all()) == 2


def test_the_whole_procedure_on_the_site(office, committee, client, web):
    letter = old_letter(office, 2024, Retention.ONE_YEAR, "ทิ้งได้")
    old_letter(office, 2024, Retention.ONE_YEAR, "เก็บไว้")
    login(client, "clerk@a.example")
    index = client.get("/saraban/retention/").get_data(as_text=True)
    assert "พ.ศ. 2568" in index
    post(client, "/saraban/retention/draft", {"year": "2025"}, token_page="/saraban/retention/")
    drafted = db.session.scalar(select(DestructionList))
    items = {i.letter.subject: i for i in services.items_page(drafted, ItemStatus.LISTED)}
    token_page = f"/saraban/retention/{drafted.id}"
    answer = post(
        client,
        f"/saraban/retention/{drafted.id}/send",
        {"chair": str(committee[0].id)},
        token_page=token_page,
    )
    assert answer.status_code == 302
    db.session.expire_all()
    assert drafted.status == ListStatus.WITH_COMMITTEE

    member = web.test_client()
    login(member, "member1@a.example")
    keep_page = f"/saraban/retention/{drafted.id}/items/{items['เก็บไว้'].id}/keep"
    refused = post(
        member, keep_page, {"until": "2026", "reason": ""}, token_page=keep_page, follow_redirects=True
    )
    assert "กรุณากรอกช่องนี้" in refused.get_data(as_text=True)  # translated; nothing changed
    post(member, keep_page, {"until": "2027", "reason": "ใช้ประกอบการตรวจสอบ"}, token_page=keep_page)
    db.session.expire_all()
    assert items["เก็บไว้"].status == ItemStatus.KEPT and items["เก็บไว้"].kept_until == 2027
    for person in committee:
        _decide(drafted, person, "destroy")
    _decide(drafted, office["director"], "agree")

    archives = f"/saraban/retention/{drafted.id}/archives"
    bad = post(client, archives, {"agreed_on": "31/02/2569", "reference": "วธ 1"}, token_page=token_page,
               follow_redirects=True)  # fmt: skip
    assert bad.status_code == 200 and "ไม่มีวันที่นี้ในปฏิทิน" in bad.get_data(as_text=True)
    db.session.expire_all()
    assert drafted.status == ListStatus.APPROVED
    today = local_today()
    agreed = {"agreed_on": f"{today:%d/%m}/{today.year + 543}", "reference": "วธ 0404/1234"}
    post(client, archives, agreed, token_page=token_page)
    assert (
        client.post(f"/saraban/retention/{drafted.id}/destroy", data={"confirm": "y"}).status_code == 400
    )  # no CSRF
    post(client, f"/saraban/retention/{drafted.id}/destroy", {"confirm": "y"}, token_page=token_page)
    assert wait_idle(web)  # the job that marks the letters
    db.session.expire_all()
    assert drafted.status == ListStatus.DESTROYED and letter.status == LetterStatus.DESTROYED
    register_page = client.get("/saraban/?register=receive&year=2024").get_data(as_text=True)
    assert "ทำลายแล้วตามบัญชีหนังสือขอทำลาย พ.ศ. 2568" in register_page
    assert "ทำลายแล้ว" in client.get(f"/saraban/letters/{letter.id}").get_data(as_text=True)


def test_only_records_staff_and_the_committee_see_lists_of_their_own_office(office, committee, client, web):
    old_letter(office, 2024, Retention.ONE_YEAR)
    drafted = _draft(office)
    path = f"/saraban/retention/{drafted.id}"
    login(client, "teacher@a.example")
    assert client.get(path).status_code == 403
    assert client.get("/saraban/retention/").status_code == 403
    member = web.test_client()
    login(member, "chair@a.example")
    assert member.get(path).status_code == 200
    assert member.post(f"{path}/send", data={"chair": "1"}).status_code in (400, 403)  # not records staff
    other = make_office("สพม.ทดสอบ เขต 2", "B")
    make_user("clerk@b.example", other["unit"], "clerk")
    set_plugin_enabled(other["office"].id, "saraban", True)
    db.session.commit()
    stranger = web.test_client()
    login(stranger, "clerk@b.example")
    assert stranger.get(path).status_code == 404
    assert stranger.get(f"{path}.pdf").status_code == 404
    assert re.search("Records destruction|การทำลายหนังสือ", client.get("/").get_data(as_text=True)) is None

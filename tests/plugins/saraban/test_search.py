"""Finding letters: any fragment of ที่, subject, sender or addressee (Thai has no spaces), or the
register number; across registers and years, newest first, only what the reader may read."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from core.db import db
from plugins.saraban import services
from plugins.saraban.models import Letter, Register, Secrecy
from tests.conftest import login, make_office, make_user
from tests.plugins.saraban.conftest import register


def _found(client, text: str, **query: object) -> list[str]:
    page = client.get("/saraban/search", query_string={"q": text, **query}).get_data(as_text=True)
    return [part.split("</span>")[0] for part in page.split('<span class="subject">')[1:]]


def test_letters_are_found_by_any_fragment_and_by_number(office, client):
    register(office, subject="ขอเชิญประชุมผู้บริหารสถานศึกษา", document_number="ศธ 04002/ว 4512")
    register(office, subject="รายงานผลการสอบ O-NET", sender="สถาบันทดสอบทางการศึกษาแห่งชาติ")
    register(
        office,
        Register.SEND,
        "ขอความอนุเคราะห์วิทยากร",
        addressee="ผู้อำนวยการโรงเรียนบ้านหนองบัว",
    )
    login(client, "clerk@a.example")
    assert _found(client, "ประชุมผู้บริหาร") == ["ขอเชิญประชุมผู้บริหารสถานศึกษา"]
    assert _found(client, "ทดสอบทางการ") == ["รายงานผลการสอบ O-NET"]
    assert _found(client, "o-net") == ["รายงานผลการสอบ O-NET"]  # Latin letters in any case
    assert _found(client, "หนองบัว") == ["ขอความอนุเคราะห์วิทยากร"]
    assert _found(client, "ว 4512") == ["ขอเชิญประชุมผู้บริหารสถานศึกษา"]
    assert _found(client, "๔๕๑๒") == ["ขอเชิญประชุมผู้บริหารสถานศึกษา"]  # typed in Thai digits
    assert _found(client, "2") == ["รายงานผลการสอบ O-NET"]  # receive number 2
    assert _found(client, "ขอ วิทยากร") == ["ขอความอนุเคราะห์วิทยากร"]  # every word must match
    assert _found(client, "ไม่มีเรื่องนี้") == []


def test_a_document_number_is_found_with_its_slash(office, client):
    """On PostgreSQL through the index of document numbers with their separators kept (glued):
    a letter standing for a separator is not one."""
    for number in ("ศธ 04999/12", "ศธ 04999/1250", "ศธ 04999/312", "ศธ 04999x12", "ศธ 04999.12"):
        register(office, subject=f"เรื่องที่ {number}", document_number=number)
    login(client, "clerk@a.example")
    assert _found(client, "04999/12") == ["เรื่องที่ ศธ 04999/1250", "เรื่องที่ ศธ 04999/12"]
    assert _found(client, "ศธ 04999/12") == ["เรื่องที่ ศธ 04999/1250", "เรื่องที่ ศธ 04999/12"]
    assert _found(client, "04999.12") == ["เรื่องที่ ศธ 04999.12"]
    assert _found(client, "9/3") == ["เรื่องที่ ศธ 04999/312"]


def test_search_shows_only_what_the_reader_may_read(office, client, web):
    register(office, subject="งบประมาณลับเฉพาะ", secrecy=Secrecy.CONFIDENTIAL)
    register(office, subject="งบประมาณประจำปี")
    other = make_office("สพม.ทดสอบ เขต 2", "B")
    make_user("clerk@b.example", other["unit"], "clerk")
    make_user("clerk2@a.example", office["unit"], "clerk")
    from core.plugins.offices import set_plugin_enabled

    set_plugin_enabled(other["office"].id, "saraban", True)
    db.session.commit()
    login(client, "clerk@a.example")
    assert _found(client, "งบประมาณ") == ["งบประมาณประจำปี", "งบประมาณลับเฉพาะ"]
    colleague = web.test_client()
    login(colleague, "clerk2@a.example")
    assert _found(colleague, "งบประมาณ") == ["งบประมาณประจำปี"]
    stranger = web.test_client()
    login(stranger, "clerk@b.example")
    assert _found(stranger, "งบประมาณ") == []
    teacher = web.test_client()
    login(teacher, "teacher@a.example")
    assert teacher.get("/saraban/search", query_string={"q": "งบประมาณ"}).status_code == 403


@pytest.mark.parametrize(
    "text",
    [
        "กำหนดการอบรม",  # words of text: read newest first from the index
        "ที 2/2569",  # a number (gathered first on PostgreSQL) narrowed by a two-letter word
    ],
)
def test_results_come_newest_first_and_page_on(office, client, monkeypatch, text):
    monkeypatch.setattr(services, "PAGE_SIZE", 2)
    register(office, subject="แจ้งกำหนดการจัดงาน รุ่นที่ 2/2569")
    for n in range(3):
        register(office, subject=f"แจ้งกำหนดการอบรม รุ่นที่ 2/2569 ครั้งที่ {n + 1}")
    login(client, "clerk@a.example")
    first = _found(client, text)
    assert first[0] == "แจ้งกำหนดการอบรม รุ่นที่ 2/2569 ครั้งที่ 3"
    assert first[1] == "แจ้งกำหนดการอบรม รุ่นที่ 2/2569 ครั้งที่ 2"
    oldest_shown = db.session.scalar(select(Letter.id).where(Letter.subject == first[-1]))
    rest = _found(client, text, before=oldest_shown)
    assert rest[0] == "แจ้งกำหนดการอบรม รุ่นที่ 2/2569 ครั้งที่ 1"
    assert ("แจ้งกำหนดการจัดงาน รุ่นที่ 2/2569" in rest) == text.startswith("ที")


def test_a_cancelled_entry_is_still_found_and_a_changed_subject_by_its_new_words(office):
    letter = register(office, subject="ขออนุมัติเดินทางไปราชการ")
    services.cancel_letter(letter, office["clerk"], "ลงซ้ำ")
    db.session.commit()
    assert [found.id for found in services.search_letters(office["clerk"], "เดินทาง")] == [letter.id]
    letter.subject = "ขออนุมัติจัดซื้อวัสดุ"
    db.session.commit()
    assert services.search_letters(office["clerk"], "เดินทาง") == []
    assert [found.id for found in services.search_letters(office["clerk"], "จัดซื้อ")] == [letter.id]


def test_the_search_is_answered_by_an_index_on_both_databases(office):
    """A million letters: a fragment is looked up in a trigram index, never by reading every row."""
    term = "ประชุมผู้"
    dialect = db.engine.dialect.name
    query = services.LETTER_SEARCH.matching_ids(Letter.id, term, dialect)
    with db.engine.connect() as connection:
        if dialect == "sqlite":
            plan = " ".join(
                str(row[-1])
                for row in connection.exec_driver_sql(
                    "EXPLAIN QUERY PLAN " + str(query.compile(compile_kwargs={"literal_binds": True}))
                )
            )
            assert "saraban_letters_search VIRTUAL TABLE INDEX" in plan
        else:
            connection.exec_driver_sql("SET LOCAL enable_seqscan = off")  # an empty table: ask as if large
            compiled = query.compile(dialect=connection.dialect, compile_kwargs={"literal_binds": True})
            plan = " ".join(row[0] for row in connection.exec_driver_sql(f"EXPLAIN {compiled}"))
            for column in services.LETTER_SEARCH.columns:
                assert f"ix_trgm_saraban_letters_{column}" in plan


def test_a_document_number_is_looked_up_whole_on_postgresql(office):
    """pg_trgm splits "04999/12" at the slash: the plain index would hand over every letter of the
    series. Only the index of numbers with their separators glued is read."""
    if db.engine.dialect.name != "postgresql":
        pytest.skip("SQLite's FTS5 trigrams keep punctuation: one index serves both")
    query = services.LETTER_SEARCH.matching_ids(Letter.id, "04999/12", "postgresql")
    with db.engine.connect() as connection:
        connection.exec_driver_sql("SET LOCAL enable_seqscan = off")
        compiled = query.compile(dialect=connection.dialect, compile_kwargs={"literal_binds": True})
        plan = " ".join(row[0] for row in connection.exec_driver_sql(f"EXPLAIN {compiled}"))
    assert "ix_trgm_saraban_letters_document_number_glued" in plan
    assert "ix_trgm_saraban_letters_document_number " not in plan

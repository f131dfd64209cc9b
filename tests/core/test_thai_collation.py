"""Names in Thai dictionary order: the Python key, SQLite's collation and PostgreSQL's ICU agree."""

from __future__ import annotations

import random

import pytest
from sqlalchemy import desc, select, text

from bench.data import NAMES_BY_TITLE, POSITIONS, SURNAME_PREFIXES, SURNAME_SUFFIXES, user_rows
from core.auth.models import User
from core.db import db
from core.i18n.collation import thai_order, thai_sort_key
from tests.conftest import login, make_user

# In Thai dictionary order, as ICU's th collation gives it (checked against PostgreSQL).
EXPECTED = [
    "๑ ห้อง",  # digits first; Thai and Arabic digits weigh the same
    "2 ห้อง",
    "ก",
    "กก",
    "กรุงเทพฯ",  # ฯ is ignored: a prefix of the next
    "กรุงเทพมหานคร",
    "กลุ่มนโยบายและแผน",  # Thai letters before Latin ones; the space is ignored
    "กลุ่ม DLICT",
    "กา",
    "ก่า",  # tone marks only break ties...
    "ก้า",
    "กาง",  # ...so a longer word comes after all of them
    "กำ",  # ำ counts as า then ํ, after every consonant
    "กิ",
    "กุ",
    "เก",  # a leading vowel counts after its consonant: เก comes after every ก + vowel
    "เก่ง",
    "เกา",
    "เกาะ",
    "แก",
    "แก้ว",
    "โก",
    "ใกล้",
    "ไก",
    "ไก่",
    "ข",
    "ค",
    "นางพรทิพย์ ศรีสุข",
    "นางสาวกมลชนก แสงอรุณ",
    "นางสาวอรุณี มณีวงศ์",
    "นายสมชาย ใจดี",
    "นายสมชาย ใจเด็ด",
    "นาย สมศักดิ์ ทองดี",  # a stray space changes nothing: ศ after ช
    "นายเอกชัย บุญมาก",  # เอ sorts by อ
    "ร้อน",
    "โรงเรียนบ้านหนองบัว",  # โร sorts by ร
    "โรงเรียนวัดใหม่",
    "โรงเรียนอนุบาลตัวอย่าง",
    "ฤกษ์",  # ฤ after ร
    "ฤดู",
    "ฤๅษี",  # ๅ weighs as า
    "ล",
    "ฦๅ",  # ฦ after ล
    "สพป.ตัวอย่าง เขต 1",
    "สพป.ตัวอย่าง เขต 10",  # digit by digit, not by number
    "สพป.ตัวอย่าง เขต 2",
    "สพป.ตัวอย่าง เขต ๒",  # ties with 2; code points decide
    "Anan",
    "somchai",  # case only breaks ties, small letters first
    "Somchai",
]


def test_key_gives_thai_dictionary_order():
    shuffled = EXPECTED[:]
    random.Random(1).shuffle(shuffled)
    assert sorted(shuffled, key=thai_sort_key) == EXPECTED


@pytest.mark.parametrize(
    "before, after",
    [
        ("กา", "เกา"),  # the consonant first, the leading vowel later
        ("เกา", "เก่า"),  # the tone mark breaks the tie
        ("กุ่ม", "กุ้ม"),
        ("กุ่ม", "ขุม"),
        ("ร", "ฤ"),
        ("ฤๅ", "ล"),
        ("9", "ก"),
        ("ฮ", "a"),
        ("นาง สมศรี", "นางสมศรี"),  # equal but for the space: code points decide, as PostgreSQL does
    ],
)
def test_pairs(before, after):
    assert thai_sort_key(before) < thai_sort_key(after)


def test_typing_order_of_marks_does_not_matter():
    # ก + ่ + ุ and ก + ุ + ่ are the same syllable (canonical order): they tie until code points.
    tone_first, vowel_first = "ก\u0e48\u0e38ง", "ก\u0e38\u0e48ง"
    assert thai_sort_key(tone_first)[: -len(tone_first)] == thai_sort_key(vowel_first)[: -len(vowel_first)]


def _make_people(names: list[str]) -> None:
    for number, name in enumerate(names):
        make_user(f"person{number}@a.example", name=name)
    db.session.commit()


def test_database_orders_names_in_thai(app):
    shuffled = EXPECTED[:]
    random.Random(2).shuffle(shuffled)
    _make_people(shuffled)
    ordered = db.session.scalars(select(User.name).order_by(thai_order(User.name))).all()
    assert ordered == EXPECTED
    backwards = db.session.scalars(select(User.name).order_by(desc(thai_order(User.name)))).all()
    assert backwards == EXPECTED[::-1]


def test_list_of_people_walks_the_thai_index(app):
    """The admin list's query is answered by an index built with the same collation, not a sort."""
    by_name = select(User.id).order_by(thai_order(User.name)).limit(25)
    cases = [
        (by_name, "ix_thai_core_users_name"),  # installation administrators
        (by_name.where(User.office_id == 1), "ix_thai_core_users_office_id_name"),  # an office's
    ]
    if db.engine.dialect.name == "sqlite":
        explain, sort = "EXPLAIN QUERY PLAN ", "TEMP B-TREE"
    else:  # a near-empty table: make PostgreSQL show that it can
        explain, sort = "EXPLAIN ", "Sort"
        db.session.execute(text("SET LOCAL enable_seqscan = off"))
        db.session.execute(text("SET LOCAL enable_sort = off"))
    for statement, index in cases:
        plan = _plan(statement, explain)
        assert index in plan and sort not in plan, plan
    db.session.rollback()


def _plan(statement, explain: str) -> str:
    compiled = statement.compile(db.engine, compile_kwargs={"literal_binds": True})
    return "\n".join(str(row) for row in db.session.execute(text(explain + str(compiled))))


def test_admin_lists_people_in_thai_order(web, two_offices):
    unit = two_offices["A"]["unit"]
    names = ["นายเอกชัย บุญมาก", "นางสาวกมลชนก แสงอรุณ", "โรงเรียนวัดใหม่", "นายสมชาย ใจดี", "ไก่ ชน"]
    for number, name in enumerate(names):
        make_user(f"p{number}@a.example", unit, name=name)
    make_user("admin@a.example", unit, "admin", name="ฮ ผู้ดูแล")
    db.session.commit()
    client = web.test_client()
    login(client, "admin@a.example")
    expected = [*sorted(names, key=thai_sort_key), "ฮ ผู้ดูแล"]
    # The default order, then the Name header (the admin's own name is also at the top: rindex).
    for path in ("/admin/core_users/", "/admin/core_users/?sort=0"):
        page = client.get(path).get_data(as_text=True)
        assert sorted(expected, key=page.rindex) == expected, path
    page = client.get("/admin/core_users/?sort=0&desc=1").get_data(as_text=True)
    assert sorted(expected, key=page.rindex) == expected[::-1]


def _realistic_names(count: int) -> list[str]:
    """People with titles, offices, schools and groups, as Khet's lists hold them."""
    rng = random.Random(3)
    names = {row["name"] for row in user_rows(count, office_id=1, unit_ids=[1], password_hash="x", seed=4)}
    places = [p for p, _ in SURNAME_PREFIXES] + ["หนองบัว", "โนนสูง", "ดอนแก้ว", "ห้วยไร่", "เขาใหญ่", "ท่าช้าง"]
    for _ in range(count // 4):
        title, first_names = rng.choice(NAMES_BY_TITLE)
        surname = rng.choice(SURNAME_PREFIXES)[0] + rng.choice(SURNAME_SUFFIXES)[0]
        names.add(f"{title} {rng.choice(first_names)[0]}  {surname}")  # stray spaces
        names.add(f"โรงเรียนบ้าน{rng.choice(places)}{rng.choice(['', 'วิทยา', 'พัฒนา', 'ศึกษา'])}")
        names.add(f"สพป.{rng.choice(places)} เขต {rng.randint(1, 12)}")
        names.add(f"{rng.choice(POSITIONS)} ({rng.choice(['IT', 'HR', 'DLICT', 'ICT 2'])})")
        names.add(f"{rng.choice(first_names)[1].title()} {rng.choice(SURNAME_SUFFIXES)[1]}")  # romanized
        names.add(f"ห้อง {rng.choice(['๑', '1', '๒', '2'])}{rng.randint(0, 20)}")
    return sorted(names)


def test_key_agrees_with_postgresql_icu(app):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("ICU is PostgreSQL's")
    names = _realistic_names(4000)
    icu = db.session.scalars(
        text('SELECT name FROM unnest(CAST(:names AS text[])) AS name ORDER BY name COLLATE "th-TH-x-icu"'),
        {"names": names},
    ).all()
    assert len(names) > 3000
    assert sorted(names, key=thai_sort_key) == icu

"""Invented Thai staff for the benchmark: names, positions and unique e-mails, inserted in bulk.

The rows go straight to ``core_users`` with SQLAlchemy Core (one executemany per chunk), so
the ORM's flush hooks do not run: the office of each row is set here instead.
"""

from __future__ import annotations

import random
import secrets
from collections.abc import Iterator, Sequence
from itertools import islice

from sqlalchemy import Table, insert, select
from sqlalchemy.engine import Connection

from core.auth.models import User
from core.db import utcnow
from core.demo import DEMO_DOMAIN
from core.org.models import OrgUnit


def _pairs(text: str) -> tuple[tuple[str, str], ...]:
    """``"ไทย:thai ..."`` as ``(("ไทย", "thai"), ...)``."""
    return tuple((thai, roman) for thai, _, roman in (word.partition(":") for word in text.split()))


# A surname is a prefix and a suffix, e.g. ศรี + สุข = ศรีสุข (srisuk).
MALE_NAMES = _pairs(
    """
    สมชาย:somchai สมศักดิ์:somsak ประเสริฐ:prasert ธนพล:thanaphon วีระพงษ์:weeraphong อนุชา:anucha
    สุรชัย:surachai ชัยวัฒน์:chaiwat กิตติพงษ์:kittiphong ณัฐพล:natthaphon พิชิต:phichit
    ธีรศักดิ์:theerasak วิชัย:wichai เอกชัย:ekkachai ปิยะ:piya สุทธิพงษ์:sutthiphong
    """
)
FEMALE_NAMES = _pairs(
    """
    พรทิพย์:pornthip กมลชนก:kamonchanok วิไลวรรณ:wilaiwan สุภาพร:suphaporn อรุณี:arunee
    จันทร์เพ็ญ:chanphen นภาพร:naphaporn ศิริพร:siriporn รัตนา:rattana มาลัย:malai ปวีณา:paweena
    สุนิสา:sunisa ขวัญใจ:khwanjai อัญชลี:anchalee วรรณา:wanna ดวงใจ:duangjai
    """
)
SURNAME_PREFIXES = _pairs(
    """
    ศรี:sri วงศ์:wong ทอง:thong แสง:saeng บุญ:bun ใจ:jai รุ่ง:rung แก้ว:kaew สุข:suk มณี:manee
    ชัย:chai พร:phon เพชร:phet นาค:nak จันทร์:chan
    """
)
SURNAME_SUFFIXES = _pairs(
    """
    สุข:suk ไพบูลย์:phaibun มาก:mak อรุณ:arun เรือง:rueang ดี:dee สว่าง:sawang ประเสริฐ:prasoet
    วิเศษ:wiset งาม:ngam ทวี:thawi ศักดิ์:sak เจริญ:charoen สมบูรณ์:sombun ยืนยง:yuenyong
    """
)
NAMES_BY_TITLE = (("นาย", MALE_NAMES), ("นาง", FEMALE_NAMES), ("นางสาว", FEMALE_NAMES))
POSITIONS = (
    "ครู",
    "ครูผู้ช่วย",
    "ผู้อำนวยการโรงเรียน",
    "รองผู้อำนวยการโรงเรียน",
    "นักวิชาการศึกษา",
    "ศึกษานิเทศก์",
    "เจ้าพนักงานธุรการ",
    "นักจัดการงานทั่วไป",
    "นักวิชาการคอมพิวเตอร์",
    "นักทรัพยากรบุคคล",
)
# In about one name in forty-eight: the users-list search has many pages of hits to sort.
SEARCH_FRAGMENT = MALE_NAMES[0][0]
CHUNK_SIZE = 10_000


def office_unit_ids(connection: Connection, office_id: int) -> list[int]:
    return list(connection.scalars(select(OrgUnit.id).where(OrgUnit.office_id == office_id)))


def thai_name(rng: random.Random) -> tuple[str, str]:
    """An invented person: the full name with its title, and its roman form for an e-mail."""
    title, names = rng.choice(NAMES_BY_TITLE)
    first, first_roman = rng.choice(names)
    prefix, prefix_roman = rng.choice(SURNAME_PREFIXES)
    suffix, suffix_roman = rng.choice(SURNAME_SUFFIXES)
    return f"{title}{first} {prefix}{suffix}", f"{first_roman}.{prefix_roman}{suffix_roman}"


def user_rows(
    count: int, *, office_id: int, unit_ids: Sequence[int], password_hash: str, seed: int = 1
) -> Iterator[dict[str, object]]:
    """``count`` active users of one office, spread over ``unit_ids``; the same seed, the same people."""
    rng = random.Random(seed)
    now = utcnow()
    for number in range(1, count + 1):
        name, roman = thai_name(rng)
        yield {
            "email": f"{roman}.{number}@{DEMO_DOMAIN}",
            "name": name,
            "position": rng.choice(POSITIONS),
            "org_unit_id": rng.choice(unit_ids),
            "office_id": office_id,
            "active": True,
            "password_hash": password_hash,
            "must_change_password": False,
            "session_token": secrets.token_hex(16),
            "created_at": now,
        }


def insert_users(connection: Connection, rows: Iterator[dict[str, object]]) -> int:
    return insert_rows(connection, User.__table__, rows)


def insert_rows(connection: Connection, table: Table, rows: Iterator[dict[str, object]]) -> int:
    """Insert the rows in chunks of executemany; return how many were inserted."""
    inserted = 0
    statement = insert(table)
    while chunk := list(islice(rows, CHUNK_SIZE)):
        connection.execute(statement, chunk)
        inserted += len(chunk)
    return inserted

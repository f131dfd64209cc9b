"""An office with its registry clerk, director, a group director, a teacher, and saraban on."""

from __future__ import annotations

import pytest

from core.db import db
from core.plugins.offices import set_plugin_enabled
from plugins.saraban import services
from plugins.saraban.models import Letter, Register
from plugins.saraban.services import LetterEntry
from tests.conftest import make_office, make_user

PREFIX = "ศธ 04123"


@pytest.fixture
def office(app):
    units = make_office("สพป.ทดสอบ เขต 1", "A")
    people = {
        "clerk": make_user("clerk@a.example", units["unit"], "clerk", name="ธุรการ ขยันยิ่ง"),
        "director": make_user("director@a.example", units["office"], "office_director", name="ผอ. ใจกว้าง"),
        "head": make_user("head@a.example", units["group"], "group_director", name="หัวหน้า ใจดี"),
        "tech": make_user("tech@a.example", units["unit"], "computer_officer", name="ช่างดี มีฝีมือ"),
        "teacher": make_user("teacher@a.example", units["school"], "teacher", name="ครูใจ ดีงาม"),
    }
    set_plugin_enabled(units["office"].id, "saraban", True)
    services.set_prefix(units["office"].id, units["office"].id, PREFIX)
    db.session.commit()
    return {**units, **people}


def register(
    office, register: Register = Register.RECEIVE, subject: str = "ขอเชิญประชุมผู้บริหาร", **fields
) -> Letter:
    """Register one letter as the office's clerk and commit it."""
    if register is Register.RECEIVE:
        fields.setdefault("sender", "สำนักงานคณะกรรมการการศึกษาขั้นพื้นฐาน")
    letter = services.register_letter(
        office["office"].id, LetterEntry(register=register, subject=subject, **fields), office["clerk"]
    )
    db.session.commit()
    return letter

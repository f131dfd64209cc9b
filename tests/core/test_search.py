"""Searching people in the admin console: fragments anywhere in a name or e-mail, by index."""

from __future__ import annotations

import pytest
from sqlalchemy import event, select, text

from core.auth.models import User
from core.db import db
from core.search import USER_SEARCH
from tests.conftest import login, make_user


@pytest.fixture
def console(web, two_offices):
    unit = two_offices["A"]["unit"]
    for email, name in [
        ("somchai@a.example", "นายสมชาย ใจดี"),
        ("somsri@a.example", "นางสมศรี มีสุข"),
        ("wichai@a.example", "นายวิชัย ใจดี"),
        ("percent@a.example", "นาย 100% แน่นอน"),
    ]:
        make_user(email, unit, name=name)
    make_user("admin@a.example", unit, "admin", name="ผู้ดูแล")
    db.session.commit()
    client = web.test_client()
    login(client, "admin@a.example")
    return client


def _found(client, term: str) -> set[str]:
    page = client.get("/admin/core_users/", query_string={"search": term}).get_data(as_text=True)
    return {email for email in ("somchai", "somsri", "wichai", "percent") if f"{email}@a.example" in page}


@pytest.mark.parametrize(
    "term, expected",
    [
        ("สมชาย", {"somchai"}),
        ("ใจดี", {"somchai", "wichai"}),  # a fragment in the middle of the name
        ("สม", {"somchai", "somsri"}),  # shorter than a trigram: still found
        ("WICHAI@A", {"wichai"}),  # e-mail, any case
        ("ใจดี สมชาย", {"somchai"}),  # every term must match
        ("100%", {"percent"}),  # wildcards are taken literally
        ("ไม่มีใคร", set()),
    ],
)
def test_search_finds_fragments(console, term, expected):
    assert _found(console, term) == expected


def test_search_follows_changes(console):
    person = db.session.scalar(select(User).where(User.email == "somsri@a.example"))
    person.name = "นางสาวสมศรี รักเรียน"
    db.session.commit()
    assert _found(console, "รักเรียน") == {"somsri"}
    assert _found(console, "มีสุข") == set()
    db.session.delete(person)
    db.session.commit()
    assert _found(console, "สมศรี") == set()


def test_search_uses_an_index(app):
    term = "สมชาย"
    ids = USER_SEARCH.matching_ids(User.id, term, db.engine.dialect.name)
    compiled = ids.compile(db.engine, compile_kwargs={"literal_binds": True})
    if db.engine.dialect.name == "sqlite":
        plan = " ".join(str(row) for row in db.session.execute(text(f"EXPLAIN QUERY PLAN {compiled}")))
        assert "VIRTUAL TABLE INDEX" in plan and "core_users_search" in plan
    else:
        db.session.execute(text("SET LOCAL enable_seqscan = off"))
        plan = " ".join(row[0] for row in db.session.execute(text(f"EXPLAIN {compiled}")))
        assert "ix_trgm_core_users_name" in plan and "ix_trgm_core_users_email" in plan
    db.session.rollback()


def test_a_walk_through_the_newest_rows_tests_thai_with_strpos_first(app):
    """For a word the planner takes for common, PostgreSQL walks back from the newest row and tests
    each one. strpos is that test (LIKE stumbles on Thai's shared first byte); the LIKE after it
    is what the trigram index answers when the word is rare, as the test above checks."""
    if db.engine.dialect.name != "postgresql":
        pytest.skip("SQLite reads its FTS5 index for every word of three letters or more")
    walk = (
        select(User.id).where(USER_SEARCH.contains(User.id, "สมชาย", "postgresql")).order_by(User.id.desc())
    )
    compiled = walk.limit(50).compile(db.engine, compile_kwargs={"literal_binds": True})
    db.session.execute(text("SET LOCAL enable_bitmapscan = off"))
    db.session.execute(text("SET LOCAL enable_seqscan = off"))
    tests = next(row[0] for row in db.session.execute(text(f"EXPLAIN {compiled}")) if "Filter" in row[0])
    db.session.rollback()
    for column in USER_SEARCH.columns:
        assert tests.index(f"strpos(({column})::text") < tests.index(f"({column})::text ~~")


def test_the_searched_words_are_written_into_the_statement(app):
    """A prepared statement's generic plan is made without its values: a search carries its words
    in its text, so that PostgreSQL plans each search for its own words (core.search.written)."""
    if db.engine.dialect.name != "postgresql":
        pytest.skip("SQLite plans every statement for its values: FTS5 takes the words as parameters")
    sent: list[tuple[str, object]] = []

    def capture(conn, cursor, statement, parameters, context, executemany) -> None:
        sent.append((statement, parameters))

    event.listen(db.engine, "before_cursor_execute", capture)
    try:
        db.session.execute(
            select(User.id).where(*USER_SEARCH.conditions(User.id, "สมชาย 50%", db.engine.dialect.name))
        )
    finally:
        event.remove(db.engine, "before_cursor_execute", capture)
    statement, parameters = sent[-1]
    assert "สมชาย" in statement and "50" in statement
    assert not any("สมชาย" in str(value) for value in (parameters or {}).values())


def test_a_digits_only_column_is_not_tested_for_a_word_it_cannot_hold(app):
    """Ticket numbers are digits and a dash: a surname is not looked for in them, a number is."""
    from plugins.helpdesk.models import Ticket
    from plugins.helpdesk.services import TICKET_SEARCH

    def tested(term: str) -> str:
        condition = TICKET_SEARCH.contains(Ticket.id, term, db.engine.dialect.name)
        return str(condition.compile(db.engine, compile_kwargs={"literal_binds": True}))

    assert "helpdesk_tickets.number" not in tested("แก้วศักดิ์")
    assert "helpdesk_tickets.number" not in tested("A4")
    assert "helpdesk_tickets.title" in tested("แก้วศักดิ์") and "requester_name" in tested("แก้วศักดิ์")
    for number in ("2570-00042", "00042", "12"):
        assert "helpdesk_tickets.number" in tested(number)
    assert TICKET_SEARCH.searched_for("2570/1") == TICKET_SEARCH.columns

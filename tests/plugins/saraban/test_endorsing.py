"""Proposing a letter (บันทึกเสนอ) up the chain group director → deputy → director, each endorsing
with the office's words and their password; มอบ hands the letter on; คืนเรื่อง and ขอความเห็น;
acting on behalf; the endorsement trail in Thai on the letter's page and drawn onto its PDF."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from core.approvals.chains import seed_chains
from core.approvals.inbox import inbox as waiting_for
from core.approvals.models import ActionKind, Delegation, DelegationKind, RequestStatus
from core.audit.models import AuditEvent
from core.db import db, utcnow
from plugins.saraban.models import Secrecy
from plugins.saraban.routing import proposals, services
from plugins.saraban.routing.models import Proposal, Routing, RoutingKind
from tests.conftest import PASSWORD, make_office, make_user, post
from tests.plugins.saraban.test_routing import receive, registry, signed_in, to

__all__ = ["registry"]  # a fixture, used by name

NOTE = {
    "group": None,
    "background": "สพฐ. แจ้งจัดประชุมเชิงปฏิบัติการ",
    "facts": "กำหนดส่งรายชื่อภายในวันที่ 20",
    "proposal": "เห็นควรมอบกลุ่ม DLICT ดำเนินการ",
}


@pytest.fixture
def chains(registry):
    seed_chains()
    db.session.commit()
    return registry


def propose(web, people, letter, **changes):
    """The officer the letter was sent to proposes it, with the note."""
    if not any(access.user_id == people["tech"].id for access in letter.access):
        sent = services.route(letter, people["central"], services.Recipient(user=people["tech"]))
        services.acknowledge(sent, people["tech"])
        db.session.commit()
    client = signed_in(web, "tech@a.example")
    data = {**NOTE, "group": str(people["group"].id), **changes}
    response = post(
        client,
        f"/saraban/routing/letters/{letter.id}/propose",
        data,
        token_page=f"/saraban/letters/{letter.id}",
    )
    db.session.expire_all()
    return response, db.session.scalar(select(Proposal).where(Proposal.letter_id == letter.id))


def endorse(web, email, proposal, decision, password=None, **fields):
    client = signed_in(web, email)
    db.session.expire_all()
    request = db.session.get(Proposal, proposal.id).request
    data = {
        "endorse-version": str(request.version),
        "endorse-decision": decision,
        "endorse-password": PASSWORD if password is None else password,
        **{f"endorse-{name}": value for name, value in fields.items()},
    }
    response = post(
        client,
        f"/saraban/routing/proposals/{proposal.id}/endorse",
        data,
        token_page=f"/saraban/letters/{proposal.letter_id}",
    )
    db.session.expire_all()
    return client, response


def test_a_letter_goes_up_the_chain_and_the_director_assigns_it(chains, web):
    people = chains
    letter = receive(people)
    response, proposal = propose(web, people, letter)
    assert response.status_code == 302 and proposal.request.status == RequestStatus.IN_PROGRESS
    # The DLICT group's director decides first: it waits for them, not for the deputy.
    assert [item.request.id for item in waiting_for(people["head"])] == [proposal.request_id]
    assert waiting_for(people["deputy"]) == []
    endorse(web, "head@a.example", proposal, "agree", comment="เห็นควรดำเนินการ")
    endorse(web, "deputy@a.example", proposal, "agree")
    client, _response = endorse(
        web, "director@a.example", proposal, proposals.ASSIGN, to=to(people["tech"]), comment="ดำเนินการ"
    )
    proposal = db.session.get(Proposal, proposal.id)
    assert proposal.request.status == RequestStatus.APPROVED
    signed = [a for a in proposal.request.actions if a.signature]
    assert [a.endorsement for a in signed] == ["เห็นชอบ", "เห็นชอบ", "มอบ"]
    assert signed[0].signature["name"] == "หัวหน้า ใจดี"
    # มอบ hands the letter to the officer, who finds it among "letters to me".
    [assigned] = db.session.scalars(select(Routing).where(Routing.kind == RoutingKind.ASSIGN))
    assert (assigned.to_user_id, assigned.instruction, assigned.approval_action_id) == (
        people["tech"].id,
        "ดำเนินการ",
        signed[2].id,
    )
    assert [r.id for r in services.inbox(people["tech"])] == [assigned.id]
    today = services.thai_day(assigned.sent_at)
    action = db.session.get(type(letter), letter.id).action
    assert action.endswith(f"รับทราบ {today} · เสนอ {today} · มอบ ช่างดี มีฝีมือ {today}")
    # The trail on the letter's page, in Thai as the superiors would write it.
    page = client.get(f"/saraban/letters/{letter.id}").get_data(as_text=True)
    trail = page.split('id="proposals"')[1]
    for words in ("เรียน ผอ.สพป.ทดสอบ เขต 1", "ข้อเท็จจริง", "เห็นควรดำเนินการ", "(หัวหน้า ใจดี)",
                  "(รอง ช่วยงาน)", "มอบ ช่างดี มีฝีมือ", "(ผอ. ใจกว้าง)", today):  # fmt: skip
        assert words in trail, words
    assert trail.index("(หัวหน้า ใจดี)") < trail.index("(รอง ช่วยงาน)") < trail.index("(ผอ. ใจกว้าง)")
    kinds = {event.type for event in db.session.scalars(select(AuditEvent))}
    assert {"saraban.proposal.created", "core.approval.approve", "saraban.routing.created"} <= kinds


def test_only_the_superior_whose_turn_it_is_endorses_and_only_with_the_password(chains, web):
    people = chains
    letter = receive(people)
    _response, proposal = propose(web, people, letter)
    version = proposal.request.version
    for email in ("tech@a.example", "deputy@a.example", "director@a.example"):
        _client, response = endorse(web, email, proposal, "agree")
        assert response.status_code == 403, email
    client, response = endorse(web, "head@a.example", proposal, "agree", password="wrong")
    assert response.status_code == 302
    assert "flash-error" in client.get(response.location).get_data(as_text=True)
    assert db.session.get(Proposal, proposal.id).request.version == version
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.type == "core.auth.confirm_failed"))
    # A forged decision, or มอบ without saying to whom, changes nothing either.
    for decision, fields in (("forged", {}), (proposals.ASSIGN, {}), (proposals.ASSIGN, {"to": "unit:abc"})):
        endorse(web, "head@a.example", proposal, decision, **fields)
        assert db.session.get(Proposal, proposal.id).request.version == version, decision


def test_returned_for_revision_then_sent_up_again(chains, web):
    people = chains
    letter = receive(people)
    _response, proposal = propose(web, people, letter)
    endorse(web, "head@a.example", proposal, proposals.RETURN, password="")  # a comment is required
    assert db.session.get(Proposal, proposal.id).request.status == RequestStatus.IN_PROGRESS
    endorse(web, "head@a.example", proposal, proposals.RETURN, password="", comment="ขอข้อมูลเพิ่มเติม")
    proposal = db.session.get(Proposal, proposal.id)
    assert proposal.request.status == RequestStatus.RETURNED
    client = signed_in(web, "tech@a.example")
    page = client.get(f"/saraban/letters/{letter.id}").get_data(as_text=True)
    assert "คืนเรื่อง" in page and "ขอข้อมูลเพิ่มเติม" in page and "revise-facts" in page
    post(
        client,
        f"/saraban/routing/proposals/{proposal.id}/revise",
        {
            "revise-version": str(proposal.request.version),
            "revise-facts": "กำหนดส่งรายชื่อภายในวันที่ 20 ผู้เข้าประชุม 3 คน",
            "revise-proposal": NOTE["proposal"],
        },
        token_page=f"/saraban/letters/{letter.id}",
    )
    db.session.expire_all()
    proposal = db.session.get(Proposal, proposal.id)
    assert proposal.request.status == RequestStatus.IN_PROGRESS and proposal.request.round == 2
    assert proposal.facts.endswith("3 คน")
    assert [item.request.id for item in waiting_for(people["head"])] == [proposal.request_id]


def test_asking_for_an_opinion_hands_the_letter_to_the_person_asked(chains, web):
    people = chains
    letter = receive(people)
    _response, proposal = propose(web, people, letter)
    endorse(
        web,
        "head@a.example",
        proposal,
        proposals.CONSULT,
        password="",
        to=to(people["clerk"]),
        comment="มีงบประมาณหรือไม่",
    )
    [asked] = db.session.scalars(select(Routing).where(Routing.kind == RoutingKind.CONSULT))
    assert asked.to_user_id == people["clerk"].id and asked.instruction == "มีงบประมาณหรือไม่"
    assert (
        db.session.get(Proposal, proposal.id).request.current_step.position == 0
    )  # still with the group director
    services.report_done(asked, people["clerk"], "มีงบประมาณเพียงพอ")
    db.session.commit()
    assert "ให้ความเห็นแล้ว" in db.session.get(type(letter), letter.id).action


def test_a_deputy_acting_for_the_director_signs_on_behalf(chains, web):
    people = chains
    day = utcnow().date()
    db.session.add(
        Delegation(
            principal_id=people["director"].id,
            delegate_id=people["deputy"].id,
            office_id=people["office"].id,
            kind=DelegationKind.ON_BEHALF,
            starts_on=day - timedelta(days=1),
            ends_on=day + timedelta(days=1),
        )
    )
    db.session.commit()
    letter = receive(people)
    _response, proposal = propose(web, people, letter)
    endorse(web, "head@a.example", proposal, "agree")
    endorse(web, "deputy@a.example", proposal, "agree")
    client, _response = endorse(web, "deputy@a.example", proposal, "approve")
    proposal = db.session.get(Proposal, proposal.id)
    last = [a for a in proposal.request.actions if a.kind == ActionKind.APPROVE][-1]
    assert proposal.request.status == RequestStatus.APPROVED and last.on_behalf_of_id == people["director"].id
    page = client.get(f"/saraban/letters/{letter.id}").get_data(as_text=True)
    assert "ปฏิบัติราชการแทน" in page.split('id="proposals"')[1]


def test_a_secret_letter_proposed_is_read_by_each_superior_in_turn_only(chains, web):
    people = chains
    letter = receive(people, "ขอข้อมูลบุคลากร", secrecy=Secrecy.CONFIDENTIAL)
    _response, proposal = propose(web, people, letter)
    assert proposal is not None and "ขอข้อมูลบุคลากร" not in proposal.request.title
    readers = lambda: {access.user_id for access in db.session.get(type(letter), letter.id).access}  # noqa: E731
    assert people["head"].id in readers() and people["deputy"].id not in readers()
    endorse(web, "head@a.example", proposal, "agree")
    assert people["deputy"].id in readers()
    assert signed_in(web, "deputy@a.example").get(f"/saraban/letters/{letter.id}").status_code == 200


def test_bad_notes_and_other_offices_are_refused(chains, web):
    people = chains
    letter = receive(people)
    response, proposal = propose(web, people, letter, facts="")
    assert response.status_code == 200 and proposal is None
    response, proposal = propose(web, people, letter, group=str(people["unit"].id))
    assert proposal is None
    _response, proposal = propose(web, people, letter)
    response, _again = propose(web, people, letter)  # already with the superiors
    assert response.status_code == 302 and len(db.session.scalars(select(Proposal)).all()) == 1
    other = make_office("สพม.อื่น เขต 9", "B")
    make_user("clerk@b.example", other["unit"], "clerk")
    db.session.commit()
    client = signed_in(web, "clerk@b.example")
    assert client.get(f"/saraban/routing/proposals/{proposal.id}/endorsed.pdf").status_code == 404
    assert post(client, f"/saraban/routing/proposals/{proposal.id}/endorse", {}).status_code == 404
    assert client.get(f"/saraban/routing/letters/{letter.id}/propose").status_code == 404


def test_assigning_on_the_approval_page_keeps_the_words_and_leaves_the_hand_off_to_the_proposer(chains, web):
    """Core's approval page names no one for มอบ: the decision is recorded as written."""
    people = chains
    letter = receive(people)
    _response, proposal = propose(web, people, letter)
    endorse(web, "head@a.example", proposal, "agree")
    endorse(web, "deputy@a.example", proposal, "agree")
    client = signed_in(web, "director@a.example")
    request = db.session.get(Proposal, proposal.id).request
    response = post(
        client,
        f"/approvals/{request.id}/act",
        {
            "action": "decide",
            "decision": proposals.ASSIGN,
            "version": str(request.version),
            "password": PASSWORD,
            "comment": "กลุ่มนโยบายและแผน ดำเนินการ",
        },
        token_page=f"/approvals/{request.id}",
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Proposal, proposal.id).request.status == RequestStatus.APPROVED
    assert db.session.scalars(select(Routing).where(Routing.kind == RoutingKind.ASSIGN)).all() == []
    trail = client.get(f"/saraban/letters/{letter.id}").get_data(as_text=True).split('id="proposals"')[1]
    assert "มอบ" in trail and "กลุ่มนโยบายและแผน ดำเนินการ" in trail

"""Approval chains: the transition table, quorum, returns, versions, delegation, SLA, inbox.

Two throwaway plugins, ``trips`` and ``rooms``, send their subjects up chains; the office is
the usual test office (a DLICT group with a work unit, and a school).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import select

from core.approvals.chains import current_chain, save_version, seed_chains
from core.approvals.engine import ApprovalError, act, available_actions, submit
from core.approvals.inbox import inbox
from core.approvals.models import (
    ActionKind,
    ApprovalRequest,
    ApproverRule,
    Delegation,
    DelegationKind,
    Quorum,
    RequestStatus,
    ReturnTo,
    StepStatus,
)
from core.audit.models import AuditEvent
from core.calendar.models import Holiday
from core.db import db
from core.i18n.thaidate import today as local_today
from core.plugins.offices import set_plugin_enabled
from tests.conftest import make_office, make_user
from tests.contracts.throwaway import install_plugin

A = ActionKind

PLUGIN_SOURCE = """
from core.approvals.contributions import (
    APPROVE, REJECT, ApprovalSubject, ChainTemplate, Decision, DecisionVocabulary, StepTemplate,
)
from core.approvals.models import ApproverRule
from core.plugins import KhetPlugin, hookimpl
from flask import Blueprint, render_template_string
from flask_login import login_required

SEEN = []
bp = Blueprint(NAME, __name__, url_prefix="/" + NAME)


@bp.route("/<subject_id>")
@login_required
def page(subject_id):
    template = "<h1>{{ id }}</h1>{{ approval_timeline(key, id) }}"
    return render_template_string(template, key=NAME + ".request", id=subject_id)


class Plugin(KhetPlugin):
    name = NAME
    title = NAME.title()
    requires = REQUIRES

    @hookimpl
    def register_decision_vocabularies(self):
        return (DecisionVocabulary(NAME + ".allow", (
            Decision("allow", "Allow", "อนุญาต", APPROVE),
            Decision("deny", "Deny", "ไม่อนุญาต", REJECT),
        )),)

    @hookimpl
    def register_approval_chains(self):
        return (ChainTemplate(NAME + ".request", "Request", (
            StepTemplate("ความเห็นผู้อำนวยการกลุ่ม", ApproverRule.ROLE_IN_UNIT, "group_director",
                         vocabulary="core.endorse", sla_hours=8),
            StepTemplate("ผู้อำนวยการสำนักงาน", ApproverRule.ROLE_IN_OFFICE, "office_director",
                         vocabulary=NAME + ".allow", sla_hours=16),
        )),)

    @hookimpl
    def register_blueprints(self):
        return (bp,)

    @hookimpl
    def register_approval_subjects(self):
        return (ApprovalSubject(NAME + ".request", "Request", NAME + ".request",
                                url=lambda subject_id: "/" + NAME + "/" + subject_id,
                                on_transition=lambda r, a: SEEN.append((a.kind, r.status))),)


plugin = Plugin()
"""


@pytest.fixture
def plugins(tmp_path, monkeypatch):
    for name in ("trips", "rooms"):
        folder = tmp_path / name
        folder.mkdir()
        install_plugin(folder, monkeypatch, name=name, source=PLUGIN_SOURCE.replace("NAME", repr(name)))


@pytest.fixture
def office(plugins, app):
    """The office's people: a clerk asks, the DLICT group director and the office director decide."""
    units = make_office("สพป.ทดสอบ เขต 1", "A")
    people = {
        "clerk": make_user(
            "clerk@a.example", units["unit"], "clerk", name="สมใจ รักงาน", position="เจ้าพนักงานธุรการ"
        ),
        "director": make_user(
            "gd@a.example",
            units["group"],
            "group_director",
            role_unit=units["group"],
            name="วิชัย นำทาง",
            position="ผู้อำนวยการกลุ่ม",
        ),
        "boss": make_user(
            "boss@a.example",
            units["office"],
            "office_director",
            name="ประเสริฐ ใหญ่ยิ่ง",
            position="ผู้อำนวยการสำนักงานเขตพื้นที่การศึกษา",
        ),
        "deputy": make_user(
            "deputy@a.example",
            units["office"],
            "deputy_director",
            name="มานะ ช่วยงาน",
            position="รองผู้อำนวยการ",
        ),
        "outsider": make_user("teacher@a.example", units["school"], "teacher"),
    }
    seed_chains()
    for name in ("trips", "rooms"):
        set_plugin_enabled(units["office"].id, name, True)
    db.session.commit()
    return {**units, **people}


def start(office, subject_id="1", key="trips.request"):
    request = submit(key, subject_id, f"ขออนุมัติเดินทาง {subject_id}", office["clerk"])
    db.session.commit()
    return request


def do(request, kind, who, **kwargs):
    kwargs.setdefault("signed", kind in (A.APPROVE, A.REJECT))
    if kind in (A.REJECT, A.RETURN, A.COMMENT):
        kwargs.setdefault("comment", "ขอข้อมูลเพิ่มเติม")
    action = act(request, kind, who, expected_version=request.version, **kwargs)
    db.session.commit()
    return action


# --- the transition table ----------------------------------------------------------------


def _returned(office):
    request = start(office)
    do(request, A.RETURN, office["director"])
    return request


def _approved(office):
    request = start(office)
    do(request, A.APPROVE, office["director"])
    do(request, A.APPROVE, office["boss"])
    return request


def _rejected(office):
    request = start(office)
    do(request, A.REJECT, office["director"])
    return request


def _withdrawn(office):
    request = start(office)
    do(request, A.WITHDRAW, office["clerk"])
    return request


CANDIDATE = {A.APPROVE, A.REJECT, A.RETURN, A.REASSIGN, A.COMMENT}
TABLE = [
    # state, person, what they may do
    (start, "clerk", {A.WITHDRAW, A.COMMENT}),
    (start, "director", CANDIDATE),
    (start, "boss", set()),  # not reached yet
    (start, "outsider", set()),
    (_returned, "clerk", {A.RESUBMIT, A.WITHDRAW, A.COMMENT}),
    (_returned, "director", {A.COMMENT}),  # took part: may still comment
    (_returned, "boss", set()),
    (_approved, "clerk", set()),
    (_approved, "boss", set()),
    (_rejected, "clerk", set()),
    (_rejected, "director", set()),
    (_withdrawn, "clerk", set()),
    (_withdrawn, "director", set()),
]


@pytest.mark.parametrize("state, person, allowed", TABLE, ids=[f"{s.__name__}-{p}" for s, p, _ in TABLE])
def test_transition_table(office, state, person, allowed):
    request = state(office)
    assert available_actions(request, office[person]) == allowed
    for kind in set(ActionKind) - allowed - {A.SUBMIT}:
        with pytest.raises(ApprovalError):
            act(request, kind, office[person], expected_version=request.version, comment="x", signed=True)
        db.session.rollback()


def test_a_request_goes_up_step_by_step_and_keeps_what_was_said(office):
    request = start(office)
    first, second = request.steps
    assert (first.status, [c.user for c in first.candidates]) == (StepStatus.PENDING, [office["director"]])
    do(
        request,
        A.APPROVE,
        office["director"],
        decision="recommend",
        comment="เห็นควรอนุมัติ เพื่อประโยชน์ของทางราชการ",
    )
    assert (first.status, second.status) == (StepStatus.APPROVED, StepStatus.PENDING)
    assert [c.user for c in second.candidates] == [office["boss"]]
    do(request, A.APPROVE, office["boss"], decision="allow")
    assert request.status == RequestStatus.APPROVED and request.closed_at is not None
    kinds = [(a.kind, a.endorsement) for a in request.actions]
    assert kinds == [("submit", None), ("approve", "เห็นควรอนุมัติ"), ("approve", "อนุญาต")]
    signature = request.actions[2].signature
    assert signature["name"] == "ประเสริฐ ใหญ่ยิ่ง" and signature["position"].startswith("ผู้อำนวยการสำนักงาน")
    audited = db.session.scalars(
        select(AuditEvent.type)
        .where(AuditEvent.subject_key == "core.approval_request")
        .order_by(AuditEvent.id)
    ).all()
    assert audited == ["core.approval.submit", "core.approval.approve", "core.approval.approve"]


def test_rejecting_and_returning_need_a_comment_and_deciding_needs_the_signature(office):
    request = start(office)
    for kind in (A.REJECT, A.RETURN):
        with pytest.raises(ApprovalError) as refused:
            act(request, kind, office["director"], expected_version=request.version, signed=True)
        assert refused.value.reason == "comment_required"
        db.session.rollback()
    with pytest.raises(ApprovalError) as refused:
        act(request, A.APPROVE, office["director"], expected_version=request.version, signed=False)
    assert refused.value.reason == "signature_required"
    db.session.rollback()
    assert request.steps[0].status == StepStatus.PENDING and len(request.actions) == 1


def test_rejection_closes_the_request_and_tells_the_plugin(office):
    from importlib import import_module

    request = start(office)
    do(request, A.REJECT, office["director"], decision="disagree")
    assert request.status == RequestStatus.REJECTED
    assert request.actions[-1].endorsement == "ไม่เห็นชอบ"
    seen = import_module(type(_plugin("trips")).__module__).SEEN
    assert seen[-2:] == [("submit", "in_progress"), ("reject", "rejected")]


def _plugin(name):
    from core.state import khet

    return khet().pm.get_plugin(name)


def test_a_returned_request_is_resubmitted_and_its_history_continues(office):
    request = start(office)
    do(request, A.RETURN, office["director"], comment="แนบกำหนดการด้วย")
    assert request.status == RequestStatus.RETURNED and request.steps[0].status == StepStatus.RETURNED
    do(request, A.RESUBMIT, office["clerk"], comment="แนบแล้ว")
    assert request.status == RequestStatus.IN_PROGRESS and request.round == 2
    assert request.steps[0].status == StepStatus.PENDING
    assert [(a.kind, a.round) for a in request.actions] == [
        ("submit", 1),
        ("return", 1),
        ("resubmit", 2),
    ]


def test_return_to_the_previous_step(office):
    chain = current_chain("trips.request", office["office"].id)
    steps = [s.rule_values() for s in chain.steps]
    steps[1]["return_to"] = ReturnTo.PREVIOUS
    save_version(chain, title=chain.title, steps=steps, office_id=None, author=office["boss"])
    db.session.commit()
    request = start(office)
    do(request, A.APPROVE, office["director"])
    do(request, A.RETURN, office["boss"], comment="กลุ่มช่วยตรวจงบประมาณอีกครั้ง")
    assert request.status == RequestStatus.IN_PROGRESS
    assert [s.status for s in request.steps] == [StepStatus.PENDING, StepStatus.WAITING]


def test_no_self_approval_unless_the_step_allows_it(office):
    # The group director asks: their own opinion step is skipped; the office director decides.
    request = submit("trips.request", "9", "ขอไปราชการ", office["director"])
    db.session.commit()
    assert [s.status for s in request.steps] == [StepStatus.SKIPPED, StepStatus.PENDING]
    assert A.APPROVE not in available_actions(request, office["director"])
    chain = current_chain("trips.request", office["office"].id)
    steps = [s.rule_values() | {"allow_self_approval": True} for s in chain.steps]
    save_version(chain, title=chain.title, steps=steps, office_id=None, author=office["boss"])
    own = submit("trips.request", "10", "ขอไปราชการ", office["director"])
    db.session.commit()
    assert own.steps[0].status == StepStatus.PENDING
    assert A.APPROVE in available_actions(own, office["director"])


def test_nobody_to_decide_stops_the_action_and_changes_nothing(office):
    request = start(office)
    office["boss"].role_assignments.clear()  # the office director's post is left unassigned
    db.session.commit()
    with pytest.raises(ApprovalError) as refused:
        act(request, A.APPROVE, office["director"], expected_version=request.version, signed=True)
    assert refused.value.reason == "no_approver" and refused.value.params == {"step": "ผู้อำนวยการสำนักงาน"}
    db.session.rollback()
    assert request.steps[0].status == StepStatus.PENDING and len(request.actions) == 1
    office["director"].role_assignments.clear()
    db.session.commit()
    with pytest.raises(ApprovalError):
        submit("rooms.request", "1", "ขอใช้ห้อง", office["clerk"])
    db.session.rollback()
    assert (
        db.session.scalar(select(ApprovalRequest).where(ApprovalRequest.subject_key == "rooms.request"))
        is None
    )


@pytest.mark.parametrize(
    "quorum, count, needed", [(Quorum.ANY, None, 1), (Quorum.ALL, None, 3), (Quorum.COUNT, 2, 2)]
)
def test_quorum(office, quorum, count, needed):
    committee = [make_user(f"member{n}@a.example", office["unit"], "supervisor") for n in range(3)]
    chain = current_chain("trips.request", office["office"].id)
    step = chain.steps[0].rule_values() | {"role_name": "supervisor", "quorum": quorum, "quorum_count": count}
    save_version(chain, title=chain.title, steps=[step], office_id=None, author=office["boss"])
    db.session.commit()
    request = start(office)
    for n, member in enumerate(committee[:needed]):
        assert request.status == RequestStatus.IN_PROGRESS, f"closed after {n} approvals"
        do(request, A.APPROVE, member)
    assert request.status == RequestStatus.APPROVED


def test_editing_a_chain_makes_a_version_and_requests_in_flight_keep_theirs(office):
    before = start(office, "1")
    chain = current_chain("trips.request", office["office"].id)
    steps = [s.rule_values() for s in chain.steps]
    extra = steps[1] | {
        "name": "รองผู้อำนวยการ",
        "role_name": "deputy_director",
        "rule": ApproverRule.ROLE_IN_OFFICE,
    }
    # The office changes its own copy: other offices keep the installation's default.
    edited = save_version(
        chain,
        title="ขออนุมัติเดินทาง (สพป.)",
        steps=[steps[0], extra, steps[1]],
        office_id=office["office"].id,
        author=office["boss"],
    )
    db.session.commit()
    assert (edited.version, edited.office_id) == (1, office["office"].id)
    after = start(office, "2")
    assert len(before.steps) == 2 and len(after.steps) == 3 and after.chain_id == edited.id
    assert current_chain("trips.request", None).office_id is None  # another office: the default
    again = save_version(
        edited, title=edited.title, steps=[steps[0]], office_id=office["office"].id, author=office["boss"]
    )
    db.session.commit()
    assert again.version == 2 and not edited.is_current


def test_reassign_passes_the_step_to_another_person(office):
    request = start(office)
    with pytest.raises(ApprovalError) as refused:
        act(request, A.REASSIGN, office["director"], expected_version=request.version, target=office["clerk"])
    assert refused.value.reason == "bad_target"  # not to the requester
    db.session.rollback()
    do(request, A.REASSIGN, office["director"], target=office["deputy"], comment="รักษาการแทนระหว่างลา")
    assert A.APPROVE in available_actions(request, office["deputy"])
    assert A.APPROVE not in available_actions(request, office["director"])
    do(request, A.APPROVE, office["deputy"])
    assert request.steps[1].status == StepStatus.PENDING


# --- delegation --------------------------------------------------------------------------


def delegate(office, *, starts: date, ends: date, kind=DelegationKind.ON_BEHALF, chains=None):
    delegation = Delegation(
        principal=office["boss"],
        delegate=office["deputy"],
        office_id=office["office"].id,
        kind=kind,
        starts_on=starts,
        ends_on=ends,
        chain_keys=chains,
    )
    db.session.add(delegation)
    db.session.commit()
    return delegation


def test_a_delegate_decides_for_the_principal_during_the_period(office):
    request = start(office)
    do(request, A.APPROVE, office["director"])
    today = local_today()
    delegate(
        office, starts=today - timedelta(days=1), ends=today + timedelta(days=1), kind=DelegationKind.ACTING
    )
    [item] = inbox(office["deputy"])
    assert item.request is request and item.delegation.principal == office["boss"]
    action = do(request, A.APPROVE, office["deputy"], decision="allow")
    assert (action.actor, action.on_behalf_of, action.delegation_kind) == (
        office["deputy"],
        office["boss"],
        "acting",
    )
    assert action.signature["for_name"] == "ประเสริฐ ใหญ่ยิ่ง" and action.signature["kind"] == "acting"
    event = db.session.scalars(
        select(AuditEvent).where(AuditEvent.type == "core.approval.approve").order_by(AuditEvent.id.desc())
    ).first()
    assert (event.actor_id, event.on_behalf_of_id) == (office["deputy"].id, office["boss"].id)


@pytest.mark.parametrize(
    "starts, ends, chains, revoked",
    [
        (-10, -1, None, False),  # expired yesterday: nobody had to end it
        (1, 5, None, False),  # not begun
        (-1, 1, ["rooms.request"], False),  # another chain only
        (-1, 1, None, True),  # revoked
    ],
)
def test_a_delegation_outside_its_window_or_scope_gives_nothing(office, starts, ends, chains, revoked):
    request = start(office)
    do(request, A.APPROVE, office["director"])
    today = local_today()
    delegation = delegate(
        office, starts=today + timedelta(days=starts), ends=today + timedelta(days=ends), chains=chains
    )
    if revoked:
        delegation.revoked_at = datetime.now()
        db.session.commit()
    assert inbox(office["deputy"]) == []
    assert available_actions(request, office["deputy"]) == set()


def test_a_delegation_limited_to_a_chain_covers_that_chain(office):
    request = start(office)
    do(request, A.APPROVE, office["director"])
    today = local_today()
    delegate(office, starts=today, ends=today, chains=["trips.request"])
    assert [i.request for i in inbox(office["deputy"])] == [request]


# --- due dates ---------------------------------------------------------------------------


def bkk(day: date, hour: int, minute: int = 0) -> datetime:
    """A Bangkok wall-clock time as stored (naive UTC)."""
    return datetime(day.year, day.month, day.day, hour, minute) - timedelta(hours=7)


def test_due_dates_count_working_hours_across_weekends_and_holidays(office, monkeypatch):
    friday = date(2026, 11, 27)
    db.session.add(Holiday(day=date(2026, 11, 30), name="วันหยุดพิเศษ"))  # the Monday after
    db.session.commit()
    monkeypatch.setattr("core.approvals.engine.utcnow", lambda: bkk(friday, 15))
    request = start(office)
    # 8 working hours from Friday 15:00: 1.5 h on Friday, Monday is off, then Tuesday
    # 08:30-12:00 (3.5 h) and 13:00-16:00 (3 h), lunch left out.
    assert request.steps[0].due_at == bkk(date(2026, 12, 1), 16, 0)


def test_the_inbox_spans_plugins_puts_overdue_first_and_follows_plugin_switches(office, monkeypatch):
    monkeypatch.setattr("core.approvals.engine.utcnow", lambda: datetime.utcnow() - timedelta(days=10))
    old = start(office, "1", "rooms.request")  # due long ago
    monkeypatch.undo()
    new = start(office, "2", "trips.request")
    items = inbox(office["director"])
    assert [i.request for i in items] == [old, new]
    assert [i.overdue for i in items] == [True, False] and items[0].url == "/rooms/1"
    set_plugin_enabled(office["office"].id, "rooms", False)
    db.session.commit()
    assert [i.request for i in inbox(office["director"])] == [new]
    assert inbox(office["clerk"]) == [] and inbox(office["boss"]) == []


def test_a_plugin_resolver_names_the_approvers(vehicles_installed, app):
    units = make_office("สพป.ทดสอบ เขต 1", "A")
    clerk = make_user("clerk@a.example", units["unit"], "clerk")
    dispatcher = make_user("dispatcher@a.example", units["unit"])
    seed_chains()
    db.session.commit()
    request = submit("vehicles.booking", "7", "ขอใช้รถตู้", clerk)
    assert [c.user for c in request.steps[0].candidates] == [dispatcher]
    act(request, A.APPROVE, dispatcher, expected_version=request.version, signed=True)
    assert request.status == RequestStatus.APPROVED and request.actions[-1].endorsement == "จัดรถให้"


@pytest.fixture
def vehicles_installed(tmp_path, monkeypatch):
    install_plugin(tmp_path, monkeypatch)


# --- two people at the same moment -------------------------------------------------------


def test_two_approvers_at_the_same_moment_exactly_one_wins(office):
    """Real concurrent connections: both read the same version, both try to settle the step."""
    import threading

    from flask import current_app
    from sqlalchemy.orm import Session

    from core.approvals.engine import StaleRequest

    second = make_user("gd2@a.example", office["group"], "group_director", role_unit=office["group"])
    db.session.commit()
    request = start(office)
    assert {c.user_id for c in request.steps[0].candidates} == {office["director"].id, second.id}
    request_id, version = request.id, request.version
    people = [office["director"].id, second.id]
    barrier = threading.Barrier(2)
    outcomes: list[str] = []
    app = current_app._get_current_object()

    def approve(user_id: int) -> None:
        with app.app_context():
            session: Session = db.session
            mine = session.get(ApprovalRequest, request_id)
            me = session.get(type(office["director"]), user_id)
            mine.steps, mine.actions  # noqa: B018 - loaded before the race
            barrier.wait()
            try:
                act(mine, A.APPROVE, me, expected_version=version, signed=True)
                session.commit()
                outcomes.append("won")
            except StaleRequest:
                session.rollback()
                outcomes.append("stale")
            except Exception as error:  # reported by the assertion below
                outcomes.append(repr(error))

    threads = [threading.Thread(target=approve, args=(person,)) for person in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["stale", "won"]
    db.session.expire_all()
    request = db.session.get(ApprovalRequest, request_id)
    assert [a.kind for a in request.actions].count("approve") == 1
    assert request.steps[1].status == StepStatus.PENDING


# --- notifications -----------------------------------------------------------------------


def unread(person, kind=None) -> list[str]:
    from core.notifications.models import Notification

    query = select(Notification).where(Notification.recipient_id == person.id, Notification.read_at.is_(None))
    return [n.kind for n in db.session.scalars(query) if kind is None or n.kind == kind]


def test_each_step_tells_its_deciders_and_the_end_tells_the_requester(office):
    today = local_today()
    delegate(office, starts=today, ends=today)  # the deputy decides for the office director today
    request = start(office)
    assert unread(office["director"]) == ["needs_decision"] and unread(office["boss"]) == []
    do(request, A.APPROVE, office["director"])
    assert unread(office["director"]) == []  # decided: no longer waiting for them
    assert unread(office["boss"]) == ["needs_decision"] and unread(office["deputy"]) == ["needs_decision"]
    do(request, A.APPROVE, office["deputy"])
    assert unread(office["boss"]) == [] and unread(office["deputy"]) == []
    assert unread(office["clerk"]) == ["approved"]


@pytest.mark.parametrize("kind, told", [(A.REJECT, "rejected"), (A.RETURN, "returned")])
def test_the_requester_hears_of_a_rejection_or_a_return(office, kind, told):
    request = start(office)
    do(request, kind, office["director"])
    assert unread(office["clerk"]) == [told]


def test_a_step_past_its_due_time_is_reported_once(office, monkeypatch):
    from core.approvals.notices import notify_overdue

    monkeypatch.setattr("core.approvals.engine.utcnow", lambda: datetime.utcnow() - timedelta(days=7))
    start(office)
    monkeypatch.undo()
    assert notify_overdue() == 1
    assert sorted(unread(office["director"])) == ["needs_decision", "overdue"]
    assert notify_overdue() == 0

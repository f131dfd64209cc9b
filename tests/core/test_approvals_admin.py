"""Chains and delegations in the admin console: edits make versions, offices get their own."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from core.approvals.chains import current_chain
from core.approvals.models import ChainDefinition, Delegation
from core.audit.models import AuditEvent
from core.db import db
from tests.conftest import login, make_user, post
from tests.core.test_approvals import office, plugins

__all__ = ["office", "plugins"]  # fixtures used by name

EDIT = "/admin/core_approval_chains/edit/?key=trips.request"


def console(web, email):
    client = web.test_client()
    login(client, email)
    return client


def step_rows(chain: ChainDefinition, changes: dict[int, dict] | None = None) -> dict[str, object]:
    """The editor's fields for the chain's steps, as the page fills them, with changes."""
    data: dict[str, object] = {"title": chain.title}
    for n, step in enumerate(chain.steps):
        values = step.rule_values() | (changes or {}).get(n, {})
        for name, value in values.items():
            if isinstance(value, bool):
                if value:
                    data[f"steps-{n}-{name}"] = "y"
            elif value is not None and name not in ("user_id",):
                data[f"steps-{n}-{name}"] = value
    return data


def test_an_installation_administrator_edits_the_default_as_a_new_version(office, web):
    make_user("root@install.example", None, "admin")
    db.session.commit()
    client = console(web, "root@install.example")
    assert "ความเห็นผู้อำนวยการกลุ่ม" in client.get("/admin/core_approval_chains/").get_data(as_text=True)
    chain = current_chain("trips.request", None)
    data = step_rows(chain, {0: {"sla_hours": 4}})
    data |= {
        "steps-2-name": "รองผู้อำนวยการ",
        "steps-2-rule": "role_in_office",
        "steps-2-role_name": "deputy_director",
        "steps-2-quorum": "any",
        "steps-2-return_to": "requester",
        "steps-2-vocabulary": "core.endorse",
    }
    response = post(client, EDIT, data, token_page=EDIT)
    assert response.status_code == 302
    db.session.expire_all()
    edited = current_chain("trips.request", office["office"].id)
    assert (edited.version, edited.office_id, len(edited.steps)) == (2, None, 3)
    assert edited.steps[0].sla_hours == 4 and edited.steps[2].role_name == "deputy_director"
    assert not db.session.get(ChainDefinition, chain.id).is_current
    audited = db.session.scalars(
        select(AuditEvent.type).where(AuditEvent.subject_key == "core.approval_chain")
    )
    assert "core.approval_chain.created" in set(audited)


def test_an_office_administrator_edits_a_copy_for_the_office(office, web):
    make_user("admin@a.example", office["unit"], "admin")
    db.session.commit()
    client = console(web, "admin@a.example")
    chain = current_chain("trips.request", None)
    post(client, EDIT, step_rows(chain, {1: {"role_name": "deputy_director"}}), token_page=EDIT)
    db.session.expire_all()
    own = current_chain("trips.request", office["office"].id)
    assert (own.office_id, own.version, own.steps[1].role_name) == (office["office"].id, 1, "deputy_director")
    assert current_chain("trips.request", None).id == chain.id  # other offices keep the default


def test_a_wrong_step_is_explained_and_nothing_is_saved(office, web):
    make_user("admin@a.example", office["unit"], "admin")
    db.session.commit()
    client = console(web, "admin@a.example")
    chain = current_chain("trips.request", None)
    data = step_rows(chain, {0: {"rule": "user"}}) | {"steps-0-user_email": "nobody@elsewhere.example"}
    page = post(client, EDIT, data, token_page=EDIT).get_data(as_text=True)
    assert "ไม่พบบุคลากรที่ยังปฏิบัติงาน" in page
    emptied = step_rows(chain, {0: {"name": ""}, 1: {"name": ""}})
    page = post(client, EDIT, emptied, token_page=EDIT).get_data(as_text=True)
    assert "ต้องมีอย่างน้อยหนึ่งขั้นตอน" in page
    db.session.expire_all()
    assert current_chain("trips.request", office["office"].id).id == chain.id


def test_delegations_are_registered_checked_and_revoked(office, web):
    make_user("admin@a.example", office["unit"], "admin")
    db.session.commit()
    client = console(web, "admin@a.example")
    form = {
        "principal": office["boss"].id,
        "delegate": office["deputy"].id,
        "kind": "acting",
        "starts_on": "01/12/2569",
        "ends_on": "05/12/2569",
        "chain_keys": "trips.request",
        "reason": "ไปราชการต่างจังหวัด",
    }
    refused = post(
        client,
        "/admin/core_delegations/new/",
        form | {"ends_on": "30/11/2569"},
        token_page="/admin/core_delegations/new/",
    ).get_data(as_text=True)
    assert "วันที่สิ้นสุดอยู่ก่อนวันที่เริ่มต้น" in refused
    post(client, "/admin/core_delegations/new/", form, token_page="/admin/core_delegations/new/")
    delegation = db.session.scalar(select(Delegation))
    assert (delegation.starts_on, delegation.ends_on, delegation.kind) == (
        date(2026, 12, 1),
        date(2026, 12, 5),
        "acting",
    )
    assert delegation.chain_keys == ["trips.request"] and delegation.office_id == office["office"].id
    post(
        client,
        "/admin/core_delegations/action/",
        {"action": "revoke", "rowid": delegation.id},
        token_page="/admin/core_delegations/",
    )
    db.session.expire_all()
    assert db.session.get(Delegation, delegation.id).revoked_at is not None
    types = set(
        db.session.scalars(select(AuditEvent.type).where(AuditEvent.subject_key == "core.delegation"))
    )
    assert types == {"core.delegation.created", "core.delegation.updated"}


def test_people_without_the_permission_cannot_edit_chains(office, web):
    client = console(web, "clerk@a.example")
    assert client.get("/admin/core_approval_chains/").status_code == 403
    assert client.get("/admin/core_delegations/").status_code == 403

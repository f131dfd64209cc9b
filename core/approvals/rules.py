"""Who may decide a step: the step's rule applied to the requester's place, and delegations."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from core.approvals.models import ApprovalRequest, ApprovalStep, ApproverRule, Delegation
from core.auth.models import Role, RoleAssignment, User
from core.db import db
from core.org.models import OrgUnit
from core.state import khet


def role_holders(role_name: str, unit: OrgUnit) -> list[User]:
    """Active people whose grant of the role covers ``unit``, from the nearest level up.

    A group director granted on the group (with the units below) covers a work unit of the
    group; when the role is held at several levels, the nearest one decides.
    """
    levels = [unit, *unit.ancestors()]
    rows = db.session.execute(
        select(RoleAssignment.org_unit_id, RoleAssignment.include_descendants, User)
        .join(Role, Role.id == RoleAssignment.role_id)
        .join(User, User.id == RoleAssignment.user_id)
        .where(Role.name == role_name, User.active, RoleAssignment.org_unit_id.in_([u.id for u in levels]))
    ).all()
    for level in levels:
        holders = [user for unit_id, below, user in rows if unit_id == level.id and (below or level is unit)]
        if holders:
            return sorted(set(holders), key=lambda u: u.id)
    return []


def _unit_for(rule: str, request: ApprovalRequest, step: ApprovalStep) -> OrgUnit | None:
    unit = request.requester_unit
    if rule == ApproverRule.ROLE_IN_UNIT:
        return unit
    if rule == ApproverRule.ROLE_IN_PARENT:
        return unit.parent if unit else None
    if rule == ApproverRule.ROLE_IN_OFFICE:
        return unit.office if unit else None
    return db.session.get(OrgUnit, step.unit_id) if step.unit_id else None


def resolve_candidates(request: ApprovalRequest, step: ApprovalStep) -> list[User]:
    """Everyone the step's rule names (the requester included; the engine decides about them)."""
    if step.rule == ApproverRule.USER:
        user = db.session.get(User, step.user_id) if step.user_id else None
        return [user] if user is not None and user.active else []
    if step.rule == ApproverRule.RESOLVER:
        found = khet().pm.hook.resolve_approvers(request=request, step=step)
        return [u for u in (found or []) if u.active]
    unit = _unit_for(step.rule, request, step)
    return role_holders(step.role_name, unit) if unit is not None and step.role_name else []


# --- delegations -------------------------------------------------------------------------


def in_force(day: date) -> tuple:
    """Conditions of a delegation whose period covers ``day``; expired ones simply stop matching."""
    return (Delegation.revoked_at.is_(None), Delegation.starts_on <= day, Delegation.ends_on >= day)


def _in_force(day: date, *conditions) -> list[Delegation]:
    return list(db.session.scalars(select(Delegation).where(*in_force(day), *conditions)))


def delegations_to(delegate_id: int, day: date) -> list[Delegation]:
    """The delegations by which a person decides for others on a day."""
    return _in_force(day, Delegation.delegate_id == delegate_id)


def delegations_from(principal_id: int, day: date) -> list[Delegation]:
    """The delegations by which others decide for a person on a day."""
    return _in_force(day, Delegation.principal_id == principal_id)

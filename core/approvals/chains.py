"""Chain definitions: seeded from plugins' templates, looked up per office, edited as versions."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import select

from core.approvals.contributions import ChainTemplate
from core.approvals.models import ChainDefinition, ChainStep
from core.auth.models import User
from core.db import db
from core.state import khet


def current_chain(key: str, office_id: int | None) -> ChainDefinition | None:
    """The office's own current version of a chain, else the installation's default."""
    candidates = db.session.scalars(
        select(ChainDefinition).where(
            ChainDefinition.key == key,
            ChainDefinition.is_current,
            (ChainDefinition.office_id == office_id) | ChainDefinition.office_id.is_(None),
        )
    ).all()
    return min(candidates, key=lambda c: c.office_id is None, default=None)


def _steps(template: ChainTemplate) -> list[ChainStep]:
    return [
        ChainStep(
            position=position,
            name=step.name,
            rule=step.rule,
            role_name=step.role_name,
            quorum=step.quorum,
            quorum_count=step.quorum_count,
            return_to=step.return_to,
            comment_on_approve=step.comment_on_approve,
            allow_self_approval=step.allow_self_approval,
            sla_hours=step.sla_hours,
            vocabulary=step.vocabulary,
        )
        for position, step in enumerate(template.steps)
    ]


def seed_chains() -> int:
    """Add the installation default of every chain a plugin ships and the database lacks."""
    known = set(db.session.scalars(select(ChainDefinition.key).where(ChainDefinition.office_id.is_(None))))
    added = [
        ChainDefinition(key=t.key, title=t.title, steps=_steps(t))
        for t in khet().registry.approval_chains.values()
        if t.key not in known
    ]
    db.session.add_all(added)
    return len(added)


def save_version(
    base: ChainDefinition,
    *,
    title: str,
    steps: Iterable[Mapping[str, Any]],
    office_id: int | None,
    author: User,
) -> ChainDefinition:
    """A new current version of ``base`` for ``office_id``; requests in flight keep their copy.

    An office editing the installation's default gets an office version of its own; the
    default stays for the other offices.
    """
    previous = current_chain(base.key, office_id)
    same_scope = previous if previous is not None and previous.office_id == office_id else None
    if same_scope is not None:
        same_scope.is_current = False
    in_scope = (
        ChainDefinition.office_id.is_(None) if office_id is None else ChainDefinition.office_id == office_id
    )
    latest = db.session.scalar(
        select(ChainDefinition.version)
        .where(ChainDefinition.key == base.key, in_scope)
        .order_by(ChainDefinition.version.desc())
        .limit(1)
    )
    version = (latest or 0) + 1
    chain = ChainDefinition(
        key=base.key,
        office_id=office_id,
        version=version,
        title=title,
        created_by_id=author.id,
        steps=[ChainStep(position=position, **dict(step)) for position, step in enumerate(steps)],
    )
    db.session.add(chain)
    db.session.flush()
    return chain

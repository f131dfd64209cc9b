"""Core's decision wording, from the offices' manuals."""

from __future__ import annotations

from core.approvals.contributions import APPROVE, REJECT, Decision, DecisionVocabulary
from core.i18n import lazy_gettext as _l

CORE_VOCABULARIES = (
    DecisionVocabulary(
        "core.approve",
        (
            Decision("approve", _l("Approve"), "อนุมัติ", APPROVE),
            Decision("reject", _l("Do not approve"), "ไม่อนุมัติ", REJECT),
        ),
    ),
    DecisionVocabulary(
        "core.endorse",
        (
            Decision("agree", _l("Agree"), "เห็นชอบ", APPROVE),
            Decision("recommend", _l("Recommend approval"), "เห็นควรอนุมัติ", APPROVE),
            Decision("disagree", _l("Disagree"), "ไม่เห็นชอบ", REJECT),
        ),
    ),
    DecisionVocabulary("core.acknowledge", (Decision("acknowledge", _l("Acknowledge"), "ทราบ", APPROVE),)),
)

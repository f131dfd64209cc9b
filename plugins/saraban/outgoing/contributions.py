"""What drafting and sending add to the saraban plugin's hooks (``plugin.py`` returns these)."""

from __future__ import annotations

from core.i18n import lazy_gettext as _l
from core.plugins.contributions import MenuItem, Permission
from plugins.saraban.outgoing import sending, services
from plugins.saraban.outgoing.models import Draft, DraftFile, LetterDelivery, SchoolGroup, SchoolGroupMember

# The office's own people draft; the people of its schools send letters to it from their side.
DRAFTERS = ("clerk", "office_director", "deputy_director", "group_director", "unit_head",
            "computer_officer", "supervisor", "admin")  # fmt: skip

PERMISSIONS = (
    Permission(
        services.DRAFT,
        _l("Draft memos and external letters and send them up for signature"),
        default_roles=DRAFTERS,
    ),
    Permission(
        sending.SEND,
        _l("Send the office's letters to schools and keep the school groups"),
        default_roles=("clerk", "admin"),
    ),
)

MODELS = (Draft, DraftFile, LetterDelivery, SchoolGroup, SchoolGroupMember)

MENU_ITEMS = (MenuItem("saraban_outgoing.index", _l("Drafts"), permission=services.DRAFT, weight=152),)

CHAINS = (services.CHAIN,)
SUBJECTS = (services.SUBJECT_SPEC,)
VOCABULARIES = (services.SIGN,)

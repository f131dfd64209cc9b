"""The admin console's approval pages: chains (edited as new versions) and delegations."""

from __future__ import annotations

from flask import abort, flash, redirect, request, url_for
from flask_admin import expose
from flask_admin.actions import action
from flask_login import current_user
from wtforms.fields.choices import SelectChoice
from wtforms.validators import ValidationError

from core.admin.base import OfficeScopedAjaxLoader, OfficeScopedModelView, SecureView
from core.approvals.admin_forms import BLANK_ROWS, RULE_LABELS, ChainForm
from core.approvals.chains import current_chain, save_version
from core.approvals.models import (
    DELEGATION_KIND_LABELS,
    ApproverRule,
    ChainDefinition,
    Delegation,
    DelegationKind,
    StepRuleMixin,
)
from core.auth.models import User
from core.auth.permissions import has_installation_scope
from core.auth.services import find_user
from core.auth.views import require_recent_password
from core.db import db, utcnow
from core.forms import SelectField, SelectMultipleField
from core.i18n import gettext as _
from core.i18n import lazy_gettext as _l
from core.org.models import OrgUnit
from core.state import khet

MANAGE = "core.approvals.manage"


class ChainsView(SecureView):
    """Every chain with the version this office uses; saving an edit makes a new version."""

    permission = MANAGE

    def _office_id(self) -> int | None:
        """The scope of edits: the installation's defaults, or the person's own office."""
        return None if has_installation_scope(current_user, MANAGE) else current_user.office_id

    def _chain(self, key: str) -> ChainDefinition:
        chain = current_chain(key, self._office_id())
        if chain is None:
            abort(404)
        return chain

    @expose("/")
    def index(self):
        keys = sorted(khet().registry.approval_chains)
        chains = [c for c in (current_chain(k, self._office_id()) for k in keys) if c is not None]
        return self.render("admin/khet_chains.html", chains=chains, rules=RULE_LABELS)

    @expose("/edit/", methods=["GET", "POST"])
    @require_recent_password
    def edit(self):
        chain = self._chain(request.args.get("key", ""))
        form = ChainForm() if request.method == "POST" else self._form_for(chain)
        if request.method == "POST" and form.validate():
            steps = self._steps(form)
            if steps:
                edited = save_version(
                    chain,
                    title=form.title.data,
                    steps=steps,
                    office_id=self._office_id(),
                    author=current_user,
                )
                db.session.commit()
                flash(
                    _("Saved as version %(n)d; requests already sent keep their steps.", n=edited.version),
                    "success",
                )
                return redirect(url_for(".index"))
        return self.render("admin/khet_chain_edit.html", chain=chain, form=form)

    def _form_for(self, chain: ChainDefinition) -> ChainForm:
        form = ChainForm(title=chain.title)
        form.steps.entries.clear()
        form.steps.last_index = -1
        for step in chain.steps:
            user = db.session.get(User, step.user_id) if step.user_id else None
            form.steps.append_entry({**step.rule_values(), "user_email": user.email if user else ""})
        for _blank in range(BLANK_ROWS):
            form.steps.append_entry()
        return form

    def _steps(self, form: ChainForm) -> list[dict] | None:
        """The steps to save, each checked; None (with the messages on the form) when one is wrong."""
        steps, ok = [], True
        for entry in form.steps.entries:
            row = entry.form
            if not (row.name.data or "").strip():
                continue
            values = {name: row[name].data for name in StepRuleMixin.RULE_FIELDS if name in row}
            values |= {
                "name": row.name.data.strip(),
                "role_name": row.role_name.data or None,
                "user_id": None,
            }
            if row.rule.data == ApproverRule.ROLE_IN_FIXED_UNIT and not self._unit_allowed(row.unit_id.data):
                row.unit_id.errors.append(_("Give the number of a unit of your office."))
                ok = False
            if row.rule.data == ApproverRule.USER:
                person = find_user(row.user_email.data or "")
                if person is None or (
                    self._office_id() is not None and person.office_id != self._office_id()
                ):
                    row.user_email.errors.append(_("No active person of your office has this e-mail."))
                    ok = False
                else:
                    values["user_id"] = person.id
            elif row.rule.data != ApproverRule.RESOLVER and not values["role_name"]:
                row.role_name.errors.append(_("Choose the role that decides this step."))
                ok = False
            steps.append(values)
        if not steps:
            form.steps.errors.append(_("A chain needs at least one step."))
            return None
        return steps if ok else None

    def _unit_allowed(self, unit_id: int | None) -> bool:
        unit = db.session.get(OrgUnit, unit_id) if unit_id else None
        return unit is not None and (self._office_id() is None or unit.office_id == self._office_id())


def _chain_choices() -> list[SelectChoice]:
    return [
        SelectChoice(key, f"{key} — {t.title}") for key, t in sorted(khet().registry.approval_chains.items())
    ]


class DelegationAdmin(OfficeScopedModelView):
    """The register of delegations. Rows are never deleted: a delegation is revoked."""

    permission = MANAGE
    can_delete = False
    column_list = ["principal", "delegate", "kind", "starts_on", "ends_on", "chain_keys", "revoked_at"]
    column_labels = Delegation.__audit__.labels
    column_formatters = {
        "kind": lambda v, c, m, p: str(DELEGATION_KIND_LABELS[DelegationKind(m.kind)]),
        "chain_keys": lambda v, c, m, p: ", ".join(m.chain_keys or ()) or _("Every chain"),
    }
    column_default_sort = ("starts_on", True)
    column_sortable_list = ["kind", "starts_on", "ends_on", "revoked_at"]  # JSON cannot be ordered
    form_columns = ["principal", "delegate", "kind", "starts_on", "ends_on", "reason"]

    def __init__(self, **kwargs):
        self.form_ajax_refs = {
            "principal": OfficeScopedAjaxLoader(
                "principal", User, permission=MANAGE, fields=["name", "email"]
            ),
            "delegate": OfficeScopedAjaxLoader("delegate", User, permission=MANAGE, fields=["name", "email"]),
        }
        super().__init__(Delegation, **kwargs)

    def scaffold_form(self):
        form_class = super().scaffold_form()
        form_class.kind = SelectField(
            _l("Kind"), choices=[SelectChoice(k.value, label) for k, label in DELEGATION_KIND_LABELS.items()]
        )
        form_class.chain_keys = SelectMultipleField(
            _l("Chains"), choices=_chain_choices, description=_l("None chosen: every chain")
        )
        return form_class

    def on_model_change(self, form, model, is_created):
        if model.principal is None or model.delegate is None or model.principal is model.delegate:
            raise ValidationError(_("Choose two different people."))
        if model.principal.office_id != model.delegate.office_id:
            raise ValidationError(_("Both people must belong to the same office."))
        if model.ends_on < model.starts_on:
            raise ValidationError(_("The end date is before the start date."))
        model.office_id = model.principal.office_id
        model.chain_keys = list(form.chain_keys.data or ()) or None

    @action("revoke", _l("Revoke"), _l("Revoke the selected delegations now?"))
    def action_revoke(self, ids):
        wanted = [int(i) for i in ids if str(i).isdigit()]
        found = self.get_query().filter(Delegation.id.in_(wanted), Delegation.revoked_at.is_(None)).all()
        for delegation in found:
            delegation.revoked_at = utcnow()
        db.session.commit()
        flash(_("%(n)d delegations revoked.", n=len(found)), "success")


def approval_admin_views() -> list:
    category = _l("Approvals")
    return [
        ChainsView(name=_l("Approval chains"), endpoint="core_approval_chains", category=category),
        DelegationAdmin(name=_l("Delegations"), endpoint="core_delegations", category=category),
    ]

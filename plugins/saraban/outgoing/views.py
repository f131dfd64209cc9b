"""Thin HTTP handlers of drafting and sending; the work is done in ``services`` and ``sending``."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from markupsafe import Markup

from core.approvals.engine import ApprovalError
from core.approvals.messages import refusal
from core.auth.permissions import can, require_permission
from core.db import db
from core.documents.download import download
from core.i18n import gettext as _
from core.i18n.thaidate import to_local
from core.uploads import send_stored
from plugins.saraban.models import Letter, Retention, Secrecy, Urgency
from plugins.saraban.outgoing import sending, services
from plugins.saraban.outgoing.forms import (
    ConfirmForm,
    DraftingForm,
    FilesForm,
    SchoolGroupForm,
    SendForm,
    VersionedForm,
)
from plugins.saraban.outgoing.models import DeliveryChannel, Draft, DraftForm, DraftStatus
from plugins.saraban.outgoing.sending import SEND
from plugins.saraban.outgoing.services import DRAFT, DraftText
from plugins.saraban.services import LetterError, find_letter, is_office_staff, office_units, staff_choices
from plugins.saraban.views import _deadline, _uploads

T = TypeVar("T")

bp = Blueprint("saraban_outgoing", __name__, url_prefix="/saraban/outgoing", template_folder="../templates")


@bp.route("/")
@require_permission(DRAFT)
def index():
    _office_id()
    before = request.args.get("before", type=int)
    return render_template(
        "saraban/outgoing/index.html",
        drafts=services.drafts_of(current_user, before),
        page_size=services.PAGE_SIZE,
        before=before,
        may_send=can(current_user, SEND),
    )


@bp.route("/new", methods=("GET", "POST"))
@require_permission(DRAFT)
def new():
    office_id = _office_id()
    form = DraftingForm()
    _draft_choices(form, office_id)
    if request.method == "GET":
        signer = services.default_signer(office_id)
        form.signer.data = signer.id if signer else None
        form.unit.data = current_user.org_unit_id
        form.agency.data = current_user.office.name
    if form.validate_on_submit():
        draft = apply_step(lambda: _created(form), _("Saved. Preview it, then send it up for signature."))
        if draft is not None:
            return redirect(url_for(".draft", draft_id=draft.id))
    else:
        form.flash_errors()
    return render_template("saraban/outgoing/edit.html", form=form, draft=None)


def _created(form: DraftingForm) -> Draft:
    draft = services.new_draft(current_user, _text(form))
    uploads = _uploads()
    if uploads:
        services.add_files(draft, uploads, current_user)
    return draft


@bp.route("/drafts/<int:draft_id>/edit", methods=("GET", "POST"))
@require_permission(DRAFT)
def edit(draft_id: int):
    draft = _draft(draft_id)
    if not draft.is_editable or draft.drafter_id != current_user.id:
        flash(_("The draft is with the superiors or already decided: it cannot be changed now."), "error")
        return redirect(url_for(".draft", draft_id=draft.id))
    form = DraftingForm(obj=None if request.method == "POST" else _form_data(draft))
    _draft_choices(form, draft.office_id)
    if form.validate_on_submit():
        if apply_step(lambda: _updated(draft, form), _("Saved.")) is not None:
            return redirect(url_for(".draft", draft_id=draft.id))
    else:
        form.flash_errors()
    return render_template("saraban/outgoing/edit.html", form=form, draft=draft)


def _updated(draft: Draft, form: DraftingForm) -> Draft:
    services.update_draft(draft, current_user, _text(form))
    uploads = _uploads()
    if uploads:
        services.add_files(draft, uploads, current_user)
    return draft


@bp.route("/drafts/<int:draft_id>")
@login_required
def draft(draft_id: int):
    found = _draft(draft_id)
    mine = found.drafter_id == current_user.id
    return render_template(
        "saraban/outgoing/draft.html",
        draft=found,
        mine=mine,
        may_edit=mine and found.is_editable,
        schools=sending.active_schools(found.office_id, found.recipient_ids),
        confirm_form=ConfirmForm(),
        files_form=FilesForm(),
        withdraw_form=VersionedForm(version=found.request.version) if found.request else None,
        pending=DraftStatus.PENDING,
    )


@bp.route("/drafts/<int:draft_id>/letter.pdf")
@login_required
def pdf(draft_id: int):
    """The draft as printed: the signed letter once numbered, otherwise a preview without number."""
    found = _draft(draft_id)
    if found.signed_file is not None:
        return send_stored(found.signed_file, inline=True)
    name = f"{_('Draft')} {found.subject[:60]}.pdf"
    return download(services.preview_pdf(found), name, "pdf", inline=True)


@bp.post("/drafts/<int:draft_id>/files")
@require_permission(DRAFT)
def add_files(draft_id: int):
    found = _draft(draft_id)
    form, uploads = FilesForm(), _uploads()
    if not form.validate_on_submit() or not uploads:
        form.flash_errors()
        flash(_("Choose the files to add."), "error")
    else:
        apply_step(lambda: services.add_files(found, uploads, current_user), _("Saved."))
    return redirect(url_for(".draft", draft_id=draft_id))


@bp.route("/drafts/<int:draft_id>/files/<int:file_id>")
@login_required
def download_file(draft_id: int, file_id: int):
    found = _draft(draft_id)
    row = next((row for row in found.files if row.id == file_id), None)
    if row is None:
        abort(404)
    return send_stored(row.file, inline=row.file.kind.value == "pdf")


@bp.post("/drafts/<int:draft_id>/files/<int:file_id>/remove")
@require_permission(DRAFT)
def remove_file(draft_id: int, file_id: int):
    found = _draft(draft_id)
    if ConfirmForm().validate_on_submit():
        apply_step(
            lambda: services.remove_file(found, file_id, current_user), _("The file was taken off the draft.")
        )
    return redirect(url_for(".draft", draft_id=draft_id))


@bp.post("/drafts/<int:draft_id>/submit")
@require_permission(DRAFT)
def submit(draft_id: int):
    found = _draft(draft_id)
    form = ConfirmForm()
    if form.validate_on_submit():
        apply_step(
            lambda: services.submit_draft(found, current_user),
            _("Sent up for signature. The number is given when it is signed."),
        )
    else:
        form.flash_errors()
    return redirect(url_for(".draft", draft_id=draft_id))


@bp.post("/drafts/<int:draft_id>/withdraw")
@require_permission(DRAFT)
def withdraw(draft_id: int):
    found = _draft(draft_id)
    form = VersionedForm()
    if form.validate_on_submit():
        apply_step(
            lambda: services.withdraw_draft(found, current_user, form.version.data),
            _("The draft is withdrawn."),
        )
    else:
        form.flash_errors()
    return redirect(url_for(".draft", draft_id=draft_id))


# --- sending a registered letter to schools ------------------------------------------------


@bp.post("/letters/<int:letter_id>/send")
@require_permission(SEND)
def send(letter_id: int):
    letter = find_letter(current_user, letter_id)
    if letter is None or not is_office_staff(current_user):
        abort(404)
    form = SendForm()
    _recipient_choices(form, letter.office_id)
    if not sending.may_send(current_user, letter):
        flash(_("This letter cannot be sent to schools."), "error")
    elif form.validate_on_submit():
        apply_step(
            lambda: sending.send_to_schools(
                letter,
                current_user,
                _chosen_schools(form, letter.office_id),
                DeliveryChannel(form.channel.data),
                form.note.data or "",
            ),
            _("Sent."),
        )
    else:
        form.flash_errors()
    return redirect(url_for("saraban.letter", letter_id=letter.id) + "#deliveries")


@bp.app_template_global("saraban_delivery_panel")
def delivery_panel(letter: Letter) -> Markup:
    """The letter page's box: the schools it went to, by which channel, who acknowledged; and,
    for the central registry, sending it to more schools."""
    deliveries = sending.deliveries_of(letter)
    may_send = sending.may_send(current_user, letter)
    if not deliveries and not may_send:
        return Markup("")
    form = SendForm()
    if may_send:
        _recipient_choices(form, letter.office_id)
    in_system = [d for d in deliveries if d.in_system]
    return Markup(
        render_template(
            "saraban/outgoing/_deliveries.html",
            letter=letter,
            deliveries=deliveries,
            acknowledged=sum(1 for d in in_system if d.is_acknowledged),
            in_system=len(in_system),
            may_send=may_send,
            form=form,
        )
    )


# --- school groups -------------------------------------------------------------------------


@bp.route("/school-groups", methods=("GET", "POST"))
@require_permission(SEND)
def school_groups():
    office_id = _office_id()
    form = SchoolGroupForm()
    schools = sending.office_schools(office_id)
    form.schools.choices = [(school.id, school.name) for school in schools]
    if form.validate_on_submit():
        saved = apply_step(
            lambda: sending.save_group(office_id, None, form.name.data, form.schools.data or []), _("Saved.")
        )
        if saved is not None:
            return redirect(url_for(".school_groups"))
    else:
        form.flash_errors()
    return render_template(
        "saraban/outgoing/school_groups.html",
        groups=sending.school_groups(office_id),
        names={school.id: school.name for school in schools},
        form=form,
        delete_form=ConfirmForm(),
    )


@bp.route("/school-groups/<int:group_id>", methods=("GET", "POST"))
@require_permission(SEND)
def school_group(group_id: int):
    office_id = _office_id()
    group = sending.find_group(office_id, group_id)
    if group is None:
        abort(404)
    form = SchoolGroupForm(
        data=None if request.method == "POST" else {"name": group.name, "schools": group.school_ids}
    )
    form.schools.choices = [(school.id, school.name) for school in sending.office_schools(office_id)]
    if form.validate_on_submit():
        saved = apply_step(
            lambda: sending.save_group(office_id, group, form.name.data, form.schools.data or []), _("Saved.")
        )
        if saved is not None:
            return redirect(url_for(".school_groups"))
    else:
        form.flash_errors()
    return render_template("saraban/outgoing/school_group.html", group=group, form=form)


@bp.post("/school-groups/<int:group_id>/delete")
@require_permission(SEND)
def delete_school_group(group_id: int):
    group = sending.find_group(_office_id(), group_id)
    if group is None:
        abort(404)
    if ConfirmForm().validate_on_submit():
        apply_step(lambda: sending.delete_group(group), _("The group was deleted."))
    return redirect(url_for(".school_groups"))


# --- helpers -------------------------------------------------------------------------------


def _office_id() -> int:
    """Drafting and sending are the office's: its schools write to it from their own pages."""
    if current_user.office_id is None:
        abort(404)
    if not is_office_staff(current_user):
        abort(403)
    return current_user.office_id


def _draft(draft_id: int) -> Draft:
    found = services.find_draft(current_user, draft_id)
    if found is None:
        abort(404)
    return found


def apply_step(step: Callable[[], T], done: str) -> T | None:
    """Run one step and commit it, or roll it back and say why; never a 500 for bad input.
    Returns what the step returned, None when it was refused."""
    try:
        result = step()
    except LetterError as error:
        db.session.rollback()
        flash(str(error.message), "error")
        return None
    except ApprovalError as error:
        db.session.rollback()
        flash(refusal(error), "error")
        return None
    db.session.commit()
    flash(done, "success")
    return result


def _draft_choices(form: DraftingForm, office_id: int) -> None:
    form.unit.choices = [(unit.id, unit.name) for unit in office_units(office_id)]
    form.signer.choices = staff_choices(office_id)
    _recipient_choices(form, office_id)


def _recipient_choices(form, office_id: int) -> None:
    form.schools.choices = [(school.id, school.name) for school in sending.office_schools(office_id)]
    form.groups.choices = [(group.id, group.name) for group in sending.school_groups(office_id)]


def _chosen_schools(form, office_id: int) -> list[int]:
    """The schools picked one by one and those of the groups picked, once each."""
    chosen = set(form.schools.data or ()) | sending.schools_of_groups(office_id, form.groups.data or ())
    return sorted(chosen)


def _text(form: DraftingForm) -> DraftText:
    return DraftText(
        form=DraftForm(form.form.data),
        circular=bool(form.circular.data),
        unit_id=form.unit.data,
        agency=form.agency.data or "",
        subject=form.subject.data or "",
        addressee=form.addressee.data or "",
        body=form.body.data or "",
        signer_id=form.signer.data,
        signer_position=form.signer_position.data or "",
        referred_to=form.referred_to.data or "",
        enclosures=form.enclosures.data or "",
        closing=form.closing.data or "",
        address=form.address.data or "",
        phone=form.phone.data or "",
        email=form.email.data or "",
        urgency=Urgency(form.urgency.data),
        urgent_by=_deadline(form),
        secrecy=Secrecy(form.secrecy.data),
        retention=Retention(form.retention.data),
        recipient_ids=tuple(_chosen_schools(form, current_user.office_id)),
        channel=DeliveryChannel(form.channel.data),
    )


class _Prefill:
    """A draft as the form's ``obj``: its columns under the form's names."""

    def __init__(self, draft: Draft) -> None:
        self.__dict__.update(
            form=draft.form,
            circular=draft.circular,
            unit=draft.unit_id,
            agency=draft.agency,
            subject=draft.subject,
            addressee=draft.addressee,
            body=draft.body,
            signer=draft.signer_id,
            signer_position=draft.signer_position,
            referred_to=draft.referred_to,
            enclosures=draft.enclosures,
            closing=draft.closing,
            address=draft.address,
            phone=draft.phone,
            email=draft.email,
            urgency=draft.urgency,
            urgent_by_date=to_local(draft.urgent_by).date() if draft.urgent_by else None,
            urgent_by_time=f"{to_local(draft.urgent_by):%H:%M}" if draft.urgent_by else "",
            secrecy=draft.secrecy,
            retention=draft.retention,
            schools=list(draft.recipient_ids),
            groups=[],
            channel=draft.channel,
        )


def _form_data(draft: Draft) -> _Prefill:
    return _Prefill(draft)

"""Thin HTTP handlers of the schools' side; the work is done in ``services``."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from markupsafe import Markup

from core.auth.permissions import require_permission
from core.i18n import gettext as _
from core.uploads import send_stored
from plugins.saraban.models import Retention, Urgency
from plugins.saraban.outgoing.forms import ConfirmForm
from plugins.saraban.outgoing.views import apply_step
from plugins.saraban.schools import services
from plugins.saraban.schools.forms import RegisterArrivalForm, ReturnForm, SchoolLetterForm
from plugins.saraban.schools.models import SchoolLetter
from plugins.saraban.schools.services import READ, SEND, SchoolLetterText
from plugins.saraban.services import REGISTER, office_units
from plugins.saraban.views import INLINE, _uploads

bp = Blueprint("saraban_schools", __name__, url_prefix="/saraban/schools", template_folder="../templates")

WIDGET_ROWS = 5


# --- the school's inbox --------------------------------------------------------------------


@bp.route("/inbox")
@require_permission(READ)
def inbox():
    _school()
    before = request.args.get("before", type=int)
    waiting = request.args.get("waiting") == "1"
    return render_template(
        "saraban/schools/inbox.html",
        deliveries=services.inbox(current_user, before, waiting_only=waiting),
        waiting=waiting,
        before=before,
        page_size=services.PAGE_SIZE,
    )


@bp.route("/inbox/<int:delivery_id>")
@login_required
def delivery(delivery_id: int):
    found = _delivery(delivery_id)
    return render_template(
        "saraban/schools/letter.html", delivery=found, letter=found.letter, form=ConfirmForm(), inline=INLINE
    )


@bp.post("/inbox/<int:delivery_id>/acknowledge")
@login_required
def acknowledge(delivery_id: int):
    found = _delivery(delivery_id)
    if ConfirmForm().validate_on_submit():
        apply_step(lambda: services.acknowledge(found, current_user), _("Acknowledged for your school."))
    else:
        flash(_("The form has expired: please try again."), "error")
    return redirect(url_for(".delivery", delivery_id=delivery_id))


@bp.route("/inbox/<int:delivery_id>/files/<int:attachment_id>")
@login_required
def delivery_file(delivery_id: int, attachment_id: int):
    """A file of the letter for the school it was sent to; the download is audited."""
    attachment = services.delivery_file(current_user, delivery_id, attachment_id)
    if attachment is None:
        abort(404)
    return send_stored(attachment.file, inline=attachment.file.kind in INLINE)


def inbox_widget() -> Markup | str:
    """The dashboard's box for a school: the newest letters nobody there has acknowledged yet."""
    if services.school_of(current_user) is None:
        return ""
    deliveries = services.inbox(current_user, waiting_only=True)[:WIDGET_ROWS]
    template = current_app.jinja_env.get_template("saraban/schools/_widget.html")
    return template.module.waiting(deliveries)


# --- letters from the school to the office -------------------------------------------------


@bp.route("/to-office")
@require_permission(SEND)
def to_office():
    _school()
    before = request.args.get("before", type=int)
    return render_template(
        "saraban/schools/to_office.html",
        letters=services.letters_of_school(current_user, before),
        before=before,
        page_size=services.PAGE_SIZE,
    )


@bp.route("/to-office/new", methods=("GET", "POST"))
@require_permission(SEND)
def new():
    school = _school()
    form = SchoolLetterForm()
    if request.method == "GET":
        form.addressee.data = f"ผู้อำนวยการ{school.office.name}"
    if form.validate_on_submit():
        text = SchoolLetterText(
            document_number=form.document_number.data or "",
            subject=form.subject.data or "",
            addressee=form.addressee.data or "",
            dated=form.dated.data,
            urgency=Urgency(form.urgency.data),
            note=form.note.data or "",
        )
        sent = apply_step(
            lambda: services.send_to_office(current_user, text, _uploads()),
            _("Sent to the office. Its registry gives it a receipt number on arrival."),
        )
        if sent is not None:
            return redirect(url_for(".school_letter", letter_id=sent.id))
    else:
        form.flash_errors()
    return render_template("saraban/schools/new.html", form=form)


@bp.route("/letters/<int:letter_id>")
@login_required
def school_letter(letter_id: int):
    """A school's letter: for its school, and for the registry, which registers or returns it."""
    found = _school_letter(letter_id)
    registering = found.is_waiting and services.may_register(current_user, found.office_id)
    form = RegisterArrivalForm()
    if registering:
        form.unit.choices = [("", "—"), *((unit.id, unit.name) for unit in office_units(found.office_id))]
    return render_template(
        "saraban/schools/school_letter.html",
        letter=found,
        registering=registering,
        register_form=form,
        return_form=ReturnForm(),
        office_side=services.school_of(current_user) is None,
    )


@bp.route("/letters/<int:letter_id>/files/<int:file_id>")
@login_required
def school_letter_file(letter_id: int, file_id: int):
    found = _school_letter(letter_id)
    row = next((row for row in found.files if row.id == file_id), None)
    if row is None:
        abort(404)
    return send_stored(row.file, inline=row.file.kind in INLINE)


# --- the central registry's queue ----------------------------------------------------------


@bp.route("/arrivals")
@require_permission(REGISTER)
def arrivals():
    if not services.may_register(current_user, current_user.office_id):
        abort(403)
    after = request.args.get("after", type=int)
    return render_template(
        "saraban/schools/arrivals.html",
        letters=services.arrivals(current_user.office_id, after),
        page_size=services.PAGE_SIZE,
    )


@bp.post("/letters/<int:letter_id>/register")
@require_permission(REGISTER)
def register(letter_id: int):
    found = _school_letter(letter_id)
    form = RegisterArrivalForm()
    form.unit.choices = [("", "—"), *((unit.id, unit.name) for unit in office_units(found.office_id))]
    if form.validate_on_submit():
        letter = apply_step(
            lambda: services.register_arrival(
                found, current_user, form.unit.data, Retention(form.retention.data)
            ),
            _("Registered."),
        )
        if letter is not None:
            return redirect(url_for("saraban.letter", letter_id=letter.id))
    else:
        form.flash_errors()
    return redirect(url_for(".school_letter", letter_id=letter_id))


@bp.post("/letters/<int:letter_id>/return")
@require_permission(REGISTER)
def return_letter(letter_id: int):
    found = _school_letter(letter_id)
    form = ReturnForm()
    if form.validate_on_submit():
        if apply_step(
            lambda: services.return_to_school(found, current_user, form.reason.data) or True,
            _("Returned to the school."),
        ):
            return redirect(url_for(".arrivals"))
    else:
        form.flash_errors()
    return redirect(url_for(".school_letter", letter_id=letter_id))


# --- helpers -------------------------------------------------------------------------------


def _school():
    """The person's school: these pages are for the people of a school."""
    school = services.school_of(current_user)
    if school is None:
        abort(403)
    return school


def _delivery(delivery_id: int):
    found = services.find_delivery(current_user, delivery_id)
    if found is None:
        abort(404)
    return found


def _school_letter(letter_id: int) -> SchoolLetter:
    found = services.find_school_letter(current_user, letter_id)
    if found is None:
        abort(404)
    return found

"""Thin HTTP handlers of the registers; the work is done in ``services``."""

from __future__ import annotations

from datetime import UTC, datetime, time

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from markupsafe import Markup
from werkzeug.datastructures import FileStorage

from core.audit import record as audit
from core.auth.permissions import can, require_permission
from core.db import db
from core.documents.download import download
from core.i18n import current_language
from core.i18n import gettext as _
from core.i18n.thaidate import BANGKOK, be_year, to_local, today
from core.uploads import IMAGES, FileKind, send_stored
from plugins.saraban import exports, services
from plugins.saraban.events import REGISTER_EXPORTED
from plugins.saraban.forms import (
    AttachForm,
    CancelForm,
    LetterForm,
    PrefixForm,
    RegisterFilterForm,
    StartForm,
    parse_kind,
)
from plugins.saraban.models import REGISTER_LABELS, LetterStatus, Register, Retention, Secrecy, Urgency
from plugins.saraban.services import MANAGE, REGISTER, VIEW, LetterEntry, LetterError, RegisterFilter

INLINE = {FileKind.PDF, *IMAGES}  # opened in the browser; Office files are saved

bp = Blueprint(
    "saraban",
    __name__,
    url_prefix="/saraban",
    template_folder="templates",
    static_folder="static",
    static_url_path="/static",
)


def year_label(year: int) -> str:
    """A calendar year as the reader counts it: พ.ศ. 2569 in Thai, 2026 in English."""
    return f"พ.ศ. {be_year(year)}" if current_language() == "th" else str(year)


@bp.context_processor
def _helpers() -> dict[str, object]:
    return {"year_label": year_label, "register_labels": REGISTER_LABELS}


@bp.route("/")
@require_permission(VIEW)
def index():
    office_id = _office_id()
    form, wanted = _filters(office_id)
    before = request.args.get("before", type=int)
    letters = services.register_page(current_user, wanted, before) if wanted else []
    return render_template(
        "saraban/register.html",
        form=form,
        wanted=wanted,
        letters=letters,
        page_size=services.PAGE_SIZE,
        before=before,
        may_register=can(current_user, REGISTER),
        may_manage=can(current_user, MANAGE),
        query={k: v for k, v in request.args.items() if k != "before" and v},
    )


@bp.route("/search")
@require_permission(VIEW)
def search():
    """Letters of every register and year by any fragment of ที่, subject, sender or addressee,
    or by register number."""
    _office_id()
    text = request.args.get("q", "")[:200].strip()
    before = request.args.get("before", type=int)
    letters = services.search_letters(current_user, text, before) if text else []
    return render_template(
        "saraban/search.html", text=text, letters=letters, page_size=services.PAGE_SIZE, before=before
    )


@bp.route("/register.<any(pdf, xlsx):kind>")
@require_permission(VIEW)
def export(kind: str):
    """The register as printed (A4 landscape, in the official layout) or as a workbook."""
    office_id = _office_id()
    _form, wanted = _filters(office_id)
    if wanted is None:
        flash(_("Check the filters of the register."), "error")
        return redirect(url_for(".index", **request.args))
    limit = exports.LIMITS[kind]
    letters = services.register_rows(current_user, wanted, limit)
    if len(letters) > limit:
        flash(
            _(
                "More than %(limit)s entries: choose a shorter period to print or export.",
                limit=f"{limit:,}",
            ),
            "error",
        )
        return redirect(url_for(".index", **request.args))
    audit(REGISTER_EXPORTED, data={**wanted.describe(), "format": kind, "rows": len(letters)})
    db.session.commit()
    office = current_user.office
    if kind == "pdf":
        data = exports.register_pdf(office, wanted, letters)
    else:
        data = exports.register_xlsx(wanted, letters)
    name = f"{REGISTER_LABELS[wanted.register]} {year_label(wanted.year)}.{kind}"
    return download(data, name, kind)


@bp.route("/new/<any(receive, send, circular, order, announcement):register>", methods=("GET", "POST"))
@require_permission(REGISTER)
def new(register: str):
    office_id = _office_id()
    chosen = Register(register)
    form = LetterForm()
    _letter_choices(form, office_id)
    if form.validate_on_submit():
        try:
            letter = services.register_letter(office_id, _entry(chosen, form), current_user)
            for upload in _uploads():
                services.attach(letter, upload, current_user)
        except LetterError as error:
            db.session.rollback()
            flash(str(error.message), "error")
        else:
            db.session.commit()
            flash(
                _(
                    "Registered as number %(number)s of %(year)s.",
                    number=letter.number,
                    year=year_label(letter.year),
                ),
                "success",
            )
            return redirect(url_for(".letter", letter_id=letter.id))
    return render_template("saraban/new.html", form=form, register=chosen)


@bp.route("/letters/<int:letter_id>")
@login_required
def letter(letter_id: int):
    found = _readable(letter_id)
    return render_template(
        "saraban/letter.html",
        letter=found,
        local_time=to_local(found.registered_at),
        may_cancel=can(current_user, REGISTER) and found.status == LetterStatus.REGISTERED,
        may_attach=can(current_user, REGISTER)
        and found.may_hold_files
        and found.status == LetterStatus.REGISTERED,
        cancel_form=CancelForm(),
        attach_form=AttachForm(),
    )


@bp.post("/letters/<int:letter_id>/files")
@require_permission(REGISTER)
def attach(letter_id: int):
    found = _readable(letter_id)
    form = AttachForm()
    uploads = _uploads()
    if not form.validate_on_submit() or not uploads:
        form.flash_errors()
        flash(_("Choose the files to add."), "error")
        return redirect(url_for(".letter", letter_id=letter_id))
    try:
        for upload in uploads:
            services.attach(found, upload, current_user)
    except LetterError as error:
        db.session.rollback()
        flash(str(error.message), "error")
    else:
        db.session.commit()
        flash(_("Saved."), "success")
    return redirect(url_for(".letter", letter_id=letter_id))


@bp.route("/letters/<int:letter_id>/files/<int:attachment_id>")
@login_required
def download_file(letter_id: int, attachment_id: int):
    """A file of a letter, for whoever may read the letter; the download is audited."""
    attachment = services.find_attachment(current_user, letter_id, attachment_id)
    if attachment is None:
        abort(404)
    return send_stored(attachment.file, inline=attachment.file.kind in INLINE)


@bp.post("/letters/<int:letter_id>/cancel")
@require_permission(REGISTER)
def cancel(letter_id: int):
    found = _readable(letter_id)
    form = CancelForm()
    if form.validate_on_submit():
        try:
            services.cancel_letter(found, current_user, form.reason.data)
        except LetterError as error:
            db.session.rollback()
            flash(str(error.message), "error")
        else:
            db.session.commit()
            flash(_("The entry is cancelled; its number stays in the register."), "success")
    else:
        form.flash_errors()
    return redirect(url_for(".letter", letter_id=letter_id))


@bp.route("/settings", methods=("GET", "POST"))
@require_permission(MANAGE)
def settings():
    """The office's document-number prefixes and the registers' first numbers of a year."""
    office_id = _office_id()
    units = services.office_units(office_id)
    prefix_form, start_form = PrefixForm(prefix="prefix"), StartForm(prefix="start")
    prefix_form.unit.choices = [(unit.id, unit.name) for unit in units]
    this_year = services.this_year()
    start_form.year.choices = [(year, year_label(year)) for year in (this_year, this_year + 1)]
    done = None
    if request.method == "POST" and "prefix-unit" in request.form and prefix_form.validate_on_submit():
        done = lambda: services.set_prefix(office_id, prefix_form.unit.data, prefix_form.prefix.data or "")  # noqa: E731
    elif request.method == "POST" and "start-register" in request.form and start_form.validate_on_submit():
        chosen = Register(start_form.register.data)
        done = lambda: services.set_start(office_id, chosen, start_form.year.data, start_form.start.data)  # noqa: E731
    elif request.method == "POST":
        (prefix_form if "prefix-unit" in request.form else start_form).flash_errors()
    if done is not None:
        try:
            done()
        except LetterError as error:
            db.session.rollback()
            flash(str(error.message), "error")
        else:
            db.session.commit()
            flash(_("Saved."), "success")
            return redirect(url_for(".settings"))
    prefixes = services.office_prefixes(office_id)
    return render_template(
        "saraban/settings.html",
        prefix_form=prefix_form,
        start_form=start_form,
        prefixes=[(unit, prefixes[unit.id]) for unit in units if unit.id in prefixes],
        series=[
            (
                register,
                year,
                services.configured_start(office_id, register, year),
                services.issued_so_far(office_id, register, year),
            )
            for year in (this_year, this_year + 1)
            for register in Register
        ],
    )


WIDGET_ROWS = 5


def latest_widget() -> Markup | str:
    """The dashboard's box: the newest received letters the person may read."""
    if not services.is_office_staff(current_user):
        return ""
    wanted = RegisterFilter(Register.RECEIVE, services.this_year())
    letters = services.register_page(current_user, wanted)[:WIDGET_ROWS]
    template = current_app.jinja_env.get_template("saraban/_widget.html")
    return template.module.latest(letters, can(current_user, REGISTER))


def _office_id() -> int:
    """Registers belong to an office: people without one (installation administrators) have none,
    and its schools keep their own."""
    if current_user.office_id is None:
        abort(404)
    if not services.is_office_staff(current_user):
        abort(403)
    return current_user.office_id


def _filters(office_id: int) -> tuple[RegisterFilterForm, RegisterFilter | None]:
    """The filter form from the query string and what it asks for (None when it does not validate)."""
    form = RegisterFilterForm(request.args)
    years = services.register_years(office_id, today())
    form.year.choices = [(year, year_label(year)) for year in years]
    form.unit.choices = [("", _("Any")), *((unit.id, unit.name) for unit in services.office_units(office_id))]
    register = request.args.get("register", Register.RECEIVE.value)
    if register not in set(Register) or not form.validate():
        return form, None
    if form.year.data is None:
        form.year.data = years[0] if services.this_year() not in years else services.this_year()
    return form, RegisterFilter(
        register=Register(register),
        year=form.year.data,
        urgency=Urgency(form.urgency.data) if form.urgency.data else None,
        secrecy=Secrecy(form.secrecy.data) if form.secrecy.data else None,
        unit_id=form.unit.data,
        since=form.since.data,
        until=form.until.data,
    )


def _letter_choices(form: LetterForm, office_id: int) -> None:
    form.unit.choices = [("", "—"), *((unit.id, unit.name) for unit in services.office_units(office_id))]
    form.named.choices = services.staff_choices(office_id)


def _entry(register: Register, form: LetterForm) -> LetterEntry:
    kind, subtype = parse_kind(form.kind.data)
    return LetterEntry(
        register=register,
        subject=form.subject.data or "",
        kind=kind,
        subtype=subtype,
        document_number=form.document_number.data or "",
        dated=form.dated.data,
        sender=form.sender.data or "",
        addressee=form.addressee.data or "",
        action=form.action.data or "",
        remarks=form.remarks.data or "",
        urgency=Urgency(form.urgency.data),
        urgent_by=_deadline(form),
        secrecy=Secrecy(form.secrecy.data),
        unit_id=form.unit.data,
        retention=Retention(form.retention.data),
        named_ids=tuple(form.named.data or ()),
    )


def _deadline(form: LetterForm) -> datetime | None:
    """ด่วนภายใน: the date and time typed in Bangkok, stored in UTC; a date alone means the end
    of the office day."""
    if form.urgent_by_date.data is None:
        return None
    typed = (form.urgent_by_time.data or "").replace(".", ":")
    hours, minutes = (int(part) for part in typed.split(":")) if typed else (16, 30)
    local = datetime.combine(form.urgent_by_date.data, time(hours, minutes), BANGKOK)
    return local.astimezone(UTC).replace(tzinfo=None)


def _uploads() -> list[FileStorage]:
    """The files sent with the form, the empty file inputs left out."""
    return [upload for upload in request.files.getlist("files") if upload.filename]


def _readable(letter_id: int):
    found = services.find_letter(current_user, letter_id)
    if found is None:
        abort(404)
    return found

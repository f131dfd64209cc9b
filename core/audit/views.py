"""The audit viewer of the admin console, its CSV export, and the History tab of records."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator

from flask import abort, request
from flask_admin import expose
from flask_login import current_user
from sqlalchemy import Engine, select

from core.admin.base import SecureView
from core.audit.chain import HASHED_FIELDS
from core.audit.display import describe
from core.audit.forms import AuditFilterForm
from core.audit.queries import AuditFilter, page, stream
from core.audit.service import record
from core.audit.types import AUDIT_EXPORTED
from core.auth.models import User
from core.auth.permissions import has_installation_scope
from core.db import db
from core.documents.download import download
from core.i18n import gettext as _
from core.i18n.thaidate import to_local
from core.search import USER_SEARCH

AUDIT_PERMISSION = "core.audit.view"
MAX_PEOPLE = 50  # a name search matching more people than this is too vague to filter by


class AuditView(SecureView):
    """Every event, newest first, filtered by person, kind, plugin, record and dates.

    Installation administrators read every office's events; an office's administrators
    read the events of people in their office.
    """

    permission = AUDIT_PERMISSION

    def _office_id(self) -> int | None:
        if has_installation_scope(current_user, AUDIT_PERMISSION):
            return None
        return current_user.office_id or -1  # an office-less person with an office grant sees nothing

    def _filter(self, form: AuditFilterForm) -> AuditFilter | None:
        """The filter the form asks for; None when a field is wrong (its message is shown)."""
        if not form.validate():
            return None
        subject_key, subject_id = _split_record(form.record.data)
        if form.record.data and subject_id is None:
            form.record.errors.append(_("Write the record as kind:number, for example core.user:12."))
            return None
        if form.since.data and form.until.data and form.since.data > form.until.data:
            form.until.errors.append(_("The end date is before the start date."))
            return None
        return AuditFilter(
            actor_ids=_people(form.person.data),
            office_id=self._office_id(),
            type=form.type.data or None,
            plugin=form.plugin.data or None,
            subject_key=subject_key,
            subject_id=subject_id,
            since=form.since.data,
            until=form.until.data,
        )

    @expose("/")
    def index(self):
        form = AuditFilterForm(formdata=request.args)
        audit_filter = self._filter(form)
        before = request.args.get("before", type=int)
        events = page(audit_filter, before) if audit_filter is not None else None
        return self.render(
            "admin/khet_audit.html",
            form=form,
            events=events,
            views=describe(events.events) if events else [],
            before=before,
            query={k: v for k, v in request.args.items() if k != "before" and v},
        )

    @expose("/export.csv")
    def export(self):
        form = AuditFilterForm(formdata=request.args)
        audit_filter = self._filter(form)
        if audit_filter is None:
            abort(400)
        record(AUDIT_EXPORTED, data={"filters": {k: v for k, v in request.args.items() if v}})
        db.session.commit()
        return download(_csv_rows(db.engine, audit_filter), "khet-audit.csv", "csv")


def _split_record(text: str | None) -> tuple[str | None, str | None]:
    key, __, number = (text or "").strip().partition(":")
    if not key:
        return None, None
    return key, number.strip() or None


def _people(text: str | None) -> tuple[int, ...] | None:
    """The people a filter means: one e-mail address, or everyone whose name has these words."""
    text = (text or "").strip()
    if not text:
        return None
    if "@" in text:
        query = select(User.id).where(User.email == text.lower())
    else:
        dialect = db.session.get_bind().dialect.name
        query = select(User.id).where(*USER_SEARCH.conditions(User.id, text, dialect)).limit(MAX_PEOPLE)
    return tuple(db.session.scalars(query))


# Every stored column: with the hashes, an auditor can check the exported chain on their own.
CSV_COLUMNS = ("id", *HASHED_FIELDS, "prev_hash", "hash")


def _csv_rows(engine: Engine, audit_filter: AuditFilter) -> Iterator[str]:
    """The export, written while it is sent; it needs no request context, only the engine."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)

    def flush() -> str:
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return text

    buffer.write("\ufeff")  # Excel reads UTF-8 (Thai) only with the byte-order mark
    writer.writerow(CSV_COLUMNS)
    with engine.connect() as connection:
        for number, row in enumerate(stream(connection, audit_filter), 1):
            values = dict(row)
            values["occurred_at"] = to_local(row["occurred_at"]).isoformat(timespec="seconds")
            values["data"] = json.dumps(row["data"], ensure_ascii=False, sort_keys=True)
            writer.writerow([_cell(values[column]) for column in CSV_COLUMNS])
            if number % 500 == 0:
                yield flush()
    yield flush()


def _cell(value: object) -> object:
    """Text a spreadsheet would run as a formula is prefixed with an apostrophe."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return "" if value is None else value

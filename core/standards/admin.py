"""Set-up › Service standards: each office sets its own times and operation-plan months."""

from __future__ import annotations

from flask import abort, flash, redirect, request, url_for
from flask_admin import expose

from core.admin.base import OfficeSettingsView
from core.db import db
from core.i18n import gettext as _
from core.standards.display import format_limit
from core.standards.forms import limits_from, settings_form
from core.standards.services import office_catalogue, save_settings

MANAGE = "core.standards.manage"


class ServiceStandardsView(OfficeSettingsView):
    """The office's catalogue of services, with the standard times it holds itself to."""

    permission = MANAGE

    @expose("/")
    def index(self):
        offices = self.offices()
        office = self.chosen_office(offices)
        services = office_catalogue(office.id) if office else []
        return self.render(
            "admin/khet_standards.html",
            office=office,
            offices=offices,
            services=services,
            format_limit=format_limit,
        )

    @expose("/edit/<key>", methods=("GET", "POST"))
    def edit(self, key: str):
        office = self.chosen_office(self.offices())
        run = next((s for s in office_catalogue(office.id) if s.key == key), None) if office else None
        if run is None:
            abort(404)
        form = settings_form(run, request.form if request.method == "POST" else None)
        if form.validate_on_submit():
            limits = limits_from(form, run)
            if not form.errors:
                save_settings(
                    office.id, key, enabled=form.enabled.data, months=form.months.data, limits=limits
                )
                db.session.commit()
                flash(_("The standards of “%(service)s” are saved.", service=run.service.title), "success")
                return redirect(url_for(".index", office=office.id))
        return self.render("admin/khet_standard_edit.html", office=office, run=run, form=form)

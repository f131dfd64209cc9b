"""The register printed in the official layout (PDF, A4 landscape, in Thai) and as a workbook."""

from __future__ import annotations

from core.documents.pdf import render_pdf
from core.documents.xlsx import Sheet, render_xlsx
from core.i18n import gettext as _
from core.i18n.thaidate import format_datetime
from core.org.models import OrgUnit
from plugins.saraban.models import REGISTER_LABELS, Letter, Register
from plugins.saraban.services import RegisterFilter

# Printing is the slow part: a thousand entries make some forty landscape pages.
LIMITS = {"pdf": 1_000, "xlsx": 20_000}


def column_headers(register: Register) -> list[str]:
    """The regulation's nine columns (ทะเบียนหนังสือรับ / ส่ง), in the reader's language."""
    return [
        _("Date registered"),
        _("Received number") if register is Register.RECEIVE else _("Sent number"),
        _("Document number"),
        _("Dated"),
        _("Sender"),
        _("Addressee"),
        _("Subject"),
        _("Action taken"),
        _("Remarks"),
    ]


def remarks(letter: Letter) -> str:
    """หมายเหตุ: a cancelled entry says so first, with its reason."""
    if not letter.is_cancelled:
        return letter.remarks
    cancelled = _("Cancelled: %(reason)s", reason=letter.cancel_reason or "")
    return f"{cancelled}\n{letter.remarks}".strip()


def register_xlsx(wanted: RegisterFilter, letters: list[Letter]) -> bytes:
    headers = [*column_headers(wanted.register), _("Urgency"), _("Secrecy"), _("Unit"), _("Kind of letter")]
    rows = (
        (
            letter.registered_at,
            letter.number,
            letter.document_number,
            letter.dated,
            letter.sender,
            letter.addressee,
            letter.subject,
            letter.action,
            remarks(letter),
            str(letter.urgency_label),
            str(letter.secrecy_label),
            letter.unit.name if letter.unit else "",
            letter.kind_label,
        )
        for letter in letters
    )
    return render_xlsx([Sheet(str(REGISTER_LABELS[wanted.register]), headers, rows)])


def register_pdf(office: OrgUnit, wanted: RegisterFilter, letters: list[Letter]) -> bytes:
    """The official register book: Thai headers, B.E. dates, urgency in red; Thai digits when
    the office writes them."""
    digits = bool(office.thai_digits)
    return render_pdf(
        "saraban/register_pdf.html",
        office=office,
        wanted=wanted,
        letters=letters,
        thai_digits=digits,
        stamp_time=lambda value: format_datetime(value, "medium", "th", digits=digits),
    )

"""The destruction list in the form of แบบที่ 25 (PDF, in Thai) and as a workbook.

A secret letter appears only as its register entry: the list goes to the committee and the
National Archives, who are not its readers, so its ที่, date and subject stay out.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime

from sqlalchemy import select

from core.db import db
from core.documents.pdf import render_pdf
from core.documents.xlsx import Sheet, render_xlsx
from core.i18n import gettext as _
from core.i18n.thaidate import be_year, to_local
from plugins.saraban.models import Letter, Retention
from plugins.saraban.retention import services
from plugins.saraban.retention.models import DestructionItem, DestructionList, ItemStatus, ListStatus
from plugins.saraban.views import year_label

PDF_PART = 1_000  # items per printed file: WeasyPrint takes about a second per twenty pages

REGISTERS_TH = {
    "receive": "ทะเบียนรับ",
    "send": "ทะเบียนส่ง",
    "circular": "หนังสือเวียน",
    "order": "คำสั่ง",
    "announcement": "ประกาศ",
}
SECRECY_TH = {"confidential": "ลับ", "secret": "ลับมาก", "top_secret": "ลับที่สุด"}
RETENTION_TH = {
    Retention.ONE_YEAR: "เก็บ 1 ปี",
    Retention.TEN_YEARS: "เก็บ 10 ปี",
    Retention.PERMANENT: "เก็บตลอดไป",
}


def entry(letter: Letter) -> str:
    """The register entry that stands in the column รหัสแฟ้ม: ``ทะเบียนรับ 15/2567``."""
    return f"{REGISTERS_TH[letter.register]} {letter.number}/{be_year(letter.year)}"


def consideration_th(item: DestructionItem, destruction_list: DestructionList) -> str:
    """การพิจารณา as the committee writes it (ข้อ 67), in Thai."""
    if item.status == ItemStatus.KEPT:
        until = (
            "ให้เก็บไว้ตลอดไป"
            if item.kept_until is None
            else f"ขยายเวลาการเก็บถึง พ.ศ. {be_year(item.kept_until)}"
        )
        return f"{until} ({item.reason})"
    if item.status == ItemStatus.DESTROYED:
        return "ทำลายแล้ว"
    if destruction_list.status in (ListStatus.APPROVED, ListStatus.ARCHIVES_AGREED):
        return "ทำลาย"
    return ""


def consideration(item: DestructionItem, dl: DestructionList) -> str:
    """The column การพิจารณา, in the reader's language."""
    if item.status == ItemStatus.KEPT:
        if item.kept_until is None:
            return _("Keep permanently: %(reason)s", reason=item.reason)
        return _(
            "Keep until the end of %(year)s: %(reason)s", year=year_label(item.kept_until), reason=item.reason
        )
    if item.status == ItemStatus.DESTROYED:
        return _("Destroyed")
    if item.status == ItemStatus.REMOVED:
        return _("Taken off: %(reason)s", reason=item.reason) if item.reason else _("Taken off")
    if dl.status in (ListStatus.APPROVED, ListStatus.ARCHIVES_AGREED):
        return _("Destroy")
    return ""


def list_pdf(destruction_list: DestructionList, part: int) -> bytes:
    first, items = services.printed_part(destruction_list, part, PDF_PART)
    office = destruction_list.office
    return render_pdf(
        "saraban/retention/list_pdf.html",
        dl=destruction_list,
        office=office,
        items=items,
        first=first,
        part=part,
        parts=services.part_count(destruction_list, PDF_PART),
        thai_digits=bool(office.thai_digits),
        drafted_on=_local_day(destruction_list.drafted_at),
        destroyed_on=_local_day(destruction_list.destroyed_at),
        entry=entry,
        consideration=lambda item: consideration_th(item, destruction_list),
        secrecy=SECRECY_TH,
        retention=RETENTION_TH,
    )


def _local_day(moment: datetime | None) -> date | None:
    return to_local(moment).date() if moment is not None else None


def list_xlsx(destruction_list: DestructionList) -> bytes:
    headers = [
        _("No."),
        _("Register entry"),
        _("Document number"),
        _("Dated"),
        _("Subject"),
        _("Consideration"),
        _("Retention"),
        _("Retention ended"),
        _("Secrecy"),
    ]
    return render_xlsx([Sheet(_("Destruction list"), headers, _rows(destruction_list))])


def _rows(destruction_list: DestructionList) -> Iterator[tuple]:
    """Every printed item in list order, read in batches."""
    query = (
        select(DestructionItem, Letter)
        .join(Letter, Letter.id == DestructionItem.letter_id)
        .where(DestructionItem.list_id == destruction_list.id, DestructionItem.status.in_(services.PRINTED))
        .order_by(DestructionItem.position)
        .execution_options(yield_per=1000)
    )
    for number, (item, letter) in enumerate(db.session.execute(query), start=1):
        secret = letter.is_secret
        yield (
            number,
            entry(letter),
            "" if secret else letter.document_number,
            None if secret else letter.dated,
            _("Secret letter: see its register entry") if secret else letter.subject,
            consideration(item, destruction_list),
            str(letter.retention_label),
            year_label(ends) if (ends := services.retention_ends(letter)) else "",
            str(letter.secrecy_label),
        )

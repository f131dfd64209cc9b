"""Documents that Khet generates: PDF, Excel workbooks, and sending them as downloads.

Import from the module you need, so that what needs no PDF never loads WeasyPrint:

- ``core.documents.pdf.render_pdf(template_name, **context) -> bytes``
- ``core.documents.xlsx.render_xlsx([Sheet(title, headers, rows), ...]) -> bytes``
- ``core.documents.download.download(data, filename, kind) -> Response``
"""

"""Documents that Khet generates (PDF) and sending them as downloads.

Import from the module you need, so that what needs no PDF never loads WeasyPrint:

- ``core.documents.pdf.render_pdf(template_name, **context) -> bytes``
- ``core.documents.download.download(data, filename, kind) -> Response``
"""

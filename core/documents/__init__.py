"""Documents that Khet generates: PDF, Excel workbooks, SVG charts, and sending them as downloads.

Import from the module you need, so that a page drawing a chart never loads WeasyPrint:

- ``core.documents.pdf.render_pdf(template_name, **context) -> bytes``
- ``core.documents.xlsx.render_xlsx([Sheet(title, headers, rows), ...]) -> bytes``
- ``core.documents.charts.bar_chart(title, bars, maximum=...)`` and
  ``column_chart(title, categories, series)`` -> ``Markup``
- ``core.documents.download.download(data, filename, kind, inline=False) -> Response``
"""

"""Service standards (มาตรฐานการให้บริการ), satisfaction surveys and the director's report.

Plugins declare their services and standard times (``register_service_types``); a service
record keeps the instants of its steps, and core measures them in Thai working time against
the office's standards, invites the requester to a satisfaction survey when the service is
done, and sums it all up by fiscal year and quarter.
"""

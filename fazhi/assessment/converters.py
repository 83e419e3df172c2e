"""URL converter for the code-like path segments of the assessment and reviews pages (unit codes, list keys).

``<str:code>`` matches anything but ``/``, so ``/results/%00/`` reached the database with a NUL byte — which
PostgreSQL refuses with an error (a 500). ``<printable:code>`` matches only printable characters, at most 100 of
them (unit codes are at most 64): anything else is not a URL of the site and answers 404.
"""

from __future__ import annotations

from django.urls import register_converter


class PrintableConverter:
    regex = r"[^/\x00-\x1f\x7f]{1,100}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(PrintableConverter, "printable")

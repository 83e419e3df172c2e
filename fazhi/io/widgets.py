"""Form widgets shared by the apps.

``DateInput``: the browser's date picker (``<input type="date">``) accepts only ISO dates (2026-11-30) as its
value. Django formats a date widget with the active language's first input format — ``2026/11/30`` in
Chinese — which the picker rejects: it shows empty and the form saves the date as empty. So the value is
always ISO, whatever the language; the picker shows it in the reader's own way.
"""

from __future__ import annotations

from django import forms


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")

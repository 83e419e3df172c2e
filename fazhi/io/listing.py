"""One pager for every list page (province scale: filter, sort and page in the database).

``page_of`` pages anything a Django ``Paginator`` can: a queryset (COUNT + LIMIT/OFFSET) or a lazy sequence
with ``len`` and slicing (``fazhi.assessment.selectors.WorklistRows``). Templates show it with
``{% include "includes/pager.html" %}`` (links keep the page's other query parameters).
"""

from __future__ import annotations

from django.core.paginator import Page, Paginator

DEFAULT_PER_PAGE = 50


def page_of(request, object_list, per_page: int = DEFAULT_PER_PAGE, *, param: str = "page") -> Page:
    """The requested page (a page number that is not one, or past the end, gives the nearest real page)."""
    return Paginator(object_list, per_page).get_page(request.GET.get(param))

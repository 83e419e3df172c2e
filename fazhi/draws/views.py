"""The pages every published draw has: the confirmation before an irreversible draw, and its two files."""

from __future__ import annotations

from collections.abc import Callable, Collection

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render

from fazhi.audit.services import record_download
from fazhi.core import sampling
from fazhi.io.http import file_response
from fazhi.io.params import parse_int

from .models import SampleRecord

FILES = ("population", "drawn")


def draw_page(request, *, template: str, context: dict, draw: Callable[..., object], success: str,
              done_url: str) -> HttpResponse:
    """GET: the numbers the office confirms (``context``, with ``size`` the population size and ``warnings``).
    POST ``confirm=yes`` with that ``size``: ``draw(seed=…, confirm_size=…)``; a refusal shows the page again
    with the reason (400), a draw goes back to ``done_url``."""
    if request.method == "POST" and request.POST.get("confirm") == "yes":
        try:
            draw(seed=request.POST.get("seed", ""), confirm_size=parse_int(request.POST.get("size"), minimum=0))
        except ValidationError as exc:
            return render(request, template, {**context, "errors": [str(m) for m in exc.messages]}, status=400)
        messages.success(request, success)
        return redirect(done_url)
    return render(request, template, context)


def published_file(request, *, record: SampleRecord | None, which: str, target, name: str,
                   strata: Collection[str] | None = None) -> HttpResponse:
    """The population or the drawn list in the ``fazhi sample`` format, audited as a download. ``strata``: only
    those strata (a unit gets its own: strata are drawn independently, so it redraws its own part alone)."""
    if record is None or which not in FILES:
        raise Http404
    items = record.population_items() if which == "population" else record.drawn_items()
    if strata is not None:
        items = [item for item in items if item.stratum in strata]
    filename = f"{which}-{name}.txt"
    record_download(user=request.user, target=target, what=which, filename=filename)
    return file_response(sampling.format_population(items).encode("utf-8"), filename, "text/plain; charset=utf-8")

"""The kinds of document (文种) the platform issues, registered by the apps that know their content.

``documents`` is below the domain apps (core → io → orgs → audit → documents → plans → assessment → reviews …):
it numbers, renders, stores and shows documents, but what a result notice says is the reviews app's business.
Each domain app registers its kinds in its ``AppConfig.ready()`` with a ``build`` function that returns the
``Content`` of one document — called at issue and again at each regeneration, so a new version shows the data
as it is then, under the same number.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q

from fazhi.io.gongwen import Attachment, Para


@dataclass
class Content:
    """What one document says. ``main_units``/``cc_units`` are the platform's units among the addressees: they see
    the document once it is issued (and the kind's ``visible`` allows); ``main_to``/``cc_to`` are the texts printed
    (主送机关, 抄送机关), which may name bodies that are not on the platform."""

    title: str
    main_to: str
    body: list[Para]
    template: bytes
    cc_to: str = ""
    main_units: list = field(default_factory=list)
    cc_units: list = field(default_factory=list)
    attachments: list[Attachment] = field(default_factory=list)
    #: Excel files issued beside the document (the attachment tables as spreadsheets): (file name, bytes)
    sheets: list[tuple[str, bytes]] = field(default_factory=list)
    #: Further placeholders of this kind (unit_name, grade …) for offices' own templates
    context: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Kind:
    key: str
    label: str
    #: build(office=Unit, subject=model instance or None, about_unit=Unit or None, params=dict) → Content
    build: Callable[..., Content]
    #: Which issued documents of this kind the addressed units may see, as a filter on ``Document``
    #: (e.g. only once the campaign is published); None: all once issued.
    visible: Callable[[], Q] | None = None


_KINDS: dict[str, Kind] = {}


def register(kind: Kind) -> None:
    _KINDS[kind.key] = kind


def get(key: str) -> Kind | None:
    return _KINDS.get(key)


def label(key: str) -> str:
    kind = _KINDS.get(key)
    return str(kind.label) if kind else key


def all_kinds() -> list[Kind]:
    return list(_KINDS.values())


def recipient_filter() -> Q:
    """Documents an addressed unit may see: per kind, the kind's own rule (fails closed for unknown kinds)."""
    condition = Q(pk__in=[])
    for kind in _KINDS.values():
        rule = Q(kind=kind.key)
        if kind.visible is not None:
            rule &= kind.visible()
        condition |= rule
    return condition

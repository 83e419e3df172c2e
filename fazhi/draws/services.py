"""``record_draw``: the one way a sample record is made. The caller (a method app's service) holds its owner's row
lock, has moved the owner out of its registering state and runs inside its own ``transaction.atomic``."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from fazhi.core import sampling

from .models import SampleRecord

Audit = Callable[[str, dict], None]


@dataclass(frozen=True)
class Draw:
    record: SampleRecord
    drawn: list[sampling.Item]
    ranks: dict[str, int]  # item id → its order of drawing within its stratum (1, 2, …)


def check_population(items: list[sampling.Item], *, confirm_size: int | None, empty: str) -> None:
    """Refuse an empty population (``empty`` says what is missing, in the owner's words) and one that changed
    since the confirmation page showed ``confirm_size`` items."""
    if not items:
        raise ValidationError(empty)
    if confirm_size is not None and confirm_size != len(items):
        raise ValidationError(_("确认后样本总体有变化（现有 %(n)s 项），请重新确认") % {"n": len(items)})


@transaction.atomic
def record_draw(*, model: type[SampleRecord], owner: dict, user, items: list[sampling.Item],
                k: int | Mapping[str, int], audit: Audit, seed: str = "", confirm_size: int | None = None,
                empty: str = "") -> Draw:
    """Fix the population (fingerprint audited as ``population_fix`` before any seed exists), record the seed (a
    seed fixed in public beforehand, else a fresh one from the operating system), draw, save the record once and
    audit ``sample_draw`` with everything needed to redo it. ``audit(action, after)`` writes the owner's event."""
    check_population(items, confirm_size=confirm_size, empty=empty or _("样本总体为空，没有可抽取的样本"))
    digest = sampling.population_digest(items)
    audit("population_fix", {"population_size": len(items), "population_digest": digest})
    seed = (seed or "").strip() or sampling.new_seed()
    try:
        drawn = sampling.draw(seed, items, k)
    except sampling.SamplingError as error:
        raise ValidationError(str(error)) from None
    record = model(**owner, algorithm=sampling.ALGORITHM, seed=seed, k=sampling.format_sizes(k),
                   population=sampling.format_population(items), population_size=len(items),
                   population_digest=digest, drawn=sampling.format_population(drawn), drawn_by=user)
    record.full_clean()
    record.save()
    ranks: dict[str, int] = {}
    per_stratum: dict[str, int] = {}
    for item in drawn:
        per_stratum[item.stratum] = per_stratum.get(item.stratum, 0) + 1
        ranks[item.id] = per_stratum[item.stratum]
    audit("sample_draw", {"algorithm": record.algorithm, "seed": seed, "k": record.k, "population_size": len(items),
                          "population_digest": digest, "drawn": [item.id for item in drawn]})
    return Draw(record, drawn, ranks)

"""The abstract sample record. A concrete one adds a one-to-one to its owner (``review``, ``visit``)."""

from __future__ import annotations

import shlex

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from fazhi.core import sampling

WRITE_ONCE = _("抽样记录一经生成不能修改")


class WriteOnceQuerySet(models.QuerySet):
    """``update`` and ``delete`` refused: a published draw is never changed, not even in bulk. (Deleting the owner
    still deletes its record: Django's cascade does not go through this queryset.)"""

    def update(self, **kwargs):
        raise ValidationError(WRITE_ONCE)

    def delete(self):
        raise ValidationError(WRITE_ONCE)


class SampleRecord(models.Model):
    """抽样记录 — the seed, the sizes, the population (as the published file) and the draw. Written once."""

    algorithm = models.CharField(_("抽样算法"), max_length=32)
    seed = models.CharField(_("随机种子"), max_length=128)
    k = models.CharField(_("每组抽取数"), max_length=200,
                         help_text=_("一个数（每组相同），或“分组=数量,…”；即 fazhi sample -k 的参数"))
    population = models.TextField(_("样本总体"))
    population_size = models.PositiveIntegerField(_("总体数量"))
    population_digest = models.CharField(_("总体指纹（SHA-256）"), max_length=64)
    drawn = models.TextField(_("抽中清单"))
    drawn_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("抽取人"), null=True,
                                 on_delete=models.SET_NULL, related_name="+")
    drawn_at = models.DateTimeField(_("抽取时间"), auto_now_add=True)

    objects = WriteOnceQuerySet.as_manager()

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.seed

    def save(self, *args, **kwargs):
        if self.pk is not None or kwargs.get("force_update"):
            raise ValidationError(WRITE_ONCE)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError(WRITE_ONCE)

    def population_items(self) -> list[sampling.Item]:
        return sampling.parse_population(self.population)

    def drawn_items(self) -> list[sampling.Item]:
        return sampling.parse_population(self.drawn)

    def verify_command(self, *, whole: bool = True) -> str:
        """The command that redraws and checks this sample from its two published files (``whole``: the whole
        population, whose fingerprint is published; a unit holding only its own stratum checks without it)."""
        digest = f" --digest {self.population_digest}" if whole else ""
        return (f"fazhi sample verify --seed {shlex.quote(self.seed)} -k {shlex.quote(self.k)}{digest} "
                "population.txt --drawn drawn.txt")

    @property
    def verify_command_own(self) -> str:
        return self.verify_command(whole=False)

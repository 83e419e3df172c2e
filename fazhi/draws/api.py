"""The published draw in the REST API: one serializer for every sample record (``models.SampleRecord``)."""

from __future__ import annotations

from collections.abc import Collection

from rest_framework import serializers

from .models import SampleRecord


class DrawItemSerializer(serializers.Serializer):
    stratum = serializers.CharField()
    id = serializers.CharField()


class PublishedDrawSerializer(serializers.Serializer):
    """抽样记录 — enough to redraw the sample with ``fazhi sample verify``."""

    algorithm = serializers.CharField(help_text="sha256-rank-v1 (fazhi/core/sampling.py)")
    seed = serializers.CharField()
    k = serializers.CharField(help_text='the -k of `fazhi sample`: "3" or "department=2,government=1"')
    population_size = serializers.IntegerField(help_text="the whole population, whatever part is listed")
    population_digest = serializers.CharField(help_text="SHA-256 of the whole population")
    drawn_at = serializers.DateTimeField()
    whole = serializers.BooleanField(help_text="false: only the caller's own stratum is listed")
    population = DrawItemSerializer(many=True)
    drawn = DrawItemSerializer(many=True)


def sample_data(record: SampleRecord, *, strata: Collection[str] | None = None) -> dict:
    """The record as the API gives it; ``strata``: only those strata listed (a unit's own)."""
    def listed(items):
        return [{"stratum": i.stratum, "id": i.id} for i in items if strata is None or i.stratum in strata]

    return PublishedDrawSerializer({
        "algorithm": record.algorithm, "seed": record.seed, "k": record.k, "population_size": record.population_size,
        "population_digest": record.population_digest, "drawn_at": record.drawn_at, "whole": strata is None,
        "population": listed(record.population_items()), "drawn": listed(record.drawn_items())}).data

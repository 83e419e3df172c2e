"""The OpenAPI schema knows how to send a personal token and has no warnings (clients are generated from it)."""

from __future__ import annotations

import pytest
import yaml
from django.core.management import call_command
from drf_spectacular.drainage import reset_generator_stats


@pytest.mark.django_db
def test_schema_is_warning_free_and_describes_bearer_tokens(tmp_path):
    reset_generator_stats()
    out = tmp_path / "schema.yml"
    # --fail-on-warn raises when any endpoint's schema warns (an unknown authentication class warns on all).
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(out))
    schema = yaml.safe_load(out.read_text(encoding="utf-8"))
    scheme = schema["components"]["securitySchemes"]["personalToken"]
    assert scheme["type"] == "http" and scheme["scheme"] == "bearer"
    campaigns = schema["paths"]["/api/assessment/campaigns/"]["get"]
    assert {"personalToken": []} in campaigns["security"]

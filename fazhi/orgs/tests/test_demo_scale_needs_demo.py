"""``fazhi demo_scale`` on a database without the demo says what to run first."""

import io

import pytest
from django.core.management import CommandError, call_command


@pytest.mark.django_db
def test_needs_the_demo_first():
    with pytest.raises(CommandError, match="load_demo"):
        call_command("demo_scale", units=10, indicators=5, stdout=io.StringIO())

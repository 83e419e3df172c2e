"""Run by ``test_sqlite_concurrency.py`` in a subprocess, on a SQLite *file* (not collected on its own).

16 threads post score saves at the same moment, each on its own connection, as 16 browser tabs would."""

from __future__ import annotations

import threading

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from fazhi.assessment.models import Score

pytestmark = pytest.mark.django_db(transaction=True)

THREADS = 16


def test_sixteen_concurrent_score_saves(scoring, units, subunits, people):
    assert connection.vendor == "sqlite" and "memory" not in str(connection.settings_dict["NAME"])
    a1, b1 = scoring.indicators.get(code="A1"), scoring.indicators.get(code="B1")
    cells = [(a1, units[u], None) for u in ("C1", "C2", "D1", "D2")] + [
        (b1, units["C1"], subunits["C1-D1"]), (b1, units["C1"], subunits["C1-D2"]), (b1, units["C2"], None)]
    barrier = threading.Barrier(THREADS)
    statuses: list[int] = []
    lock = threading.Lock()

    def save(number: int) -> None:
        indicator, unit, subunit = cells[number % len(cells)]
        data = {"indicator": indicator.pk, "unit": unit.pk, "subunit": subunit.pk if subunit else "",
                "value": "10", "reason": "并发测试", "version": "0"}
        code = 500
        try:
            client = Client(raise_request_exception=False)
            client.force_login(people["assessing"])  # itself a write (the session)
            barrier.wait(timeout=60)
            code = client.post(reverse("assessment:score_save", args=[scoring.pk]), data).status_code
        except Exception as exc:  # "database is locked" outside the view counts as a server error too
            print("ERROR", type(exc).__name__, exc)
            barrier.abort()
        finally:
            with lock:
                statuses.append(code)
            connection.close()

    threads = [threading.Thread(target=save, args=(n,)) for n in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    print("STATUSES", sorted(statuses))
    assert len(statuses) == THREADS
    assert 500 not in statuses
    assert statuses.count(302) == len(cells)  # the first save of each cell
    assert statuses.count(409) == THREADS - len(cells)  # the others: "someone saved this cell since"
    assert Score.objects.filter(campaign=scoring).count() == len(cells)
    assert set(Score.objects.filter(campaign=scoring).values_list("version", flat=True)) == {1}

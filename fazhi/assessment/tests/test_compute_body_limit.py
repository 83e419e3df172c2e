"""Finding 8 of issue 14: the compute API read the raw body, bypassing the upload limit (a 50 MB body was
accepted and read whole). Now a body over ``DATA_UPLOAD_MAX_MEMORY_SIZE`` answers 413, declared or not."""

from __future__ import annotations

import io
import json

from django.conf import settings

from fazhi.io import parsers

URL = "/api/assessment/compute/"


def _big_json(size: int) -> bytes:
    head = b'{"indicators": [], "units": [], "scores": [], "padding": "'
    return head + b"x" * (size - len(head) - 2) + b'"}'


def test_a_50_mb_body_is_refused_before_it_is_read(client_for, people):
    body = _big_json(50 * 1024 * 1024)
    response = client_for(people["office"]).post(URL, body, content_type="application/json")
    assert response.status_code == 413
    assert "请求体超过" in response.json()["detail"]


def test_a_body_without_a_declared_length_is_read_only_to_the_limit(people):
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    stream = io.BytesIO(_big_json(limit + 4096))
    try:
        parsers.read_limited(stream, {"request": type("R", (), {"META": {}})()})
    except parsers.BodyTooLarge:
        pass
    else:
        raise AssertionError("an oversized body without Content-Length was accepted")
    assert stream.tell() == limit + 1  # never read past one byte over the limit


def test_a_normal_body_still_computes(client_for, people):
    body = {"indicators": [{"code": "A1", "points": 100, "categories": [1]}],
            "units": [{"code": "U1", "category": 1}], "scores": [{"unit": "U1", "indicator": "A1", "score": 95}]}
    response = client_for(people["office"]).post(URL, json.dumps(body), content_type="application/json")
    assert response.status_code == 200, response.content
    assert response.json()["units"][0]["total"] == "95.00"

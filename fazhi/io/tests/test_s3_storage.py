"""Uploaded files on S3-compatible storage (several app servers): FAZHI_STORAGE=s3 switches the default storage to
django-storages' S3 backend; tested against a local S3-compatible server (moto in server mode, loopback only)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import storages

from config import env

PORT = 8154


@pytest.fixture
def s3_server():
    server = subprocess.Popen([str(Path(sys.executable).parent / "moto_server"), "-H", "127.0.0.1", "-p", str(PORT)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", PORT)) == 0:
                break
        time.sleep(0.2)
    yield f"http://127.0.0.1:{PORT}"
    server.terminate()
    server.wait(10)


def test_env_switch_builds_the_s3_options(monkeypatch):
    for key in list(os.environ):
        if key.startswith("FAZHI_S3") or key == "FAZHI_STORAGE":
            monkeypatch.delenv(key)
    assert env.read_env().storage is None  # local disk by default
    monkeypatch.setenv("FAZHI_STORAGE", "s3")
    with pytest.raises(Exception, match="FAZHI_S3_BUCKET"):
        env.read_env()
    monkeypatch.setenv("FAZHI_S3_BUCKET", "fazhi-media")
    monkeypatch.setenv("FAZHI_S3_ENDPOINT_URL", "ftp://x")
    with pytest.raises(Exception, match="FAZHI_S3_ENDPOINT_URL"):
        env.read_env()
    monkeypatch.setenv("FAZHI_S3_ENDPOINT_URL", "http://127.0.0.1:9000")
    options = env.read_env().storage
    assert options["bucket_name"] == "fazhi-media" and options["endpoint_url"] == "http://127.0.0.1:9000"
    monkeypatch.setenv("FAZHI_STORAGE", "ftp")
    with pytest.raises(Exception, match="local or s3"):
        env.read_env()


def test_uploads_go_to_and_come_back_from_s3(s3_server, settings, monkeypatch):
    import boto3

    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "test")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "test")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    boto3.client("s3", endpoint_url=s3_server).create_bucket(Bucket="fazhi-media")
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": {
        "bucket_name": "fazhi-media", "endpoint_url": s3_server, "default_acl": None, "file_overwrite": False}}}
    storage = storages.create_storage(settings.STORAGES["default"])
    name = storage.save("plans/evidence/进展.txt", ContentFile("第一季度进展".encode()))
    assert storage.exists(name)
    with storage.open(name, "rb") as handle:
        assert handle.read().decode() == "第一季度进展"
    again = storage.save("plans/evidence/进展.txt", ContentFile(b"x"))
    assert again != name  # never overwrites another upload
    listed = boto3.client("s3", endpoint_url=s3_server).list_objects_v2(Bucket="fazhi-media")["Contents"]
    assert {item["Key"] for item in listed} == {name, again}

"""A pytest plugin (registered in the root conftest): media on an S3-compatible store, tested against a real
S3 server running here (moto's server mode), configured the way JINGKAI_S3_ENDPOINT configures it
(jingkai.settings). `s3` gives a boto3 client on a fresh bucket; `stored_keys(client)` lists what is in it."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from typing import Any

import pytest

BUCKET = "jingkai-media"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="session")
def s3_server() -> Iterator[str]:
    from moto.server import ThreadedMotoServer

    port = _free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    yield f"http://127.0.0.1:{port}"
    server.stop()


@pytest.fixture
def s3(s3_server: str, settings: Any, tmp_path: Any) -> Iterator[Any]:
    """The settings JINGKAI_S3_ENDPOINT gives (jingkai.settings), with a fresh bucket; MEDIA_ROOT points
    nowhere useful, so a file found there would be a bug."""
    import boto3  # type: ignore[import-untyped]  # no stubs installed

    client = boto3.client("s3", endpoint_url=s3_server, aws_access_key_id="test", aws_secret_access_key="test",
                          region_name="us-east-1")
    client.create_bucket(Bucket=BUCKET)
    settings.MEDIA_ROOT = tmp_path / "not-used"
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": {
        "endpoint_url": s3_server, "bucket_name": BUCKET, "access_key": "test", "secret_key": "test",
        "region_name": "us-east-1", "addressing_style": "path", "default_acl": None, "file_overwrite": False}}}
    yield client
    for key in stored_keys(client):
        client.delete_object(Bucket=BUCKET, Key=key)
    client.delete_bucket(Bucket=BUCKET)
    assert not (tmp_path / "not-used").exists()


def stored_keys(client: Any) -> list[str]:
    return sorted(o["Key"] for o in client.list_objects_v2(Bucket=BUCKET).get("Contents", []))

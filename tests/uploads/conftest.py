"""S3 fixtures shared by the storage and sweep tests: moto's S3 server on loopback."""

import boto3
import pytest

from memi import create_app
from tests.conftest import base_overrides, free_port


@pytest.fixture(scope="module")
def s3_server():
    from moto.server import ThreadedMotoServer

    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    yield f"http://127.0.0.1:{port}"
    server.stop()


@pytest.fixture
def s3_app(s3_server):
    bucket = f"memi-test-{free_port()}"
    overrides = base_overrides(
        STORAGE="s3",
        S3_BUCKET=bucket,
        S3_ENDPOINT_URL=s3_server,
        S3_REGION="us-east-1",
        S3_ACCESS_KEY_ID="testing",
        S3_SECRET_ACCESS_KEY="testing",
        S3_PUBLIC_BASE_URL="https://cdn.memi.test/media",
    )
    app = create_app(overrides)
    s3 = raw_client(app)
    s3.create_bucket(Bucket=bucket)
    return app


def raw_client(app):
    """A client of our own, to look at the bucket without going through the code under test."""
    return boto3.session.Session().client(
        "s3",
        endpoint_url=app.config["S3_ENDPOINT_URL"],
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )

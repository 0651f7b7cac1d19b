"""A throwaway S3 API server (moto's server mode) on a free loopback port, for the tests that
run the portal against an object store: the two-node test, the storage faults, the backup.

`s3_storage` starts one per test, creates a private bucket, and points Django's default storage
at it (the same options config/settings.py builds from STORAGE_URL)."""

import socket
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass, field

import pytest

KEY, SECRET, REGION = "testing-key", "testing-secret", "us-east-1"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port: int, *, timeout: float = 30, proc=None) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode} before listening")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"nothing listens on 127.0.0.1:{port} after {timeout} s")


@dataclass
class S3Server:
    port: int = field(default_factory=free_port)
    bucket: str = field(default_factory=lambda: f"media-{uuid.uuid4().hex[:8]}")
    proc: subprocess.Popen | None = None

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def storage_url(self) -> str:
        return f"s3+http://{KEY}:{SECRET}@127.0.0.1:{self.port}/{self.bucket}"

    def env(self) -> dict:
        """The variables a subprocess of the portal needs to use this store."""
        return {
            "STORAGE_URL": self.storage_url,
            "AWS_S3_REGION_NAME": REGION,
            # boto3 reads no profile or instance metadata from the test machine
            "AWS_CONFIG_FILE": "/dev/null",
            "AWS_SHARED_CREDENTIALS_FILE": "/dev/null",
            "AWS_EC2_METADATA_DISABLED": "true",
        }

    def start(self) -> None:
        self.proc = subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
            [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(self.port)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_for_port(self.port, proc=self.proc)

    def stop(self) -> None:
        """Stop the server (its objects are lost: moto keeps them in memory)."""
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc = None

    def client(self):
        import boto3

        return boto3.client(
            "s3",
            endpoint_url=self.endpoint,
            aws_access_key_id=KEY,
            aws_secret_access_key=SECRET,
            region_name=REGION,
        )

    def create_bucket(self) -> None:
        self.client().create_bucket(Bucket=self.bucket)

    def keys(self) -> list[str]:
        listed = self.client().list_objects_v2(Bucket=self.bucket)
        return sorted(o["Key"] for o in listed.get("Contents", []))

    def storage_options(self) -> dict:
        from botocore.config import Config

        return {
            "bucket_name": self.bucket,
            "endpoint_url": self.endpoint,
            "access_key": KEY,
            "secret_key": SECRET,
            "region_name": REGION,
            "default_acl": None,
            "file_overwrite": False,
            "querystring_auth": True,
            "client_config": Config(
                connect_timeout=1,
                read_timeout=5,
                retries={"max_attempts": 1, "mode": "standard"},
                signature_version="s3v4",
                s3={"addressing_style": "path"},
            ),
        }


@pytest.fixture
def s3_server():
    server = S3Server()
    server.start()
    server.create_bucket()
    yield server
    server.stop()


@pytest.fixture
def s3_storage(s3_server, settings):
    """Django's default storage is the bucket of a fresh S3 server, for this test."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": s3_server.storage_options(),
        },
    }
    return s3_server

"""A throwaway PostgreSQL database on the test run's server, for tests that need a whole
database of their own (a restore into an empty database, two web nodes sharing one)."""

import uuid
from contextlib import contextmanager
from dataclasses import dataclass

from django.conf import settings


@dataclass(frozen=True)
class Throwaway:
    name: str
    url: str  # DATABASE_URL of the database, for a subprocess
    server: dict  # psycopg2.connect() keywords of the server (without dbname)


@contextmanager
def throwaway_database(prefix: str):
    """Create a fresh database `<prefix>_<random>` next to the test database (same server and
    user); drop it afterwards (WITH FORCE: a subprocess may still hold a connection)."""
    import psycopg2

    db = settings.DATABASES["default"]
    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    server = {"host": db["HOST"], "port": db["PORT"], "user": db["USER"]}
    server["password"] = db["PASSWORD"] or None
    admin = psycopg2.connect(dbname="postgres", **server)
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    url = f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{name}"
    try:
        yield Throwaway(name, url, server)
    finally:
        with admin.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()

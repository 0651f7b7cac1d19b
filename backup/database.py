"""Dump and restore of the configured database: `pg_dump -Fc` / `pg_restore` on PostgreSQL,
SQLite's online backup API on the embedded default.

On PostgreSQL the manifest's figures are read in the very snapshot pg_dump dumps: a
REPEATABLE READ transaction exports its snapshot (`pg_export_snapshot()`), counts the rows and
lists the file references, and pg_dump runs with `--snapshot`, so rows written meanwhile are in
neither. On SQLite the copy is made first and the figures are read from the copy."""

import os
import shutil
import sqlite3
import subprocess
from collections.abc import Callable
from pathlib import Path

from django.db import connection, transaction

from .errors import BackupError

#: The dump's file name in a backup folder, by engine.
DUMP_FILES = {"postgresql": "database.pgdump", "sqlite": "database.sqlite3"}


def engine() -> str:
    if connection.vendor not in DUMP_FILES:
        raise BackupError(f"不支持的数据库 / unsupported database: {connection.vendor}")
    return connection.vendor


def dump(path: Path, read: Callable) -> dict:
    """Write the database to `path`; return `read(cursor)` taken from exactly what was dumped."""
    if connection.in_atomic_block:
        raise BackupError("不能在事务中备份 / cannot back up inside a transaction")
    connection.ensure_connection()
    if engine() == "postgresql":
        return _pg_dump(path, read)
    target = sqlite3.connect(path)
    try:
        connection.connection.backup(target)
        return read(target.cursor())
    finally:
        target.close()


def _pg_dump(path: Path, read: Callable) -> dict:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = cursor.fetchone()[0]
        figures = read(cursor)
        # the transaction stays open until pg_dump has finished with its snapshot
        _run([_tool("pg_dump"), "-Fc", f"--snapshot={snapshot}", "-f", str(path)])
    return figures


def is_empty() -> bool:
    """No table at all: a database just created (`createdb`), not yet migrated."""
    return not connection.introspection.table_names()


def restore(path: Path, *, force: bool) -> None:
    """Load the dump into the configured database. With `force`, what the dump holds replaces
    what is there (PostgreSQL: --clean; SQLite: the file is overwritten)."""
    connection.ensure_connection()
    if engine() == "postgresql":
        command = [_tool("pg_restore"), "--no-owner", "--no-privileges", "--exit-on-error"]
        # one transaction: a restore that fails leaves the database as it was
        command += ["--single-transaction"] + (["--clean", "--if-exists"] if force else [])
        _run([*command, f"--dbname={connection.settings_dict['NAME']}", str(path)])
    else:
        source = sqlite3.connect(path)
        try:
            source.backup(connection.connection)
        finally:
            source.close()
    connection.close()  # the checks that follow read the restored database afresh


def server_version() -> str:
    connection.ensure_connection()
    if engine() == "postgresql":
        return str(connection.pg_version)
    return sqlite3.sqlite_version


def _tool(name: str) -> str:
    path = shutil.which(name)
    if not path:
        raise BackupError(
            f"找不到 {name}，请安装 PostgreSQL 客户端 / {name} not found: install postgresql-client"
        )
    return path


def _pg_env() -> dict[str, str]:
    """Connection settings for the client tools, the password in the environment (never on
    the command line, where `ps` shows it)."""
    settings = connection.settings_dict
    env = dict(os.environ)
    for key, var in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER")):
        if settings.get(key):
            env[var] = str(settings[key])
    if settings.get("PASSWORD"):
        env["PGPASSWORD"] = str(settings["PASSWORD"])
    if settings.get("OPTIONS", {}).get("sslmode"):
        env["PGSSLMODE"] = settings["OPTIONS"]["sslmode"]
    env["PGDATABASE"] = settings["NAME"]
    return env


def _run(command: list[str]) -> None:
    done = subprocess.run(  # noqa: S603 - the PostgreSQL client tools found on PATH, our arguments
        command, env=_pg_env(), capture_output=True, text=True, check=False
    )
    if done.returncode:
        tool = Path(command[0]).name
        detail = done.stderr.strip()[-2000:]
        raise BackupError(f"{tool} 失败 / {tool} failed (exit {done.returncode}): {detail}")

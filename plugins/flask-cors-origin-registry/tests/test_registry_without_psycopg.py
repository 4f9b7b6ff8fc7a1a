"""psycopg is the ``postgresql`` extra: SQLite users install, import and run the plugin
without it, and a PostgreSQL URL without it fails at start-up naming the extra.

Each case runs in a fresh interpreter where ``import psycopg`` fails, as where it is not
installed (``sys.modules["psycopg"] = None`` before anything is imported).
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

BLOCK_PSYCOPG = """
import sys
for name in ("psycopg", "psycopg_binary", "psycopg_c"):
    sys.modules[name] = None  # import psycopg raises ImportError, as when not installed
"""


def run_without_psycopg(body: str, tmp_path: Path) -> dict[str, Any]:
    script = BLOCK_PSYCOPG + textwrap.dedent(body)
    done = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    result: dict[str, Any] = json.loads(done.stdout.splitlines()[-1])
    return result


def test_a_sqlite_registry_works_without_psycopg(tmp_path: Path) -> None:
    result = run_without_psycopg(
        """
        import json
        from flask import Flask
        from flask_cors import CORS
        from flask_cors_origin_registry import registry_for

        app = Flask("sqlite_only")
        app.config["CORS_REGISTRY_URL"] = "sqlite:///registry.sqlite3"
        CORS(app, origins=["https://static.example"])

        @app.get("/api")
        def api():
            return "ok"

        registry_for(app).add("https://tenant.example")
        response = app.test_client().get("/api", headers={"Origin": "https://tenant.example"})
        print(json.dumps({
            "allowed": response.headers.get("Access-Control-Allow-Origin"),
            "psycopg_loaded": sys.modules.get("psycopg") is not None,
        }))
        """,
        tmp_path,
    )
    assert result == {"allowed": "https://tenant.example", "psycopg_loaded": False}


def test_a_postgresql_url_without_psycopg_names_the_extra(tmp_path: Path) -> None:
    result = run_without_psycopg(
        """
        import json
        from flask import Flask
        from flask_cors import CORS, CORSConfigError

        app = Flask("postgres_without_driver")
        app.config["CORS_REGISTRY_URL"] = "postgresql://app@db.invalid/app"
        try:
            CORS(app)
        except CORSConfigError as error:
            print(json.dumps({"option": error.option, "problem": error.problem}))
        else:
            print(json.dumps({}))
        """,
        tmp_path,
    )
    assert result["option"] == "CORS_REGISTRY_URL"
    assert "flask-cors-origin-registry[postgresql]" in result["problem"]
    assert "psycopg" in result["problem"]

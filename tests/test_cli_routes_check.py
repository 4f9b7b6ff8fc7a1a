"""``flask cors routes`` and ``flask cors check`` on real apps."""

from __future__ import annotations

import os
import subprocess
import sys
import warnings
from pathlib import Path

import pytest
from click.testing import Result
from flask import Blueprint, Flask

from flask_cors import CORS, cross_origin
from flask_cors.lint import collecting
from flask_cors.tools.cli import cors as cors_group

pytestmark = pytest.mark.usefixtures("without_installed_plugins")

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
FLASK = Path(sys.executable).parent / "flask"


def invoke(app: Flask, *args: str) -> Result:
    return app.test_cli_runner().invoke(cors_group, list(args))


def policy_app() -> Flask:
    app = Flask("policies")
    app.config["CORS_MAX_AGE"] = 600
    api = Blueprint("shop", __name__, url_prefix="/shop")

    @api.get("/cart")
    def cart() -> str:
        return "cart"

    CORS(api, origins="https://shop.example")
    CORS(
        app,
        origins=["https://app.example.com"],
        resources={r"/api/*": {"expose_headers": ["X-Total"]}, r"/public/.*": {"origins": "*"}},
    )
    app.register_blueprint(api)

    @app.get("/api/items/<int:item_id>")
    def item(item_id: int) -> str:
        return "item"

    @app.get("/public/news")
    def news() -> str:
        return "news"

    @app.get("/private")
    def private() -> str:
        return "private"

    @app.route("/orders", methods=["GET", "POST"])
    @cross_origin(origins="https://orders.example", supports_credentials=True)
    def orders() -> str:
        return "orders"

    return app


def block(output: str, rule: str) -> str:
    """The lines ``flask cors routes`` prints for one rule."""
    for part in output.split("\n\n"):
        if part.startswith(rule + "  "):
            return part
    raise AssertionError(f"{rule} not in output:\n{output}")


# --- flask cors routes ---------------------------------------------------------------------


def test_routes_shows_the_matched_resource_and_sources() -> None:
    result = invoke(policy_app(), "routes")

    assert result.exit_code == 0, result.output
    items = block(result.output, "/api/items/<int:item_id>")
    assert "endpoint item" in items
    assert "its text was matched as the path" in items
    assert "matched: resource '/api/*'" in items
    assert "origins                https://app.example.com  <- keyword arguments to CORS()" in items
    assert "expose_headers         X-Total  <- resources['/api/*']" in items
    assert "max_age                600 s  <- app config CORS_MAX_AGE" in items
    assert (
        "methods                DELETE, GET, HEAD, OPTIONS, PATCH, POST, PUT  <- the defaults"
        in (items)
    )
    public = block(result.output, "/public/news")
    assert "origins                *  <- resources['/public/.*']" in public


def test_routes_shows_decorated_views_blueprints_and_uncovered_rules() -> None:
    result = invoke(policy_app(), "routes")

    orders = block(result.output, "/orders")
    assert "[GET, POST]" in orders
    assert "matched: cross_origin() on endpoint" in orders
    assert "supports_credentials   True  <- cross_origin() on endpoint" in orders
    cart = block(result.output, "/shop/cart")
    assert "of CORS on blueprint 'shop'" in cart
    assert "https://shop.example" in cart
    private = block(result.output, "/private")
    assert private.splitlines()[1:] == ["  no CORS: no resource pattern matches"]


def test_routes_agree_with_what_requests_get() -> None:
    app = policy_app()
    client = app.test_client()
    result = invoke(app, "routes")

    news = client.get("/public/news", headers={"Origin": "https://x.example"})
    assert news.headers["Access-Control-Allow-Origin"] == "https://x.example"
    assert "origins                *" in block(result.output, "/public/news")
    item = client.get("/api/items/3", headers={"Origin": "https://app.example.com"})
    assert item.headers["Access-Control-Expose-Headers"] == "X-Total"


@pytest.mark.parametrize("command", ["routes", "check"])
def test_an_app_without_cors_exits_with_status_2(command: str) -> None:
    result = invoke(Flask("bare"), command)
    assert result.exit_code == 2
    assert (
        "Error: CORS is not set up on app 'bare': no CORS(app) or init_app(app) call, and no "
        "view decorated with cross_origin"
    ) in result.output


def test_routes_of_an_app_with_only_decorated_views() -> None:
    app = Flask("decorated")

    @app.get("/v")
    @cross_origin(origins="https://v.example")
    def view() -> str:
        return "v"

    result = invoke(app, "routes")
    assert result.exit_code == 0, result.output
    assert "matched: cross_origin() on endpoint" in block(result.output, "/v")


# --- flask cors check ------------------------------------------------------------------------


def test_check_clean_configuration_exits_zero() -> None:
    result = invoke(policy_app(), "check")

    # The decorated view's options are built (and linted) by the command itself.
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "No CORS configuration problems found in app 'policies'."


def test_check_reports_errors_and_exits_non_zero() -> None:
    app = Flask("broken")
    with collecting():
        CORS(app, supports_credentials=True, resources={"/api/*/items": {}}, max_age=86400)

    result = invoke(app, "check")

    assert result.exit_code == 1
    output = result.output
    assert output.startswith("CORS configuration lint of app 'broken': 1 error, 1 warning, 1 info")
    assert "ERROR    credentials-any-origin" in output
    assert "WARNING  resource-glob" in output
    assert "INFO     max-age-capped" in output
    assert "fix: " in output
    assert output.index("ERROR") < output.index("WARNING") < output.index("INFO")


def test_check_warnings_alone_exit_zero_unless_strict() -> None:
    app = Flask("warned")
    with collecting():
        CORS(app, origins="https://app.example.com/")
    assert invoke(app, "check").exit_code == 0

    strict = Flask("strict")
    strict.config["CORS_LINT_STRICT"] = True
    with collecting():
        CORS(strict, origins="https://app.example.com/")
    result = invoke(strict, "check")
    assert result.exit_code == 1
    assert "lint_strict is on: warnings count as errors." in result.output


def test_check_lists_ignored_ids() -> None:
    app = Flask("ignoring")
    CORS(app, supports_credentials=True, lint_ignore=["credentials-any-origin"])

    result = invoke(app, "check")

    assert result.exit_code == 0
    assert "ignored (lint_ignore): credentials-any-origin" in result.output


def test_check_finds_a_layer_added_after_cors() -> None:
    app = Flask("layers")
    CORS(app, origins="https://app.example.com")

    @app.after_request
    def set_cors_headers(response):  # type: ignore[no-untyped-def]
        return response

    result = invoke(app, "check")
    assert result.exit_code == 0
    assert "WARNING  multiple-cors-layers" in result.output
    assert "set_cors_headers" in result.output


def test_check_lints_decorated_views_before_any_request() -> None:
    app = Flask("views")

    @app.get("/v")
    @cross_origin(supports_credentials=True)
    def view() -> str:
        return "v"

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        result = invoke(app, "check")
    assert result.exit_code == 1
    assert "credentials-any-origin" in result.output
    assert "cross_origin() on endpoint" in result.output


# --- through the flask command, on the documented example -------------------------------------


def run_flask(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "FLASK_CORS_DISABLE_PLUGIN_AUTOLOAD": "1", "PYTHONWARNINGS": "error"}
    env.pop("FLASK_APP", None)
    return subprocess.run(
        [str(FLASK), *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=60,
        check=False,
    )


@pytest.mark.skipif(not FLASK.exists(), reason="the flask command is not installed")
def test_flask_cors_check_on_the_lint_example() -> None:
    broken = run_flask("--app", "examples/lint.py:create_app", "cors", "check")
    assert broken.returncode == 1, broken.stderr
    assert "3 errors, 5 warnings, 1 info" in broken.stdout
    assert broken.stderr == ""  # loading the app for the report warns about nothing

    fixed = run_flask("--app", "examples/lint.py:create_fixed_app", "cors", "check")
    assert fixed.returncode == 0, fixed.stdout + fixed.stderr
    assert fixed.stdout == "No CORS configuration problems found in app 'lint'.\n"


@pytest.mark.skipif(not FLASK.exists(), reason="the flask command is not installed")
def test_flask_cors_routes_on_the_lint_example() -> None:
    result = run_flask("--app", "examples/lint.py:create_app", "cors", "routes")
    assert result.returncode == 0, result.stderr
    assert "no CORS: no resource pattern matches" in block(result.stdout, "/files/report.txt")

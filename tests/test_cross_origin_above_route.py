"""``cross_origin`` written above ``@app.route``: the lint finding ``cross-origin-above-route``
(docs/lint.md, "The checks"), at ``CORS(app)`` and in ``flask cors check``."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import Blueprint, Flask

from flask_cors import CORS, cross_origin
from flask_cors.lint import CORSLintError, collecting
from flask_cors.tools.cli import cors as cors_group

pytestmark = pytest.mark.usefixtures("without_installed_plugins")

ORIGIN = "https://app.example.com"
CHECK = "cross-origin-above-route"


def slipped_app(name: str = "slipped") -> Flask:
    """An app whose view has the decorator above the route (the route got the bare view)."""
    app = Flask(name)

    @cross_origin(origins=ORIGIN)
    @app.route("/report")
    def report() -> str:
        return "report"

    @app.get("/fine")
    @cross_origin(origins=ORIGIN)
    def fine() -> str:
        return "fine"

    return app


def ids(app: Flask) -> list[str]:
    return [finding.id for finding in app.extensions["cors"].linter.findings]


def test_decorator_above_the_route_gives_no_cors_headers() -> None:
    """What the finding is about: the slip silently does nothing."""
    response = slipped_app().test_client().get("/report", headers={"Origin": ORIGIN})
    assert "Access-Control-Allow-Origin" not in response.headers


def test_cors_app_reports_the_decorator_above_the_route_as_a_warning() -> None:
    app = slipped_app()
    with collecting():
        CORS(app, resources={"/api/*": {}})

    [finding] = [f for f in app.extensions["cors"].linter.findings if f.id == CHECK]
    assert finding.severity == "warning"
    assert finding.where == "app 'slipped'"
    assert finding.option == "cross_origin"
    # The wrapper, made inside the factory, is gone by now: the slip is still seen.
    assert "'slipped_app.<locals>.report' of endpoint 'report' (rule '/report')" in (
        finding.problem
    )
    assert "decorator is written above the route decorator" in finding.problem
    assert finding.fix.startswith("put @cross_origin(...) below @app.route(...)")


def test_lint_strict_refuses_the_decorator_above_the_route_at_start_up() -> None:
    app = slipped_app()
    with pytest.raises(CORSLintError, match=CHECK) as raised:
        CORS(app, lint_strict=True)
    assert raised.value.id == CHECK


def test_lint_ignore_silences_the_decorator_above_the_route() -> None:
    app = slipped_app()
    CORS(app, lint_strict=True, lint_ignore=[CHECK])
    assert CHECK not in ids(app)


def below() -> Flask:
    app = Flask("below")

    @app.get("/a")
    @cross_origin(origins=ORIGIN)
    def a() -> str:
        return "a"

    return app


def shared_function() -> Flask:
    """One function served plain at /plain and decorated at /decorated: no slip."""
    app = Flask("shared")

    def view() -> str:
        return "view"

    app.add_url_rule("/plain", "plain", view)
    app.add_url_rule("/decorated", "decorated", cross_origin(origins=ORIGIN)(view))
    return app


def under_another_decorator() -> Flask:
    """``@app.route`` over another decorator over ``cross_origin``: the route serves a
    wrapper of the decorated function."""
    app = Flask("stacked")

    def logged(view: Callable[[], str]) -> Callable[[], str]:
        def inner() -> str:
            return view()

        return inner

    @app.get("/s")
    @logged
    @cross_origin(origins=ORIGIN)
    def s() -> str:
        return "s"

    return app


@pytest.mark.parametrize("make", [below, shared_function, under_another_decorator])
def test_decorator_that_a_route_serves_is_not_reported(make: Callable[[], Flask]) -> None:
    app = make()
    CORS(app, lint_strict=True, resources={"/api/*": {}})
    assert CHECK not in ids(app)


def test_decorator_above_a_blueprint_route_is_reported_by_check() -> None:
    app = Flask("blueprints")
    CORS(app, origins=ORIGIN)  # before the blueprint: CORS(app) cannot see its views yet
    shop = Blueprint("shop", __name__, url_prefix="/shop")

    @cross_origin(origins=ORIGIN)
    @shop.get("/cart")
    def cart() -> str:
        return "cart"

    app.register_blueprint(shop)

    result = app.test_cli_runner().invoke(cors_group, ["check"])
    assert result.exit_code == 0, result.output  # a warning
    assert f"WARNING  {CHECK}" in result.output
    assert "endpoint 'shop.cart' (rule '/shop/cart')" in result.output


@pytest.mark.parametrize(("strict", "status"), [(False, 0), (True, 1)])
def test_check_reports_the_decorator_above_the_route_of_an_app_without_cors_app(
    strict: bool, status: int
) -> None:
    """A decorator-only app whose only decorator is misplaced: check still runs the lint."""
    app = Flask("only-slipped")
    app.config["CORS_LINT_STRICT"] = strict

    @cross_origin(origins=ORIGIN)
    @app.route("/report")
    def report() -> str:
        return "report"

    result = app.test_cli_runner().invoke(cors_group, ["check"])
    assert result.exit_code == status, result.output
    assert f"WARNING  {CHECK}" in result.output

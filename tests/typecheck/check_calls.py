"""Calls of ``CORS``, ``init_app`` and ``cross_origin`` that a type checker must accept or
flag, checked by mypy ``--strict`` (tests/test_typing.py) and also run against real apps.

Every case is a function registered in one of four tables:

- ``RIGHT``: well-typed calls that start an app (``assert_type`` pins the result types);
- ``WRONG``: one ill-typed call each, marked ``# type: ignore[<code>]`` with the error
  mypy must report on that line; ``--warn-unused-ignores`` fails the check when a wrong
  call stops being an error. Each also fails at start-up (with lint_strict on), so the
  types refuse nothing the run time accepts;
- ``REFUSED_AT_START``: well-typed calls whose *value* is wrong (the types cannot say
  "not negative"): start-up refuses them;
- ``NARROWER``: values the run time takes but the types deliberately refuse (one mark
  each, as in ``WRONG``).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from flask import Blueprint, Flask
from typing_extensions import assert_type

from flask_cors import (
    CORS,
    AppSettings,
    CORSArguments,
    CORSConfigError,
    ResourceOptions,
    cross_origin,
    hookimpl,
)

Case = Callable[[], object]

RIGHT: list[Case] = []
#: A case, the error it raises at run time, and a text of that error's message.
WRONG: list[tuple[Case, type[Exception], str]] = []
REFUSED_AT_START: list[tuple[Case, str]] = []
NARROWER: list[Case] = []

ORIGIN = "https://app.example"


def right(case: Case) -> Case:
    RIGHT.append(case)
    return case


def wrong(says: str, error: type[Exception] = CORSConfigError) -> Callable[[Case], Case]:
    def register(case: Case) -> Case:
        WRONG.append((case, error, says))
        return case

    return register


def refused_at_start(says: str) -> Callable[[Case], Case]:
    def register(case: Case) -> Case:
        REFUSED_AT_START.append((case, says))
        return case

    return register


def narrower(case: Case) -> Case:
    NARROWER.append(case)
    return case


def strict_app() -> Flask:
    """An app whose lint findings are errors: an unknown name fails its start-up."""
    app = Flask("typing")
    app.config["CORS_LINT_STRICT"] = True
    return app


class Tagging:
    """A plugin that takes per-resource settings under the name ``tagging``."""

    @hookimpl
    def plugin_settings(self, plugin: str, settings: object) -> object | None:
        return settings if plugin == "tagging" else None


def view() -> str:
    return "view"


# --- right ------------------------------------------------------------------------------


@right
def every_option_in_each_accepted_form() -> CORS:
    return CORS(
        strict_app(),
        origins=[ORIGIN, re.compile(r"https://[a-z]+\.app\.example")],
        methods="GET, POST",
        allow_headers=["Content-Type", re.compile(r"x-app-.+")],
        expose_headers="X-Total, X-Page",
        supports_credentials="true",
        max_age=timedelta(minutes=10),
        send_wildcard=False,
        vary_header="on",
        automatic_options=True,
        intercept_exceptions="0",
        always_send="yes",
        allow_private_network=False,
        cross_origin_protection="report-only",
    )


@right
def options_as_other_forms() -> CORS:
    return CORS(
        strict_app(),
        origins=(ORIGIN, "https://admin.app.example"),
        methods={"GET", "PUT"},
        allow_headers=re.compile(r"x-.+"),
        expose_headers=None,
        max_age="600",
    )


@right
def options_as_single_values() -> CORS:
    return CORS(
        strict_app(),
        origins=re.compile(r"https://app\.example"),
        methods=["GET"],
        allow_headers="*",
        expose_headers=frozenset({"X-Total"}),
        max_age=None,
    )


@right
def app_settings() -> CORS:
    return CORS(
        strict_app(),
        origins=ORIGIN,
        plugins=[Tagging()],
        plugin_discovery="off",
        blocked_plugins=(),
        trace_hooks=False,
        raise_plugin_errors="yes",
        lint_strict=True,
        lint_ignore="origin-uppercase, max-age-capped",
    )


@right
def app_settings_as_lists() -> CORS:
    return CORS(
        strict_app(),
        origins=ORIGIN,
        blocked_plugins=["vary"],
        lint_ignore=["origin-uppercase"],
        lint_strict="true",
    )


@right
def resources_as_one_pattern() -> None:
    CORS(strict_app(), resources="/api/*", origins=ORIGIN)
    CORS(strict_app(), resources=re.compile(r"/api/v[0-9]+/.*"), origins=ORIGIN)


@right
def resources_as_a_list() -> CORS:
    return CORS(strict_app(), resources=["/api/*", re.compile(r"/v[0-9]/.*")], origins=ORIGIN)


@right
def resources_as_a_dict_with_string_and_pattern_keys() -> CORS:
    return CORS(
        strict_app(),
        resources={
            "/api/*": {"origins": [ORIGIN], "max_age": 600, "plugins": {"tagging": "api"}},
            re.compile(r"/v[0-9]/.*"): {"origins": ORIGIN, "supports_credentials": True},
        },
        plugins=[Tagging()],
    )


@right
def resources_from_an_annotated_variable() -> CORS:
    resources: dict[str, ResourceOptions] = {"/api/*": {"origins": [ORIGIN]}}
    return CORS(strict_app(), resources=resources)


@right
def keyword_arguments_from_typed_dicts() -> CORS:
    options: CORSArguments = {"origins": ORIGIN, "resources": "/api/*", "lint_strict": True}
    cors = CORS(**options)
    settings: AppSettings = {"lint_strict": "on"}
    cors.init_app(strict_app(), **settings)
    return cors


@right
def keyword_arguments_from_an_untyped_dict() -> CORS:
    # A dict[str, Any] is not checked (its values are Any): what a config loader returns.
    loaded: dict[str, Any] = {"origins": ORIGIN}
    return CORS(strict_app(), **loaded)


@right
def init_app_later() -> None:
    cors = CORS(origins=ORIGIN)
    assert_type(cors.init_app(strict_app(), max_age=600, supports_credentials=True), None)


@right
def on_a_blueprint() -> Flask:
    blueprint = Blueprint("api", __name__)
    CORS(blueprint, origins=ORIGIN, resources={"/*": {"plugins": {"tagging": 1}}})
    app = strict_app()
    CORS(app, origins=ORIGIN, plugins=[Tagging()])
    app.register_blueprint(blueprint, url_prefix="/api")
    return app


@right
def cross_origin_keeps_the_view_type() -> Flask:
    app = strict_app()
    vary = cross_origin(
        origins=[ORIGIN],
        methods="GET",
        max_age=600,
        vary_header="true",
        cross_origin_protection=True,
    )
    app.route("/vary")(vary(view))
    assert_type(vary(view), Callable[[], str])

    @app.route("/")
    @cross_origin(origins=ORIGIN, supports_credentials=True, plugins={"tagging": "view"})
    def index() -> str:
        return "index"

    assert_type(index, Callable[[], str])
    CORS(app, origins=ORIGIN, plugins=[Tagging()])
    return app


def tenant_origin(origin: str) -> bool:
    """An origins function: the origin as sent, True to allow it."""
    return origin.endswith(".tenants.app.example")


@right
def origins_with_a_function() -> Flask:
    app = strict_app()
    CORS(app, resources={"/api/*": {"origins": [ORIGIN, tenant_origin]}})

    @app.route("/tenant")
    @cross_origin(origins=tenant_origin, supports_credentials=True)
    def tenant() -> str:
        return "tenant"

    assert_type(tenant, Callable[[], str])
    CORS(strict_app(), origins=frozenset({ORIGIN}).__contains__)
    return app


# --- wrong ------------------------------------------------------------------------------


@wrong("'orgins'")
def misspelt_option() -> None:
    CORS(strict_app(), orgins=[ORIGIN])  # type: ignore[call-arg]


@wrong("'supports_credential'")
def misspelt_option_in_init_app() -> None:
    CORS().init_app(strict_app(), supports_credential=True)  # type: ignore[call-arg]


@wrong("'supports_credentials'")
def boolean_as_a_list() -> None:
    CORS(strict_app(), origins=ORIGIN, supports_credentials=[1])  # type: ignore[arg-type]


@wrong("'vary_header'")
def boolean_as_an_int() -> None:
    CORS(strict_app(), origins=ORIGIN, vary_header=0)  # type: ignore[arg-type]


@wrong("'trace_hooks'")
def app_setting_as_none() -> None:
    CORS(strict_app(), trace_hooks=None)  # type: ignore[arg-type]


@wrong("'max_age'")
def max_age_as_a_float() -> None:
    CORS(strict_app(), max_age=1.5)  # type: ignore[arg-type]


@wrong("'origins'")
def origins_as_bytes() -> None:
    CORS(strict_app(), origins=b"https://app.example")  # type: ignore[arg-type]


@wrong("'origins'")
def origins_as_a_dict() -> None:
    CORS(strict_app(), origins={ORIGIN: True})  # type: ignore[arg-type]


@wrong("cannot be called with one argument")
def origins_function_without_the_origin() -> None:
    def allow_all() -> bool:
        return True

    CORS(strict_app(), origins=allow_all)  # type: ignore[arg-type]


@wrong("'origins'")
def origins_as_none() -> None:
    CORS(strict_app(), origins=None)  # type: ignore[arg-type]


@wrong("'origins'")
def origins_with_a_bytes_pattern() -> None:
    pattern = re.compile(b"https://.*")
    CORS(strict_app(), origins=[pattern])  # type: ignore[list-item]


@wrong("'methods'")
def methods_as_a_pattern() -> None:
    CORS(strict_app(), methods=re.compile("GET|POST"))  # type: ignore[arg-type]


@wrong("'expose_headers'")
def expose_headers_with_a_pattern() -> None:
    CORS(strict_app(), expose_headers=[re.compile("x-.*")])  # type: ignore[list-item]


@wrong("'orgins'")
def misspelt_option_in_a_resource() -> None:
    CORS(strict_app(), resources={"/api/*": {"orgins": ORIGIN}})  # type: ignore[typeddict-unknown-key]


@wrong("'max_age'")
def wrong_type_in_a_resource() -> None:
    CORS(strict_app(), resources={"/api/*": {"max_age": 1.5}})  # type: ignore[typeddict-item]


@wrong("must be a dict")
def resource_options_not_a_dict() -> None:
    CORS(strict_app(), resources={"/api/*": ORIGIN})  # type: ignore[dict-item]


@wrong("'plugins'")
def resource_plugins_as_a_list() -> None:
    CORS(strict_app(), resources={"/*": {"plugins": ["tagging"]}})  # type: ignore[typeddict-item]


@wrong("'lint_strict'")
def app_setting_in_a_resource() -> None:
    CORS(strict_app(), resources={"/*": {"lint_strict": True}})  # type: ignore[typeddict-unknown-key]


@wrong("'resources'")
def resources_as_none() -> None:
    CORS(strict_app(), resources=None)  # type: ignore[arg-type]


@wrong("'plugins'")
def app_plugins_as_a_dict() -> None:
    CORS(strict_app(), plugins={"tagging": Tagging()})  # type: ignore[arg-type]


@wrong("'lint_ignore'")
def lint_ignore_with_a_number() -> None:
    CORS(strict_app(), lint_ignore=[1])  # type: ignore[list-item]


@wrong("positional arguments", TypeError)
def options_given_by_position() -> None:
    CORS(strict_app(), ORIGIN)  # type: ignore[call-arg]


@wrong("'orgins'")
def cross_origin_misspelt_option() -> None:
    app = strict_app()
    app.route("/")(cross_origin(orgins=ORIGIN)(view))  # type: ignore[call-arg]
    CORS(app, origins=ORIGIN)


@wrong("'resources'")
def cross_origin_with_resources() -> None:
    app = strict_app()
    app.route("/")(cross_origin(resources="/api/*")(view))  # type: ignore[call-arg]
    CORS(app, origins=ORIGIN)


@wrong("'lint_ignore'")
def cross_origin_with_an_app_setting() -> None:
    app = strict_app()
    app.route("/")(cross_origin(lint_ignore="origin-uppercase")(view))  # type: ignore[call-arg]
    CORS(app, origins=ORIGIN)


@wrong("'plugins'")
def cross_origin_plugins_as_a_list() -> None:
    cross_origin(plugins=["tagging"])(view)  # type: ignore[arg-type]


@wrong("'always_send'")
def cross_origin_boolean_as_a_list() -> None:
    cross_origin(always_send=[True])(view)  # type: ignore[arg-type]


@wrong("keyword arguments only", TypeError)
def cross_origin_without_parentheses() -> None:
    cross_origin(view)  # type: ignore[arg-type]


# --- well-typed values that start-up refuses --------------------------------------------


@refused_at_start("'supports_credentials'")
def boolean_string_that_is_no_boolean() -> None:
    CORS(strict_app(), origins=ORIGIN, supports_credentials="maybe")


@refused_at_start("'cross_origin_protection'")
def protection_mode_that_is_no_mode() -> None:
    CORS(strict_app(), origins=ORIGIN, cross_origin_protection="sometimes")


@refused_at_start("must not be negative")
def negative_max_age() -> None:
    CORS(strict_app(), max_age=-1)


@refused_at_start("'max_age'")
def max_age_as_a_boolean() -> None:
    CORS(strict_app(), max_age=True)  # bool is an int to a type checker


@refused_at_start("'methods'")
def method_that_is_no_method_name() -> None:
    CORS(strict_app(), methods="*")


@refused_at_start("'plugins'")
def plugins_as_one_string() -> None:
    CORS(strict_app(), plugins="some.module")  # a str is a sequence to a type checker


@refused_at_start("must be a string")
def resource_pattern_that_is_no_string() -> None:
    CORS(strict_app(), resources={1: {"origins": ORIGIN}})  # dict keys are not typed


@refused_at_start("'lint_ignore'")
def lint_ignore_with_an_unknown_id() -> None:
    CORS(strict_app(), lint_ignore="orgin-uppercase")


# --- taken at run time, refused by the types --------------------------------------------


@narrower
def origins_as_a_generator() -> None:
    CORS(strict_app(), origins=(o for o in [ORIGIN]))  # type: ignore[arg-type]


@narrower
def resources_as_a_set() -> None:
    CORS(strict_app(), resources={"/api/*"}, origins=ORIGIN)  # type: ignore[arg-type]

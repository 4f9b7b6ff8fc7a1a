"""One small plugin per hook, as shown in the hook reference.

Every class here is an ordinary object whose methods carry ``@flask_cors.hookimpl``;
register an instance with ``CORS(app, plugins=[...])`` or, later, with
``app.extensions["cors"].pm.register(...)``.
"""

from __future__ import annotations

import logging
from collections.abc import Generator, Iterable, Mapping
from typing import Literal

from flask import Flask, Request
from flask.wrappers import Response

import flask_cors
from flask_cors import CorsOptions
from flask_cors.decision import Decision
from flask_cors.options import ALLOW_ORIGIN


class TenantOrigins:
    """``config_keys`` + ``configure`` + ``match_origin``: allowed origins read from the
    app config key ``CORS_TENANT_ORIGINS`` (``FLASK_CORS_TENANT_ORIGINS`` in the
    environment, through ``app.config.from_prefixed_env()``)."""

    @flask_cors.hookimpl
    def config_keys(self) -> Iterable[str]:
        return ("CORS_TENANT_ORIGINS",)  # known to the lint: not an unknown option

    @flask_cors.hookimpl
    def configure(self, app: Flask) -> None:
        origins = app.config.get("CORS_TENANT_ORIGINS", [])
        app.extensions["tenant_origins"] = {origin.lower() for origin in origins}

    @flask_cors.hookimpl
    def match_origin(self, app: Flask, origin: str) -> bool | None:
        if origin.lower() in app.extensions["tenant_origins"]:
            return True
        return None  # no opinion: the configured origins still apply


class PartnerOrigins:
    """``plugin_settings`` + ``match_origin``: origins given per resource.

    ``resources={"/api/*": {"plugins": {"partners": ["https://partner.example"]}}}``
    """

    @flask_cors.hookimpl
    def plugin_settings(self, plugin: str, settings: object) -> frozenset[str] | None:
        if plugin != "partners":
            return None  # someone else's settings
        if not isinstance(settings, list | tuple) or not all(
            isinstance(origin, str) and origin.startswith("https://") for origin in settings
        ):
            raise ValueError("expected a list of https:// origins")
        return frozenset(origin.lower() for origin in settings)

    @flask_cors.hookimpl
    def match_origin(self, origin: str, options: CorsOptions) -> bool | None:
        partners = options.plugins.get("partners")
        if isinstance(partners, frozenset) and origin.lower() in partners:
            return True
        return None


class NoCorsForInternalPaths:
    """``resolve_options``: switch CORS off for ``/internal/`` whatever the resources say."""

    @flask_cors.hookimpl
    def resolve_options(self, request: Request) -> Literal[False] | None:
        if request.path.startswith("/internal/"):
            return False
        return None


class ReadOnlyMode:
    """``build_preflight``: while ``READ_ONLY`` is set, refuse preflights for writes."""

    @flask_cors.hookimpl
    def build_preflight(
        self, app: Flask, origin: str, request_method: str
    ) -> Mapping[str, str] | None:
        if app.config.get("READ_ONLY") and request_method not in ("GET", "HEAD"):
            # The origin alone, without Access-Control-Allow-Methods: the browser refuses.
            return {ALLOW_ORIGIN: origin}
        return None


class StampedResponses:
    """``build_response`` as a wrapper: see and change the default headers."""

    @flask_cors.hookimpl(wrapper=True)
    def build_response(
        self, origin: str | None
    ) -> Generator[None, Mapping[str, str] | None, Mapping[str, str] | None]:
        headers = yield
        if headers and origin is not None:
            # Let the allowed page read the one header it needs, whatever the options say.
            return {**headers, "Access-Control-Expose-Headers": "X-Request-Id"}
        return headers


class TimingAllowOrigin:
    """``add_headers``: add ``Timing-Allow-Origin`` to every allowed actual response."""

    @flask_cors.hookimpl
    def add_headers(self, origin: str | None, preflight: bool) -> Mapping[str, str] | None:
        if origin is None or preflight:
            return None
        return {"Timing-Allow-Origin": origin}


class VaryOnTenantHeader:
    """``vary``: a plugin whose answers depend on another request header names it."""

    @flask_cors.hookimpl
    def vary(self, options: CorsOptions) -> Iterable[str] | None:
        return ("X-Tenant",) if options.plugins.get("partners") else None


class AuditLog:
    """``observe_decision``: keep (and log) a record of every denied request."""

    def __init__(self) -> None:
        self.denied: list[dict[str, object]] = []
        self.log = logging.getLogger("myapp.cors.audit")

    @flask_cors.hookimpl
    def observe_decision(self, decision: Decision) -> None:
        if decision.outcome == "denied":
            self.denied.append(decision.as_dict())
            self.log.warning("CORS denied: %s", decision.reason)


class DenyListFirst:
    """``tryfirst``: answer before every other plugin, so a deny list always wins."""

    def __init__(self, denied: Iterable[str]) -> None:
        self.denied = {origin.lower() for origin in denied}

    @flask_cors.hookimpl(tryfirst=True)
    def match_origin(self, origin: str) -> bool | None:
        return False if origin.lower() in self.denied else None


def create_app() -> Flask:
    """An app with every plugin above registered."""
    app = Flask(__name__)
    app.config["CORS_TENANT_ORIGINS"] = ["https://tenant-a.example", "https://tenant-b.example"]
    audit = AuditLog()
    flask_cors.CORS(
        app,
        origins=["https://app.example.com"],
        allow_private_network=True,
        plugins=[
            TenantOrigins(),
            PartnerOrigins(),
            NoCorsForInternalPaths(),
            ReadOnlyMode(),
            StampedResponses(),
            TimingAllowOrigin(),
            VaryOnTenantHeader(),
            audit,
            DenyListFirst(["https://tenant-b.example"]),
        ],
        resources={
            "/api/partners/*": {"plugins": {"partners": ["https://partner.example"]}},
            "/*": {},
        },
    )
    app.extensions["audit"] = audit

    @app.route("/api/items", methods=["GET", "PUT"])
    def items() -> Response:
        return Response("items")

    @app.get("/api/partners/feed")
    def partner_feed() -> Response:
        return Response("feed")

    @app.get("/internal/metrics")
    def metrics() -> Response:
        return Response("metrics")

    return app

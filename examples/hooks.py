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
    """``configure`` + ``match_origin``: allowed origins read from the app config."""

    @flask_cors.hookimpl
    def configure(self, app: Flask) -> None:
        origins = app.config.get("TENANT_ORIGINS", [])
        app.extensions["tenant_origins"] = {origin.lower() for origin in origins}

    @flask_cors.hookimpl
    def match_origin(self, origin: str, options: CorsOptions, request: Request) -> bool | None:
        from flask import current_app

        if origin.lower() in current_app.extensions["tenant_origins"]:
            return True
        return None  # no opinion: the configured origins still apply


class NoCorsForInternalPaths:
    """``resolve_options``: switch CORS off for ``/internal/`` whatever the resources say."""

    @flask_cors.hookimpl
    def resolve_options(self, request: Request) -> Literal[False] | None:
        if request.path.startswith("/internal/"):
            return False
        return None


class ReadOnlyMode:
    """``build_preflight``: while ``READ_ONLY`` is set, refuse preflights for writes."""

    def __init__(self, app: Flask) -> None:
        self.app = app

    @flask_cors.hookimpl
    def build_preflight(
        self, origin: str, options: CorsOptions, request_method: str
    ) -> Mapping[str, str] | None:
        if self.app.config.get("READ_ONLY") and request_method not in ("GET", "HEAD"):
            # The origin alone, without Access-Control-Allow-Methods: the browser refuses.
            return {ALLOW_ORIGIN: origin}
        return None


class TimingAllowOrigin:
    """``build_response`` as a wrapper: add ``Timing-Allow-Origin`` to the default headers."""

    @flask_cors.hookimpl(wrapper=True)
    def build_response(
        self, origin: str | None
    ) -> Generator[None, Mapping[str, str] | None, Mapping[str, str] | None]:
        headers = yield
        if headers and origin is not None and ALLOW_ORIGIN in headers:
            return {**headers, "Timing-Allow-Origin": headers[ALLOW_ORIGIN]}
        return headers


class VaryOnPrivateNetwork:
    """``vary``: preflight answers that depend on the private-network request header."""

    @flask_cors.hookimpl
    def vary(self, options: CorsOptions, preflight: bool) -> Iterable[str] | None:
        if preflight and options.allow_private_network:
            return ("Access-Control-Request-Private-Network",)
        return None


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
    app.config["TENANT_ORIGINS"] = ["https://tenant-a.example", "https://tenant-b.example"]
    audit = AuditLog()
    flask_cors.CORS(
        app,
        origins=["https://app.example.com"],
        allow_private_network=True,
        plugins=[
            TenantOrigins(),
            NoCorsForInternalPaths(),
            ReadOnlyMode(app),
            TimingAllowOrigin(),
            VaryOnPrivateNetwork(),
            audit,
            DenyListFirst(["https://tenant-b.example"]),
        ],
    )
    app.extensions["audit"] = audit

    @app.route("/api/items", methods=["GET", "PUT"])
    def items() -> Response:
        return Response("items")

    @app.get("/internal/metrics")
    def metrics() -> Response:
        return Response("metrics")

    return app

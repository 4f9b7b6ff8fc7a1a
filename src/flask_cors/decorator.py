"""``cross_origin``: CORS for one view, configured where the view is defined."""

from __future__ import annotations

import logging
import sys
import weakref
from collections.abc import Callable
from functools import wraps
from typing import TYPE_CHECKING, Any, TypeVar

from flask import current_app, make_response, request

from .arguments import ResourceOptions
from .decide import SAFE_METHODS
from .options import DEFAULTS, OPTION_NAMES, build_options
from .pipeline import PROTECTION_CHECKED
from .views import VIEW_ATTRIBUTE, ViewSpec, answers_options, record_wrapped

if sys.version_info >= (3, 11):
    from typing import Never, Unpack
elif TYPE_CHECKING:  # pragma: no cover
    from typing_extensions import Never, Unpack

__all__ = ["ViewSpec", "cross_origin"]

F = TypeVar("F", bound=Callable[..., Any])

log = logging.getLogger("flask_cors")
#: Apps whose refused configuration was logged already (once per app, not per request).
_reported: weakref.WeakSet[Any] = weakref.WeakSet()


def cross_origin(*args: Never, **kwargs: Unpack[ResourceOptions]) -> Callable[[F], F]:
    """Enable CORS on one view; put it below ``@app.route(...)``.

    Takes every option of :class:`flask_cors.CORS` except ``resources``, and ``plugins``
    as a dict of per-view plugin settings; values not given here come from the app's
    ``CORS_*`` config, then from the defaults. With ``automatic_options=True`` (the
    default) the view answers ``OPTIONS`` requests itself with CORS headers; with
    ``False`` the view function receives them.
    """
    if args:
        raise TypeError(
            "cross_origin() takes keyword arguments only, e.g. cross_origin(origins=...)"
        )

    def decorator(view: F) -> F:
        spec = ViewSpec(getattr(view, "__qualname__", repr(view)), kwargs, OPTION_NAMES)
        # Validate types and values now, against the defaults alone.
        build_options([(spec.source, spec.kwargs)], resource=spec.source, decorated=True)
        # Whether OPTIONS reaches the wrapper is fixed now, when the route is registered;
        # whether the wrapper answers it also depends on CORS_AUTOMATIC_OPTIONS, so that
        # is decided per app, from the view's resolved options.
        routes_options = spec.kwargs.get("automatic_options", DEFAULTS["automatic_options"])

        @wraps(view)
        def wrapped(*view_args: Any, **view_kwargs: Any) -> Any:
            from .extension import state_for

            app = current_app._get_current_object()  # type: ignore[attr-defined]
            try:
                state = state_for(app)
            except Exception:
                # The app's CORS_* config cannot be used: fail closed, never a 500.
                if app not in _reported:
                    _reported.add(app)
                    log.error(
                        "CORS is not set up for app %r: its configuration is refused; "
                        "cross_origin views answer without CORS headers",
                        app.name,
                        exc_info=True,
                    )
                return app.ensure_sync(view)(*view_args, **view_kwargs)
            if request.method not in SAFE_METHODS and PROTECTION_CHECKED not in request.environ:
                # No seam in front of the app judged it (no CORS(app), say): cross-origin
                # protection judges it here, before the view runs.
                current = request._get_current_object()  # type: ignore[attr-defined]
                options = state.request_view_options(spec, request.endpoint)
                refused = state.pipeline.guard_view(current, options or None)
                if refused is not None:
                    return refused
            if request.method == "OPTIONS" and answers_options(state, spec, request.endpoint):
                response = _options_response(app)
            elif state.extension_installed:
                return app.ensure_sync(view)(*view_args, **view_kwargs)
            else:
                response = make_response(app.ensure_sync(view)(*view_args, **view_kwargs))
            if not state.extension_installed:
                # No CORS(app): the app has no after_request of ours, so finish here.
                state.pipeline.finish(request._get_current_object(), response)  # type: ignore[attr-defined]
            return response

        if routes_options:
            wrapped.provide_automatic_options = False  # type: ignore[attr-defined]
            wrapped.required_methods = ["OPTIONS"]  # type: ignore[attr-defined]
        setattr(wrapped, VIEW_ATTRIBUTE, spec)
        # Lets the lint find the decorator written above @app.route (cross-origin-above-route).
        record_wrapped(view, wrapped)
        return wrapped  # type: ignore[return-value]

    return decorator


def _options_response(app: Any) -> Any:
    """Flask's automatic answer to ``OPTIONS``: an empty response listing the methods the
    URL allows (built here: Flask 3.2 changed the signature of the method that makes it)."""
    response = app.response_class()
    adapter = app.create_url_adapter(request)
    if adapter is not None:
        response.allow.update(adapter.allowed_methods())
    return response

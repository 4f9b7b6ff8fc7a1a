"""What ``cross_origin`` leaves on a view function: a leaf module every layer may import."""

from __future__ import annotations

import contextlib
import weakref
from collections.abc import Iterable, Mapping
from typing import Any

__all__ = [
    "VIEW_ATTRIBUTE",
    "ViewSpec",
    "answers_options",
    "misplaced_views",
    "record_wrapped",
    "view_spec",
]

#: The attribute ``cross_origin`` sets on the view functions it wraps.
VIEW_ATTRIBUTE = "__flask_cors__"


class ViewSpec:
    """The ``cross_origin`` keyword arguments of one view function.

    The final options also depend on the ``CORS_*`` config of the app serving the view,
    so they are built (once per app and endpoint) by the app's CORS state, which also
    reports names that are no option (Flask-Cors ignores them: a warning, or an error
    under ``lint_strict``); the decorator validates the values when the module is
    imported.
    """

    __slots__ = ("kwargs", "name", "unknown")

    def __init__(
        self, name: str, kwargs: Mapping[str, object], known: frozenset[str] = frozenset()
    ) -> None:
        self.name = name
        #: The options given; names that are no option are kept apart, in ``unknown``.
        self.kwargs = {k: v for k, v in kwargs.items() if not known or k in known}
        self.unknown = tuple(k for k in kwargs if known and k not in known)

    @property
    def source(self) -> str:
        return f"cross_origin() on view {self.name!r}"

    def source_for(self, endpoint: str | None) -> str:
        """The label of this view's options when served under ``endpoint``.

        Endpoint names are unique within an app, unlike qualified names (every
        ``MethodView`` is ``View.as_view.<locals>.view``).
        """
        if endpoint is None:
            return self.source
        return f"cross_origin() on endpoint {endpoint!r}"


def view_spec(view: object) -> ViewSpec | None:
    """The :class:`ViewSpec` of a ``cross_origin`` view function, or ``None``."""
    spec = getattr(view, VIEW_ATTRIBUTE, None)
    return spec if isinstance(spec, ViewSpec) else None


#: Every function ``cross_origin`` wrapped, with the wrappers made of it; weakly, so that
#: the record never keeps a function alive.
_WRAPPED: weakref.WeakKeyDictionary[object, weakref.WeakSet[object]] = weakref.WeakKeyDictionary()


def record_wrapped(original: object, wrapper: object) -> None:
    """Note that ``cross_origin`` wrapped ``original`` into ``wrapper``."""
    # An object that cannot be weakly referenced (or hashed) is not noted.
    with contextlib.suppress(TypeError):
        _WRAPPED.setdefault(original, weakref.WeakSet()).add(wrapper)


def misplaced_views(view_functions: Mapping[str, object]) -> Iterable[tuple[str, object]]:
    """The endpoints (with their functions) that serve a function ``cross_origin`` wrapped
    *after* the route registered it: the decorator written above ``@app.route``, so that
    the route serves the undecorated function and none of its wrappers is served."""
    served = {id(view) for view in view_functions.values()}
    for endpoint, view in view_functions.items():
        try:
            wrappers = _WRAPPED.get(view)
        except TypeError:
            continue
        # A wrapper no longer alive (one made in an app factory) was never served.
        if wrappers is not None and not any(id(wrapper) in served for wrapper in wrappers):
            yield endpoint, view


def answers_options(state: Any, spec: ViewSpec, endpoint: str | None) -> bool:
    """Whether the ``cross_origin`` wrapper of ``spec``, served under ``endpoint`` by the
    app whose CORS state is ``state``, answers ``OPTIONS`` itself: the view's resolved
    ``automatic_options``, or (options that cannot be built, the request then failing
    closed) the value given to the decorator. Asked by the wrapper and, before a request
    reaches it, by the pipeline."""
    try:
        return bool(state.view_options(spec, endpoint).automatic_options)
    except Exception:
        return bool(spec.kwargs.get("automatic_options", True))

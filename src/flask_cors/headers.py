"""The header writer: the only code that touches a response's headers.

:func:`write` puts the CORS headers of a decision on a response and merges names into its
``Vary`` header. It accepts any headers object a Flask response can end up with: Werkzeug's
``Headers`` (the normal case), and the plain ``dict``, list of pairs or ``MultiDict`` that
some apps and libraries assign to ``response.headers``; such a replacement is turned back
into ``Headers`` first, keeping every line (a list value of a ``dict`` is one line per
item, as Werkzeug sends it).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING

from werkzeug.datastructures import Headers

from ._text import TOKEN, UNSAFE_VALUE, escape
from .options import ALLOW_ORIGIN

if TYPE_CHECKING:
    from flask.wrappers import Response

__all__ = ["CORSPluginError", "checked", "merge_vary", "shown", "write"]


class CORSPluginError(RuntimeError):
    """A plugin returned something the pipeline cannot send or use (an answer of the wrong
    type, an unsafe header), or tried to change a header it may not.

    The request fails closed: the response goes out without CORS headers, and the error
    is logged (raised with ``raise_plugin_errors``). The message names the hook and the
    plugin whose answer was refused, or, when pluggy's hook caller combined the answers
    (a wrapper, hook tracing), every plugin that implements the hook.
    """

    def __init__(self, message: str, *, hook: str | None = None, plugin: str | None = None):
        super().__init__(message)
        #: The hook whose answer was refused.
        self.hook = hook
        #: The name of the plugin that gave it; ``None`` when pluggy's caller answered.
        self.plugin = plugin


def shown(value: object) -> str:
    """``value`` for an error message: its type and its bounded ``repr`` (escaped when
    the ``repr`` itself has control or non-ASCII characters)."""
    text = repr(value)
    if not (text.isascii() and text.isprintable()):
        text = escape(text, limit=80, quote=False)
    elif len(text) > 80:
        text = text[:80] + "...(truncated)"
    return f"{type(value).__name__} {text}"


def checked(built: object, hook: str) -> Mapping[str, str]:
    """What a plugin's hook returned, refused when it could corrupt a response.

    ``None`` and an empty mapping mean no headers; anything but a mapping of header names
    to ASCII values without control characters (tab allowed) raises
    :class:`CORSPluginError`.
    """
    if built is None:
        return {}
    if type(built) is not dict and not isinstance(built, Mapping):
        raise CORSPluginError(
            f"{hook} returned {shown(built)}; expected a mapping of header names to values",
            hook=hook,
        )
    for name, value in built.items():
        if not isinstance(name, str) or TOKEN.fullmatch(name) is None:
            raise CORSPluginError(f"{hook}: invalid response header name {escape(name)}", hook=hook)
        if not isinstance(value, str) or not (
            value.isascii() and (value.isprintable() or UNSAFE_VALUE.search(value) is None)
        ):
            raise CORSPluginError(f"{hook}: invalid value for {name}: {escape(value)}", hook=hook)
    return built


def write(
    response: Response,
    headers: Mapping[str, str],
    vary: Sequence[str],
    on_second_layer: Callable[[str], None],
) -> str | None:
    """Set ``headers`` on ``response`` and merge ``vary`` into its ``Vary`` header.

    A CORS header the response already has (set by the view, or by an ``after_request``
    handler that ran first) is replaced, never doubled: browsers fail a response with two
    ``Access-Control-Allow-Origin`` values; ``on_second_layer`` is told the value that was
    replaced. Returns the new ``Vary`` value, or ``None`` when ``Vary`` did not change.
    """
    target = response.headers
    if type(target) is not Headers:
        target = _headers_of(response)
    # Every value written here is checked already: built from validated options, an
    # ``Origin`` that passed ``is_safe_origin``, or a plugin's result that passed
    # :func:`checked`. ``Headers.add`` would check each value for line breaks again (two
    # Python calls and a regex search per line: 6 k instructions on an allowed request,
    # see docs/performance.md), so new lines go straight onto the list ``Headers`` keeps
    # them in: the one private attribute of Werkzeug this package uses, here alone;
    # through ``Headers.add`` should a Werkzeug release keep no such list.
    kept = getattr(target, "_list", None)
    if type(kept) is not list:
        kept = None
    vary_lines: list[str] = []
    own_cors = False
    for key, value in target if kept is None else kept:  # the Vary lines, and own CORS lines
        lowered = key.lower()
        if lowered == "vary":
            vary_lines.append(value)
        elif lowered.startswith("access-control-"):
            own_cors = True
    lines = list(headers.items())
    if own_cors:
        for name, value in lines:
            if name in target:
                if name == ALLOW_ORIGIN:
                    on_second_layer(target.get(ALLOW_ORIGIN, ""))
                target.set(name, value)
            else:
                target.add(name, value)
        lines = []
    merged = None
    if vary:
        merged = vary[0] if len(vary) == 1 and not vary_lines else merge_vary(vary_lines, vary)
    if merged is not None and not vary_lines:
        lines.append(("Vary", merged))
    if kept is not None:
        kept.extend(lines)
    else:
        for name, value in lines:
            target.add(name, value)
    if merged is not None and vary_lines:
        target.set("Vary", merged)  # where the first Vary line was, the others removed
    return merged


def merge_vary(lines: Iterable[str], names: Iterable[str]) -> str | None:
    """The ``Vary`` value with ``names`` added to ``lines``; ``None`` when nothing changes.

    Names compare case-insensitively and are never repeated; ``Vary: *`` already varies on
    everything and is left alone.
    """
    existing = [part.strip() for line in lines for part in line.split(",") if part.strip()]
    seen = {part.lower() for part in existing}
    if "*" in seen:
        return None
    added = []
    for name in names:
        if name.lower() not in seen:
            seen.add(name.lower())
            added.append(name)
    if not added:
        return None
    return ", ".join([*existing, *added])


def _headers_of(response: Response) -> Headers:
    """The response's headers as a ``Headers`` object, converting a replacement in place.

    Every line is kept, as Werkzeug keeps them when it sends such a replacement: a
    ``MultiDict``'s every value, and in a plain mapping a list, tuple or set value as one
    line per item (``{"Set-Cookie": [a, b]}`` is two cookies).
    """
    current = response.headers
    if isinstance(current, Headers):
        return current
    converted = Headers([(str(name), str(value)) for name, value in _lines(current)])
    response.headers = converted
    return converted


def _lines(headers: object) -> Iterator[tuple[object, object]]:
    """The ``(name, value)`` lines of a replaced ``response.headers``."""
    if hasattr(headers, "getlist") and hasattr(headers, "items"):  # a MultiDict
        yield from headers.items(multi=True)
    elif isinstance(headers, Mapping):
        for name, value in headers.items():
            if isinstance(value, list | tuple | set):
                for item in value:
                    yield name, item
            else:
                yield name, value
    else:
        yield from headers  # type: ignore[misc]

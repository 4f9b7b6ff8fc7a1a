"""The browser's side of CORS, for the test suites of applications.

A server's CORS headers only matter through what a browser does with them. This module
applies the checks of the WHATWG Fetch standard to responses of a Flask (Werkzeug) test
client, so that a test can assert what a browser would allow, with the browser's reason:

- :func:`cors_check` is the check every cross-origin response must pass before a page
  may read it;
- :func:`preflight_check` is the check of the answer to a CORS preflight;
- :func:`needs_preflight` and :func:`unsafe_request_headers` tell which requests a browser
  preflights, and which request headers the preflight must get permission for;
- :func:`simulate_fetch` sends a request the way ``fetch()`` builds it (the preflight
  first when one is needed, stopping when it fails, then the request itself) through a
  test client and returns every exchange with the verdict of the whole fetch.

Every function here is pure or talks only to the test client it is given; nothing depends
on how the application produces its headers, so the checks apply to any Flask app.

Not simulated: the browser's preflight cache (every :func:`simulate_fetch` preflights
anew), redirects (a redirect response is checked, not followed), and Private Network
Access.
"""

from __future__ import annotations

import json as _json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal, Protocol

if TYPE_CHECKING:
    from werkzeug.datastructures import Headers
    from werkzeug.test import Client, TestResponse

__all__ = [
    "SAFELISTED_METHODS",
    "SAFELISTED_RESPONSE_HEADERS",
    "Exchange",
    "FetchResult",
    "Verdict",
    "browser_method",
    "cors_check",
    "needs_preflight",
    "preflight_check",
    "preflight_request_headers",
    "readable_headers",
    "simulate_fetch",
    "unsafe_request_headers",
]

ALLOW_ORIGIN = "Access-Control-Allow-Origin"
ALLOW_CREDENTIALS = "Access-Control-Allow-Credentials"
ALLOW_METHODS = "Access-Control-Allow-Methods"
ALLOW_HEADERS = "Access-Control-Allow-Headers"
EXPOSE_HEADERS = "Access-Control-Expose-Headers"
REQUEST_METHOD = "Access-Control-Request-Method"
REQUEST_HEADERS = "Access-Control-Request-Headers"

#: Methods a page may use without a preflight (CORS-safelisted methods).
SAFELISTED_METHODS = frozenset({"GET", "HEAD", "POST"})

#: Methods that ``fetch()`` upper-cases; any other method is sent as it was written.
NORMALIZED_METHODS = frozenset({"DELETE", "GET", "HEAD", "OPTIONS", "POST", "PUT"})

#: Methods a page may not use at all.
FORBIDDEN_METHODS = frozenset({"CONNECT", "TRACE", "TRACK"})

#: Response headers a page can always read from a CORS response (lower-cased).
SAFELISTED_RESPONSE_HEADERS = frozenset(
    {
        "cache-control",
        "content-language",
        "content-length",
        "content-type",
        "expires",
        "last-modified",
        "pragma",
    }
)

#: Response headers a page can never read (forbidden response-header names).
FORBIDDEN_RESPONSE_HEADERS = frozenset({"set-cookie", "set-cookie2"})

#: Request headers a page cannot set (forbidden request-header names); ``Proxy-*`` and
#: ``Sec-*`` names are forbidden too.
FORBIDDEN_REQUEST_HEADERS = frozenset(
    {
        "accept-charset",
        "accept-encoding",
        "access-control-request-headers",
        "access-control-request-method",
        "connection",
        "content-length",
        "cookie",
        "cookie2",
        "date",
        "dnt",
        "expect",
        "host",
        "keep-alive",
        "origin",
        "referer",
        "set-cookie",
        "te",
        "trailer",
        "transfer-encoding",
        "upgrade",
        "via",
    }
)

#: ``Content-Type`` essences that need no preflight.
SAFELISTED_CONTENT_TYPES = frozenset(
    {"application/x-www-form-urlencoded", "multipart/form-data", "text/plain"}
)

#: Header names that a ``*`` in ``Access-Control-Allow-Headers`` never covers.
NON_WILDCARD_REQUEST_HEADERS = frozenset({"authorization"})

#: Longest value of a safelisted request header, and of all of them together.
_SAFELISTED_VALUE_LIMIT = 128
_SAFELISTED_TOTAL_LIMIT = 1024

_TOKEN = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")
#: Bytes that make a request-header value CORS-unsafe.
_UNSAFE_VALUE_BYTE = re.compile(r'[\x00-\x08\x0a-\x1f"():<>?@\[\\\]{}\x7f]')
_LANGUAGE_VALUE = re.compile(r"[0-9A-Za-z *,\-.;=]*")
_RANGE_VALUE = re.compile(r"bytes=(\d+)-(\d*)")
_MIME_ESSENCE = re.compile(r"([!#$%&'*+\-.^_`|~0-9A-Za-z]+)/([!#$%&'*+\-.^_`|~0-9A-Za-z]+)")
_NUMBER_WORDS = {2: "two", 3: "three", 4: "four", 5: "five"}


class ResponseLike(Protocol):
    """What the checks read from a response: its status and its headers."""

    @property
    def status_code(self) -> int: ...

    @property
    def headers(self) -> Headers: ...


@dataclass(frozen=True, slots=True)
class Verdict:
    """What the browser decides about one response, and why.

    A verdict is true when the browser allows it, so ``assert verdict`` fails with the
    reason in pytest's message.
    """

    #: True when the browser lets the page go on (read the response, send the request).
    allowed: bool
    #: Why, in one line; for a refusal, the rule that failed.
    reason: str
    #: Lower-cased names of the response headers the page can read (empty when refused
    #: and for preflights).
    exposed_headers: frozenset[str] = frozenset()

    def __bool__(self) -> bool:
        return self.allowed


# --- request side ---------------------------------------------------------------------


def browser_method(method: str) -> str:
    """The method as ``fetch()`` sends it: upper-cased only when it is a standard one.

    ``fetch(url, {method: "patch"})`` sends ``patch``, which matches neither ``PATCH`` in
    ``Access-Control-Allow-Methods`` nor a Flask route's ``PATCH``. Raises
    :class:`ValueError` for a method that is not a token or that a page may not use.
    """
    if not _TOKEN.fullmatch(method):
        raise ValueError(f"{method!r} is not a method name")
    upper = method.upper()
    if upper in FORBIDDEN_METHODS:
        raise ValueError(f"a page cannot send a {upper} request")
    return upper if upper in NORMALIZED_METHODS else method


def _is_safelisted_request_header(name: str, value: str) -> bool:
    """The Fetch standard's CORS-safelisted request-header test, for one header."""
    if len(value) > _SAFELISTED_VALUE_LIMIT:
        return False
    lowered = name.lower()
    if lowered == "accept":
        return not _UNSAFE_VALUE_BYTE.search(value)
    if lowered in ("accept-language", "content-language"):
        return _LANGUAGE_VALUE.fullmatch(value) is not None
    if lowered == "content-type":
        if _UNSAFE_VALUE_BYTE.search(value):
            return False
        essence = _MIME_ESSENCE.fullmatch(value.split(";", 1)[0].strip(" \t\r\n"))
        return essence is not None and essence.group(0).lower() in SAFELISTED_CONTENT_TYPES
    if lowered == "range":
        match = _RANGE_VALUE.fullmatch(value)
        if match is None:
            return False
        end = match.group(2)
        return not end or int(match.group(1)) <= int(end)
    return False


def _header_items(headers: Mapping[str, str] | Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    items = headers.items() if isinstance(headers, Mapping) else headers
    return [(str(name), str(value)) for name, value in items]


def unsafe_request_headers(
    headers: Mapping[str, str] | Iterable[tuple[str, str]],
) -> tuple[str, ...]:
    """The request header names a preflight must get permission for.

    These are the names a browser lists in ``Access-Control-Request-Headers``: every
    header that is not CORS-safelisted (``Accept``, ``Accept-Language``,
    ``Content-Language``, ``Content-Type`` with one of the three form types, a simple
    ``Range``, each with a short, plain value), lower-cased, sorted, without duplicates.
    When the safelisted values add up to more than 1,024 bytes they all need permission.
    """
    unsafe: set[str] = set()
    maybe: set[str] = set()
    total = 0
    for name, value in _header_items(headers):
        if _is_safelisted_request_header(name, value):
            maybe.add(name.lower())
            total += len(value)
        else:
            unsafe.add(name.lower())
    if total > _SAFELISTED_TOTAL_LIMIT:
        unsafe |= maybe
    return tuple(sorted(unsafe))


def needs_preflight(
    method: str,
    headers: Mapping[str, str] | Iterable[tuple[str, str]] = (),
    content_type: str | None = None,
) -> bool:
    """True when a browser sends a CORS preflight before this request.

    That is when the method (as :func:`browser_method` sends it) is not GET, HEAD or
    POST, or when some request header is not safelisted (see
    :func:`unsafe_request_headers`). ``content_type`` is a shortcut for a
    ``Content-Type`` request header.
    """
    if browser_method(method) not in SAFELISTED_METHODS:
        return True
    items = _header_items(headers)
    if content_type is not None:
        items.append(("Content-Type", content_type))
    return bool(unsafe_request_headers(items))


def preflight_request_headers(
    origin: str,
    method: str,
    headers: Mapping[str, str] | Iterable[tuple[str, str]] = (),
) -> dict[str, str]:
    """The headers of the preflight a browser sends before this request.

    ``Origin``, ``Access-Control-Request-Method`` (the method as the browser sends it) and,
    when some header needs permission, ``Access-Control-Request-Headers``: the names
    lower-cased, sorted and joined with ``,`` without spaces.
    """
    built = {
        "Accept": "*/*",
        "Origin": origin,
        REQUEST_METHOD: browser_method(method),
    }
    names = unsafe_request_headers(headers)
    if names:
        built[REQUEST_HEADERS] = ",".join(names)
    return built


# --- response side --------------------------------------------------------------------


def _combined(headers: Headers, name: str) -> str | None:
    """The header's value as a browser reads it: all its lines joined with ``, ``."""
    values = headers.getlist(name)
    return ", ".join(values) if values else None


def _list_values(headers: Headers, name: str) -> list[str] | None:
    """The comma-separated items of a header, or ``None`` when some item is not a token."""
    value = _combined(headers, name)
    if value is None:
        return []
    items = [item.strip(" \t") for item in value.split(",")]
    items = [item for item in items if item]
    if not all(_TOKEN.fullmatch(item) for item in items):
        return None
    return items


def _count_word(count: int) -> str:
    return _NUMBER_WORDS.get(count, str(count))


def _origin_verdict(response: ResponseLike, origin: str, credentials: bool) -> Verdict:
    """The CORS check: ``Access-Control-Allow-Origin`` and, for credentials, ``-Credentials``."""
    allow_origin = _combined(response.headers, ALLOW_ORIGIN)
    if allow_origin is None:
        return Verdict(False, "no Access-Control-Allow-Origin header")
    if not credentials and allow_origin == "*":
        return Verdict(True, "Access-Control-Allow-Origin: * allows any origin")
    values = [part for part in allow_origin.split(",") if part.strip()]
    if len(values) > 1:
        return Verdict(False, f"{_count_word(len(values))} Access-Control-Allow-Origin values")
    if allow_origin == "*":
        return Verdict(False, "credentials forbid Access-Control-Allow-Origin: *")
    if allow_origin != origin:
        return Verdict(
            False,
            f"Access-Control-Allow-Origin {allow_origin!r} does not match origin {origin!r}",
        )
    if not credentials:
        return Verdict(True, f"Access-Control-Allow-Origin matches origin {origin!r}")
    if _combined(response.headers, ALLOW_CREDENTIALS) != "true":
        return Verdict(False, "credentials need Access-Control-Allow-Credentials: true")
    return Verdict(
        True,
        f"Access-Control-Allow-Origin matches origin {origin!r} "
        "and Access-Control-Allow-Credentials is true",
    )


def readable_headers(response: ResponseLike, credentials: bool = False) -> frozenset[str]:
    """Lower-cased names of the response headers a page can read from a CORS response.

    The safelisted response headers, plus those named in
    ``Access-Control-Expose-Headers`` (``*`` names every header, but only without
    credentials), never ``Set-Cookie``. Only the names present in the response count.
    """
    present = {name.lower() for name, _ in response.headers.items()}
    exposed = {item.lower() for item in _list_values(response.headers, EXPOSE_HEADERS) or ()}
    allowed: set[str] | frozenset[str]
    if "*" in exposed and not credentials:
        allowed = present
    else:
        allowed = SAFELISTED_RESPONSE_HEADERS | exposed
    return frozenset((present & allowed) - FORBIDDEN_RESPONSE_HEADERS)


def cors_check(response: ResponseLike, origin: str, credentials: bool = False) -> Verdict:
    """The browser's CORS check of a response to a cross-origin request from ``origin``.

    Passes when there is exactly one ``Access-Control-Allow-Origin`` value and it is
    ``*`` (only without credentials) or exactly ``origin``, and, for a credentialed
    request, ``Access-Control-Allow-Credentials`` is exactly ``true``. The status does not
    matter: an error response that passes is readable. An allowed verdict lists the
    response headers the page can read.
    """
    verdict = _origin_verdict(response, origin, credentials)
    if not verdict.allowed:
        return verdict
    return Verdict(True, verdict.reason, readable_headers(response, credentials))


def preflight_check(
    response: ResponseLike,
    origin: str,
    method: str,
    headers: Mapping[str, str] | Iterable[str] = (),
    credentials: bool = False,
) -> Verdict:
    """The browser's check of the answer to a CORS preflight.

    ``method`` is the method of the request to be sent; ``headers`` are its request
    headers, either as a mapping of names to values (safelisted ones need no
    permission) or as the names that need permission (what the preflight's
    ``Access-Control-Request-Headers`` listed).

    Passes when the status is 200-299, the CORS check passes (:func:`cors_check`, with
    ``credentials``), the method is safelisted or listed in
    ``Access-Control-Allow-Methods`` (case-sensitively) or that header is ``*`` without
    credentials, and every header name is listed in ``Access-Control-Allow-Headers``
    (case-insensitively) or that header is ``*`` without credentials; ``Authorization``
    is never covered by ``*``.
    """
    method = browser_method(method)
    if isinstance(headers, Mapping):
        names: Sequence[str] = unsafe_request_headers(headers)
    else:
        names = sorted({name.lower() for name in headers})
    status = response.status_code
    if not 200 <= status <= 299:
        return Verdict(False, f"preflight answered {status}")
    verdict = _origin_verdict(response, origin, credentials)
    if not verdict.allowed:
        return verdict
    methods = _list_values(response.headers, ALLOW_METHODS)
    if methods is None:
        value = _combined(response.headers, ALLOW_METHODS)
        return Verdict(False, f"Access-Control-Allow-Methods {value!r} is not a list of methods")
    allowed_headers = _list_values(response.headers, ALLOW_HEADERS)
    if allowed_headers is None:
        value = _combined(response.headers, ALLOW_HEADERS)
        return Verdict(False, f"Access-Control-Allow-Headers {value!r} is not a list of names")
    if method not in SAFELISTED_METHODS and method not in methods:
        if "*" in methods and credentials:
            return Verdict(
                False,
                f"method {method} not in Access-Control-Allow-Methods "
                "(`*` does not count with credentials)",
            )
        if "*" not in methods:
            return Verdict(False, f"method {method} not in Access-Control-Allow-Methods")
    listed = {name.lower() for name in allowed_headers}
    wildcard = "*" in listed
    for name in names:
        if name in listed:
            continue
        if name in NON_WILDCARD_REQUEST_HEADERS and wildcard and not credentials:
            return Verdict(False, f"`{name.capitalize()}` is not covered by `*`")
        if not wildcard:
            return Verdict(False, f"header {name} not in Access-Control-Allow-Headers")
        if credentials:
            return Verdict(
                False,
                f"header {name} not in Access-Control-Allow-Headers "
                "(`*` does not count with credentials)",
            )
    reason = f"preflight allows {method}"
    if names:
        reason += f" with {', '.join(names)}"
    return Verdict(True, reason)


# --- fetch through a test client ------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Exchange:
    """One request the browser sent and what it made of the answer."""

    kind: Literal["preflight", "actual"]
    method: str
    url: str
    #: The request headers as sent (``Cookie`` is added by the test client's cookie jar).
    request_headers: tuple[tuple[str, str], ...]
    response: TestResponse
    verdict: Verdict

    def cors_headers(self) -> list[tuple[str, str]]:
        """The response's ``Access-Control-*`` and ``Vary`` headers, in order."""
        return [
            (name, value)
            for name, value in self.response.headers.items()
            if name.lower().startswith("access-control-") or name.lower() == "vary"
        ]


@dataclass(frozen=True, slots=True)
class FetchResult:
    """The outcome of :func:`simulate_fetch`: every exchange and the browser's verdict."""

    verdict: Verdict
    exchanges: tuple[Exchange, ...]
    credentials: bool = False
    #: Why a preflight was sent: the unsafe method and header names (empty for none).
    preflight_because: tuple[str, ...] = field(default=())

    @property
    def allowed(self) -> bool:
        """True when the page gets the response."""
        return self.verdict.allowed

    @property
    def reason(self) -> str:
        return self.verdict.reason

    @property
    def preflight(self) -> Exchange | None:
        """The preflight exchange, when one was sent."""
        first = self.exchanges[0]
        return first if first.kind == "preflight" else None

    @property
    def actual(self) -> Exchange | None:
        """The exchange of the request itself; ``None`` when the preflight stopped it."""
        last = self.exchanges[-1]
        return last if last.kind == "actual" else None

    @property
    def response(self) -> TestResponse:
        """The last response: the actual one, or the failed preflight's."""
        return self.exchanges[-1].response

    @property
    def blocked_at(self) -> Literal["preflight", "actual"] | None:
        """Which exchange the browser refused, or ``None`` when the fetch succeeded."""
        return None if self.allowed else self.exchanges[-1].kind

    @property
    def readable_headers(self) -> dict[str, str]:
        """The response headers the page can read (lower-cased names, joined values)."""
        response = self.response
        names = self.verdict.exposed_headers
        return {
            name: ", ".join(response.headers.getlist(name))
            for name in sorted({key.lower() for key, _ in response.headers.items()})
            if name in names
        }

    def __bool__(self) -> bool:
        return self.allowed


def _page_headers(
    headers: Mapping[str, str] | Iterable[tuple[str, str]] | None,
) -> list[tuple[str, str]]:
    items = _header_items(headers or ())
    for name, _ in items:
        lowered = name.lower()
        if (
            lowered in FORBIDDEN_REQUEST_HEADERS
            or lowered.startswith(("proxy-", "sec-"))
            or not _TOKEN.fullmatch(name)
        ):
            raise ValueError(f"a page cannot set the request header {name!r}")
    return items


def _cookieless(client: Client) -> Client:
    """A client of the same app and class that neither sends nor keeps cookies."""
    from werkzeug.test import TestResponse as Wrapped

    wrapper: type[Any] | None = client.response_wrapper
    if wrapper is not None and issubclass(wrapper, Wrapped):
        # Hand over the response class the client wrapped, not its wrapper: Werkzeug 3.0.0
        # wraps a TestResponse subclass once more and fails on the method resolution order.
        wrapper = next(base for base in wrapper.__mro__ if not issubclass(base, Wrapped))
    other = type(client)(client.application, wrapper, use_cookies=False)
    environ_base = getattr(client, "environ_base", None)
    if isinstance(environ_base, dict):
        other.environ_base = dict(environ_base)  # type: ignore[attr-defined]
    return other


def simulate_fetch(
    client: Client,
    url: str,
    *,
    origin: str,
    method: str = "GET",
    headers: Mapping[str, str] | Iterable[tuple[str, str]] | None = None,
    credentials: bool = False,
    data: str | bytes | None = None,
    json: Any = None,
) -> FetchResult:
    """Do what a browser does for ``fetch(url, {method, headers, body, credentials})``.

    The page lives on ``origin``, another origin than the app's. When the request needs
    a preflight (:func:`needs_preflight`), an ``OPTIONS`` preflight is sent first, without
    cookies, and checked with :func:`preflight_check`; when it fails the request itself
    is never sent. The request is sent with ``Origin`` and the page's headers, with the
    client's cookies only when ``credentials`` is true (``credentials: "include"``), and
    its response is checked with :func:`cors_check`.

    ``json`` sends a JSON body with ``Content-Type: application/json`` (as a page must
    set it, which needs a preflight); a ``str`` body without a ``Content-Type`` goes out as
    ``text/plain;charset=UTF-8``, as ``fetch`` sends it. Headers a page cannot set
    (``Cookie``, ``Origin``, ``Sec-*`` ...) raise :class:`ValueError`.
    """
    method = browser_method(method)
    items = _page_headers(headers)
    body: str | bytes | None = data
    if json is not None:
        if data is not None:
            raise ValueError("give data or json, not both")
        body = _json.dumps(json)
        if not any(name.lower() == "content-type" for name, _ in items):
            items.append(("Content-Type", "application/json"))
    if body is not None:
        if method in ("GET", "HEAD"):
            raise ValueError(f"a {method} request cannot have a body")
        if isinstance(body, str) and not any(name.lower() == "content-type" for name, _ in items):
            items.append(("Content-Type", "text/plain;charset=UTF-8"))
    unsafe = unsafe_request_headers(items)
    because = ((method,) if method not in SAFELISTED_METHODS else ()) + unsafe
    plain = _cookieless(client)
    exchanges: list[Exchange] = []
    if because:
        sent = preflight_request_headers(origin, method, items)
        answer = plain.open(url, method="OPTIONS", headers=sent)
        verdict = preflight_check(answer, origin, method, unsafe, credentials)
        exchanges.append(
            Exchange("preflight", "OPTIONS", url, tuple(sent.items()), answer, verdict)
        )
        if not verdict.allowed:
            return FetchResult(verdict, tuple(exchanges), credentials, because)
    actual_headers = [("Accept", "*/*"), *items, ("Origin", origin)]
    if any(name.lower() == "accept" for name, _ in items):
        actual_headers = [*items, ("Origin", origin)]
    sender = client if credentials else plain
    response = sender.open(url, method=method, headers=actual_headers, data=body)
    verdict = cors_check(response, origin, credentials)
    exchanges.append(Exchange("actual", method, url, tuple(actual_headers), response, verdict))
    return FetchResult(verdict, tuple(exchanges), credentials, because)

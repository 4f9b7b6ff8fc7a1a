"""Regular expressions from the configuration, with a bound on what one match can cost.

Python's ``re`` backtracks: a pattern such as ``https://([a-z0-9]+-?)+\\.example\\.com``
takes seconds on a 33-character ``Origin``, and ``/api/.*/.*/.*/export`` on a long path.
Every configured pattern (origins, ``allow_headers``, resources) is therefore compiled here:

- a pattern whose shape keeps backtracking linear runs on ``re``, as written: at most one
  repetition that can give back characters to what follows (a repetition fenced by
  characters it cannot match on both sides does not count), no repetition of anything that
  can match in more than one way, and at most 64 ways through its optional parts and
  alternatives;
- any other pattern runs on RE2 (``google-re2``), whose matching time is linear in the
  input whatever the pattern;
- a pattern that is neither (a lookaround or a back-reference in such a shape) is refused
  at start-up with a :class:`~flask_cors.CORSConfigError` that says why.

:func:`example_match` gives one string a pattern matches, for the configuration lint.
"""

from __future__ import annotations

import re
from typing import Any, Protocol

import re2  # type: ignore[import-untyped]

from .errors import CORSConfigError

try:  # Python 3.11 and later
    from re import _parser as _sre  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - Python 3.10
    import sre_parse as _sre

__all__ = ["Matcher", "compile_bounded", "example_match", "is_linear"]

#: Most ways through the optional parts and alternatives of a pattern kept on ``re``.
MAX_CHOICES = 64
_REPEATS = frozenset({"MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"})
_ONE_CHAR = frozenset({"LITERAL", "NOT_LITERAL", "IN", "ANY"})
_CATEGORIES = {
    "CATEGORY_DIGIT": r"\d",
    "CATEGORY_NOT_DIGIT": r"\D",
    "CATEGORY_SPACE": r"\s",
    "CATEGORY_NOT_SPACE": r"\S",
    "CATEGORY_WORD": r"\w",
    "CATEGORY_NOT_WORD": r"\W",
}
#: Characters tried, in this order, when an example string needs "one of a class".
_EXAMPLE_CHARS = "abcdefghijklmnopqrstuvwxyz0123456789-._~:/"


class Matcher(Protocol):
    """What a compiled configured pattern offers: ``re.Pattern`` or the RE2 wrapper."""

    @property
    def pattern(self) -> str: ...

    @property
    def flags(self) -> int: ...

    def match(self, string: str, /) -> object | None: ...

    def fullmatch(self, string: str, /) -> object | None: ...


class LinearPattern:
    """A pattern run by RE2: same ``pattern``/``flags``/``match``/``fullmatch`` as
    ``re.Pattern``, matching time linear in the input."""

    __slots__ = ("_compiled", "flags", "pattern")

    def __init__(self, pattern: str, flags: int, compiled: Any) -> None:
        self.pattern = pattern
        self.flags = flags
        self._compiled = compiled

    def match(self, string: str, /) -> object | None:
        return self._compiled.match(string)  # type: ignore[no-any-return]

    def fullmatch(self, string: str, /) -> object | None:
        return self._compiled.fullmatch(string)  # type: ignore[no-any-return]

    def __repr__(self) -> str:
        return f"LinearPattern({self.pattern!r})"


class _Costly(Exception):
    """The pattern's shape lets backtracking grow faster than the input."""


def _char_matches(op: str, av: Any, char: str, flags: int) -> bool:
    """Whether the one-character item ``(op, av)`` matches ``char`` (True when unsure)."""
    if op == "ANY":
        return char != "\n" or bool(flags & re.DOTALL)
    if op in ("LITERAL", "NOT_LITERAL"):
        same = chr(av) == char or (bool(flags & re.IGNORECASE) and chr(av).lower() == char.lower())
        return same == (op == "LITERAL")
    if op != "IN":
        return True
    negate = hit = False
    for kind, value in av:
        kind = str(kind)
        if kind == "NEGATE":
            negate = True
        elif kind in ("RANGE", "RANGE_UNI_IGNORE"):
            cases = {char, char.swapcase()} if flags & re.IGNORECASE else {char}
            hit = hit or any(value[0] <= ord(c) <= value[1] for c in cases)
        elif kind == "LITERAL":
            hit = hit or _char_matches("LITERAL", value, char, flags)
        elif kind == "CATEGORY" and str(value) in _CATEGORIES:
            hit = hit or re.fullmatch(_CATEGORIES[str(value)], char) is not None
        else:
            return True
    return hit != negate


def _fenced(items: list[Any], index: int, body: Any, flags: int, edge: bool) -> bool:
    """True when the item at ``index`` is a character that ``body`` cannot match (or the
    pattern's own start or end, ``edge``)."""
    if not 0 <= index < len(items):
        return edge
    op, av = items[index]
    if str(op) != "LITERAL" or len(body) != 1:
        return False
    body_op, body_av = body[0]
    return not _char_matches(str(body_op), body_av, chr(av), flags)


def _flatten(items: Any) -> list[Any]:
    """The items of a sequence with plain groups opened up."""
    flat: list[Any] = []
    for op, av in items:
        if str(op) in ("SUBPATTERN", "ATOMIC_GROUP"):
            flat.extend(_flatten(av if str(op) == "ATOMIC_GROUP" else av[-1]))
        else:
            flat.append((op, av))
    return flat


def _shape(items: Any, flags: int, start: bool = False, end: bool = False) -> tuple[int, int]:
    """(ways through the sequence, repetitions in it that can give back characters)."""
    flat = _flatten(items)
    choices, free = 1, 0
    for index, (op, av) in enumerate(flat):
        op = str(op)
        if op in _ONE_CHAR or op == "AT":
            continue
        if op == "BRANCH":
            first, last = start and index == 0, end and index == len(flat) - 1
            shapes = [_shape(branch, flags, first, last) for branch in av[1]]
            choices *= sum(ways for ways, _ in shapes)
            free += max(count for _, count in shapes)
        elif op in ("ASSERT", "ASSERT_NOT"):
            ways, count = _shape(av[1], flags)
            choices, free = choices * ways, free + count
        elif op in _REPEATS:
            low, high, body = av
            ways, count = _shape(body, flags)
            low_width, high_width = body.getwidth()
            if high == 1:  # optional: one more choice
                choices, free = choices * (ways + 1), free + count
            elif ways > 1 or count or low_width != high_width:
                raise _Costly  # a repetition of something that can match in several ways
            elif low != high and not (
                _fenced(flat, index - 1, body, flags, start)
                and _fenced(flat, index + 1, body, flags, end)
            ):
                free += 1
        else:
            raise _Costly  # back-references and conditionals: not analysed
    if choices > MAX_CHOICES or free > 1:
        raise _Costly
    return choices, free


def is_linear(text: str, flags: int = 0) -> bool:
    """True when ``re`` matches ``text`` (from the start of a string) in about linear time."""
    try:
        _shape(_sre.parse(text, flags), flags, start=True, end=True)
    except (_Costly, re.error, RecursionError):
        return False
    return True


def _re2_options(flags: int) -> Any:
    options = re2.Options()
    options.log_errors = False
    options.case_sensitive = not flags & re.IGNORECASE
    options.dot_nl = bool(flags & re.DOTALL)
    return options


def compile_bounded(
    option: str,
    source: str,
    text: str,
    flags: int,
    *,
    backtracking: str | None = None,
    linear: str | None = None,
) -> Matcher:
    """Compile a configured pattern so that no match costs more than about linear time.

    ``text`` (with ``flags``) is the pattern as configured and is what is judged;
    ``backtracking`` and ``linear`` are the full texts compiled on ``re`` and on RE2 when
    they differ from ``text`` (resource patterns add their segment-boundary test). Raises
    :class:`CORSConfigError` naming ``option`` and ``source`` when the pattern is invalid,
    or costly and beyond RE2.
    """
    full = backtracking if backtracking is not None else text
    try:
        compiled = re.compile(full, flags)
    except re.error as exc:
        raise CORSConfigError(
            option, source, f"invalid regular expression {text!r}: {exc}"
        ) from None
    if is_linear(text, flags):
        return compiled
    multiline = "(?m)" if flags & re.MULTILINE else ""
    try:
        if flags & re.VERBOSE:
            raise ValueError("verbose")
        engine = re2.compile(multiline + (linear or text), _re2_options(flags))
    except Exception:  # RE2 refused the syntax: lookaround, back-reference, verbose
        raise CORSConfigError(
            option,
            source,
            f"the regular expression {text!r} can take seconds to match some inputs (a "
            "repetition of something that matches in several ways, or several repetitions "
            "that can give characters to each other), and it uses syntax the linear-time "
            "engine cannot run (a lookaround, a back-reference or re.VERBOSE). Rewrite it "
            "without one of the two, e.g. '[a-z0-9-]+' instead of '([a-z0-9]+-?)+', "
            "'[^/]*' instead of '.*' between slashes.",
        ) from None
    return LinearPattern(text, flags, engine)


def _example(items: Any, flags: int, dot: str = ".") -> str | None:
    """An example for a sequence; a lone ``.`` stands for a dot, as it is usually meant."""
    parts: list[str] = []
    for op, av in items:
        op = str(op)
        if op == "LITERAL":
            parts.append(chr(av))
        elif op == "ANY":
            parts.append(dot)
        elif op in _ONE_CHAR:
            found = [c for c in _EXAMPLE_CHARS if _char_matches(op, av, c, flags)]
            if not found:
                return None
            parts.append(found[0])
        elif op in ("SUBPATTERN", "ATOMIC_GROUP", "BRANCH") or op in _REPEATS:
            body = av[1][0] if op == "BRANCH" else av if op == "ATOMIC_GROUP" else av[-1]
            part = _example(body, flags, "a" if op in _REPEATS else dot)
            if part is None:
                return None
            parts.append(part * (av[0] if op in _REPEATS else 1))
        elif op not in ("AT", "ASSERT", "ASSERT_NOT"):
            return None
    return "".join(parts)


def example_match(pattern: Matcher) -> str | None:
    """One string ``pattern`` fully matches (repetitions as few times as allowed, the first
    alternative of each choice), or ``None`` when none is found that way."""
    try:
        text = _example(_sre.parse(pattern.pattern, pattern.flags), pattern.flags)
    except (re.error, RecursionError):
        return None
    return text if text is not None and pattern.fullmatch(text) else None

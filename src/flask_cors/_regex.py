"""Regular expressions from the configuration, with a bound on what one match can cost.

Python's ``re`` backtracks: a pattern such as ``https://([a-z0-9]+-?)+\\.example\\.com``
takes seconds on a 33-character ``Origin``, and ``/api/.*/.*/.*/export`` on a long path.
Every configured pattern (origins, ``allow_headers``, resources) is therefore compiled here:

- a pattern whose shape keeps backtracking linear runs on ``re``, as written: at most one
  repetition that can give back characters to what follows (a repetition fenced by
  characters it cannot match on both sides does not count), no repetition of anything that
  can match in more than one way, and at most 64 ways through its optional parts and
  alternatives. The shape is judged with the flags the pattern is compiled with, its
  inline ones (``(?i)``, ``(?s)``) and the scoped ones of its groups (``(?i:...)``);
- any other pattern runs on RE2 (``google-re2``, the ``re2`` extra: imported the first
  time such a pattern is compiled), whose matching time is linear in the input whatever
  the pattern. It is not handed to RE2 as written: RE2 reads ``\\d``,
  ``\\w``, ``\\s`` as ASCII, folds case by other tables and spells ``$`` differently. The
  RE2 text is rebuilt from ``re``'s own parse of the pattern, every character test
  written out as the exact set of code points ``re`` accepts there (with the flags in force
  at that point), so that both engines match the same strings;
- a pattern that is neither is refused at start-up with a
  :class:`~flask_cors.CORSConfigError` that says why: a lookaround, a back-reference, an
  atomic group or possessive repetition, a Unicode ``\\b``, any ``\\B``, or a ``$`` that
  could stand before a line feed in such a shape. Without ``google-re2`` installed, every
  pattern of the second kind is refused the same way, the message naming the extra.

:func:`example_match` gives one string a pattern matches, for the configuration lint.
"""

from __future__ import annotations

import re
from array import array
from collections.abc import Iterable
from functools import cache, lru_cache
from typing import Any, Protocol

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
#: The flags that decide what one character item matches.
_CHAR_FLAGS = re.IGNORECASE | re.DOTALL | re.ASCII | re.UNICODE
_TYPE_FLAGS = re.ASCII | re.LOCALE | re.UNICODE
_LAST = 0x10FFFF
_SURROGATES = ((0xD800, 0xDFFF),)
#: RE2 limits the memory of a compiled program; written-out Unicode classes need room.
_RE2_MAX_MEM = 64 << 20

Ranges = tuple[tuple[int, int], ...]


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
    ``re.Pattern``, matching time linear in the input.

    ``fullmatch`` accepts exactly the strings ``re`` accepts; so does ``match`` for the
    patterns it is used with, which end with an end-of-string test.
    """

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


class Untranslatable(Exception):
    """The pattern has no RE2 text that matches exactly the strings ``re`` matches."""


# --- sets of code points, as sorted disjoint ranges ------------------------------------------


def _merge(pairs: Iterable[tuple[int, int]]) -> Ranges:
    merged: list[tuple[int, int]] = []
    for low, high in sorted(pairs):
        if merged and low <= merged[-1][1] + 1:
            if high > merged[-1][1]:
                merged[-1] = (merged[-1][0], high)
        else:
            merged.append((low, high))
    return tuple(merged)


def _complement(ranges: Ranges) -> Ranges:
    result: list[tuple[int, int]] = []
    next_low = 0
    for low, high in ranges:
        if low > next_low:
            result.append((next_low, low - 1))
        next_low = high + 1
    if next_low <= _LAST:
        result.append((next_low, _LAST))
    return tuple(result)


def _difference(ranges: Ranges, removed: Ranges) -> Ranges:
    return _complement(_merge(_complement(ranges) + removed))


def _runs(text: str, pattern: str, flags: int) -> Ranges:
    """The code points of ``text`` (all code points, in order) that ``pattern`` matches."""
    return tuple((m.start(), m.end() - 1) for m in re.finditer(f"(?:{pattern})+", text, flags))


def _every_code_point() -> str:
    """One string holding every code point in order, surrogates included (4.4 MB)."""
    return array("I", range(_LAST + 1)).tobytes().decode("utf-32-le", "surrogatepass")


@cache
def _category(name: str, flags: int) -> Ranges:
    """The code points a Perl class (``\\d``, ``\\w``, ``\\s``) matches under ``flags``:
    ``re`` itself is asked, about every code point, once per process."""
    return _runs(_every_code_point(), _CATEGORIES[name], flags)


@lru_cache(maxsize=1)
def _cased() -> tuple[str, Ranges]:
    """Every code point that case-insensitive matching can treat differently: those with a
    case mapping, and what they map to (as text, and as ranges)."""
    every = _every_code_point()
    found: set[int] = set()
    step = 1024
    for start in range(0, len(every), step):
        chunk = every[start : start + step]
        if chunk.lower() == chunk and chunk.upper() == chunk:
            continue
        for offset, char in enumerate(chunk):
            mapped = char.lower() + char.upper() + char.casefold()
            if mapped != char * 3:
                found.add(start + offset)
                found.update(ord(c) for c in mapped)
    points = sorted(found)
    return "".join(map(chr, points)), _merge((p, p) for p in points)


def _py_char(code: int) -> str:
    return f"\\U{code:08x}"


def _item_text(op: str, av: Any) -> str:
    """``re`` syntax for one character item of a parsed pattern."""
    if op == "ANY":
        return "."
    if op == "LITERAL":
        return _py_char(av)
    if op == "NOT_LITERAL":
        return f"[^{_py_char(av)}]"
    parts: list[str] = []
    for kind, value in av:
        kind = str(kind)
        if kind == "NEGATE":
            parts.append("^")
        elif kind == "LITERAL":
            parts.append(_py_char(value))
        elif kind == "RANGE":
            parts.append(f"{_py_char(value[0])}-{_py_char(value[1])}")
        elif kind == "CATEGORY" and str(value) in _CATEGORIES:
            parts.append(_CATEGORIES[str(value)])
        else:
            raise Untranslatable(f"a character class item {kind} that is not analysed")
    return f"[{''.join(parts)}]"


@lru_cache(maxsize=1024)
def _item_regex(text: str, flags: int) -> re.Pattern[str]:
    return re.compile(text, flags)


def _matches(op: str, av: Any, flags: int, char: str) -> bool:
    """Whether the one-character item ``(op, av)`` matches ``char``, as ``re`` decides."""
    try:
        text = _item_text(op, av)
    except Untranslatable:
        return True
    return _item_regex(text, flags & _CHAR_FLAGS).fullmatch(char) is not None


def _plain_code_points(op: str, av: Any, flags: int) -> Ranges:
    """What a character item matches without case folding."""
    if op == "ANY":
        return ((0, _LAST),) if flags & re.DOTALL else ((0, 9), (11, _LAST))
    if op in ("LITERAL", "NOT_LITERAL"):
        single = ((av, av),)
        return single if op == "LITERAL" else _complement(single)
    negate = False
    pairs: list[tuple[int, int]] = []
    for kind, value in av:
        kind = str(kind)
        if kind == "NEGATE":
            negate = True
        elif kind == "LITERAL":
            pairs.append((value, value))
        elif kind == "RANGE":
            pairs.append((value[0], value[1]))
        else:  # CATEGORY (anything else was refused by _item_text)
            pairs.extend(_category(str(value), flags & (re.ASCII | re.UNICODE)))
    merged = _merge(pairs)
    return _complement(merged) if negate else merged


def _char_set(op: str, av: Any, flags: int) -> Ranges:
    """Every code point the character item ``(op, av)`` matches under ``flags``, exactly as
    ``re`` decides (``flags`` as in force at the item: global, inline and scoped)."""
    return _code_points(_item_text(op, av), flags & _CHAR_FLAGS)


@lru_cache(maxsize=1024)
def _code_points(text: str, flags: int) -> Ranges:
    ((op, av),) = _sre.parse(text, flags)
    plain = _plain_code_points(str(op), av, flags)
    if not flags & re.IGNORECASE:
        return plain
    # A character without any case mapping, and that no other character maps to, is matched
    # with and without re.IGNORECASE alike; the others are put to re one by one.
    cased_text, cased = _cased()
    hits = [ord(m.group()) for m in _item_regex(text, flags).finditer(cased_text)]
    return _merge(_difference(plain, cased) + tuple((p, p) for p in hits))


def _re2_class(ranges: Ranges) -> str:
    """RE2 text for a set of code points (surrogates never reach RE2: its input is UTF-8)."""
    ranges = _difference(ranges, _SURROGATES)
    if not ranges:
        return r"[^\x{0}-\x{10FFFF}]"
    if len(ranges) == 1 and ranges[0][0] == ranges[0][1]:
        return f"\\x{{{ranges[0][0]:X}}}"
    first = ranges[0][0]
    if ranges == ((first, first), (first + 32, first + 32)) and "A" <= chr(first) <= "Z":
        # RE2 reads the class [Kk] as "k, ignoring case", which it widens to Unicode case
        # folding (the Kelvin sign) once an alternation merges it into a bigger class.
        return f"(?:\\x{{{first:X}}}|\\x{{{first + 32:X}}})"
    body = "".join(
        f"\\x{{{low:X}}}" if low == high else f"\\x{{{low:X}}}-\\x{{{high:X}}}"
        for low, high in ranges
    )
    return f"[{body}]"


# --- flags -----------------------------------------------------------------------------------


def _scoped(flags: int, add: int, delete: int) -> int:
    """The flags inside a group ``(?add-delete:...)``, as ``re`` combines them."""
    if add & _TYPE_FLAGS:
        flags &= ~_TYPE_FLAGS
    return (flags | add) & ~delete


def _literal_chars(code: int, flags: int) -> list[str]:
    """Every character the literal ``code`` matches under ``flags``."""
    char = chr(code)
    if not flags & re.IGNORECASE or (char.lower() == char and char.upper() == char):
        return [char]
    return [
        chr(point)
        for low, high in _char_set("LITERAL", code, flags)
        for point in range(low, high + 1)
    ]


# --- the shape check ------------------------------------------------------------------------


def _fenced(
    items: list[tuple[str, Any, int]], index: int, body: Any, flags: int, edge: bool
) -> bool:
    """True when the item at ``index`` is a character that ``body`` (under ``flags``)
    cannot match (or the pattern's own start or end, ``edge``)."""
    if not 0 <= index < len(items):
        return edge
    op, av, fence_flags = items[index]
    if op != "LITERAL" or len(body) != 1:
        return False
    body_op, body_av = body[0]
    body_op = str(body_op)
    if body_op not in _ONE_CHAR:
        return False
    return not any(
        _matches(body_op, body_av, flags, char) for char in _literal_chars(av, fence_flags)
    )


def _flatten(items: Any, flags: int) -> list[tuple[str, Any, int]]:
    """The items of a sequence with plain groups opened up, each with its flags."""
    flat: list[tuple[str, Any, int]] = []
    for op, av in items:
        op = str(op)
        if op == "SUBPATTERN":
            flat.extend(_flatten(av[-1], _scoped(flags, av[1], av[2])))
        elif op == "ATOMIC_GROUP":
            flat.extend(_flatten(av, flags))
        else:
            flat.append((op, av, flags))
    return flat


def _shape(items: Any, flags: int, start: bool = False, end: bool = False) -> tuple[int, int]:
    """(ways through the sequence, repetitions in it that can give back characters)."""
    flat = _flatten(items, flags)
    choices, free = 1, 0
    for index, (op, av, item_flags) in enumerate(flat):
        if op in _ONE_CHAR or op == "AT":
            continue
        if op == "BRANCH":
            first, last = start and index == 0, end and index == len(flat) - 1
            shapes = [_shape(branch, item_flags, first, last) for branch in av[1]]
            choices *= sum(ways for ways, _ in shapes)
            free += max(count for _, count in shapes)
        elif op in ("ASSERT", "ASSERT_NOT"):
            ways, count = _shape(av[1], item_flags)
            choices, free = choices * ways, free + count
        elif op in _REPEATS:
            low, high, body = av
            ways, count = _shape(body, item_flags)
            low_width, high_width = body.getwidth()
            if high == 1:  # optional: one more choice
                choices, free = choices * (ways + 1), free + count
            elif ways > 1 or count or low_width != high_width:
                raise _Costly  # a repetition of something that can match in several ways
            elif low != high and not (
                _fenced(flat, index - 1, body, item_flags, start)
                and _fenced(flat, index + 1, body, item_flags, end)
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
        parsed = _sre.parse(text, flags)
        _shape(parsed, parsed.state.flags, start=True, end=True)
    except (_Costly, re.error, RecursionError, ValueError):
        return False
    return True


# --- the RE2 text ------------------------------------------------------------------------


def _nullable(items: Any) -> bool:
    """True when the sequence may match the empty string (True when unsure)."""
    return all(_item_nullable(str(op), av) for op, av in items)


def _item_nullable(op: str, av: Any) -> bool:
    if op in _ONE_CHAR:
        return False
    if op == "SUBPATTERN":
        return _nullable(av[-1])
    if op == "ATOMIC_GROUP":
        return _nullable(av)
    if op == "BRANCH":
        return any(_nullable(branch) for branch in av[1])
    if op in _REPEATS:
        return av[0] == 0 or _nullable(av[2])
    return True


def _starts_with_newline(items: Any, flags: int) -> bool:
    """True when a match of the sequence may start with a line feed (True when unsure)."""
    for op, av in items:
        op = str(op)
        if _item_starts_with_newline(op, av, flags):
            return True
        if not _item_nullable(op, av):
            return False
    return False


def _item_starts_with_newline(op: str, av: Any, flags: int) -> bool:
    if op in _ONE_CHAR:
        return _matches(op, av, flags, "\n")
    if op == "SUBPATTERN":
        return _starts_with_newline(av[-1], _scoped(flags, av[1], av[2]))
    if op == "ATOMIC_GROUP":
        return _starts_with_newline(av, flags)
    if op == "BRANCH":
        return any(_starts_with_newline(branch, flags) for branch in av[1])
    if op in _REPEATS:
        return av[1] > 0 and _starts_with_newline(av[2], flags)
    return op not in ("AT", "ASSERT", "ASSERT_NOT")


def _emit(items: Any, flags: int, follow: bool) -> str:
    """RE2 text for a sequence; ``follow``: what comes after it may start with a line feed."""
    items = list(items)
    parts = []
    for index, (op, av) in enumerate(items):
        rest = items[index + 1 :]
        after = _starts_with_newline(rest, flags) or (follow and _nullable(rest))
        parts.append(_emit_item(str(op), av, flags, after))
    return "".join(parts)


def _emit_item(op: str, av: Any, flags: int, after: bool) -> str:
    if op in _ONE_CHAR:
        return _re2_class(_char_set(op, av, flags))
    if op == "SUBPATTERN":
        return f"(?:{_emit(av[-1], _scoped(flags, av[1], av[2]), after)})"
    if op == "BRANCH":
        return "(?:" + "|".join(_emit(branch, flags, after) for branch in av[1]) + ")"
    if op in ("MAX_REPEAT", "MIN_REPEAT"):
        low, high, body = av
        again = high > 1 and _starts_with_newline(body, flags)
        inner = _emit(body, flags, after or again)
        if high == _sre.MAXREPEAT:
            count = {0: "*", 1: "+"}.get(low, f"{{{low},}}")
        else:
            count = (
                f"{{{low}}}"
                if low == high
                else "?"
                if (low, high) == (0, 1)
                else f"{{{low},{high}}}"
            )
        return f"(?:{inner}){count}"
    if op == "AT":
        return _emit_at(str(av), flags, after)
    if op in ("ASSERT", "ASSERT_NOT"):
        raise Untranslatable("it uses a lookaround, which RE2 does not have")
    if op in ("POSSESSIVE_REPEAT", "ATOMIC_GROUP"):
        raise Untranslatable(
            "it uses an atomic group or a possessive repetition, which RE2 does not have"
        )
    if op == "GROUPREF":
        raise Untranslatable("it uses a back-reference, which RE2 does not have")
    if op == "GROUPREF_EXISTS":
        raise Untranslatable("it uses a conditional group, which RE2 does not have")
    raise Untranslatable(f"it uses {op}, which is not analysed")


def _emit_at(at: str, flags: int, after: bool) -> str:
    multiline = bool(flags & re.MULTILINE)
    if at == "AT_BEGINNING_STRING" or (at == "AT_BEGINNING" and not multiline):
        return r"\A"
    if at == "AT_BEGINNING":
        return "(?m:^)"
    if at == "AT_END_STRING":
        return r"\z"
    if at == "AT_END" and multiline:
        return "(?m:$)"
    if at == "AT_END":
        if after:
            raise Untranslatable(
                "'$' stands before something that can match a line feed, and re lets '$' "
                "match before a final line feed where RE2 does not: write '\\Z' for the end "
                "of the string"
            )
        return r"\z"
    if at == "AT_BOUNDARY" and flags & re.ASCII:
        return r"\b"  # both engines: a boundary of [0-9A-Za-z_]
    if at == "AT_BOUNDARY":
        raise Untranslatable(
            "'\\b' is a Unicode word boundary in re and RE2 only has ASCII ones: add '(?a)' "
            "(re.ASCII) if ASCII word boundaries are meant (it makes \\d, \\w and \\s ASCII "
            "too), or write the characters around the boundary out, e.g. '[^a-z0-9]'"
        )
    raise Untranslatable(
        "'\\B' has no exact RE2 equivalent (re and RE2 disagree on the empty string and on "
        "Unicode letters): write the characters on both sides out instead"
    )


def re2_text(text: str, flags: int = 0) -> str:
    """RE2 text matching (as a whole string) exactly the strings ``re`` fully matches with
    ``text`` and ``flags``; raises :class:`Untranslatable` for what has no such text."""
    try:
        parsed = _sre.parse(text, flags)
    except RecursionError:
        raise Untranslatable("it is nested too deeply") from None
    return _emit(parsed, parsed.state.flags, follow=False)


# --- compiling a configured pattern ----------------------------------------------------------


#: How to get RE2, named in the refusal of a costly pattern when it is missing.
RE2_EXTRA = 'pip install "flask-cors[re2]"'


class _RE2Missing(Exception):
    """``google-re2`` (the ``re2`` extra) is not installed."""


@cache
def _re2_module() -> Any:
    """``google-re2``'s module, imported the first time a costly pattern is compiled (apps
    whose patterns all stay on ``re`` never import it); ``None`` when it is not installed."""
    try:
        import re2  # type: ignore[import-untyped,unused-ignore]
    except ImportError:
        return None
    return re2


def _re2_compile(translated: str) -> Any:
    re2 = _re2_module()
    if re2 is None:
        raise _RE2Missing
    return re2.compile(translated, _re2_options(re2))


def _re2_options(re2: Any) -> Any:
    options = re2.Options()
    options.log_errors = False
    options.max_mem = _RE2_MAX_MEM
    return options


def _python_syntax(linear: str) -> str:
    """``linear`` in ``re`` syntax: RE2's end of text ``\\z`` at its end (resource patterns
    end with it) is ``re``'s ``\\Z``."""
    if linear.endswith("\\z") and not linear.endswith("\\\\z"):
        return linear[:-2] + "\\Z"
    return linear


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
    they differ from ``text`` (resource patterns add their segment-boundary test; ``linear``
    is read as ``re`` reads it, and may end with ``\\z``). Raises :class:`CORSConfigError`
    naming ``option`` and ``source`` when the pattern is invalid, or costly and beyond RE2.
    """
    full = backtracking if backtracking is not None else text
    try:
        compiled = re.compile(full, flags)
    except (re.error, ValueError, OverflowError) as exc:
        raise CORSConfigError(
            option, source, f"invalid regular expression {text!r}: {exc}"
        ) from None
    if is_linear(text, flags):
        return compiled
    try:
        translated = re2_text(_python_syntax(linear or text), flags)
        engine = _re2_compile(translated)
    except Untranslatable as exc:
        reason = str(exc)
    except _RE2Missing:
        why = (
            "engine RE2, which is not installed (google-re2 is an optional dependency): "
            f"{RE2_EXTRA}"
        )
        raise CORSConfigError(option, source, _costly(text, why)) from None
    except Exception as exc:  # RE2 refused the program: counts above 1000, size
        reason = f"RE2 cannot compile it ({exc})"
    else:
        return LinearPattern(text, flags, engine)
    why = f"engine, which cannot run it exactly as re does: {reason}"
    raise CORSConfigError(option, source, _costly(text, why))


def _costly(text: str, why: str) -> str:
    """The message for a costly pattern that cannot run on the linear-time engine."""
    return (
        f"the regular expression {text!r} can take seconds to match some inputs (a "
        "repetition of something that matches in several ways, or several repetitions "
        f"that can give characters to each other), so it must run on the linear-time {why}. "
        "Or rewrite it so that it stays on re, e.g. '[a-z0-9-]+' instead of "
        "'([a-z0-9]+-?)+', '[^/]*' instead of '.*' between slashes."
    )


# --- examples for the lint -------------------------------------------------------------------


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
            found = [c for c in _EXAMPLE_CHARS if _matches(op, av, flags, c)]
            if not found:
                return None
            parts.append(found[0])
        elif op in ("SUBPATTERN", "ATOMIC_GROUP", "BRANCH") or op in _REPEATS:
            body = av[1][0] if op == "BRANCH" else av if op == "ATOMIC_GROUP" else av[-1]
            inner = _scoped(flags, av[1], av[2]) if op == "SUBPATTERN" else flags
            part = _example(body, inner, "a" if op in _REPEATS else dot)
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
        parsed = _sre.parse(pattern.pattern, pattern.flags)
        text = _example(parsed, parsed.state.flags)
    except (re.error, RecursionError, ValueError):
        return None
    return text if text is not None and pattern.fullmatch(text) else None

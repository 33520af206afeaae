"""JSON every part of the system can store and send back (RFC 7493), for every way in.

Python's json module decodes some texts no later step can handle: a lone UTF-16
surrogate ("\\ud800") becomes a str that cannot be encoded as UTF-8 (a response, a
PostgreSQL write and the generated files all fail), and a number beyond the double
range ("1e400") becomes inf, which strict JSON output and PostgreSQL's jsonb refuse.
Integers beyond 2**53 would reach the browser changed, and nesting deep enough to
exhaust Python's stack fails every recursive step after parsing. The REST API's parser
(builder/documents/api/parsers.py) and the collaboration websocket
(builder/collab/consumer.py) both decode with `decode` and refuse with `check_decoded`,
so a value is refused the same way, with the JSON pointer of the value at fault,
whichever way it arrives. No Django here.
"""

from __future__ import annotations

import json
import math
import re
from typing import Any

# I-JSON (RFC 7493, 2.2): integers a JavaScript client reads back unchanged.
MAX_SAFE_INTEGER = 2**53 - 1
LONE_SURROGATE = re.compile("[\ud800-\udfff]")
# A decoded text holds a surrogate only where the text holds one, escaped or (decoded
# with a charset such as unicode_escape) raw; a text without either needs no string checks.
MAYBE_SURROGATE = re.compile(r"[\ud800-\udfff]|\\u[dD][89a-fA-F]")
# Documents nest about six levels; props such as event patterns add a few more. The
# limit keeps every recursive step after parsing (validation, copies, JSON output)
# far from Python's recursion limit.
MAX_DEPTH = 64
TOO_DEEP = f"JSON may nest at most {MAX_DEPTH} levels deep"
# Python refuses to turn an integer literal of over 4,300 digits into an int (a guard
# against quadratic time), and any integer of over 309 digits is beyond a double anyway.
LONGEST_INTEGER = 400


class UnsafeValue(ValueError):
    """A value that cannot be carried; `path` is its JSON pointer ("" for the whole text)."""

    def __init__(self, path: str, message: str):
        super().__init__(f"{path}: {message}" if path else message)
        self.path = path
        self.message = message


def _refuse_constant(name: str) -> None:
    raise ValueError(f"{name} is not a JSON number")


def _integer(text: str) -> int | float:
    # A float of such an integer is inf, which check_value refuses with its path.
    return int(text) if len(text) <= LONGEST_INTEGER else float(text)


def decode(text: str) -> Any:
    """json.loads, strict: NaN and Infinity are not JSON (ValueError).

    A text nested too deeply to decode raises UnsafeValue, not RecursionError; an
    integer with too many digits to convert decodes as inf for `check_value` to name.
    Decoded values still need `check_decoded`.
    """
    try:
        return json.loads(text, parse_constant=_refuse_constant, parse_int=_integer)
    except RecursionError:
        raise UnsafeValue("", TOO_DEEP) from None


def check_decoded(value: Any, text: str) -> None:
    """`check_value` for a value `decode` returned for `text`."""
    check_value(value, strings=MAYBE_SURROGATE.search(text) is not None)


def _pointer(parts: tuple) -> str:
    """JSON pointer of `parts`, lone surrogates written as escapes so the error prints."""
    tokens = (str(p).replace("~", "~0").replace("/", "~1") for p in parts)
    return LONE_SURROGATE.sub(
        lambda m: f"\\u{ord(m.group()):04x}", "".join(f"/{t}" for t in tokens)
    )


def _surrogate(text: str) -> str:
    found = LONE_SURROGATE.search(text)
    return f"a lone UTF-16 surrogate (\\u{ord(found.group()):04x}); send valid Unicode"


def check_value(value: Any, strings: bool = True) -> None:
    """Raise UnsafeValue for a value in decoded JSON that cannot be carried.

    Iterative, so the depth limit (not Python's stack) decides how deep a value may go,
    and tight: it runs on every request body and every websocket message, and a
    1,000-node document holds ~25,000 values. `strings=False` skips the surrogate check
    (see MAYBE_SURROGATE).
    """
    if type(value) is not dict and type(value) is not list:
        problem = _scalar_problem(value, strings)
        if problem:
            raise UnsafeValue("", problem)
        return
    pending: list[tuple[Any, tuple]] = [(value, ())]
    while pending:
        container, path = pending.pop()
        if len(path) >= MAX_DEPTH:
            raise UnsafeValue(_pointer(path), TOO_DEEP)
        is_dict = type(container) is dict
        for key, item in container.items() if is_dict else enumerate(container):
            if strings and is_dict and LONE_SURROGATE.search(key):
                raise UnsafeValue(_pointer((*path, key)), f"a key may not hold {_surrogate(key)}")
            kind = type(item)
            if kind is dict or kind is list:
                pending.append((item, (*path, key)))
            # Cheap tests inline; the full check only for a value that may be at fault.
            elif (
                (kind is str and strings)
                or (kind is int and not -MAX_SAFE_INTEGER <= item <= MAX_SAFE_INTEGER)
                or kind is float
            ):
                problem = _scalar_problem(item, strings)
                if problem:
                    raise UnsafeValue(_pointer((*path, key)), problem)


def _scalar_problem(value: Any, strings: bool) -> str | None:
    kind = type(value)
    if kind is str and strings and LONE_SURROGATE.search(value):
        return f"text may not hold {_surrogate(value)}"
    if kind is int and not -MAX_SAFE_INTEGER <= value <= MAX_SAFE_INTEGER:
        return f"integers must be between -{MAX_SAFE_INTEGER} and {MAX_SAFE_INTEGER}"
    if kind is float and not math.isfinite(value):
        return "the number is beyond the range of a double"
    return None

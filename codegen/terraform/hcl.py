"""A small HCL document model, rendered the way `terraform fmt` writes it.

Emitters build `Block`s whose attributes hold Python values; rendering happens last.
A Python `str` is always a string literal (escaped by `naming.hcl_string`, so a label
can never become code); only an `Expr` is written as an expression, and emitters build
those from addresses and ids, never from labels. `template()` joins literal text and
expressions into one interpolated string with the literal parts escaped.

Formatting follows hclwrite's rules: two spaces per nesting level, and the `=` of
consecutive one-line attributes aligned one space after the longest name; a blank
line, a comment, a nested block or a multi-line value ends such a run.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Union

from codegen.naming import hcl_string

_IDENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_-]*$")
_KEYWORDS = {"for", "in", "if", "true", "false", "null"}


@dataclass(frozen=True, slots=True)
class Expr:
    """HCL expression text written as it is: references, function calls, numbers."""

    text: str


@dataclass(frozen=True, slots=True)
class Call:
    """A function call; arguments are values like any other (`jsonencode({...})`)."""

    name: str
    args: tuple[Any, ...]


def call(name: str, *args: Any) -> Call:
    return Call(name, args)


def template(*parts: str | Expr) -> Expr:
    """An interpolated string: `str` parts are literal text, `Expr` parts go in `${}`."""
    out = []
    for part in parts:
        if isinstance(part, Expr):
            out.append("${" + part.text + "}")
        else:
            out.append(hcl_string(part)[1:-1])
    return Expr('"' + "".join(out) + '"')


@dataclass(slots=True)
class Attr:
    name: str
    value: Any


@dataclass(slots=True)
class Comment:
    text: str


class Blank:
    """An empty line between groups of attributes or blocks."""


BLANK = Blank()

Item = Union[Attr, "Block", Comment, Blank]


@dataclass(slots=True)
class Block:
    type: str
    labels: tuple[str, ...] = ()
    body: list[Item] = field(default_factory=list)

    def add(self, *items: Item) -> Block:
        self.body.extend(items)
        return self


def block(type_: str, *labels: str, **attrs: Any) -> Block:
    """A block whose attributes come from keyword arguments, skipping None values."""
    return Block(type_, labels, [Attr(k, v) for k, v in attrs.items() if v is not None])


def attrs(**values: Any) -> list[Attr]:
    return [Attr(k, v) for k, v in values.items() if v is not None]


# Policies and tags write the same few keys thousands of times.
@functools.lru_cache(maxsize=1024)
def _key(name: str) -> str:
    return name if _IDENT.match(name) and name not in _KEYWORDS else hcl_string(name)


def _scalar(value: Any) -> str | None:
    """One-line text of a scalar value, or None for collections and calls."""
    kind = type(value)
    if kind is str:
        return hcl_string(value)
    if kind is Expr:
        return value.text
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return repr(int(value)) if value.is_integer() else repr(value)
    if value is None:
        return "null"
    if isinstance(value, str):  # subclasses, after the exact types above
        return hcl_string(value)
    if isinstance(value, Expr):
        return value.text
    return None


def _value(value: Any, indent: int) -> str:
    """Text of a value whose first line follows `name = `; later lines are indented."""
    text = _scalar(value)
    if text is not None:
        return text
    pad = "  " * (indent + 1)
    if isinstance(value, Call):
        args = [_value(arg, indent) for arg in value.args]
        return f"{value.name}({', '.join(args)})"
    if isinstance(value, (list, tuple)):
        if not value:
            return "[]"
        items = [_scalar(v) for v in value]
        if None not in items:
            return "[" + ", ".join(items) + "]"
        inner = [f"{pad}{_value(v, indent + 1)}," for v in value]
        return "[\n" + "\n".join(inner) + "\n" + "  " * indent + "]"
    if isinstance(value, dict):
        if not value:
            return "{}"
        lines = _aligned([(_key(k), _value(v, indent + 1)) for k, v in value.items()], pad)
        return "{\n" + "\n".join(lines) + "\n" + "  " * indent + "}"
    raise TypeError(f"cannot render {type(value).__name__} as HCL")


def _run(run: list[tuple[str, str]], pad: str, out: list[str]) -> None:
    """Lines of a run of one-line attributes, `=` aligned one space after the longest name."""
    if len(run) == 1:
        name, text = run[0]
        out.append(f"{pad}{name} = {text}")
        return
    width = max([len(name) for name, _ in run])
    out += [f"{pad}{name.ljust(width)} = {text}" for name, text in run]


def _aligned(pairs: list[tuple[str, str]], pad: str) -> list[str]:
    """`name = value` lines with `=` aligned across each run of one-line values."""
    lines: list[str] = []
    run: list[tuple[str, str]] = []
    for name, text in pairs:
        if "\n" in text:
            if run:
                _run(run, pad, lines)
                run = []
            lines.append(f"{pad}{name} = {text}")
        else:
            run.append((name, text))
    if run:
        _run(run, pad, lines)
    return lines


# Rendering appends to one list of lines per file (no list per block to copy upwards):
# a large architecture writes tens of thousands of blocks.
def _body(items: Iterable[Item], indent: int, out: list[str]) -> None:
    pad = "  " * indent
    run: list[tuple[str, str]] = []
    for item in items:
        kind = type(item)  # exact types: the document model has no subclasses
        if kind is Attr:
            value = item.value
            vkind = type(value)  # the commonest values first, without a call
            if vkind is str:
                run.append((item.name, hcl_string(value)))
                continue
            text = value.text if vkind is Expr else _value(value, indent)
            if "\n" in text:
                if run:
                    _run(run, pad, out)
                    run = []
                out.append(f"{pad}{item.name} = {text}")
            else:
                run.append((item.name, text))
            continue
        if run:
            _run(run, pad, out)
            run = []
        if kind is Block:
            _block(item, indent, out)
        elif kind is Comment:
            out.extend(f"{pad}# {line}".rstrip() for line in item.text.split("\n"))
        else:
            out.append("")
    if run:
        _run(run, pad, out)


def _block(item: Block, indent: int, out: list[str]) -> None:
    pad = "  " * indent
    head = item.type
    if item.labels:
        head = " ".join([head, *[hcl_string(label) for label in item.labels]])
    if not item.body:
        out.append(f"{pad}{head} {{}}")
        return
    out.append(f"{pad}{head} {{")
    _body(item.body, indent + 1, out)
    out.append(f"{pad}}}")


def render(items: Iterable[Item]) -> str:
    """A whole file: top-level blocks separated by one blank line."""
    chunks = []
    for item in items:
        if isinstance(item, (Block, Comment)):
            lines: list[str] = []
            _body([item], 0, lines)
            chunks.append("\n".join(lines))
    return "\n\n".join(chunks) + "\n"

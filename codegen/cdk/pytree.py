"""A small model of Python code: expressions and statements, built first, rendered last.

Builders never write Python text themselves; they assemble these nodes and `render`
lays them out. Text from the document (labels, props) only ever enters as `Lit`, which
renders through `naming.python_string`, so it can never become code.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from codegen import naming

LINE_LENGTH = 99


class Expr:
    def flat(self) -> str:
        raise NotImplementedError

    def names(self, out: set[str]) -> None:
        """Add the bare names this expression reads to `out` (a literal reads none)."""

    def lines(self, indent: int, start: int | None = None) -> str:
        """This expression laid out at `indent`, broken over lines when it is too long.

        `start` is the column the first line starts at (after `x = `), `indent` by default.
        """
        return self.flat()

    # Builders read like the code they make: name("s3").attr("Bucket").call(...).
    def attr(self, attribute: str, /) -> Attr:
        return Attr(self, attribute)

    def call(self, /, *args: Any, **kwargs: Any) -> Call:
        return Call(
            self, tuple(lit(a) for a in args), tuple((k, lit(v)) for k, v in kwargs.items())
        )

    def method(self, method_name: str, /, *args: Any, **kwargs: Any) -> Call:
        return self.attr(method_name).call(*args, **kwargs)


@dataclass(frozen=True)
class Name(Expr):
    id: str

    def flat(self) -> str:
        return self.id

    def names(self, out: set[str]) -> None:
        out.add(self.id)


@dataclass(frozen=True)
class Attr(Expr):
    value: Expr
    name: str

    def flat(self) -> str:
        return f"{self.value.flat()}.{self.name}"

    def names(self, out: set[str]) -> None:
        self.value.names(out)

    def lines(self, indent: int, start: int | None = None) -> str:
        return f"{self.value.lines(indent, start)}.{self.name}"


@dataclass(frozen=True)
class Lit(Expr):
    value: str | int | float | bool | None

    def flat(self) -> str:
        if isinstance(self.value, str):
            return naming.python_string(self.value)
        return repr(self.value)


def _fits(flat: str, indent: int, start: int | None) -> bool:
    # A trailing "," or ")" may follow an argument: leave room for it.
    return (indent if start is None else start) + len(flat) < LINE_LENGTH


def _bracketed(open_: str, close: str, items: list[str], indent: int) -> str:
    pad = " " * (indent + 4)
    body = "".join(f"{pad}{item},\n" for item in items)
    return f"{open_}\n{body}{' ' * indent}{close}"


@dataclass(frozen=True)
class Call(Expr):
    func: Expr
    args: tuple[Expr, ...]
    kwargs: tuple[tuple[str, Expr], ...]

    def flat(self) -> str:
        parts = [a.flat() for a in self.args] + [f"{k}={v.flat()}" for k, v in self.kwargs]
        return f"{self.func.flat()}({', '.join(parts)})"

    def names(self, out: set[str]) -> None:
        self.func.names(out)
        for arg in self.args:
            arg.names(out)
        for _, value in self.kwargs:
            value.names(out)

    def lines(self, indent: int, start: int | None = None) -> str:
        flat = self.flat()
        if _fits(flat, indent, start) or not (self.args or self.kwargs):
            return flat
        inner = indent + 4
        parts = [a.lines(inner) for a in self.args] + [
            f"{k}={v.lines(inner, inner + len(k) + 1)}" for k, v in self.kwargs
        ]
        return self.func.lines(indent, start) + _bracketed("(", ")", parts, indent)


@dataclass(frozen=True)
class ListExpr(Expr):
    items: tuple[Expr, ...]

    def flat(self) -> str:
        return f"[{', '.join(i.flat() for i in self.items)}]"

    def names(self, out: set[str]) -> None:
        for item in self.items:
            item.names(out)

    def lines(self, indent: int, start: int | None = None) -> str:
        flat = self.flat()
        if _fits(flat, indent, start) or not self.items:
            return flat
        return _bracketed("[", "]", [i.lines(indent + 4) for i in self.items], indent)


@dataclass(frozen=True)
class DictExpr(Expr):
    items: tuple[tuple[Expr, Expr], ...]

    def flat(self) -> str:
        return "{" + ", ".join(f"{k.flat()}: {v.flat()}" for k, v in self.items) + "}"

    def names(self, out: set[str]) -> None:
        for key, value in self.items:
            key.names(out)
            value.names(out)

    def lines(self, indent: int, start: int | None = None) -> str:
        flat = self.flat()
        if _fits(flat, indent, start) or not self.items:
            return flat
        inner = indent + 4
        parts = [f"{k.flat()}: {v.lines(inner, inner + len(k.flat()) + 2)}" for k, v in self.items]
        return _bracketed("{", "}", parts, indent)


@dataclass(frozen=True)
class Concat(Expr):
    """String concatenation, e.g. a literal prefix and a token."""

    parts: tuple[Expr, ...]

    def flat(self) -> str:
        return " + ".join(p.flat() for p in self.parts)

    def names(self, out: set[str]) -> None:
        for part in self.parts:
            part.names(out)


@dataclass(frozen=True)
class Index(Expr):
    value: Expr
    index: int

    def flat(self) -> str:
        return f"{self.value.flat()}[{self.index}]"

    def names(self, out: set[str]) -> None:
        self.value.names(out)


def lit(value: Any) -> Expr:
    """Wrap a Python value as an expression; containers become list and dict displays."""
    if isinstance(value, Expr):
        return value
    if isinstance(value, Mapping):
        return DictExpr(tuple((lit(k), lit(v)) for k, v in value.items()))
    if isinstance(value, list | tuple):
        return ListExpr(tuple(lit(v) for v in value))
    if value is None or isinstance(value, str | int | float | bool):
        return Lit(value)
    raise TypeError(f"cannot write {type(value).__name__} as Python")


def name(dotted: str) -> Expr:
    """A name or dotted path fixed by the renderer (never document text)."""
    head, *rest = dotted.split(".")
    expr: Expr = Name(head)
    for part in rest:
        expr = Attr(expr, part)
    return expr


SELF = Name("self")


class Stmt:
    def render(self, indent: int) -> str:
        raise NotImplementedError

    def names(self, out: set[str]) -> None:
        """Add the bare names this statement reads or assigns to `out`."""


@dataclass(frozen=True)
class Assign(Stmt):
    target: Expr
    value: Expr

    def render(self, indent: int) -> str:
        target = self.target.flat()
        value = self.value.lines(indent, indent + len(target) + 3)
        return f"{' ' * indent}{target} = {value}\n"

    def names(self, out: set[str]) -> None:
        self.target.names(out)
        self.value.names(out)


@dataclass(frozen=True)
class Do(Stmt):
    expr: Expr

    def render(self, indent: int) -> str:
        return f"{' ' * indent}{self.expr.lines(indent)}\n"

    def names(self, out: set[str]) -> None:
        self.expr.names(out)


@dataclass(frozen=True)
class Comment(Stmt):
    """A comment written by the renderer; document text never goes in one."""

    text: str

    def render(self, indent: int) -> str:
        assert "\n" not in self.text and "\r" not in self.text
        return f"\n{' ' * indent}# {self.text}\n"


def render_block(statements: Iterable[Stmt], indent: int) -> str:
    return "".join(s.render(indent) for s in statements)


def names_used(statements: Iterable[Stmt]) -> set[str]:
    """Every bare name the statements read: what their module must define or import.

    Read from the tree, not the rendered text (a regex over a large stack's code took
    longer than rendering it); document text is only ever a `Lit`, which names nothing.
    """
    out: set[str] = set()
    for statement in statements:
        statement.names(out)
    return out

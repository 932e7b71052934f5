"""jinja2's sandbox with bounds on work: what staff write (rule messages, a commune's templates) runs here.

jinja2's ``SandboxedEnvironment`` stops attribute escapes and imports, but not work: two nested
loops over ``range(100000)``, a string doubled in a loop, ``'x' * 10**10`` or
``'{:>999999999}'.format(1)`` ran a night out of time or memory. ``BoundedSandbox`` keeps
jinja2's sandbox and counts, in one budget per render (limits.py):

- steps (template_steps): every loop iteration (each ``{% for %}`` iterates through a counter),
  every call (functions, methods, macros) and every attribute or item looked up;
- time (template_seconds): checked as steps are counted and as output is produced;
- size (template_output): the output of the render, and every text or list made inside it,
  refused *before* it is made where the size is known in advance (``*``, ``**``, ``%``, ``+``,
  ``~``, widths in format strings, a filter's or method's numbers), checked after otherwise.

Past a bound, the render stops with ``BoundError`` (exit 2), naming the bound and its setting;
the caller adds the template and its line. Templates of the package are trusted and rendered
by jinja2's plain environment, unbounded.
"""

from __future__ import annotations

import contextvars
import functools
import re
import time
from typing import Any, Iterable, Iterator

from jinja2 import nodes
from jinja2.compiler import CodeGenerator
from jinja2.environment import Environment, Template
from jinja2.nodes import EvalContext
from jinja2.runtime import Context, markup_join, str_join
from jinja2.sandbox import SandboxedEnvironment

from dondoc import limits
from dondoc.errors import BoundError

_SIZED = (str, bytes, list, tuple, dict, set, frozenset)
_WIDTH = re.compile(r"\d+")
_CHECK_TIME_EVERY = 256  # steps between two looks at the clock


class _Budget:
    """What one render may still do."""

    __slots__ = ("steps", "deadline", "output", "count")

    def __init__(self) -> None:
        self.steps = limits.limit("template_steps")
        self.deadline = time.monotonic() + limits.limit("template_seconds")
        self.output = limits.limit("template_output")
        self.count = 0

    def step(self, n: int = 1) -> None:
        self.count += n
        if self.count > self.steps:
            raise limits.exceeded("template_steps", None, "mẫu lặp, gọi quá nhiều lần")
        if self.count % _CHECK_TIME_EVERY < n:
            self.clock()

    def clock(self) -> None:
        if time.monotonic() > self.deadline:
            raise limits.exceeded("template_seconds", None, "mẫu chạy quá lâu")

    def size(self, n: int, what: str = "một chuỗi") -> None:
        if n > self.output:
            raise limits.exceeded("template_output", None, f"mẫu tạo {what} dài {limits.number(n)}")


_BUDGET: contextvars.ContextVar[_Budget | None] = contextvars.ContextVar("dondoc_template_budget", default=None)


def _budget() -> _Budget:
    budget = _BUDGET.get()
    if budget is None:  # a template object used outside render() (a macro called from Python): its own budget
        budget = _Budget()
        _BUDGET.set(budget)
    return budget


def _length(value: Any) -> int:
    return len(value) if isinstance(value, _SIZED) else 0


def _widths(text: Any) -> int:
    """The largest number written in a format string ('%999999s', '{:>999999}'): the width it pads to."""
    if not isinstance(text, str):
        return 0
    return max((int(d) for d in _WIDTH.findall(text) if len(d) < 12), default=0) if any(c.isdigit() for c in text) else 0


# Filters and methods whose result grows with a number or a text they are given ('x'.center(10**9),
# text.replace('', big), ', '.join(list), lipsum(n=10**6)); others are measured by what they return.
_EXPANDING = frozenset({"center", "ljust", "rjust", "zfill", "expandtabs", "indent", "replace", "format",
                        "format_map", "join", "wordwrap", "lipsum", "generate_lorem_ipsum", "do_center",
                        "do_indent", "do_replace", "do_join", "do_wordwrap", "do_format"})


def _estimate(receiver: Any, args: Iterable[Any]) -> int:
    """How large the result of an operation on ``receiver`` with ``args`` may be, at most
    roughly: its size times the largest number (or text) it is given."""
    factor = 1
    for arg in args:
        if isinstance(arg, bool):
            continue
        if isinstance(arg, int):
            factor = max(factor, abs(arg))
        elif isinstance(arg, str):
            factor = max(factor, len(arg), _widths(arg))
    return max(1, _length(receiver), _widths(receiver)) * factor


class BoundedTemplate(Template):
    """A template whose every render runs under one budget, its output counted as it is made."""

    def render(self, *args: Any, **kwargs: Any) -> str:
        # jinja2's Template.render, with the output measured chunk by chunk (every text a chunk
        # is made from is bounded already; the sum is what is left to watch) and the clock read
        # now and then: a message is rendered for every finding of a night.
        ctx = self.new_context(dict(*args, **kwargs))
        budget = _Budget()
        token = _BUDGET.set(budget)
        try:
            out: list[str] = []
            made, limit = 0, budget.output
            for chunk in self.root_render_func(ctx):
                made += len(chunk)
                if made > limit:
                    budget.size(made, "kết quả")
                out.append(chunk)
                if not len(out) % _CHECK_TIME_EVERY:
                    budget.clock()
            return self.environment.concat(out)  # type: ignore[attr-defined]
        except Exception:
            self.environment.handle_exception()  # jinja2's traceback, at the template's lines
        finally:
            _BUDGET.reset(token)


class _Generator(CodeGenerator):
    """jinja2's code generator, with every loop counted and every '~' measured first."""

    def visit_For(self, node: nodes.For, frame) -> None:
        if not node.recursive:
            node = nodes.For(
                node.target,
                nodes.Call(nodes.EnvironmentAttribute("counted"), [node.iter], [], None, None, lineno=node.lineno),
                node.body, node.else_, node.test, node.recursive, lineno=node.lineno,
            )
        super().visit_For(node, frame)

    def visit_Concat(self, node: nodes.Concat, frame) -> None:
        join = "markup_join" if frame.eval_ctx.autoescape and not frame.eval_ctx.volatile else "str_join"
        if frame.eval_ctx.volatile:
            join = "(markup_join if context.eval_ctx.volatile else str_join)"
        self.write(f"environment.bounded_concat({join}, (")
        for arg in node.nodes:
            self.visit(arg, frame)
            self.write(", ")
        self.write("))")


class BoundedSandbox(SandboxedEnvironment):
    """jinja2's sandbox, bounded in steps, time and size (see the module's docstring)."""

    template_class = BoundedTemplate
    code_generator_class = _Generator
    intercepted_binops = frozenset(["*", "**", "%", "+", "//"])

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.filters = _Filters(self.filters)  # and every filter added later
        self.globals.pop("lipsum", None)  # no letter needs lorem ipsum; its size is n x 450 characters

    # -- every loop, call and lookup is a step ----------------------------------------------------

    def counted(self, iterable: Any) -> Iterator[Any]:
        budget = _budget()
        budget.size(_length(iterable), "một danh sách")
        for item in iterable:
            budget.step()
            yield item

    def call(__self, __context, __obj, *args: Any, **kwargs: Any) -> Any:  # noqa: N805 - jinja2's signature
        budget = _budget()
        budget.step()
        # a method's object; jinja2 wraps str.format (functools.update_wrapper: __wrapped__ keeps it)
        receiver = getattr(__obj, "__self__", None) or getattr(getattr(__obj, "__wrapped__", None), "__self__", None)
        every = (*args, *kwargs.values())
        for arg in (receiver, *every):
            budget.size(_length(arg), "một danh sách hay chuỗi")
        if getattr(__obj, "__name__", "") in _EXPANDING:
            budget.size(_estimate(receiver, every))
        result = super().call(__context, __obj, *args, **kwargs)
        budget.size(_length(result))
        return result

    def getattr(self, obj: Any, attribute: str) -> Any:
        _budget().step()
        return super().getattr(obj, attribute)

    def getitem(self, obj: Any, argument: Any) -> Any:
        _budget().step()
        return super().getitem(obj, argument)

    # -- sizes known before the work --------------------------------------------------------------

    def call_binop(self, context, operator: str, left: Any, right: Any) -> Any:
        budget = _budget()
        budget.step()
        if operator == "*":
            for sized, times in ((left, right), (right, left)):
                if isinstance(times, int) and not isinstance(times, bool) and isinstance(sized, _SIZED):
                    budget.size(len(sized) * max(times, 0))
        elif operator == "**" and isinstance(left, int) and isinstance(right, int) and abs(left) > 1 and right > 0:
            budget.size(right * abs(left).bit_length() // 8, "một số (byte)")
        elif operator == "%" and isinstance(left, str):
            budget.size(_estimate(left, right if isinstance(right, tuple) else (right,)))
        elif operator == "+":
            budget.size(_length(left) + _length(right))
        result = super().call_binop(context, operator, left, right)
        budget.size(_length(result))
        return result

    def bounded_concat(self, join, parts: tuple) -> str:
        budget = _budget()
        budget.step()
        budget.size(sum(_length(part) for part in parts))
        result = join(parts)
        budget.size(len(result))
        return result


class _Filters(dict):
    """The environment's filters, each measured as a call: jinja2's code calls a filter directly,
    not through ``call``."""

    def __init__(self, filters: dict) -> None:
        super().__init__()
        self.update(filters)

    def __setitem__(self, name: str, func: Any) -> None:
        super().__setitem__(name, _bounded_filter(name, func))

    def update(self, *args: Any, **kwargs: Any) -> None:
        for name, func in dict(*args, **kwargs).items():
            self[name] = func


def _bounded_filter(name: str, func):
    if getattr(func, "_dondoc_bounded", False):
        return func
    expanding = name in _EXPANDING or f"do_{name}" in _EXPANDING

    @functools.wraps(func)
    def bounded(*args: Any, **kwargs: Any) -> Any:
        budget = _budget()
        budget.step()
        values = [a for a in (*args, *kwargs.values()) if not isinstance(a, (Context, EvalContext, Environment))]
        for value in values:
            budget.size(_length(value), "một danh sách hay chuỗi")
        if expanding and values:
            budget.size(_estimate(values[0], values[1:]))
        result = func(*args, **kwargs)
        budget.size(_length(result))
        return result

    bounded._dondoc_bounded = True  # type: ignore[attr-defined]
    return bounded


__all__ = ["BoundedSandbox", "BoundedTemplate", "BoundError", "markup_join", "str_join"]

"""Function components: ``@component`` turns a function that returns a tree into a checked builder.

A component is called like an element builder: positional arguments are children, keywords are
attributes and *slots*. A slot is a keyword child (``header=h2("Title")``); a slot that needs data
from the component is a callable the component calls (``col=lambda row: [td(row.name)]``). Slots
are passed through untouched.

Arguments are checked on every call against the function's signature and annotations, so a typo
or a wrong type fails where the component is used, with a message that says what was expected and
what was received. To keep that cheap, the decorator compiles, once, a wrapper with the function's
own keyword parameters and each annotation's test inlined (``isinstance(title, str)``), as
dataclasses and attrs compile their ``__init__``; its source is ``card.__pylive_source__``. A call
that passes costs a few tests and one extra call; a call that fails is explained by a slow path
that rebuilds the call and says what is wrong. Annotations are resolved with
``typing.get_type_hints``, on the first call when a forward reference cannot be resolved yet at
decoration time. Annotations the checker does not understand (``Any``, type variables, protocols
that are not runtime-checkable …) are not checked.

**Eager or memoized.** ``@component`` calls the function at once and returns its result: the
simplest model, and the right one for cheap components. ``@component(memo=True)`` returns a
``pylive.node.Memo`` instead: the call, not its result. The renderer resolves it lazily, and the
diff skips it in O(1) when the next render calls the same function with equal arguments, without
calling the function again. Arguments are still checked eagerly, at the call site. A memoized
component must return exactly one element.

**Why ``key`` is reserved.** ``key=`` gives a node its identity among its siblings for the keyed
diff. For a memoized call the key must be known before the function runs (the diff matches calls
by key without resolving them), so it cannot be an argument of the function: it is taken out of
every component call and never passed on. On an eager component it keys the element returned.
"""

from __future__ import annotations

import difflib
import functools
import inspect
import linecache
import sys
import types
import typing
from collections.abc import Callable
from typing import Any, Literal, ParamSpec, Protocol, TypeVar, overload

from pylive.exceptions import ComponentError
from pylive.node import Element, Key, Memo

__all__ = ["Component", "component"]

P = ParamSpec("P")
R = TypeVar("R")
R_co = TypeVar("R_co", covariant=True)

Check = Callable[[Any], bool]
"""A compiled annotation: ``check(value)`` is True when ``value`` conforms."""


class Component(Protocol[P, R_co]):
    """What ``@component`` returns: called like the function (plus the reserved ``key=``)."""

    fn: Callable[..., Any]
    """The undecorated function."""
    memo: bool
    """True when calls return a ``Memo`` rendered lazily, False when they call ``fn`` at once."""

    # ``key=`` cannot be added to a ParamSpec: a keyed call is checked at run time only.
    @overload
    def __call__(self, *args: P.args, **kwargs: P.kwargs) -> R_co: ...
    @overload
    def __call__(self, *args: Any, key: str | int | None, **kwargs: Any) -> R_co: ...


@overload
def component(fn: Callable[P, R], /) -> Component[P, R]: ...
@overload
def component(*, memo: Literal[False] = False) -> Callable[[Callable[P, R]], Component[P, R]]: ...
@overload
def component(*, memo: Literal[True]) -> Callable[[Callable[P, Element]], Component[P, Memo]]: ...
def component(fn: Callable[..., Any] | None = None, /, *, memo: bool = False) -> Any:
    """Make ``fn`` a function component: ``@component`` or ``@component(memo=True)``.

    >>> from pylive.html import div, h2
    >>> @component
    ... def card(*children, header=None, title: str):
    ...     return div(header, *children, title=title, class_="card")
    >>> card("body", header=h2("T"), title="x")
    div(h2('T'), 'body', title='x', class='card')
    >>> card("body", title=42)
    Traceback (most recent call last):
    ...
    pylive.exceptions.ComponentError: card(): argument 'title' expected str, got 42
    """
    if fn is None:
        return functools.partial(_build, memo=memo)
    return _build(fn, memo=memo)


# --- building the checked wrapper ---------------------------------------------------------------


class _Signature:
    """What the call-time check needs, computed once from ``inspect.signature``."""

    def __init__(self, fn: Callable[..., Any]) -> None:
        self.fn = fn
        self.name: str = getattr(fn, "__name__", repr(fn))
        params = inspect.signature(fn).parameters
        if "key" in params:
            raise ComponentError(
                f"{self.name}(): 'key' is reserved for the node's identity among its siblings "
                "and is never passed to a component; rename the parameter"
            )
        kinds = inspect.Parameter
        self.params = list(params.values())
        self.positional = [p.name for p in self.params if p.kind <= kinds.POSITIONAL_OR_KEYWORD]
        self.positional_only = {p.name for p in self.params if p.kind == kinds.POSITIONAL_ONLY}
        # The positional names that a keyword may also fill (None for positional-only ones).
        self.by_keyword = [None if n in self.positional_only else n for n in self.positional]
        # ``header: Element = None`` accepts None: passing the default is never a type error.
        self.none_ok = {p.name for p in self.params if p.default is None}
        self.keyword = [
            p.name
            for p in self.params
            if p.kind in (kinds.POSITIONAL_OR_KEYWORD, kinds.KEYWORD_ONLY)
        ]
        self.required_positional = sum(
            1
            for p in self.params
            if p.kind <= kinds.POSITIONAL_OR_KEYWORD and p.default is inspect.Parameter.empty
        )
        self.required_keyword = [
            p.name
            for p in self.params
            if p.kind == kinds.KEYWORD_ONLY and p.default is inspect.Parameter.empty
        ]
        self.star = next((p.name for p in self.params if p.kind == kinds.VAR_POSITIONAL), None)
        self.star_star = next((p.name for p in self.params if p.kind == kinds.VAR_KEYWORD), None)
        self.max_positional = sys.maxsize if self.star else len(self.positional)
        self.annotated = set(getattr(inspect.unwrap(fn), "__annotations__", {})) & set(params)
        self.hints: dict[str, Any] | None = _type_hints(fn, partial=False)

    def resolve_hints(self) -> dict[str, Any]:
        """The annotations, resolving forward references now; unresolvable ones are skipped."""
        if self.hints is None:
            self.hints = _type_hints(self.fn, partial=True) or {}
        return self.hints

    def check(self, name: str) -> Check | None:
        hints = self.resolve_hints()
        if name not in hints:
            return None
        return _compile(self.annotation(name))

    def annotation(self, name: str) -> Any:
        """The resolved annotation of ``name``, widened to accept None when that is the default."""
        annotation = self.resolve_hints()[name]
        if name in self.none_ok:
            try:
                return annotation | None
            except TypeError:
                return Any  # not a type at all: left unchecked
        return annotation


def _build(fn: Callable[..., Any], memo: bool) -> Any:
    if not callable(fn):
        raise ComponentError(f"@component: expected a function, got {fn!r}")
    sig = _Signature(fn)
    annotated = [p.name for p in sig.params if p.name in sig.annotated]
    prefix = "_pl_"
    while any(p.name.startswith(prefix) for p in sig.params):
        prefix = "_" + prefix
    ns: dict[str, Any] = {
        f"{prefix}{name}": value
        for name, value in {
            "fn": fn,
            "M": _MISSING,
            "Memo": Memo,
            "name": sig.name,
            "key": _key,
            "keyed": _keyed,
            "len": len,
            "type": type,
            "str": str,
            "int": int,
            "NO_KWARGS": _NO_KWARGS,
            "fail": functools.partial(_fail, sig),
        }.items()
    }
    for param in sig.params:
        if param.default is not inspect.Parameter.empty:
            ns[f"{prefix}d_{param.name}"] = param.default

    checks: dict[str, str] = {}  # parameter name → the source of its check
    if sig.hints is None:
        # A forward reference: call a function, which resolves the annotations on first use.
        def prepare() -> None:
            for name in annotated:
                ns[f"{prefix}c_{name}"] = sig.check(name) or _accept

        for name in annotated:
            ns[f"{prefix}c_{name}"] = functools.partial(_resolve_first, prepare, ns, prefix, name)
            checks[name] = f"{prefix}c_{name}({{0}})"
    else:
        for name in annotated:
            source = _check_source(
                sig.annotation(name), "{0}", lambda obj: _constant(ns, prefix, obj)
            )
            if source is not None:
                checks[name] = source
    source = _generate(sig, prefix, checks, memo)
    filename = f"<pylive component {sig.name} {id(ns):x}>"
    exec(compile(source, filename, "exec"), ns)  # generated from the signature's names only
    linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
    wrapper = ns[f"{prefix}call"]
    functools.update_wrapper(wrapper, fn)
    wrapper.fn = fn
    wrapper.memo = memo
    wrapper.__pylive_source__ = source
    return wrapper


def _resolve_first(
    prepare: Callable[[], None], ns: dict[str, Any], prefix: str, param: str, value: object
) -> bool:
    prepare()
    check: Check = ns[f"{prefix}c_{param}"]
    return check(value)


def _generate(sig: _Signature, prefix: str, checks: dict[str, str], memo: bool) -> str:
    """The source of the wrapper: the function's own signature, with every check inlined."""
    kinds = inspect.Parameter
    empty = inspect.Parameter.empty
    args, extra, rest, result, n = (prefix + s for s in ("A", "X", "C", "R", "n"))
    missing = f"{prefix}M"
    by_name = {p.name: p for p in sig.params}
    keyword_only = [p.name for p in sig.params if p.kind == kinds.KEYWORD_ONLY]
    positional = sig.positional

    head = [f"*{args}"]
    for param in sig.params:
        if param.kind == kinds.POSITIONAL_OR_KEYWORD or (
            param.kind == kinds.KEYWORD_ONLY and param.default is empty
        ):
            head.append(f"{param.name}={missing}")
        elif param.kind == kinds.KEYWORD_ONLY:
            head.append(f"{param.name}={prefix}d_{param.name}")
    head += ["key=None", f"**{extra}"]
    given = "{" + ", ".join(f"{p!r}: {p}" for p in sig.keyword) + "}"

    def fail(after_positional: bool) -> str:
        return f"raise {prefix}fail({args}, {given}, {extra}, {after_positional})"

    lines = [f"def {prefix}call({', '.join(head)}):"]
    add = lines.append
    if sig.star_star is None:
        add(f"    if {extra}: {fail(False)}")
    if positional:
        count = len(positional)
        unpack = f"{', '.join(positional)}, = {args}"
        add(f"    {n} = {prefix}len({args})")
        # The usual call: exactly the positional parameters (or more, for *children), by position.
        exact = f"{n} {'>=' if sig.star else '=='} {count}"
        free = [f" and {p} is {missing}" for p in positional if p in sig.keyword]
        add(f"    if {exact}{''.join(free)}:")
        add(f"        {unpack}[:{count}]" if sig.star else f"        {unpack}")
        add("    else:")
        if sig.star is None:
            add(f"        if {n} > {count}: {fail(False)}")
        twice = [
            f"{n} > {i} and {p} is not {missing}"
            for i, p in enumerate(positional)
            if by_name[p].kind == kinds.POSITIONAL_OR_KEYWORD
        ]
        if twice:
            add(f"        if {' or '.join(twice)}: {fail(False)}")
        for i, p in enumerate(positional):
            if by_name[p].kind == kinds.POSITIONAL_ONLY:
                add(f"        {p} = {args}[{i}] if {n} > {i} else {missing}")
            else:
                add(f"        if {n} > {i}: {p} = {args}[{i}]")
            if by_name[p].default is empty:
                add(f"        if {p} is {missing}: {fail(True)}")
            else:
                add(f"        if {p} is {missing}: {p} = {prefix}d_{p}")
        if sig.star is not None:
            add(f"    {rest} = {args}[{count}:]")
    elif sig.star is not None:
        rest = args
    else:
        add(f"    if {args}: {fail(False)}")
    required = [f"{p} is {missing}" for p in sig.required_keyword]
    if required:
        add(f"    if {' or '.join(required)}: {fail(True)}")
    for p, check in checks.items():
        if p == sig.star or p == sig.star_star:
            values = rest if p == sig.star else f"{extra}.values()"
            add(f"    for {prefix}v in {values}:")
            add(f"        if not ({check.format(prefix + 'v')}): {fail(True)}")
        elif by_name[p].default is empty:
            add(f"    if not ({check.format(p)}): {fail(True)}")
        else:
            add(f"    if {p} is not {prefix}d_{p} and not ({check.format(p)}): {fail(True)}")
    add(
        f"    if key is not None and {prefix}type(key) is not {prefix}str"
        f" and {prefix}type(key) is not {prefix}int:"
    )
    add(f"        key = {prefix}key({prefix}name, key)")
    kw = [f"{p}={p}" for p in keyword_only]
    if memo:
        if positional:
            call_args = f"({', '.join(positional)},{f' *{rest}' if sig.star else ''})"
        else:
            call_args = rest if sig.star else "()"
        kw_dict = [f"{p!r}: {p}" for p in keyword_only]
        if sig.star_star:
            kw_dict.append(f"**{extra}")
        # No keyword arguments: every call shares one empty dict (a memo row holds no copy).
        kwargs = f"{{{', '.join(kw_dict)}}}" if kw_dict else f"{prefix}NO_KWARGS"
        add(f"    return {prefix}Memo({prefix}fn, {call_args}, {kwargs}, key)")
        return "\n".join(lines) + "\n"
    star_star = [f"**{extra}"] if sig.star_star else []
    every = ", ".join([*positional, f"*{rest}", *kw, *star_star])
    if sig.star is not None and not sig.star_star:
        # f(*rest, a=a) takes a slower call path than f(rest[0], a=a): spell out a few children.
        add(f"    {n} = {prefix}len({rest})")
        for count in range(4):
            items = [f"{rest}[{i}]" for i in range(count)]
            add(f"    {'if' if count == 0 else 'elif'} {n} == {count}:")
            add(f"        {result} = {prefix}fn({', '.join([*positional, *items, *kw])})")
        add(f"    else: {result} = {prefix}fn({every})")
    elif sig.star is not None:
        add(f"    {result} = {prefix}fn({every})")
    else:
        add(f"    {result} = {prefix}fn({', '.join([*positional, *kw, *star_star])})")
    add(f"    return {result} if key is None else {prefix}keyed({prefix}name, {result}, key)")
    return "\n".join(lines) + "\n"


class _Missing:
    def __repr__(self) -> str:
        return "<missing>"


_MISSING: Any = _Missing()


def _accept(value: object) -> bool:
    return True


def _fail(
    sig: _Signature,
    args: tuple[Any, ...],
    given: dict[str, Any],
    extra: dict[str, Any],
    after_positional: bool,
) -> ComponentError:
    """Rebuild the call as written from the wrapper's variables, and explain what is wrong.

    Before the positional arguments are assigned, every keyword variable that is not missing was
    given by keyword. After, the ones filled from ``args`` and the defaults filled in are dropped.
    """
    kwargs: dict[str, Any] = {}
    for index, param in enumerate(sig.params):
        value = given.get(param.name, _MISSING)
        if value is _MISSING:
            continue
        if value is param.default and (after_positional or param.kind == param.KEYWORD_ONLY):
            continue  # a default filled in (or passed as is): valid, not worth explaining
        if after_positional and index < len(args) and param.name in sig.positional:
            continue
        kwargs[param.name] = value
    kwargs.update(extra)
    return _explain(sig, args, kwargs)


_NO_KWARGS: dict[str, Any] = {}
"""The kwargs of every memoized call without keyword arguments; never written to."""


def _key(name: str, value: object) -> Key:
    """A key as given (an int stays an int: no string per row), or a clear error."""
    kind = type(value)
    if kind is int or kind is str:
        return value  # type: ignore[return-value]
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise ComponentError(f"{name}(): key= expected a str or int, got {_show(value)}")
    return str.__str__(value) if isinstance(value, str) else int(value)


def _keyed(name: str, result: object, key: Key) -> Element | Memo:
    """The element (or memoized call) ``result`` with ``key``: what ``key=`` does when eager."""
    if type(result) is Element:
        return Element(result.tag, result.attrs, result.children, key, result.raw)
    if type(result) is Memo:
        return Memo(result.fn, result.args, result.kwargs, key)
    raise ComponentError(
        f"{name}(): key= needs a single root element to key, but {name}() returned {_show(result)}"
    )


# --- explaining a failed check (slow path, only on error) ---------------------------------------


def _explain(sig: _Signature, args: tuple[Any, ...], kwargs: dict[str, Any]) -> ComponentError:
    """The error for a call the fast check refused, in the order a reader would fix them."""
    name = sig.name
    n = len(args)
    if n > sig.max_positional:
        count = len(sig.positional)
        if count == 0:
            expected = "no positional arguments (it has no *children parameter)"
        else:
            names = ", ".join(sig.positional)
            expected = f"at most {count} positional argument{'s' * (count > 1)} ({names})"
        return ComponentError(f"{name}(): expected {expected}, got {n}: {_show(args)}")
    for param in kwargs:
        if param in sig.by_keyword[:n]:
            return ComponentError(f"{name}(): got multiple values for argument {param!r}")
        if param in sig.keyword or sig.star_star is not None:
            continue
        if param in sig.positional_only:
            return ComponentError(
                f"{name}(): argument {param!r} is positional-only, got it by keyword"
            )
        return ComponentError(f"{name}(): unexpected argument {param!r}{_hint(sig, param)}")
    missing = [
        param
        for i, param in enumerate(sig.positional[n : sig.required_positional], n)
        if sig.by_keyword[i] not in kwargs  # None (positional-only) is never in kwargs
    ]
    missing += [param for param in sig.required_keyword if param not in kwargs]
    if missing:
        plural = "s" * (len(missing) > 1)
        names = ", ".join(repr(param) for param in missing)
        return ComponentError(f"{name}(): missing required argument{plural} {names}")
    given: list[tuple[str | None, object, str]] = []
    for i, value in enumerate(args):
        if i < len(sig.positional):
            given.append((sig.positional[i], value, f"argument {sig.positional[i]!r}"))
        else:
            given.append((sig.star, value, f"positional argument {i + 1} (*{sig.star})"))
    for param, value in kwargs.items():
        target = param if param in sig.keyword else sig.star_star
        given.append((target, value, f"argument {param!r}"))
    for target, value, where in given:
        if target is None:
            continue
        check = sig.check(target)
        if check is not None and not check(value):
            expected, note = _describe(sig.annotation(target), value)
            return ComponentError(
                f"{name}(): {where} expected {expected}, got {_show(value)}{note}"
            )
    raise AssertionError(f"{name}(): arguments refused but no error found")  # pragma: no cover


def _hint(sig: _Signature, param: str) -> str:
    close = difflib.get_close_matches(param, sig.keyword, n=1)
    if close:
        return f"; did you mean {close[0]!r}?"
    if sig.keyword:
        return f"; expected one of {', '.join(repr(p) for p in sig.keyword)}"
    return "; it takes no keyword arguments"


def _show(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 80 else text[:76] + " ..."


# --- annotations → checks -----------------------------------------------------------------------


def _type_hints(fn: Callable[..., Any], partial: bool) -> dict[str, Any] | None:
    """``typing.get_type_hints(fn)``; on a forward reference that fails, None (or, when
    ``partial``, the annotations that do resolve)."""
    try:
        return typing.get_type_hints(fn)
    except Exception:
        if not partial:
            return None
    target = inspect.unwrap(fn)
    annotations = getattr(target, "__annotations__", {})
    globalns = getattr(target, "__globals__", {})
    hints: dict[str, Any] = {}
    for param, annotation in annotations.items():
        holder = types.SimpleNamespace(__annotations__={param: annotation})
        try:
            hints.update(typing.get_type_hints(holder, globalns=globalns))
        except Exception:
            continue  # e.g. a name imported under TYPE_CHECKING only: left unchecked
    return hints


class _Form:
    """An annotation reduced to what can be checked: classes, literal values, callable."""

    def __init__(self) -> None:
        self.classes: list[type] = []
        self.literals: list[object] = []
        self.callable = False


_NUMERIC: dict[type, tuple[type, ...]] = {float: (float, int), complex: (complex, float, int)}
_BOOL_STRICT = (int, float, complex)


def _reduce(annotation: Any, form: _Form) -> bool:
    """Add ``annotation`` to ``form``; False when it cannot be checked (no check at all)."""
    if annotation is None or annotation is type(None):
        form.classes.append(type(None))
        return True
    origin = typing.get_origin(annotation)
    if origin is typing.Union or origin is types.UnionType:
        return all(_reduce(arg, form) for arg in typing.get_args(annotation))
    if origin is Literal:
        form.literals.extend(typing.get_args(annotation))
        return True
    if origin is typing.Annotated:
        return _reduce(typing.get_args(annotation)[0], form)
    if origin is not None:
        annotation = origin  # list[int] → list, Sequence[str] → Sequence: the origin only
    supertype = getattr(annotation, "__supertype__", None)
    if supertype is not None:  # typing.NewType
        return _reduce(supertype, form)
    if annotation is Callable:
        form.callable = True
        return True
    if not isinstance(annotation, type) or annotation is object:
        return False  # Any, TypeVar, ParamSpec, Self, strings left unresolved …
    if typing.is_typeddict(annotation):
        form.classes.append(dict)
        return True
    try:
        isinstance(None, annotation)
    except TypeError:
        return False  # a Protocol that is not runtime-checkable
    form.classes.append(annotation)
    return True


def _compile(annotation: Any) -> Check | None:
    """A checker function for ``annotation``, or None when it is not checked."""
    ns: dict[str, Any] = {}
    source = _check_source(annotation, "value", lambda obj: _constant(ns, "_", obj))
    if source is None:
        return None
    check: Check = eval(f"lambda value: {source}", ns)  # built from _check_source only
    return check


def _constant(ns: dict[str, Any], prefix: str, obj: object) -> str:
    """The name of ``obj`` in the namespace generated code runs in (``_pl_isinstance``)."""
    for name, value in ns.items():
        if value is obj and name.startswith(prefix):
            return name
    name = f"{prefix}{getattr(obj, '__name__', '')}"
    if name == prefix or not name.isidentifier() or name in ns:
        name = f"{prefix}k{len(ns)}"
    ns[name] = obj
    return name


def _check_source(annotation: Any, var: str, constant: Callable[[object], str]) -> str | None:
    """A Python expression true when the variable ``var`` conforms to ``annotation``.

    The call-time checks are this expression inlined in the generated wrapper: no function call
    per argument. ``constant(obj)`` names an object the expression refers to.
    """
    form = _Form()
    if not _reduce(annotation, form):
        return None
    isinstance_, type_ = constant(isinstance), constant(type)
    tests: list[str] = []
    # As for type checkers, an int is a float and a float a complex.
    classes = tuple(dict.fromkeys(c for cls in form.classes for c in _NUMERIC.get(cls, (cls,))))
    if classes:
        test = f"{isinstance_}({var}, {constant(classes[0] if len(classes) == 1 else classes)})"
        # A bool is an int to isinstance, but True for an int is almost always a mistake.
        if any(c in _BOOL_STRICT for c in classes) and not any(
            issubclass(bool, c) for c in classes if c not in _BOOL_STRICT
        ):
            test = f"({test} and {type_}({var}) is not {constant(bool)})"
        tests.append(test)
    literals: dict[type, set[object]] = {}
    for value in form.literals:
        literals.setdefault(type(value), set()).add(value)
    for kind, values in literals.items():  # exact type first: Literal[1] refuses True and 1.0
        tests.append(f"({type_}({var}) is {constant(kind)} and {var} in {constant(values)})")
    if form.callable:
        tests.append(f"{constant(callable)}({var})")
    return " or ".join(tests) or None


def _describe(annotation: Any, value: object) -> tuple[str, str]:
    """How to say what ``annotation`` expects, and a note when ``value`` is a refused bool."""
    form = _Form()
    _reduce(annotation, form)
    parts: list[str] = []
    for cls in dict.fromkeys(form.classes):
        parts.append("None" if cls is type(None) else cls.__qualname__)
    if form.callable:
        parts.append("a callable")
    note = ""
    if isinstance(value, bool) and any(c in _BOOL_STRICT for c in form.classes):
        strict = next(c for c in form.classes if c in _BOOL_STRICT)
        note = f" (bool is not accepted for {strict.__name__})"
    literals = [repr(v) for v in form.literals]
    if literals and not parts:
        if len(literals) == 1:
            return literals[0], note
        return f"one of {', '.join(literals)}", note
    return " | ".join(literals + parts), note

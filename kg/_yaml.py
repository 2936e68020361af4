"""Safe YAML reading that remembers the line of every value.

PyYAML only composes the node tree here; the tree is then converted by hand so that no tag can run code
(``!!python/...`` and any other non-core tag is an error), alias expansion is capped before anything is
built (a billion-laughs file fails at once), and every value's line is kept for error messages.

Composing uses libyaml (PyYAML's C loader, about ten times faster) when PyYAML has it. Whatever fails there is
found again by the pure-Python loader, reading the same text: its messages and lines are the ones users see
(libyaml counts bytes and words its errors otherwise). Text that the two read differently (a tab between
tokens, ``[why?]``, ...: found by comparing them on millions of random texts) goes to the pure-Python loader
straight away, so both give the same data, lines and problems.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from kg._util import excerpt as _short
from kg._util import paused_gc

__all__ = ["YamlDoc", "YamlProblem", "parse_yaml", "dump_yaml", "MAX_BYTES", "MAX_NODES", "MAX_DEPTH"]

MAX_BYTES = 4 * 1024 * 1024
MAX_NODES = 200_000
MAX_DEPTH = 64

Path_ = tuple[str | int, ...]

_CORE = "tag:yaml.org,2002:"
_constructor = yaml.SafeLoader("")  # used only to turn plain scalars into int/float/bool/None


def _libyaml() -> Any:
    """libyaml's loader, when PyYAML has one that refuses to nest deeper than 1000 levels (the one in PyYAML's
    wheels does; libyaml 0.2.5 and older compose ``[[[[...`` by recursing in C until the stack overflows)."""
    loader_class = getattr(yaml, "CSafeLoader", None)
    if loader_class is None:
        return None
    loader = loader_class("[" * 1001 + "]" * 1001)
    try:
        loader.get_single_node()
    except yaml.YAMLError:
        return loader_class
    finally:
        loader.dispose()
    return None


#: libyaml's loader, or None: then the pure-Python one reads everything
_FAST: Any = _libyaml()
#: text that libyaml reads where the pure-Python loader refuses it or reads it otherwise (found by comparing
#: the two on random text; see also _differs and _check_size): such text is read by the pure-Python loader only
_DIFFERS = tuple(re.compile(pattern) for pattern in (
    r"[\t\x85\u2028\u2029]",  # tabs as separators; NEL, LS and PS as line breaks
    r"[|>][-+0-9]{0,2}#",  # a comment right after a block scalar's header (``|#``)
    r"!(?<![^\s\[\]{},?:]!)(?:(?![^\s\[\]{},])|\S*?[\[\],])",  # a tag ``!`` on its own, or running into ``,[]``
    r"\?(?<![^\s\[{,]\?)",  # an explicit key (``[? a]``: libyaml ends one in a flow sequence otherwise)
))


@dataclass
class YamlDoc:
    """Parsed data plus the line (1-based) of each value, keyed by its path from the root."""

    data: Any
    lines: dict[Path_, int] = field(default_factory=dict)

    def line(self, path: Path_) -> int:
        """The line of ``path`` or of its nearest ancestor that has one."""
        path = tuple(path)
        while path and path not in self.lines:
            path = path[:-1]
        return self.lines.get(path, 1)


class YamlProblem(Exception):
    """A YAML document that cannot be read safely; ``line`` is 1-based."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


class _Differs(YamlProblem):
    """Text that libyaml reads otherwise than the pure-Python loader (never seen outside this module)."""


def parse_yaml(text: str) -> YamlDoc:
    """Parse one YAML document safely, raising :class:`YamlProblem` with a line number."""
    if len(text.encode("utf-8", "surrogatepass")) > MAX_BYTES:
        raise YamlProblem(1, f"file is larger than {MAX_BYTES // (1024 * 1024)} MiB")
    with paused_gc():  # the node tree is garbage once converted: see paused_gc
        if _FAST is not None and not _differs(text):
            # whatever goes wrong with libyaml (bad syntax, a refused tag, an alias bomb), the pure-Python
            # loader finds it again below and tells it as it always has
            with contextlib.suppress(Exception):
                return _document(_compose(text, _FAST), libyaml=True)
        return _document(_compose_located(text))


def _differs(text: str) -> bool:
    """True when libyaml may read ``text`` otherwise than the pure-Python loader (a byte order mark after the
    start, or see _DIFFERS); a few regular expressions in turn are much faster than one alternation."""
    return text.find("\ufeff", 1) >= 0 or any(pattern.search(text) for pattern in _DIFFERS)


def _document(root: Node | None, libyaml: bool = False) -> YamlDoc:
    """The data of a composed node tree and the line of each value, once its size is known to be safe."""
    doc = YamlDoc(data=None)
    if root is not None:
        _check_size(root, libyaml)
        doc.data = _convert(root, (), doc.lines, 0)
    return doc


def _compose(text: str, loader_class: Any) -> Node | None:
    loader = loader_class(text)
    try:
        return loader.get_single_node()  # type: ignore[no-any-return]
    finally:
        loader.dispose()


def _compose_located(text: str) -> Node | None:
    """The node tree of ``text`` by the pure-Python loader, whose errors become a :class:`YamlProblem`."""
    try:
        return _compose(text, yaml.SafeLoader)  # the reader refuses NUL and other control characters
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        if err.context_mark is not None and err.problem_mark is not None and err.problem_mark.index >= len(text):
            mark = err.context_mark  # "unexpected end of file": point at what was left open
        line = mark.line + 1 if mark else 1
        context = f" ({err.context} at line {err.context_mark.line + 1})" if err.context and err.context_mark else ""
        raise YamlProblem(line, f"YAML syntax error: {err.problem or err.context}{context}") from None
    except yaml.reader.ReaderError as err:
        line = text.count("\n", 0, err.position) + 1
        code = err.character if isinstance(err.character, int) else ord(err.character)
        raise YamlProblem(line, f"character U+{code:04X} is not allowed in YAML (a control character, or a file "
                          "that is not UTF-8 text)") from None
    except yaml.YAMLError as err:
        raise YamlProblem(1, f"YAML error: {_short(str(err))}") from None
    except RecursionError:
        raise YamlProblem(_deepest_line(text), f"nested deeper than {MAX_DEPTH} levels") from None


def _check_size(root: Node, libyaml: bool = False) -> None:
    """Refuse trees of more than MAX_NODES values, counting every alias as the values it expands to, or that
    refer to themselves. The message says which: a tree written out over the cap, or aliases expanding over it.

    A tree composed by ``libyaml`` is also refused where the pure-Python loader reads the text otherwise, so
    that it reads it itself: a plain scalar in a flow collection holding a ``?`` (``[why?]``: the pure-Python
    loader ends a plain scalar there), and an empty document (libyaml puts it a line lower when the last line
    has no line break).
    """
    if libyaml and isinstance(root, ScalarNode) and not root.value:
        raise _Differs(1, "an empty document")
    sizes: dict[int, int] = {}
    open_: set[int] = set()
    aliased = False  # whether an alias has been counted yet (as the values it expands to)

    def size(node: Node, depth: int, in_flow: bool = False) -> int:
        nonlocal aliased
        key = id(node)
        if key in sizes:
            aliased = True
            return sizes[key]
        if key in open_:
            raise YamlProblem(node.start_mark.line + 1, "recursive YAML alias")
        if depth > MAX_DEPTH:
            raise YamlProblem(node.start_mark.line + 1, f"YAML nested deeper than {MAX_DEPTH} levels")
        if in_flow and libyaml and isinstance(node, ScalarNode) and not node.style and "?" in node.value:
            raise _Differs(node.start_mark.line + 1, "a plain scalar with '?' in a flow collection")
        open_.add(key)
        total = 1
        if isinstance(node, SequenceNode):
            for child in node.value:
                total += size(child, depth + 1, node.flow_style)
                if total > MAX_NODES:
                    break
        elif isinstance(node, MappingNode):
            for k, v in node.value:
                total += size(k, depth + 1, node.flow_style) + size(v, depth + 1, node.flow_style)
                if total > MAX_NODES:
                    break
        open_.discard(key)
        if total > MAX_NODES:
            what = "YAML aliases expand to" if aliased else "YAML document holds"
            raise YamlProblem(node.start_mark.line + 1, f"{what} more than {MAX_NODES} values")
        sizes[key] = total
        return total

    size(root, 0)


def _convert(node: Node, path: Path_, lines: dict[Path_, int], depth: int) -> Any:
    lines.setdefault(path, node.start_mark.line + 1)
    line = node.start_mark.line + 1
    if isinstance(node, ScalarNode):
        return _scalar(node)
    if isinstance(node, SequenceNode):
        if node.tag != _CORE + "seq":
            raise _refused(line, node.tag)
        return [_convert(child, (*path, i), lines, depth + 1) for i, child in enumerate(node.value)]
    if isinstance(node, MappingNode):
        if node.tag != _CORE + "map":
            raise _refused(line, node.tag)
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key_line = key_node.start_mark.line + 1
            if not isinstance(key_node, ScalarNode) or key_node.tag == _CORE + "merge":
                raise YamlProblem(key_line, "mapping keys must be plain strings or numbers")
            key = _scalar(key_node)
            if key in result:
                raise YamlProblem(key_line, f"duplicate key {_short(repr(key))}")
            lines[(*path, key)] = key_line
            result[key] = _convert(value_node, (*path, key), lines, depth + 1)
        return result
    raise YamlProblem(line, "unsupported YAML node")  # pragma: no cover - PyYAML has no other kinds


def _scalar(node: ScalarNode) -> Any:
    tag = node.tag
    if tag in (_CORE + "str", _CORE + "timestamp", _CORE + "binary"):
        # timestamps stay text: pydantic parses them and reports bad dates with the field name
        return node.value
    if tag in (_CORE + "int", _CORE + "float", _CORE + "bool", _CORE + "null"):
        try:
            return _constructor.construct_object(node, deep=True)
        except (ValueError, KeyError, yaml.YAMLError):  # "!!bool abc" fails with a KeyError in PyYAML
            raise YamlProblem(node.start_mark.line + 1, f"bad value {_short(node.value)}") from None
    raise _refused(node.start_mark.line + 1, tag)


def _deepest_line(text: str) -> int:
    """The line where flow brackets first nest deeper than MAX_DEPTH (1 when that is not where it happens)."""
    depth, line = 0, 1
    for char in text:
        if char == "\n":
            line += 1
        elif char in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                return line
        elif char in "]}":
            depth -= 1
    return 1


def _refused(line: int, tag: str) -> YamlProblem:
    """The problem of a tag other than plain data, named as it was written (``!!python/...``)."""
    written = "!!" + tag[len(_CORE):] if tag.startswith(_CORE) else tag
    return YamlProblem(line, f"YAML tag {_short(written)} is not allowed (only plain data is read)")


class _Dumper(yaml.SafeDumper):
    """Block style for records, flow style for short lists of ids and numbers, never anchors."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def _represent_list(dumper: yaml.SafeDumper, data: list[Any]) -> yaml.Node:
    flow = all(isinstance(x, str | int) for x in data) and sum(len(str(x)) + 2 for x in data) < 90
    return dumper.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=flow)


def _represent_datetime(dumper: yaml.SafeDumper, value: dt.datetime) -> yaml.Node:
    return dumper.represent_scalar("tag:yaml.org,2002:timestamp", value.isoformat().replace("+00:00", "Z"))


_Dumper.add_representer(list, _represent_list)
_Dumper.add_representer(dt.datetime, _represent_datetime)


def dump_yaml(data: Any) -> str:
    """``data`` as YAML in the data format's house style (deterministic: keys keep their order, no anchors)."""
    return yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=110, default_flow_style=False)

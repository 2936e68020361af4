"""Parse one longterm-wiki MDX page into front matter, entity mentions, citations, block components and tables.

The wiki pages are Markdown with JSX components (MDX). Markdown is left to markdown-it-py; the JSX parts are
found by a small tag scanner that understands quoted strings, balanced ``{...}`` expressions, template literals
and comments, so that a ``{`` or ``|`` inside a Mermaid chart or a Crux position never confuses the Markdown
parser. The scanner runs twice: once over whole lines, before Markdown, to lift out block components (whose
lines are then blanked, keeping every line number), and once as a markdown-it inline rule for the inline
``<EntityLink>`` and ``<R>`` components inside paragraphs, headings and table cells.

Every line number reported is 1-based in the original file, front matter included.
"""

from __future__ import annotations

import bisect
import json
import re
from dataclasses import dataclass, field
from typing import Any, Literal, TypeVar

import json5
import yaml
from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token

__all__ = ["MdxError", "Ref", "Mention", "Component", "Row", "Table", "Section", "Page", "RawExpr", "parse_page"]

_YamlLoader: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class MdxError(Exception):
    """A page that cannot be parsed; ``line`` is 1-based in the file (None when unknown)."""

    def __init__(self, message: str, line: int | None = None, path: str | None = None) -> None:
        self.message = message
        self.line = line
        self.path = path
        super().__init__(f"{line}: {message}" if line is not None else message)


@dataclass(frozen=True)
class RawExpr:
    """A JSX attribute ``{...}`` that is a JS expression but not a JSON5 literal (e.g. ``frontmatter.ratings``);
    kept as source text so that callers can tell it apart from a real string value."""

    source: str


@dataclass(frozen=True)
class Ref:
    """A citation: ``<R id=..>text</R>`` (kind "resource", key = the R id) or a Markdown link to http(s)
    (kind "url", key = the URL)."""

    kind: Literal["resource", "url"]
    key: str
    text: str
    line: int
    #: the block component whose attribute holds this citation (e.g. a Mermaid chart label); None in Markdown
    component: str | None = None


@dataclass(frozen=True)
class Mention:
    """An ``<EntityLink id="E22" name="anthropic">Anthropic</EntityLink>``: the page talks about entity E22."""

    numeric_id: str
    name: str | None
    text: str
    line: int
    #: the block component whose attribute holds this link (e.g. a Mermaid chart label); None in Markdown
    component: str | None = None


@dataclass(frozen=True)
class Component:
    """A block JSX component (Crux, DisagreementMap, KeyQuestions, ...) with its attributes evaluated."""

    name: str
    attrs: dict[str, Any]
    line: int
    end_line: int


@dataclass(frozen=True)
class Row:
    """One body row of a Markdown table, with the citations and entity links of each cell kept apart."""

    cells: tuple[str, ...]
    refs: tuple[tuple[Ref, ...], ...]
    mentions: tuple[tuple[Mention, ...], ...]
    line: int


@dataclass(frozen=True)
class Table:
    """A GFM pipe table; ``header`` is the plain text of the header cells."""

    header: tuple[str, ...]
    rows: tuple[Row, ...]
    line: int


@dataclass(frozen=True)
class Section:
    """A heading and the tables that follow it up to the next heading of any level."""

    title: str
    level: int
    line: int
    tables: tuple[Table, ...]


@dataclass(frozen=True)
class Page:
    """Everything the importer needs from one page, in document order."""

    path: str
    front_matter: dict[str, Any]
    mentions: tuple[Mention, ...]
    refs: tuple[Ref, ...]
    components: tuple[Component, ...]
    sections: tuple[Section, ...]
    #: every table of the page, including any before the first heading
    tables: tuple[Table, ...] = ()
    #: things tolerated but suspicious, e.g. an unknown inline tag never closed (``"12: ..."``)
    warnings: tuple[str, ...] = ()

    def sections_titled(self, title: str) -> list[Section]:
        """Sections whose plain title equals ``title``, ignoring case (pages differ in capitalisation)."""
        want = title.casefold()
        return [s for s in self.sections if s.title.casefold() == want]


# --------------------------------------------------------------------------------------------------------------
# JSX tag scanner


#: components that are always inline, whatever their position on the line
_INLINE = frozenset({"EntityLink", "R"})

_TAG_NAME = re.compile(r"[A-Za-z_$][\w$.:-]*")
_ATTR_NAME = re.compile(r"[A-Za-z_$][\w$:.-]*")
_WS = re.compile(r"[ \t\r\n]*")
#: characters that matter inside a ``{...}`` expression; everything else is skipped in one regex step
_EXPR_SPECIAL = re.compile(r"[{}\[\]()\"'`/]")
_TEMPLATE_SPECIAL = re.compile(r"[`\\]|\$\{")
_CLOSERS = {"{": "}", "[": "]", "(": ")"}


class _TagSyntax(Exception):
    """Raised by the scanner; ``pos`` is the offset the message is about (converted to a line by the caller)."""

    def __init__(self, message: str, pos: int) -> None:
        super().__init__(message)
        self.message = message
        self.pos = pos


@dataclass
class _Attr:
    name: str
    kind: Literal["str", "expr", "bare"]
    raw: str
    pos: int
    value_pos: int = -1  # offset of ``raw`` in the scanned text


@dataclass
class _Tag:
    name: str
    attrs: list[_Attr]
    closing: bool
    self_closing: bool
    start: int
    end: int  # exclusive


def _skip_string(src: str, pos: int, limit: int) -> int:
    """Offset just after the JS string literal starting at ``pos`` (a raw newline ends it, as in JS)."""
    quote = src[pos]
    i = pos + 1
    while i < limit:
        c = src[i]
        if c == "\\":
            i += 2
            continue
        if c == quote:
            return i + 1
        if c == "\n":
            break
        i += 1
    raise _TagSyntax("unterminated string literal", pos)


def _skip_template(src: str, pos: int, limit: int) -> int:
    """Offset just after the template literal starting at ``pos``; ``${...}`` parts are scanned as expressions."""
    i = pos + 1
    while True:
        m = _TEMPLATE_SPECIAL.search(src, i, limit)
        if m is None:
            raise _TagSyntax("unterminated template literal", pos)
        tok = m.group()
        if tok == "`":
            return m.end()
        if tok == "\\":
            i = m.end() + 1
        else:  # "${"
            i = _skip_expression(src, m.end() - 1, limit)


def _skip_expression(src: str, pos: int, limit: int) -> int:
    """Offset just after the balanced ``{...}`` expression starting at ``pos``; brackets must pair up."""
    stack: list[str] = []
    i = pos
    while True:
        m = _EXPR_SPECIAL.search(src, i, limit)
        if m is None:
            raise _TagSyntax("unterminated {...} expression (unbalanced braces)", pos)
        i = m.start()
        c = m.group()
        if c in "{[(":
            stack.append(c)
            i += 1
        elif c in "}])":
            if not stack or _CLOSERS[stack.pop()] != c:
                raise _TagSyntax(f"unbalanced {c!r} in {{...}} expression", i)
            i += 1
            if not stack:
                return i
        elif c in "\"'":
            i = _skip_string(src, i, limit)
        elif c == "`":
            i = _skip_template(src, i, limit)
        elif src.startswith("//", i):
            nl = src.find("\n", i, limit)
            i = limit if nl < 0 else nl
        elif src.startswith("/*", i):
            end = src.find("*/", i + 2, limit)
            if end < 0:
                raise _TagSyntax("unterminated /* comment */", i)
            i = end + 2
        else:  # a lone "/" (division)
            i += 1


def _skip_ws(src: str, pos: int, limit: int) -> int:
    m = _WS.match(src, pos, limit)
    return m.end() if m else pos


def _scan_tag(src: str, pos: int, limit: int) -> _Tag:
    """Scan the JSX tag starting with ``<`` at ``pos`` (opening, closing or self-closing) up to its ``>``."""
    i = pos + 1
    closing = src.startswith("/", i)
    if closing:
        i += 1
    m = _TAG_NAME.match(src, i, limit)
    if m is None:
        raise _TagSyntax("expected a tag name after '<'", pos)
    name = m.group()
    i = m.end()
    attrs: list[_Attr] = []
    while True:
        j = _skip_ws(src, i, limit)
        if j >= limit:
            raise _TagSyntax(f"unterminated <{'/' if closing else ''}{name}> tag", pos)
        c = src[j]
        if c == ">":
            return _Tag(name, attrs, closing, False, pos, j + 1)
        if c == "/" and not closing and src.startswith("/>", j):
            return _Tag(name, attrs, closing, True, pos, j + 2)
        if closing:
            raise _TagSyntax(f"unexpected {c!r} in closing tag </{name}>", j)
        if j == i:
            raise _TagSyntax(f"expected whitespace before attribute in <{name}>", j)
        if c == "{":
            raise _TagSyntax(f"spread attributes are not supported in <{name}>", j)
        m = _ATTR_NAME.match(src, j, limit)
        if m is None:
            raise _TagSyntax(f"unexpected {c!r} in <{name}>", j)
        attr_name, attr_pos = m.group(), j
        k = _skip_ws(src, m.end(), limit)
        if k < limit and src[k] == "=":
            k = _skip_ws(src, k + 1, limit)
            if k >= limit:
                raise _TagSyntax(f"unterminated <{name}> tag", pos)
            q = src[k]
            if q in "\"'":
                end = src.find(q, k + 1, limit)
                if end < 0:
                    raise _TagSyntax(f"unterminated string in attribute {attr_name!r} of <{name}>", attr_pos)
                attrs.append(_Attr(attr_name, "str", src[k + 1 : end], attr_pos, k + 1))
                i = end + 1
            elif q == "{":
                try:
                    end = _skip_expression(src, k, limit)
                except _TagSyntax as exc:
                    raise _TagSyntax(f"{exc.message} in attribute {attr_name!r} of <{name}>", exc.pos) from None
                attrs.append(_Attr(attr_name, "expr", src[k + 1 : end - 1], attr_pos, k + 1))
                i = end
            else:
                raise _TagSyntax(f"attribute {attr_name!r} of <{name}> needs a \"string\" or {{expression}}", k)
        else:
            attrs.append(_Attr(attr_name, "bare", "", attr_pos))
            i = k


_TEMPLATE_ESCAPE = re.compile(r"\\([\\`$])")


def _eval_expr(raw: str) -> Any:
    """The value of an attribute expression: JSON5 literals parsed, a plain template literal as its string,
    anything else as :class:`RawExpr`. An object/array literal that JSON5 rejects is an error."""
    inner = raw.strip()
    if len(inner) >= 2 and inner[0] == "`" and inner[-1] == "`":
        try:
            if _skip_template(inner, 0, len(inner)) == len(inner) and "${" not in inner:
                return _TEMPLATE_ESCAPE.sub(r"\1", inner[1:-1])
        except _TagSyntax:
            pass
        return RawExpr(raw)
    if inner[:1] in ("{", "["):
        return _loads_json5(inner)  # ValueError goes to the caller, which knows the line
    try:
        return _loads_json5(inner)
    except ValueError:
        return RawExpr(raw)


_J5_TOKEN = re.compile(
    r"""(?P<ws>[ \t\n]+|//[^\n]*|/\*.*?\*/)
    |(?P<dq>"(?:[^"\\\n]|\\[^\n])*")
    |(?P<sq>'(?:[^'\\\n]|\\[^\n])*')
    |(?P<ident>[A-Za-z_$][\w$]*)
    |(?P<punct>[{}\[\]:,])
    |(?P<num>-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?(?![\w.]))""",
    re.VERBOSE | re.DOTALL,
)
_J5_ESCAPE = re.compile(r'\\(.)|"', re.DOTALL)
_J5_WORDS = frozenset({"true", "false", "null"})
#: escapes that mean the same in JSON and JSON5; "\\'" and "\\$" etc. just drop the backslash in JSON5
_JSON_ESCAPES = frozenset('"\\/bfnrtu')


def _json_string(body: str) -> str | None:
    """A JSON5 string body (without its quotes) as a JSON string literal, or None for escapes JSON lacks."""
    unsupported = False

    def one(match: re.Match[str]) -> str:
        nonlocal unsupported
        char = match.group(1)
        if char is None:
            return '\\"'  # a bare " inside a 'single-quoted' string
        if char in _JSON_ESCAPES:
            return match.group(0)
        if char.isdigit() or char in "xv\u2028\u2029":
            unsupported = True
            return ""
        return char

    converted = _J5_ESCAPE.sub(one, body)
    return None if unsupported else '"' + converted + '"'


def _json5_as_json(text: str) -> str | None:
    """Rewrite the common JSON5 subset (unquoted keys, 'single quotes', trailing commas, comments) as JSON,
    or None when the text uses anything else. json5's own parser is a pure-Python PEG and about 100 times
    slower than ``json``; the rewrite keeps the wiki's 15 MB well inside its time budget."""
    out: list[str] = []
    pos, n = 0, len(text)
    while pos < n:
        m = _J5_TOKEN.match(text, pos)
        if m is None:
            return None
        pos = m.end()
        kind = m.lastgroup
        tok = m.group()
        if kind == "ws":
            continue
        if kind == "ident":
            nxt = _J5_TOKEN.match(text, pos)
            while nxt is not None and nxt.lastgroup == "ws":
                nxt = _J5_TOKEN.match(text, nxt.end())
            if nxt is not None and nxt.group() == ":":
                tok = '"' + tok + '"'
            elif tok not in _J5_WORDS:
                return None
        elif kind == "sq" or kind == "dq":
            if "\\" in tok or kind == "sq":
                converted = _json_string(tok[1:-1])
                if converted is None:
                    return None
                tok = converted
        elif kind == "punct" and tok in "}]" and out and out[-1] == ",":
            out.pop()
        out.append(tok)
    return "".join(out)


def _loads_json5(text: str) -> Any:
    """``json5.loads``, taking the fast ``json`` route when the text is in the subset it can rewrite."""
    converted = _json5_as_json(text)
    if converted is not None:
        try:
            return json.loads(converted, strict=False)
        except ValueError:
            pass
    return json5.loads(text)


# --------------------------------------------------------------------------------------------------------------
# Line bookkeeping


class _Lines:
    """Maps offsets of a text to 1-based file lines (``first`` is the file line of the text's first line)."""

    def __init__(self, text: str, first: int) -> None:
        self.starts = [0] + [m.end() for m in re.finditer("\n", text)]
        self.first = first

    def line(self, pos: int) -> int:
        return bisect.bisect_right(self.starts, pos) - 1 + self.first


# --------------------------------------------------------------------------------------------------------------
# Front matter


def _split_front_matter(text: str, path: str) -> tuple[dict[str, Any], str, int]:
    """Front matter mapping, the body after it, and the number of file lines before the body."""
    lines = text.split("\n")
    if not lines or lines[0].rstrip() != "---":
        raise MdxError("missing front matter: the page must start with a '---' line", 1, path)
    for idx in range(1, len(lines)):
        if lines[idx].rstrip() == "---":
            break
    else:
        raise MdxError("unterminated front matter: no closing '---' line", 1, path)
    source = "\n".join(lines[1:idx])
    try:
        data = yaml.load(source, Loader=_YamlLoader)  # noqa: S506 - a safe loader
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        problem = getattr(exc, "problem", None) or str(exc)
        raise MdxError(f"front matter is not valid YAML: {problem}", mark.line + 2 if mark else 2, path) from None
    if not isinstance(data, dict):
        raise MdxError(f"front matter must be a mapping, not {type(data).__name__}", 2, path)
    return data, "\n".join(lines[idx + 1 :]), idx + 1


# --------------------------------------------------------------------------------------------------------------
# Block pre-pass: lift out block components, blank their lines


_FENCE = re.compile(r"[ \t]*(`{3,}|~{3,})")
#: an ESM statement (not prose that starts with the word "import"/"export")
_ESM = re.compile(
    r"""import\s+(?:[{*'"]|[\w$]+\s*(?:,|\s+from\b))|export\s+(?:const|let|var|function|class|default|[{*])"""
)


def _component_name(text: str) -> str | None:
    """The name of the component tag ``<Name`` or ``</Name`` that ``text`` starts with (capitalised, as JSX
    components are; lower-case tags are HTML and left to Markdown)."""
    if text[:1] != "<":
        return None
    at = 2 if text[1:2] == "/" else 1
    if not text[at : at + 1].isupper():
        return None
    m = _TAG_NAME.match(text, at)
    return m.group() if m else None


def _blank(text: str) -> str:
    """Same number of lines, no content: keeps every later line number right."""
    return "\n" * text.count("\n")


@dataclass
class _Open:
    tag: _Tag
    line: int


@dataclass
class _Blocks:
    masked: str
    components: list[Component]
    mentions: list[Mention]
    refs: list[Ref]


def _is_strict(name: str, strict: frozenset[str] | None) -> bool:
    return strict is None or name in strict


def _block_pass(body: str, lines: _Lines, path: str, warnings: list[str],
                strict: frozenset[str] | None = None) -> _Blocks:
    """Find block components line by line (outside code fences and comments); return the body with their tags
    and with ESM/comment lines blanked, the components in document order, and the entity links and citations
    written inside their attribute strings."""
    n = len(body)
    out: list[str] = []
    found: list[tuple[int, int, Component, _Tag]] = []  # (start offset, seq, ...): sorted into document order
    stack: list[_Open] = []
    fence: str | None = None
    pos = 0

    def fail(message: str, at: int) -> MdxError:
        return MdxError(message, lines.line(at), path)

    def line_end(at: int) -> int:
        nl = body.find("\n", at)
        return n if nl < 0 else nl

    while pos < n:
        eol = line_end(pos)
        line = body[pos:eol]
        stripped = line.lstrip(" \t")
        start = pos + len(line) - len(stripped)
        next_pos = eol + 1
        if fence is not None:
            m = _FENCE.match(line)
            if m and m.group(1)[0] == fence[0] and len(m.group(1)) >= len(fence) and not line[m.end() :].strip():
                fence = None
            out.append(body[pos:next_pos])
        elif (m := _FENCE.match(line)) and not (m.group(1)[0] == "`" and "`" in line[m.end() :]):
            fence = m.group(1)
            out.append(body[pos:next_pos])
        elif stripped.startswith("<!--") or stripped.startswith("{/*"):
            closer = "-->" if stripped.startswith("<!--") else "*/}"
            end = body.find(closer, start)
            if end < 0:
                raise fail("unterminated comment", start)
            stop = line_end(end + len(closer))
            if body[end + len(closer) : stop].strip():
                out.append(body[pos:next_pos])  # a comment followed by text: leave it to the inline rule
            else:
                next_pos = stop + 1
                out.append(_blank(body[pos:next_pos]))
        elif not stack and start == pos and _ESM.match(stripped):
            # an import/export statement; a "{" left open continues it over the next lines
            end = eol
            if line.count("{") > line.count("}"):
                close = body.find("}", eol)
                end = line_end(close) if close >= 0 else n
            next_pos = end + 1
            out.append(_blank(body[pos:next_pos]))
        elif (name := _component_name(stripped)) is not None and name not in _INLINE:
            try:
                tag = _scan_tag(body, start, n)
            except _TagSyntax as exc:  # name the tag where it opens: an unclosed one fails far below it
                where = "" if lines.line(exc.pos) == lines.line(start) else f" (at line {lines.line(exc.pos)})"
                detail = exc.message if exc.message.startswith("unterminated") else \
                    f"unterminated or malformed <{name}> tag: {exc.message}{where}"
                raise fail(detail, start) from None
            stop = line_end(tag.end)
            if body[tag.end : stop].strip():
                out.append(body[pos:next_pos])  # text follows on the line: an inline component
            else:
                next_pos = stop + 1
                out.append(_blank(body[pos:next_pos]))
                tag_line = lines.line(start)
                if tag.closing:
                    if not stack:
                        raise fail(f"closing tag </{tag.name}> has no opening tag", start)
                    opened = stack.pop()
                    if opened.tag.name != tag.name:
                        raise fail(f"closing tag </{tag.name}> does not match <{opened.tag.name}> "
                                   f"opened at line {opened.line}", start)
                    comp = Component(tag.name, _attrs(opened.tag, lines, path, _is_strict(tag.name, strict),
                                                             warnings), opened.line, lines.line(tag.end - 1))
                    found.append((opened.tag.start, len(found), comp, opened.tag))
                elif tag.self_closing:
                    comp = Component(tag.name, _attrs(tag, lines, path, _is_strict(tag.name, strict), warnings),
                                     tag_line, lines.line(tag.end - 1))
                    found.append((start, len(found), comp, tag))
                else:
                    stack.append(_Open(tag, tag_line))
        else:
            out.append(body[pos:next_pos])
        pos = next_pos
    if stack:
        opened = stack[-1]
        raise MdxError(f"unterminated <{opened.tag.name}>: no closing </{opened.tag.name}>", opened.line, path)
    found.sort(key=lambda item: (item[0], item[1]))
    blocks = _Blocks("".join(out), [item[2] for item in found], [], [])
    for _, _, comp, tag in found:
        _attr_links(comp.name, tag, lines, warnings, blocks)
    return blocks


_LINK_TAG = re.compile(r"<(EntityLink|R)\b")
_ANY_TAG = re.compile(r"</?[A-Za-z][^<>]*>")


def _attr_links(component: str, tag: _Tag, lines: _Lines, warnings: list[str], blocks: _Blocks) -> None:
    """EntityLink/R tags written inside a component's attribute text (Mermaid node labels, InfoBox data): the
    author links the entity there too, so they count, marked with the component's name."""
    for attr in tag.attrs:
        raw = attr.raw
        if attr.kind == "bare" or "<" not in raw:
            continue
        for m in _LINK_TAG.finditer(raw):
            line = lines.line(attr.value_pos + m.start())
            try:
                inner = _scan_tag(raw, m.start(), len(raw))
            except _TagSyntax as exc:
                warnings.append(f"{line}: <{m.group(1)}> in attribute {attr.name!r} of <{component}> skipped: "
                                f"{exc.message}")
                continue
            text = ""
            if not inner.self_closing:
                close = raw.find(f"</{inner.name}>", inner.end)
                if close < 0:
                    warnings.append(f"{line}: <{inner.name}> in attribute {attr.name!r} of <{component}> skipped: "
                                    "not closed")
                    continue
                text = " ".join(_ANY_TAG.sub("", raw[inner.end : close]).split())
            values = {a.name: a.raw for a in inner.attrs if a.kind == "str"}
            if "id" not in values:
                warnings.append(f'{line}: <{inner.name}> without id="..." in attribute {attr.name!r} skipped')
            elif inner.name == "R":
                blocks.refs.append(Ref("resource", values["id"], text, line, component))
            else:
                blocks.mentions.append(Mention(values["id"], values.get("name"), text, line, component))


def _attrs(tag: _Tag, lines: _Lines, path: str, strict: bool = True, warnings: list[str] | None = None
           ) -> dict[str, Any]:
    """Evaluate a tag's attributes: strings as written, ``{...}`` through JSON5, bare names as True.

    Invalid JSON5 is an error when ``strict``; otherwise the value is kept as :class:`RawExpr` with a warning
    (for components whose data nobody reads, a broken literal should not cost the whole page).
    """
    result: dict[str, Any] = {}
    for attr in tag.attrs:
        if attr.kind == "str":
            result[attr.name] = attr.raw
        elif attr.kind == "bare":
            result[attr.name] = True
        else:
            try:
                result[attr.name] = _eval_expr(attr.raw)
            except ValueError as exc:
                message = f"invalid JSON5 in attribute {attr.name!r} of <{tag.name}>: {exc}"
                if strict or warnings is None:
                    raise MdxError(message, lines.line(attr.pos), path) from None
                warnings.append(f"{lines.line(attr.pos)}: {message} (kept as raw text)")
                result[attr.name] = RawExpr(attr.raw)
    return result


# --------------------------------------------------------------------------------------------------------------
# markdown-it with an inline JSX rule


def _jsx_inline(state: StateInline, silent: bool) -> bool:
    """markdown-it inline rule: ``<Name ...>``, ``</Name>``, ``<Name />`` and ``{/* comment */}`` as one token."""
    src, pos, limit = state.src, state.pos, state.posMax
    c = src[pos]
    if c == "{":
        if not src.startswith("{/*", pos):
            return False
        end = src.find("*/}", pos + 3, limit)
        if end < 0:
            return False
        if not silent:
            state.push("mdx_comment", "", 0).content = src[pos : end + 3]
        state.pos = end + 3
        return True
    if c != "<":
        return False
    first = src[pos + 1 : pos + 2]
    if first == "/":
        first = src[pos + 2 : pos + 3]
    if not first.isupper():
        return False
    try:
        tag = _scan_tag(src, pos, limit)
    except _TagSyntax as exc:
        if not silent:
            state.env.setdefault("mdx_bad_tags", []).append((src[pos : pos + 40], exc.message))
        return False
    if not silent:
        token = state.push("mdx_tag", "", 0)
        token.content = src[pos : tag.end]
        token.meta = {"tag": tag}
    state.pos = tag.end
    return True


def _make_parser() -> MarkdownIt:
    """CommonMark plus GFM tables; no indented code and no HTML blocks, as in MDX."""
    md = MarkdownIt("commonmark", {"html": True, "linkify": False, "typographer": False})
    md.enable(["table", "strikethrough"])
    md.disable(["code", "html_block"])
    md.inline.ruler.before("html_inline", "mdx_jsx", _jsx_inline)
    md.core.ruler.at("inline", _core_inline)
    return md


#: a paragraph without any of these has no tag, link or citation, so its inline parse can be skipped
_INTERESTING = re.compile(r"<|\]\s*[(\[]")


def _core_inline(state: StateCore) -> None:
    """markdown-it's core inline step, except that paragraphs that cannot hold a component, link or citation
    are not parsed (their text is never used); this saves about a third of the time on the wiki."""
    refs_defined = bool(state.env.get("references"))
    tokens = state.tokens
    for i, token in enumerate(tokens):
        if token.type != "inline":
            continue
        if token.children is None:
            token.children = []
        if (i and tokens[i - 1].type == "paragraph_open" and not refs_defined
                and _INTERESTING.search(token.content) is None):
            continue
        state.md.inline.parse(token.content, state.md, state.env, token.children)


_MD = _make_parser()


@dataclass
class _Frame:
    """An open inline element: a component tag, a link, or the whole inline run at the bottom."""

    kind: str  # "root", "link", "tag"
    name: str
    line: int
    parts: list[str] = field(default_factory=list)
    tag: _Tag | None = None
    href: str | None = None
    slot: int = -1  # index reserved in refs/mentions so nested items stay in document order


def _plain(parts: list[str]) -> str:
    return " ".join("".join(parts).split())


@dataclass
class _Inline:
    """Plain text, citations and entity links of one inline run (a paragraph, heading or table cell)."""

    text: str
    refs: list[Ref]
    mentions: list[Mention]


def _walk_inline(token: Token, first_line: int, path: str, warnings: list[str]) -> _Inline:
    """Walk an inline token's children keeping the current file line (breaks and multi-line tags advance it)."""
    refs: list[Ref | None] = []
    mentions: list[Mention | None] = []
    stack = [_Frame("root", "", first_line)]
    line = first_line

    def close(frame: _Frame) -> None:
        text = _plain(frame.parts)
        stack[-1].parts.append("".join(frame.parts))
        if frame.kind == "link" and frame.href is not None:
            refs[frame.slot] = Ref("url", frame.href, text, frame.line)
        elif frame.kind == "tag" and frame.tag is not None:
            _finish_tag(frame.tag, text, frame.line, frame.slot, refs, mentions, path)

    for child in token.children or ():
        kind = child.type
        if kind == "text" or kind == "code_inline":
            stack[-1].parts.append(child.content)
        elif kind == "softbreak" or kind == "hardbreak":
            stack[-1].parts.append(" ")
            line += 1
        elif kind == "link_open":
            href = str(child.attrs.get("href", ""))
            frame = _Frame("link", "a", line)
            if href.startswith(("http://", "https://")):
                frame.href = href
                frame.slot = len(refs)
                refs.append(None)
            stack.append(frame)
        elif kind == "link_close":
            if stack[-1].kind != "link":
                top = stack[-1]
                raise MdxError(f"<{top.name}> opened at line {top.line} is not closed inside the link", line, path)
            close(stack.pop())
        elif kind == "mdx_tag":
            tag: _Tag = child.meta["tag"]
            if tag.closing:
                top = stack[-1]
                while top.kind == "tag" and top.name != tag.name and top.name not in _INLINE and any(
                        f.name == tag.name for f in stack):
                    # an unknown inline tag never closed (e.g. "<Paul Christiano>"): tolerated, noted
                    warnings.append(f"{top.line}: <{top.name}> is never closed")
                    close(stack.pop())
                    top = stack[-1]
                if top.kind != "tag" or top.name != tag.name:
                    what = f"<{top.name}> opened at line {top.line}" if top.kind == "tag" else "no open tag"
                    raise MdxError(f"closing tag </{tag.name}> does not match {what}", line, path)
                close(stack.pop())
            elif tag.self_closing:
                slot = _reserve(tag.name, refs, mentions)
                _finish_tag(tag, "", line, slot, refs, mentions, path)
            else:
                stack.append(_Frame("tag", tag.name, line, tag=tag, slot=_reserve(tag.name, refs, mentions)))
            line += child.content.count("\n")
        elif kind == "html_inline" or kind == "mdx_comment":
            line += child.content.count("\n")
        elif kind == "image":
            stack[-1].parts.append(child.content)
    while len(stack) > 1:
        top = stack[-1]
        if top.kind != "tag" or top.name in _INLINE:
            raise MdxError(f"unterminated <{top.name}>: no closing </{top.name}> in the same paragraph", top.line,
                           path)
        warnings.append(f"{top.line}: <{top.name}> is never closed")
        close(stack.pop())
    return _Inline(_plain(stack[0].parts), [r for r in refs if r is not None],
                   [m for m in mentions if m is not None])


def _reserve(name: str, refs: list[Ref | None], mentions: list[Mention | None]) -> int:
    """Keep a place for a Ref/Mention at its opening tag, so that document order is by opening position."""
    if name == "R":
        refs.append(None)
        return len(refs) - 1
    if name == "EntityLink":
        mentions.append(None)
        return len(mentions) - 1
    return -1


def _finish_tag(tag: _Tag, text: str, line: int, slot: int, refs: list[Ref | None],
                mentions: list[Mention | None], path: str) -> None:
    if tag.name not in _INLINE:
        return
    attrs = {a.name: a.raw for a in tag.attrs if a.kind == "str"}
    if "id" not in attrs:
        raise MdxError(f'<{tag.name}> needs an id="..." attribute', line, path)
    if tag.name == "R":
        refs[slot] = Ref("resource", attrs["id"], text, line)
    else:
        mentions[slot] = Mention(attrs["id"], attrs.get("name"), text, line)


# --------------------------------------------------------------------------------------------------------------
# Page


_Item = TypeVar("_Item", Mention, Ref)


@dataclass
class _SectionBuilder:
    title: str
    level: int
    line: int
    tables: list[Table] = field(default_factory=list)


def _cells(tokens: list[Token], i: int, end_type: str, offset: int, path: str, warnings: list[str],
           ) -> tuple[list[_Inline], int]:
    """The inline runs of one table row starting after tr_open at ``i``; returns them and the tr_close index."""
    cells: list[_Inline] = []
    while tokens[i].type != end_type:
        tok = tokens[i]
        if tok.type == "inline":
            assert tok.map is not None
            cells.append(_walk_inline(tok, tok.map[0] + offset + 1, path, warnings))
        i += 1
    return cells, i


def _merge(markdown: list[_Item], in_attrs: list[_Item]) -> list[_Item]:
    """Both lists are in document order and never share a line (component lines are blanked for Markdown)."""
    if not in_attrs:
        return markdown
    return sorted(markdown + in_attrs, key=lambda item: item.line)


def parse_page(text: str, path: str = "<page>", strict: frozenset[str] | None = None) -> Page:
    """Parse one MDX page; raises :class:`MdxError` with the file line of the first problem.

    ``strict`` names the components whose attributes must be valid JSON5 (all when None); a broken literal
    in any other component is kept as :class:`RawExpr` and listed in ``Page.warnings``.
    """
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    front, body, offset = _split_front_matter(text, path)
    lines = _Lines(body, offset + 1)
    warnings: list[str] = []
    blocks = _block_pass(body, lines, path, warnings, strict)
    env: dict[str, Any] = {}
    tokens = _MD.parse(blocks.masked, env)
    mentions: list[Mention] = []
    refs: list[Ref] = []
    sections: list[_SectionBuilder] = []
    tables: list[Table] = []
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        if tok.type == "heading_open":
            assert tok.map is not None
            run = _walk_inline(tokens[i + 1], tok.map[0] + offset + 1, path, warnings)
            mentions += run.mentions
            refs += run.refs
            sections.append(_SectionBuilder(run.text, int(tok.tag[1:]), tok.map[0] + offset + 1))
            i += 2
        elif tok.type == "table_open":
            assert tok.map is not None
            table_line = tok.map[0] + offset + 1
            header: list[str] = []
            rows: list[Row] = []
            in_head = False
            i += 1
            while tokens[i].type != "table_close":
                if tokens[i].type in ("thead_open", "thead_close"):
                    in_head = tokens[i].type == "thead_open"
                elif tokens[i].type == "tr_open":
                    row_map = tokens[i].map
                    assert row_map is not None
                    cells, i = _cells(tokens, i + 1, "tr_close", offset, path, warnings)
                    for cell in cells:
                        mentions += cell.mentions
                        refs += cell.refs
                    if in_head:
                        header = [c.text for c in cells]
                    else:
                        rows.append(Row(tuple(c.text for c in cells), tuple(tuple(c.refs) for c in cells),
                                        tuple(tuple(c.mentions) for c in cells), row_map[0] + offset + 1))
                i += 1
            table = Table(tuple(header), tuple(rows), table_line)
            tables.append(table)
            if sections:
                sections[-1].tables.append(table)
        elif tok.type == "inline":
            assert tok.map is not None
            run = _walk_inline(tok, tok.map[0] + offset + 1, path, warnings)
            mentions += run.mentions
            refs += run.refs
        i += 1
    for snippet, message in env.get("mdx_bad_tags", ()):
        warnings.append(f"not a tag ({message}): {snippet!r}")
    return Page(
        path=path,
        front_matter=front,
        mentions=tuple(_merge(mentions, blocks.mentions)),
        refs=tuple(_merge(refs, blocks.refs)),
        components=tuple(blocks.components),
        sections=tuple(Section(s.title, s.level, s.line, tuple(s.tables)) for s in sections),
        tables=tuple(tables),
        warnings=tuple(warnings),
    )

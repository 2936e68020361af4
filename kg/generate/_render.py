"""Jinja2 rendering of generated text: Markdown with every value escaped, HTML with autoescape.

Templates are trusted less than code: they run in Jinja's sandbox with strict undefined names, so a typo
in a user's ``--template`` is an error naming its line rather than silently empty text. Every value a
template prints is escaped for its format: in Markdown, whitespace is collapsed to single spaces and the
characters that would start markup (``* _ ` [ ] < > ~ \\``, an entity, a block marker at the start) are
backslash-escaped, so hostile text in the data shows as the same text and never as links, HTML or headings.
"""

from __future__ import annotations

import datetime as dt
import re
import sys
from pathlib import Path
from typing import Any

from jinja2 import FileSystemLoader, StrictUndefined, TemplateError, TemplateSyntaxError
from jinja2.sandbox import SandboxedEnvironment
from markupsafe import Markup, escape

from kg._util import md_block, md_escape, md_inline
from kg.errors import ExportError, UsageError
from kg.generate._cite import Part

__all__ = ["TEMPLATE_DIR", "FORMATS", "Markdown", "render"]

TEMPLATE_DIR = Path(__file__).resolve().parent / "templates"
#: output formats rendered by templates, by file suffix
FORMATS = ("md", "html")

class Markdown(str):
    """Generated Markdown (a Tensions section, a briefing): a ``str`` that Jupyter renders as Markdown.

    Every value from the data in it is already escaped (see :func:`md_escape`), so rendering shows the data's
    text as text, never as HTML or links.
    """

    def _repr_markdown_(self) -> str:
        return str(self)

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        printer.text(str(self))


def _md_cite(numbers: Any) -> Markup:
    """Citation markers ``[1][3]``."""
    return Markup("".join(f"[{int(n)}]" for n in numbers))


def _md_prose(parts: list[Part]) -> Markup:
    """Prose runs and citation markers as Markdown (the text escaped, the markers kept)."""
    text = "".join(f"[{int(p.number)}]" if p.number is not None else md_inline(p.text or "") for p in parts)
    return Markup(md_block(text))


def _html_value(value: Any) -> Any:
    if value is None:
        return ""
    return value.isoformat() if isinstance(value, dt.date) else value


def _html_cite(numbers: Any) -> Markup:
    """Citation markers, each a link to its entry in the Sources list."""
    return Markup("").join(Markup('<a class="cite" href="#source-{0}">[{0}]</a>').format(int(n)) for n in numbers)


def _html_prose(parts: list[Part]) -> Markup:
    """Prose runs (escaped) and citation markers (linked) as HTML."""
    return Markup("").join(_html_cite([p.number]) if p.number is not None else escape(p.text or "") for p in parts)


def _utc(value: dt.datetime | None) -> str:
    """A datetime as ``YYYY-MM-DD HH:MM UTC`` (naive ones are taken as UTC)."""
    if value is None:
        return ""
    if value.tzinfo is not None:
        value = value.astimezone(dt.UTC)
    return value.strftime("%Y-%m-%d %H:%M UTC")


def _environment(fmt: str) -> SandboxedEnvironment:
    html = fmt == "html"
    env = SandboxedEnvironment(
        loader=FileSystemLoader(str(TEMPLATE_DIR)),
        autoescape=html,
        finalize=_html_value if html else md_escape,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["utc"] = _utc
    env.globals["cite"] = _html_cite if html else _md_cite
    env.globals["prose"] = _html_prose if html else _md_prose
    return env


def render(name: str, fmt: str, context: dict[str, Any], template: str | Path | None = None) -> str:
    """Render the bundled template ``<name>.<fmt>.j2``, or the file ``template``, with ``context``; Markdown
    comes back as :class:`Markdown`."""
    env = _environment(fmt)
    label = str(TEMPLATE_DIR / f"{name}.{fmt}.j2")
    try:
        if template is None:
            compiled = env.get_template(f"{name}.{fmt}.j2")
        else:
            path = Path(template)
            label = str(path)
            try:
                source = path.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError) as err:
                reason = getattr(err, "strerror", None) or err
                raise UsageError(f"cannot read template {path}: {reason}") from err
            code = env.compile(source, name=path.name, filename=str(path))
            compiled = env.template_class.from_code(env, code, env.make_globals(None), None)
        text = compiled.render(context)
    except TemplateSyntaxError as err:
        raise ExportError(f"{label}:{err.lineno}: {err.message}") from err
    except TemplateError as err:
        raise ExportError(f"{_template_place(label)}: {err}") from err
    except (OverflowError, MemoryError, RecursionError, ArithmeticError) as err:  # range(10**9) and the like
        raise ExportError(f"{_template_place(label)}: the template asks for too much "
                          f"({type(err).__name__}: {err or 'too large'})") from err
    if fmt == "md":
        return Markdown(re.sub(r"\n{3,}", "\n\n", text).strip("\n") + "\n")
    return text


def _template_place(filename: str) -> str:
    """``file:line`` of the innermost template frame of the exception being handled (Jinja maps its frames
    to template lines), or ``filename`` alone when there is none."""
    tb, place = sys.exc_info()[2], filename
    while tb is not None:
        code_file = tb.tb_frame.f_code.co_filename
        if code_file == filename or (code_file.startswith(str(TEMPLATE_DIR)) and code_file.endswith(".j2")):
            place = f"{code_file}:{tb.tb_lineno}"
        tb = tb.tb_next
    return place

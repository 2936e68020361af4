"""The query page: a form over ``/sparql`` with the named queries as examples, offline, under a strict CSP.

Its one script is inline and allowed by its hash; it may only talk to this server (``connect-src 'self'``), and
it shows results as text nodes, so nothing from the data is ever read as HTML.
"""

from __future__ import annotations

import base64
import hashlib
from functools import cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

from kg.query import named_queries
from kg.viz.page import to_script_json

__all__ = ["query_page", "TEMPLATE_DIR"]

TEMPLATE_DIR = Path(__file__).resolve().parent / "templates"


@cache
def query_page() -> str:
    """The page's HTML (the same for the server's life: the named queries are files of the package)."""
    script = (TEMPLATE_DIR / "query.js").read_text(encoding="utf-8")
    digest = base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii")
    csp = (f"default-src 'none'; script-src 'sha256-{digest}'; style-src 'unsafe-inline'; connect-src 'self'; "
           "form-action 'none'; base-uri 'none'; frame-ancestors 'none'")
    examples = [{"name": q.name, "title": q.title, "description": q.description, "text": q.text,
                 "params": [{"name": p.name, "required": p.required} for p in q.params]}
                for q in named_queries().values()]
    environment = Environment(loader=FileSystemLoader(TEMPLATE_DIR), autoescape=select_autoescape(["j2"]))
    return environment.get_template("query.html.j2").render(
        csp=csp, examples=Markup(to_script_json(examples)), script=Markup(script))

"""Generated text from the graph: Tensions sections, whole briefings, and tensions suggested by rules.

Curated tensions come from the data; suggested ones from the rules registered in
``kg/generate/rules.py`` and are always marked ``asserted_by: inferred`` with their rule and reason. Every
bullet carries citation markers that the generated Sources list resolves.
"""

from kg.generate._render import FORMATS, Markdown
from kg.generate.briefing import brief
from kg.generate.rules import Suggestion, suggest_tensions
from kg.generate.tensions import tensions

__all__ = ["tensions", "brief", "suggest_tensions", "Suggestion", "Markdown", "FORMATS"]

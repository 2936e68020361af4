# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # A tour of the knowledge graph
#
# `kg` turns writing about AI risk into a typed graph: **who claims what, on what evidence, where claims
# conflict, and which labs address which risks**. This notebook walks through the bundled corpus in `data/`
# (curated from the briefing on Alex Mallen's behavioral selection model, the resource card of *Model
# Organisms of Misalignment* and the concept page on misaligned model behaviors) with the Python API.
#
# Every number quoted in the text below is computed by a cell, so the notebook stays true when the data
# changes. Run it with `make notebooks` (which writes `out/notebooks/tour.html`) or open it with
# `jupyter lab notebooks/`.

# %%
from pathlib import Path

import networkx as nx
import pandas as pd
from IPython.display import Markdown, display

import kg

DATA = Path("..") / "data"  # notebooks run in notebooks/, the corpus is beside it

# %% [markdown]
# ## Load and validate
#
# `kg.load` builds the graph and raises `kg.DataError` listing every problem at once; `kg.validate` collects
# the problems (also the SHACL check of the built RDF) into a report instead of raising.

# %%
graph = kg.load(DATA)
report = kg.validate(DATA)
assert report.ok, report
stats = graph.stats()
display(Markdown(f"The corpus is valid ({len(report.errors)} errors, {len(report.issues)} issues in all): "
                 f"**{stats['total_nodes']} nodes** and **{stats['total_edges']} edges**."))

# %% [markdown]
# ## What is in it
#
# Counts per node type and per relation, as tables.

# %%
nodes = pd.Series(stats["nodes"], name="nodes").rename_axis("type").to_frame()
edges = pd.Series(stats["edges"], name="edges").rename_axis("relation").to_frame()
display(nodes[nodes.nodes > 0], edges[edges.edges > 0].sort_values("edges", ascending=False))

# %% [markdown]
# ## Named queries
#
# The query library (`kg query --list` on the command line) answers the questions people keep asking.
# A result shows inline as a table; `.to_dataframe()` (or `.df`) makes it a pandas DataFrame whose columns
# are typed (dates are dates, numbers are numbers) and whose IRIs are shortened with the graph's prefixes
# (`to_dataframe(full_iris=True)` keeps them whole).

# %%
pd.DataFrame([(q.name, q.title, ", ".join(p.name for p in q.params)) for q in kg.named_queries().values()],
             columns=["name", "title", "parameters"])

# %% [markdown]
# **Which labs address deployment-time spread, and at what level?**

# %%
coverage = kg.query_graph(graph, name="lab-coverage", params={"concept": "deployment-time-spread"})
coverage

# %%
levels = coverage.df.level.value_counts()
display(Markdown(f"Of the {len(coverage)} labs assessed, "
                 + ", ".join(f"{n} {'addresses' if n == 1 else 'address'} it at level *{level}*"
                             for level, n in levels.items()) + "."))

# %% [markdown]
# **What does Alex Mallen claim, and when?** The `date` column is a real date column.

# %%
mallen = kg.query_graph(graph, name="claims-by", params={"holder": "Alex Mallen"}).df
display(mallen.dtypes.to_frame("dtype").T)
mallen.groupby(mallen.date.dt.date).size().rename("claims").to_frame()

# %% [markdown]
# **Which claims rest on a single source, and how credible is it?** The credibility tier is a number.

# %%
weak = kg.query_graph(graph, name="weakly-supported").df
weak.groupby("tier").size().rename("claims").to_frame()

# %% [markdown]
# ## A query of your own
#
# SPARQL with the project's prefixes predeclared (`kg:`, `concept:`, `rdfs:`, ...): the concepts the most
# claims are about.

# %%
claims_per_concept = kg.query_graph(graph, """
SELECT ?concept ?label (COUNT(DISTINCT ?claim) AS ?claims)
WHERE {
  ?claim a kg:Claim ; kg:about ?concept .
  ?concept a kg:Concept ; rdfs:label ?label .
}
GROUP BY ?concept ?label
ORDER BY DESC(?claims) ?label
LIMIT 10
""").df
claims_per_concept

# %% [markdown]
# ## The graph, inline
#
# `kg.viz` returns the same offline page as `kg viz`; in a notebook it shows in a sandboxed frame. Hover a
# node for its details, click it to pin them, use the legend to hide types and relations.

# %%
kg.visualize_graph(graph, focus="deployment-time-spread", depth=1, title="Deployment-time spread")

# %% [markdown]
# ## Where the claims conflict
#
# The generated Tensions section of the Mallen briefing, with the briefing's own citation numbers.

# %%
kg.tensions(graph, document="doc/briefing-mallen-behavioral-selection")

# %% [markdown]
# ## Analysis with networkx
#
# `graph.nx` is a `networkx.MultiDiGraph` whose nodes carry their type and label and whose edges carry their
# relation, sources and document. Two questions:
#
# 1. **Which concepts bridge the most documents?** Betweenness centrality on the undirected graph measures
#    how often a node lies on the shortest paths between others; a concept that several documents talk
#    about, and that ties their claims together, scores high.

# %%
G = graph.nx
simple = nx.Graph(G.to_undirected())
betweenness = nx.betweenness_centrality(simple)
documents = {}
for u, v, data in G.edges(data=True):
    for node in (u, v):
        if data.get("document"):
            documents.setdefault(node, set()).add(data["document"])
bridges = pd.DataFrame(
    [(G.nodes[n]["label"], round(betweenness[n], 3), len(documents.get(n, ()))) for n in G
     if G.nodes[n]["type"] == "Concept"],
    columns=["concept", "betweenness", "documents"],
).sort_values(["betweenness", "documents"], ascending=False, ignore_index=True)
bridges.head(8)

# %%
top = bridges.iloc[0]
several = bridges[bridges.documents > 1]
display(Markdown(
    f"**{top.concept}** has the highest betweenness ({top.betweenness}), within "
    f"{'one document' if top.documents == 1 else f'{top.documents} documents'}; {len(several)} of {len(bridges)} concepts {'appears' if len(several) == 1 else 'appear'} in more than one document, and the "
    f"concept with the highest betweenness among them is **{several.iloc[0].concept}** "
    f"({several.iloc[0].betweenness}, {several.iloc[0].documents} documents)."))

# %% [markdown]
# 2. **Which claims rest on a single source?** Follow each claim's `cites` edges and count the sources.
#    The named query `weakly-supported` answers the same question in SPARQL: the two must agree.

# %%
cited = {
    n: {v for _, v, d in G.out_edges(n, data=True) if d["relation"] == "cites" and G.nodes[v]["type"] == "Source"}
    for n in G if G.nodes[n]["type"] == "Claim"
}
single = sorted(n for n, sources in cited.items() if len(sources) == 1)
assert set(single) == set("claim/" + c.split(":", 1)[1] for c in weak.claim), "networkx and SPARQL disagree"
by_source = pd.Series([G.nodes[next(iter(cited[n]))]["label"] for n in single]).value_counts()
display(Markdown(
    f"{len(single)} of {len(cited)} claims rest on a single source (networkx and the `weakly-supported` query "
    f"agree); the source most often alone is *{by_source.index[0]}*, the only source of {by_source.iloc[0]} "
    "claims."))
by_source.rename_axis("single source").rename("claims").to_frame()

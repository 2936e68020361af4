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
# # A field study: the curated corpus plus the longterm-wiki
#
# The curated corpus in `data/` is small and hand-checked; the longterm-wiki is a large knowledge base of the
# field (risks, responses, organizations, people, cruxes, expert positions, hundreds of pages). `kg import`
# turns a snapshot of it into records beside the curated corpus, and `kg.load` builds both into one graph.
# This notebook asks the graph five questions:
#
# 1. Which labs address which risks (the coverage matrix)?
# 2. Which cruxes have the most opposed positions, and who holds them?
# 3. Whose dated positions changed over time on one topic?
# 4. Which concepts bridge the graph (betweenness), and which sources do the most pages cite?
# 5. What does a briefing on a topic the curated corpus does not cover look like?
#
# It imports the snapshot itself into a temporary directory, from `../shared/corpora/longterm-wiki` (beside
# the repository) or the path in `KG_WIKI`; set `KG_WIKI_DATA` to a directory `kg import` already wrote to
# skip the import. Every number in the text comes from a cell.

# %%
import os
import tempfile
import time
from pathlib import Path

import matplotlib.pyplot as plt
import networkx as nx
import pandas as pd
from IPython.display import Markdown, display

import kg

ROOT = Path("..").resolve()  # notebooks run in notebooks/
DATA = ROOT / "data"
WIKI = Path(os.environ.get("KG_WIKI") or ROOT.parent / "shared" / "corpora" / "longterm-wiki")

start = time.perf_counter()
if os.environ.get("KG_WIKI_DATA"):
    wiki_data = Path(os.environ["KG_WIKI_DATA"])
    how = f"the import already in {wiki_data}"
else:
    workdir = tempfile.TemporaryDirectory(prefix="kg-field-")
    wiki_data = Path(workdir.name) / "wiki-data"
    imported = kg.import_kb("longterm-wiki", WIKI, out=wiki_data, data=str(DATA))
    how = f"a fresh import of {WIKI} ({imported.counts['page documents']} pages)"
graph = kg.load([DATA, wiki_data])
curated = kg.load(DATA)
stats = graph.stats()
display(Markdown(f"Built from {how} in {time.perf_counter() - start:.0f} s: **{stats['total_nodes']:,} nodes** "
                 f"and **{stats['total_edges']:,} edges**, against {curated.stats()['total_nodes']} nodes in "
                 "the curated corpus alone."))
pd.Series(stats["nodes"], name="nodes").to_frame().T


# %%
def plural(n: int, word: str, words: str | None = None) -> str:
    """``1 lab``, ``2 labs``."""
    return f"{n:,} {word if n == 1 else words or word + 's'}"


# %% [markdown]
# ## 1. Which labs address which risks?
#
# The named query `coverage-matrix` crosses every lab with every concept that some document says a lab
# addresses, at the level it does (`none`, `isolated`, `substantive`) or `not assessed`.

# %%
coverage = kg.query_graph(graph, name="coverage-matrix").df
LEVELS = {"none": 0, "isolated": 1, "substantive": 2}
matrix = coverage.assign(score=coverage.level.map(LEVELS)).pivot(index="lab", columns="concept", values="score")
fig, ax = plt.subplots(figsize=(10, 5))
image = ax.imshow(matrix.to_numpy(dtype=float), cmap="YlGn", vmin=0, vmax=2, aspect="auto")
ax.set_xticks(range(len(matrix.columns)), matrix.columns, rotation=35, ha="right")
ax.set_yticks(range(len(matrix.index)), matrix.index)
for (i, j), value in pd.DataFrame(matrix.to_numpy()).stack(future_stack=True).items():
    ax.text(j, i, "·" if pd.isna(value) else list(LEVELS)[int(value)][:3], ha="center", va="center", fontsize=8)
colorbar = fig.colorbar(image, ax=ax, ticks=list(LEVELS.values()))
colorbar.ax.set_yticklabels(list(LEVELS))
ax.set_title("Labs × risks and responses (· = not assessed)")
fig.tight_layout()
plt.show()

# %%
assessed = coverage[coverage.level != "not assessed"]
best = assessed[assessed.level == "substantive"].groupby("lab").size().sort_values(ascending=False)
display(Markdown(
    f"Only {plural(len(assessed), 'cell')} of {len(coverage)} are assessed by any document. "
    f"**{best.index[0]}** addresses the most concepts substantively ({best.iloc[0]}); "
    f"{plural(int((assessed.level == 'none').sum()), 'lab-concept pair')} are stated as not addressed at all, "
    f"all of them on *{assessed[assessed.level == 'none'].concept.mode()[0]}*."))

# %% [markdown]
# ## 2. Which cruxes have the most opposed positions?
#
# A crux of the wiki is a question with several rival positions (each a claim with an estimate, held by a
# person, an organization or a group such as "some ML researchers"); the import puts every pair of rival
# positions in tension. The named query `tensions` lists them with their holders.

# %%
tensions = kg.query_graph(graph, name="tensions").df
crux = tensions[tensions.note.str.startswith("Rival answers to the crux: ")].copy()
crux["question"] = crux.note.str.removeprefix("Rival answers to the crux: ")
rows = []
for question, group in crux.groupby("question"):
    positions = set(group.claim_a) | set(group.claim_b)
    holders = sorted({h for col in ("holders_a", "holders_b") for hs in group[col].dropna() for h in hs.split("; ")})
    rows.append((question, len(positions), len(group), "; ".join(holders)))
cruxes = pd.DataFrame(rows, columns=["crux", "positions", "tensions", "held by"]).sort_values(
    ["positions", "crux"], ascending=[False, True], ignore_index=True)
with pd.option_context("display.max_colwidth", 200):
    display(cruxes.head(6))

# %%
top = cruxes.iloc[0]
display(Markdown(
    f"{plural(len(cruxes), 'crux', 'cruxes')} have rival positions, {plural(int(crux.shape[0]), 'tension')} "
    f"between them in all. The most contested is *{top.crux}*: {top.positions} positions, pairwise in "
    f"{plural(int(top.tensions), 'tension')}, held by {top['held by']}."))

# %% [markdown]
# ## 3. Whose dated positions changed over time?
#
# The wiki's expert database dates each position to a year or a month (`kg:period`); curated claims have
# full dates (`kg:date`). A hand-written query gathers every dated claim a person holds about a concept.

# %%
dated = kg.query_graph(graph, """
SELECT ?expert ?topic ?claim ?when ?estimate ?statement
WHERE {
  ?person a kg:Person ; rdfs:label ?expert ; kg:asserts ?claim .
  ?claim kg:about ?concept ; kg:statement ?statement .
  ?concept a kg:Concept ; rdfs:label ?topic .
  OPTIONAL { ?claim kg:date ?day }
  OPTIONAL { ?claim kg:period ?period }
  BIND (COALESCE(STR(?day), ?period) AS ?when)
  FILTER (BOUND(?when))
  OPTIONAL { ?claim kg:estimate ?estimate }
}
ORDER BY ?topic ?expert ?when
""").df
dated["time"] = pd.to_datetime(dated.when, format="mixed")
per_pair = dated.groupby(["expert", "topic"]).when.nunique()
changed = per_pair[per_pair > 1].reset_index().rename(columns={"when": "dates"})
experts_with_positions = dated[dated.claim.str.startswith("claim:expert-")]
single = experts_with_positions.groupby(["expert", "topic"]).when.nunique()
display(Markdown(
    f"{plural(len(dated), 'dated claim')} by {plural(dated.expert.nunique(), 'person', 'people')} about "
    f"{plural(dated.topic.nunique(), 'concept')}. The wiki's expert database gives "
    f"{plural(int(single.max()), 'date')} at most per expert and topic "
    f"({plural(len(single), 'expert-topic pair')}), so a change over time on one topic shows only where the "
    f"curated corpus adds dated claims: {plural(len(changed), 'person-topic pair')} with more than one date."))
changed

# %%
topic = dated[dated.claim.str.startswith("claim:expert-")].topic.value_counts().index[0]
shown = dated[dated.topic == topic].sort_values("time")
followed = dated.merge(changed[["expert", "topic"]]).sort_values("time")
fig, axes = plt.subplots(1, 2, figsize=(13, 5), gridspec_kw={"width_ratios": [3, 2]})
ax = axes[0]
order = list(dict.fromkeys(shown.expert))
ax.scatter(shown.time, [order.index(e) for e in shown.expert], color="tab:blue")
for _, row in shown.iterrows():
    ax.annotate(str(row.estimate or ""), (row.time, order.index(row.expert)), xytext=(6, -3),
                textcoords="offset points", fontsize=8)
ax.set_yticks(range(len(order)), order)
ax.set_title(f"{topic}: each expert's stated estimate, by date stated")
ax = axes[1]
for (expert, about), group in followed.groupby(["expert", "topic"]):
    counts = group.groupby("time").size()
    ax.plot(counts.index, counts.values, marker="o", label=f"{expert} on {about}")
ax.set_ylabel("claims stated that day")
ax.set_title("Positions restated over time")
ax.legend(fontsize=8)
fig.autofmt_xdate()
fig.tight_layout()
plt.show()

# %%
earliest, latest = shown.iloc[0], shown.iloc[-1]
display(Markdown(
    f"On *{topic}*, the topic with the most dated expert positions ({len(shown)}), the earliest is "
    f"{earliest.expert}'s ({earliest.when}: {earliest.estimate}) and the latest {latest.expert}'s "
    f"({latest.when}: {latest.estimate})."))

# %% [markdown]
# ## 4. Which concepts bridge the graph, and which sources do the pages cite most?
#
# Betweenness centrality on the undirected graph, estimated from a fixed sample of source nodes (exact
# betweenness on a graph this size takes minutes; the seed makes the estimate reproducible).

# %%
G = graph.nx
simple = nx.Graph(G.to_undirected())
betweenness = nx.betweenness_centrality(simple, k=64, seed=0)
concepts = pd.DataFrame(
    [(n, G.nodes[n]["label"], betweenness[n], n in curated.nodes) for n in G if G.nodes[n]["type"] == "Concept"],
    columns=["id", "concept", "betweenness", "in curated corpus"],
).sort_values("betweenness", ascending=False, ignore_index=True)
concepts.head(10)

# %%
pages = [n for n in G if G.nodes[n]["type"] == "Document" and n.startswith("doc/wiki-")]
cited_by = {}
for page in pages:
    for _, source, data in G.out_edges(page, data=True):
        if data["relation"] == "cites":
            cited_by.setdefault(source, set()).add(page)
most_cited = pd.DataFrame(
    [(s, G.nodes[s]["label"], len(p)) for s, p in cited_by.items()], columns=["id", "source", "pages"]
).sort_values(["pages", "id"], ascending=[False, True], ignore_index=True)
most_cited.head(10)

# %%
first = concepts.iloc[0]
curated_top = concepts[concepts["in curated corpus"]].iloc[0]
display(Markdown(
    f"**{first.concept}** bridges the most ({first.betweenness:.4f}); the best-placed concept of the curated "
    f"corpus is **{curated_top.concept}**, ranked {concepts.index[concepts.id == curated_top.id][0] + 1} of "
    f"{len(concepts):,}. The {len(pages)} wiki pages cite {len(cited_by):,} distinct sources; the most cited, "
    f"*{most_cited.source[0]}*, is cited by {most_cited.pages[0]} pages."))

# %% [markdown]
# ## 5. A briefing on a topic the curated corpus does not cover
#
# Scalable oversight has no node in the curated corpus; the wiki brings its claims, open questions and
# tensions, and `kg.brief` writes a briefing with every statement cited.

# %%
TOPIC = "scalable-oversight"
assert graph.resolve(TOPIC) not in curated.nodes
kg.brief(graph, topic=TOPIC)

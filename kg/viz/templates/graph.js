/* kg viz: draws the graph with vis-network and wires search, filters, tooltips and the details panel.
 * Every value from the data becomes DOM text (textContent), never markup; only http(s) URLs become links. */
(function () {
  "use strict";
  var mark = function (name) { if (window.performance && performance.mark) { performance.mark("kg:" + name); } };
  mark("start");
  var DATA = JSON.parse(document.getElementById("kg-data").textContent);
  mark("parsed");
  var TYPES = {}, RELS = {}, BY_ID = {}, EDGE_BY_ID = {};
  DATA.types.forEach(function (t) { TYPES[t.name] = t; });
  DATA.relations.forEach(function (r) { RELS[r.name] = r; });
  DATA.nodes.forEach(function (n) { BY_ID[n.id] = n; });
  DATA.edges.forEach(function (e) { EDGE_BY_ID[e.id] = e; });
  var DIM_NODE = { background: "#f1f3f5", border: "#dee2e6" };
  var DIM_EDGE = "rgba(190,190,190,0.25)";
  var $ = function (id) { return document.getElementById(id); };

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) { node.className = cls; }
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    return node;
  }

  function safeHref(url) {
    try {
      var parsed = new URL(url);
      if ((parsed.protocol === "http:" || parsed.protocol === "https:") && parsed.host) { return parsed.href; }
    } catch (err) { /* not a URL: shown as text */ }
    return null;
  }

  function link(url, text) {
    var href = safeHref(url);
    if (!href) { return el("span", "kg-raw-url", text || url); }
    var a = el("a", null, text || url);
    a.href = href;
    a.target = "_blank";
    a.rel = "noopener noreferrer";
    return a;
  }

  function nodeColor(type, dim) {
    var t = TYPES[type];
    if (dim) { return { background: DIM_NODE.background, border: DIM_NODE.border, highlight: DIM_NODE, hover: DIM_NODE }; }
    var own = { background: t.color, border: t.border };
    return { background: t.color, border: t.border, highlight: { background: t.color, border: "#000" }, hover: own };
  }

  function edgeView(e, dim) {
    var r = RELS[e.rel];
    var color = dim ? DIM_EDGE : r.color;
    return { id: e.id, color: { color: color, highlight: r.color, hover: r.color, inherit: false },
             width: r.width, dashes: r.dashes.length ? r.dashes : false };
  }

  // --- the network ---------------------------------------------------------------------------------
  // shape, size and colour come from one group per node type, so each node carries only what is its own
  var groups = {};
  DATA.types.forEach(function (t) {
    groups[t.name] = { shape: t.shape, size: t.size, color: nodeColor(t.name, false),
                       borderWidth: t.name === "Tension" ? 2 : 1 };
  });
  var nodes = new vis.DataSet(DATA.nodes.map(function (n) {
    var item = { id: n.id, label: n.label, group: n.type };
    if (n.x !== undefined) { item.x = n.x; item.y = n.y; }
    return item;
  }));
  // flat per-edge options (vis-network deep-copies nested ones for each of possibly 20,000 edges)
  var edges = new vis.DataSet(DATA.edges.map(function (e) {
    var r = RELS[e.rel], item = { id: e.id, from: e.from, to: e.to, color: r.color };
    if (r.width !== 1) { item.width = r.width; }
    if (r.dashes.length) { item.dashes = r.dashes; }
    if (r.arrows) { item.arrows = "to"; }
    if (r.length !== null && !DATA.large) { item.length = r.length; }
    return item;
  }));
  mark("datasets");
  var options = {
    autoResize: true,
    groups: groups,
    nodes: { font: { size: 12, color: "#343a40", face: "system-ui, sans-serif", strokeWidth: 3, strokeColor: "#ffffff" } },
    edges: { selectionWidth: 2, hoverWidth: 0.5, color: { inherit: false }, arrows: { to: { enabled: false, scaleFactor: 0.5 } },
             smooth: DATA.large ? false : { type: "continuous", roundness: 0.3 } },
    interaction: { hover: !DATA.large, tooltipDelay: 80, hideEdgesOnDrag: DATA.large, hideEdgesOnZoom: DATA.large,
                   navigationButtons: false, keyboard: { enabled: true, bindToWindow: false } },
    layout: { improvedLayout: !DATA.large, randomSeed: 7 },
    physics: DATA.large ? { enabled: false } : {
      enabled: true, solver: "forceAtlas2Based",
      forceAtlas2Based: { gravitationalConstant: -70, centralGravity: 0.008, springLength: 110, springConstant: 0.06, avoidOverlap: 0.4 },
      stabilization: { enabled: true, iterations: 500, updateInterval: 50, fit: true }
    }
  };
  var container = $("kg-graph");
  var network = new vis.Network(container, { nodes: nodes, edges: edges }, options);
  mark("network");
  var api = window.kgViz = { network: network, nodes: nodes, edges: edges, data: DATA, ready: false,
                             selected: null };

  function markReady() {  // called right after fit(), which asks vis-network for the next frame
    network.once("afterDrawing", function () {
      mark("drawn");
      api.ready = true;
      document.body.setAttribute("data-ready", "true");
      window.setTimeout(fillNames, 0);
      if (DATA.focus && BY_ID[DATA.focus]) { selectNode(DATA.focus, false); }
    });
  }
  if (DATA.large) {
    network.fit({ animation: false });
    markReady();
  } else {
    network.once("stabilizationIterationsDone", function () {
      network.setOptions({ physics: { enabled: false } });
      network.fit({ animation: false });
      markReady();
    });
  }

  // --- cards: tooltip and panel ----------------------------------------------------------------------
  function card(item, kind, full) {
    var root = el("div", "kg-card");
    root.appendChild(el("h3", "kg-title", kind === "node" ? item.d.title : item.rel.replace(/_/g, " ")));
    var badgeText = kind === "node" ? item.type : "relation: " + item.rel.replace(/_/g, " ");
    var badge = el("span", "kg-badge", badgeText);
    badge.style.background = kind === "node" ? TYPES[item.type].color : RELS[item.rel].color;
    root.appendChild(badge);
    if (kind === "node") { root.appendChild(el("div", "kg-id", item.id)); }
    var facts = kind === "node" ? item.d.facts
      : [["From", BY_ID[item.from].d.title], ["To", BY_ID[item.to].d.title]].concat(item.d.facts);
    var dl = el("dl"), title = kind === "node" ? item.d.title : null, hidden = 0;
    facts.forEach(function (fact) {
      var value = fact[1];
      if (!full) {  // a tooltip stays small: no repeat of the title, short values, the first few facts
        if (value === title) { return; }
        if (dl.childNodes.length >= 8) { hidden++; return; }
        if (value.length > 120) { value = value.slice(0, 119) + "…"; }
      }
      dl.appendChild(el("dt", null, fact[0]));
      dl.appendChild(el("dd", null, value));
    });
    if (hidden) { dl.appendChild(el("div", "kg-more", "+ " + hidden + " more (click to see all)")); }
    if (item.d.url || item.d.rawUrl) {
      dl.appendChild(el("dt", null, "Link"));
      var dd = el("dd");
      dd.appendChild(item.d.url ? link(item.d.url) : el("span", "kg-raw-url", item.d.rawUrl + " (not a web link)"));
      dl.appendChild(dd);
    }
    root.appendChild(dl);
    var sources = item.d.src || [];
    if (sources.length) {
      root.appendChild(el("dt", null, "Sources"));
      var list = el("ol", "kg-sources");
      var shown = full ? sources : sources.slice(0, 2);
      shown.forEach(function (ref) {
        var s = DATA.sources[ref[0]], li = el("li");
        if (ref[1] !== null) { li.appendChild(document.createTextNode("[" + ref[1] + "] ")); }
        li.appendChild(s.url ? link(s.url, s.title) : el("span", "kg-source-title", s.title));
        if (s.meta) { li.appendChild(el("span", "kg-meta", s.meta)); }
        if (s.cred) { li.appendChild(el("span", "kg-cred", "Credibility: " + s.cred)); }
        if (s.rawUrl) { li.appendChild(el("span", "kg-meta", "URL (not a web link): " + s.rawUrl)); }
        list.appendChild(li);
      });
      root.appendChild(list);
      if (shown.length < sources.length) { root.appendChild(el("div", "kg-more", "+ " + (sources.length - shown.length) + " more (click to see all)")); }
    }
    return root;
  }

  var tooltip = $("kg-tooltip");
  function showTooltip(item, kind, pointer) {
    tooltip.replaceChildren(card(item, kind, false));
    tooltip.hidden = false;
    var app = $("kg-app").getBoundingClientRect(), box = container.getBoundingClientRect();
    var x = box.left - app.left + pointer.x + 14, y = box.top - app.top + pointer.y + 14;
    var w = tooltip.offsetWidth, h = tooltip.offsetHeight;
    if (x + w > app.width - 4) { x = Math.max(4, x - w - 28); }
    if (y + h > app.height - 4) { y = Math.max(4, app.height - h - 4); }
    tooltip.style.left = x + "px";
    tooltip.style.top = y + "px";
  }
  function hideTooltip() { tooltip.hidden = true; tooltip.replaceChildren(); }
  if (!DATA.large) {
    network.on("hoverNode", function (p) { showTooltip(BY_ID[p.node], "node", p.pointer.DOM); });
    network.on("hoverEdge", function (p) { showTooltip(EDGE_BY_ID[p.edge], "edge", p.pointer.DOM); });
    network.on("blurNode", hideTooltip);
    network.on("blurEdge", hideTooltip);
  } else {
    // vis-network's own hover redraws the whole canvas on every change; on a large graph, only look up
    // what is under the pointer, at most once per frame, and leave the drawing alone
    var pending = null, hovered = null;
    container.addEventListener("mousemove", function (event) {
      var box = container.getBoundingClientRect();
      var pointer = { x: event.clientX - box.left, y: event.clientY - box.top };
      if (pending === null) {
        window.requestAnimationFrame(function () {
          var at = pending;
          pending = null;
          var id = network.getNodeAt(at), kind = "node", item = id !== undefined ? BY_ID[id] : null;
          if (!item) {
            id = network.getEdgeAt(at);
            kind = "edge";
            item = id !== undefined ? EDGE_BY_ID[id] : null;
          }
          if (!item) { hovered = null; hideTooltip(); return; }
          if (hovered !== id) { hovered = id; showTooltip(item, kind, at); }
        });
      }
      pending = pointer;
    });
    container.addEventListener("mouseleave", function () { hovered = null; hideTooltip(); });
  }
  network.on("dragStart", hideTooltip);
  network.on("zoom", hideTooltip);

  var panel = $("kg-panel"), panelBody = $("kg-panel-body");
  function showPanel(item, kind) {
    panelBody.replaceChildren(card(item, kind, true));
    panel.hidden = false;
    panel.scrollTop = 0;
  }

  // --- selection and neighbourhood highlight -------------------------------------------------------------
  var dimmed = false;
  function setDim(keepNodes, keepEdges) {
    if (DATA.large) { return; }  // restyling 10k nodes per click costs more than it shows; selection marks them
    var nodeUpdates = [], edgeUpdates = [];
    DATA.nodes.forEach(function (n) {
      var dim = keepNodes !== null && !keepNodes.has(n.id);
      nodeUpdates.push({ id: n.id, color: nodeColor(n.type, dim), font: { color: dim ? "#ced4da" : "#343a40" },
                         borderWidth: n.type === "Tension" ? 2 : 1 });
    });
    DATA.edges.forEach(function (e) { edgeUpdates.push(edgeView(e, keepEdges !== null && !keepEdges.has(e.id))); });
    nodes.update(nodeUpdates);
    edges.update(edgeUpdates);
    dimmed = keepNodes !== null;
  }

  function selectNode(id, move) {
    var item = BY_ID[id];
    if (!item) { return false; }
    hideTooltip();
    var neighbours = network.getConnectedNodes(id).filter(function (n) { return !nodes.get(n).hidden; });
    var around = network.getConnectedEdges(id).filter(function (e) { return !edges.get(e).hidden; });
    api.selected = id;
    showPanel(item, "node");
    var keep = new Set(neighbours.concat([id]));
    setDim(keep, new Set(around));
    network.setSelection({ nodes: [id].concat(neighbours), edges: around }, { unselectAll: true, highlightEdges: false });
    if (move) { network.focus(id, { scale: Math.max(network.getScale(), 1.0), animation: { duration: 300 } }); }
    return true;
  }
  api.selectNode = selectNode;

  function clearSelection() {
    network.unselectAll();
    if (dimmed) { setDim(null, null); }
    api.selected = null;
    panel.hidden = true;
    panelBody.replaceChildren();
  }
  api.clearSelection = clearSelection;

  network.on("click", function (p) {
    if (p.nodes.length) { selectNode(p.nodes[0], false); }
    else if (p.edges.length) {
      if (dimmed) { setDim(null, null); }
      api.selected = null;
      showPanel(EDGE_BY_ID[p.edges[0]], "edge");
    } else { clearSelection(); }
  });
  $("kg-panel-close").addEventListener("click", clearSelection);

  // --- search ------------------------------------------------------------------------------------------------
  function fillNames() {  // suggestions for the search box, after the first drawing
    var fragment = document.createDocumentFragment();
    DATA.nodes.forEach(function (n) {
      var option = document.createElement("option");
      option.value = n.d.title.length > 120 ? n.d.title.slice(0, 119) + "…" : n.d.title;
      option.label = n.type + " · " + n.id;
      fragment.appendChild(option);
    });
    $("kg-names").appendChild(fragment);
    mark("names");
  }

  function find(query) {
    var q = query.trim().toLowerCase().replace(/\s+/g, " ");
    if (!q) { return null; }
    var tests = [
      function (n) { return n.id.toLowerCase() === q || n.id.split("/")[1] === q; },
      function (n) { var t = n.d.title.toLowerCase().replace(/\s+/g, " "); return t === q || (q.length > 100 && t.slice(0, 119) + "…" === q); },
      function (n) { return n.label.toLowerCase() === q; },
      function (n) { return n.d.title.toLowerCase().indexOf(q) !== -1; },
      function (n) { return n.d.facts.some(function (f) { return f[1].toLowerCase().indexOf(q) !== -1; }); }
    ];
    for (var i = 0; i < tests.length; i++) {
      for (var j = 0; j < DATA.nodes.length; j++) {
        if (tests[i](DATA.nodes[j])) { return DATA.nodes[j].id; }
      }
    }
    return null;
  }
  api.find = find;

  var status = $("kg-search-status");
  $("kg-search-form").addEventListener("submit", function (event) {
    event.preventDefault();
    var query = $("kg-search").value, id = find(query);
    if (id === null) { status.textContent = "No node matches “" + query.trim() + "”."; return; }
    if (nodes.get(id).hidden) {
      var type = BY_ID[id].type;
      document.querySelector('#kg-types input[data-type="' + type + '"]').checked = true;
      applyFilters();
    }
    status.textContent = "";
    selectNode(id, true);
  });

  // --- filters -------------------------------------------------------------------------------------------------
  function unchecked(attr) {
    var out = new Set();
    document.querySelectorAll("#kg-legend input[" + attr + "]").forEach(function (box) {
      if (!box.checked) { out.add(box.getAttribute(attr)); }
    });
    return out;
  }

  function applyFilters() {
    var hiddenTypes = unchecked("data-type"), hiddenRels = unchecked("data-relation");
    var nodeUpdates = [], edgeUpdates = [], shownNodes = 0, shownEdges = 0;
    DATA.nodes.forEach(function (n) {
      var hide = hiddenTypes.has(n.type);
      if (hide !== Boolean(nodes.get(n.id).hidden)) { nodeUpdates.push({ id: n.id, hidden: hide }); }
      if (!hide) { shownNodes++; }
    });
    DATA.edges.forEach(function (e) {
      var hide = hiddenRels.has(e.rel) || hiddenTypes.has(BY_ID[e.from].type) || hiddenTypes.has(BY_ID[e.to].type);
      if (hide !== Boolean(edges.get(e.id).hidden)) { edgeUpdates.push({ id: e.id, hidden: hide }); }
      if (!hide) { shownEdges++; }
    });
    nodes.update(nodeUpdates);
    edges.update(edgeUpdates);
    if (api.selected && nodes.get(api.selected).hidden) { clearSelection(); }
    $("kg-visible").textContent = "Showing " + shownNodes + " of " + DATA.nodes.length + " nodes, " +
      shownEdges + " of " + DATA.edges.length + " edges";
  }
  api.applyFilters = applyFilters;
  document.querySelectorAll("#kg-legend input").forEach(function (box) { box.addEventListener("change", applyFilters); });
  $("kg-show-all").addEventListener("click", function () {
    document.querySelectorAll("#kg-legend input").forEach(function (box) { box.checked = true; });
    applyFilters();
  });
  $("kg-fit").addEventListener("click", function () { network.fit({ animation: { duration: 300 } }); });
  applyFilters();
  mark("filters");
}());

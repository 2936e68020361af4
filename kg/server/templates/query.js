// The query page: examples from the named queries, a run button, results as a table built from text nodes.
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("kg-examples").textContent);
  var text = document.getElementById("query");
  var pick = document.getElementById("example");
  var note = document.getElementById("note");
  var out = document.getElementById("results");
  data.forEach(function (q, i) {
    var option = document.createElement("option");
    option.value = String(i);
    option.textContent = q.name + ": " + q.title;
    pick.appendChild(option);
  });
  function show(i) {
    var q = data[i];
    text.value = q.text;
    var params = q.params.map(function (p) { return p.name + (p.required ? "" : " (optional)"); });
    note.textContent = q.description + (params.length ? " Parameters: " + params.join(", ") +
      "; bind them with /queries/" + q.name + "?" + q.params[0].name + "=..." : "");
  }
  pick.addEventListener("change", function () { show(Number(pick.value)); });
  function cell(row, tag, value) {
    var td = document.createElement(tag);
    td.textContent = value;
    row.appendChild(td);
  }
  function table(json) {
    var t = document.createElement("table");
    var head = document.createElement("tr");
    if (json.boolean !== undefined) {
      cell(head, "th", "boolean");
      t.appendChild(head);
      var r = document.createElement("tr");
      cell(r, "td", String(json.boolean));
      t.appendChild(r);
      return t;
    }
    json.head.vars.forEach(function (v) { cell(head, "th", v); });
    t.appendChild(head);
    json.results.bindings.forEach(function (b) {
      var row = document.createElement("tr");
      json.head.vars.forEach(function (v) { cell(row, "td", b[v] ? b[v].value : ""); });
      t.appendChild(row);
    });
    return t;
  }
  document.getElementById("run").addEventListener("click", function () {
    out.textContent = "Running...";
    var started = Date.now();
    fetch("sparql", {method: "POST", headers: {"Content-Type": "application/x-www-form-urlencoded",
      "Accept": "application/sparql-results+json, text/turtle;q=0.9"},
      body: new URLSearchParams({query: text.value})})
      .then(function (response) {
        var kind = response.headers.get("Content-Type") || "";
        return response.text().then(function (body) { return {ok: response.ok, kind: kind, body: body}; });
      })
      .then(function (r) {
        out.textContent = "";
        var status = document.createElement("p");
        status.textContent = (r.ok ? "" : "Error: ") + ((Date.now() - started) / 1000).toFixed(2) + " s";
        out.appendChild(status);
        if (r.ok && r.kind.indexOf("json") >= 0) {
          var json = JSON.parse(r.body);
          if (json.results) { status.textContent += ", " + json.results.bindings.length + " rows"; }
          out.appendChild(table(json));
        } else {
          var pre = document.createElement("pre");
          pre.textContent = r.body;
          out.appendChild(pre);
        }
      })
      .catch(function (err) { out.textContent = "Error: " + err; });
  });
  if (data.length) { show(0); }
}());

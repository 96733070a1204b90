// Network view: vis-network with fixed positions (physics off), search, details panel built with
// textContent, neighbourhood filter, PNG and GraphML export. Entry strings never reach innerHTML.
(function () {
  "use strict";
  var dataTag = document.getElementById("tg-data");
  if (!dataTag || typeof vis === "undefined") return;
  performance.mark("tg-start");
  var DATA = JSON.parse(dataTag.textContent).network;
  performance.mark("tg-parsed");
  var container = document.getElementById("network");
  if (!DATA || !container) return;
  var T = DATA.texts;

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  // vis-network deep-copies every property of every item; keep only drawing fields in its
  // DataSets and the entry metadata (names, verdicts, explanations) in plain lookups.
  var META = {};
  var visNodes = DATA.nodes.map(function (n) {
    META[n.id] = n;
    var item = { id: n.id, group: n.group, x: n.x, y: n.y };
    if (n.label !== undefined) item.label = n.label;
    return item;
  });
  var EDGE_META = {};
  var visEdges = DATA.edges.map(function (e, i) {
    var id = "e" + i;
    EDGE_META[id] = e;
    var item = { id: id, from: e.from, to: e.to, color: e.color, width: e.width };
    if (e.dashes) item.dashes = e.dashes;
    return item;
  });
  var nodes = new vis.DataSet(visNodes);
  var edges = new vis.DataSet(visEdges);
  performance.mark("tg-datasets");
  var network = new vis.Network(container, { nodes: nodes, edges: edges }, DATA.options);
  performance.mark("tg-network");
  network.fit({ animation: false });
  window.tgNetwork = network;
  network.once("afterDrawing", function () {
    document.body.setAttribute("data-network-drawn", "1");
    window.tgDrawnAt = performance.now();
  });

  // Level of detail while the view moves. Drawing 5,000 nodes with vis-network's shapes takes
  // 40-100 ms a frame on a CPU-drawn canvas, so in a large network, while a zoom or drag goes
  // on, vis-network draws no nodes (and, by its options, no edges) and we draw every node on
  // screen as a plain square, one path per colour; the full drawing comes back 200 ms after
  // the movement stops. vis-network redraws at most once per animation frame. It reads the
  // node list it draws from network.body.nodeIndices (vis-network 9, the bundle shipped with
  // pyvis); without it the light drawing is off and vis-network draws as before.
  var SETTLE_MS = 200;
  var light = !!DATA.light && !!network.body && Array.isArray(network.body.nodeIndices);
  var moving = false;
  var settleTimer = null;
  var heldIndices = null;
  var GROUP_FILL = {};
  Object.keys((DATA.options && DATA.options.groups) || {}).forEach(function (g) {
    var colour = DATA.options.groups[g].color;
    GROUP_FILL[g] = (colour && colour.background) || "#999999";
  });
  container.setAttribute("data-light", light ? "1" : "0");
  container.setAttribute("data-moving", "0");
  function settle() {
    moving = false;
    container.setAttribute("data-moving", "0");
    network.redraw();
  }
  function moved() {
    if (!light) return;
    moving = true;
    container.setAttribute("data-moving", "1");
    window.clearTimeout(settleTimer);
    settleTimer = window.setTimeout(settle, SETTLE_MS);
  }
  network.on("zoom", moved);
  network.on("dragStart", moved);
  network.on("dragging", moved);
  network.on("dragEnd", moved);
  network.on("beforeDrawing", function () {
    if (moving && heldIndices === null) {
      heldIndices = network.body.nodeIndices;
      network.body.nodeIndices = [];
    }
  });
  function drawLight(ctx, onScreen) {
    var paths = {};
    DATA.nodes.forEach(function (n) {
      if (hidden[n.id] || !onScreen(n.x, n.y)) return;
      var fill = GROUP_FILL[n.group] || "#999999";
      var path = paths[fill] || (paths[fill] = new Path2D());
      var r = SIZES[n.kind] || 16;
      path.rect(n.x - r, n.y - r, 2 * r, 2 * r);
    });
    ctx.save();
    Object.keys(paths).forEach(function (fill) {
      ctx.fillStyle = fill;
      ctx.fill(paths[fill]);
    });
    ctx.restore();
  }

  // Labels beside their nodes (to the right, on a white halo), never under them where edges
  // run. Level of detail: in a large network factor names and edge signs are drawn only once
  // zoomed in, and only for what is on screen; drivers and groups are always named.
  var LABEL_SCALE = 0.9;
  var SIZES = { driver: 22, demographic: 22 };
  var hidden = {};
  container.setAttribute("data-label-all", DATA.label_all ? "1" : "0");
  network.on("afterDrawing", function (ctx) {
    var scale = network.getScale();
    var topLeft = network.DOMtoCanvas({ x: 0, y: 0 });
    var bottomRight = network.DOMtoCanvas({ x: container.clientWidth, y: container.clientHeight });
    function onScreen(x, y) {
      return x >= topLeft.x - 50 && x <= bottomRight.x + 50 && y >= topLeft.y - 50 && y <= bottomRight.y + 50;
    }
    var lightFrame = heldIndices !== null;
    if (lightFrame) {
      network.body.nodeIndices = heldIndices;
      heldIndices = null;
      drawLight(ctx, onScreen);
    }
    // while the view moves, only drivers and groups keep their names
    var detailed = !lightFrame && (DATA.label_all || scale >= LABEL_SCALE);
    var font = 13 / Math.max(scale, 0.25);
    ctx.save();
    ctx.font = font + "px system-ui, Arial, sans-serif";
    ctx.textBaseline = "middle";
    ctx.lineJoin = "round";
    ctx.lineWidth = font / 3;
    ctx.strokeStyle = "rgba(255,255,255,0.9)";
    ctx.fillStyle = "#1a1a1a";
    var drawn = 0;
    DATA.nodes.forEach(function (n) {
      if (hidden[n.id]) return;
      var always = n.kind === "driver" || n.kind === "demographic";
      if (!always && !detailed) return;
      if (!onScreen(n.x, n.y)) return;
      var x = n.x + (SIZES[n.kind] || 16) + font / 3;
      var text = n.placeholder ? n.name + " ⟨" + T.placeholder + "⟩" : n.name;
      ctx.strokeText(text, x, n.y);
      ctx.fillText(text, x, n.y);
      drawn += 1;
    });
    if (detailed) {
      ctx.textAlign = "center";
      DATA.edges.forEach(function (e) {
        if (!e.sign || hidden[e.from] || hidden[e.to]) return;
        var a = META[e.from];
        var b = META[e.to];
        if (!a || !b) return;
        var mx = (a.x + b.x) / 2;
        var my = (a.y + b.y) / 2;
        if (!onScreen(mx, my)) return;
        ctx.strokeText(e.sign, mx, my);
        ctx.fillText(e.sign, mx, my);
      });
    }
    ctx.restore();
    container.setAttribute("data-labels-drawn", String(drawn));
  });

  var panel = document.getElementById("net-details");
  var allButton = document.getElementById("net-all");
  var byLabel = {};
  DATA.nodes.forEach(function (n) {
    byLabel[String(n.name).toLowerCase()] = n.id;
  });

  function kindText(kind) {
    return T["kind_" + kind] || kind;
  }

  function showNode(id) {
    var node = META[id];
    if (!node || !panel) return;
    panel.textContent = "";
    panel.appendChild(el("h2", null, node.name));
    var meta = kindText(node.kind);
    if (node.placeholder) meta += " · " + T.placeholder;
    if (node.level) meta += " · " + (T.levels[node.level] || node.level);
    panel.appendChild(el("p", "kind", meta));
    var connected = network.getConnectedEdges(id);
    var ul = el("ul", "neighbours");
    connected.forEach(function (edgeId) {
      var e = EDGE_META[edgeId];
      if (!e) return;
      var other = e.from === id ? e.to : e.from;
      var otherNode = META[other];
      var li = el("li");
      var b = el("button", "link", otherNode ? otherNode.name : other);
      b.type = "button";
      b.addEventListener("click", function () {
        focusNode(other);
      });
      li.appendChild(b);
      var line = " — " + (T.verdicts[e.verdict] || e.verdict);
      if (e.direction) line += ", " + e.sign + " " + (T.directions[e.direction] || e.direction);
      li.appendChild(el("span", "v-line", line + " (" + T.n_findings + ": " + e.n_findings + ")"));
      if (e.explanation) li.appendChild(el("p", "explanation", e.explanation));
      ul.appendChild(li);
    });
    panel.appendChild(ul);
    var nb = el("button", "neighbourhood", T.neighbourhood);
    nb.type = "button";
    nb.addEventListener("click", function () {
      showNeighbourhood(id);
    });
    panel.appendChild(nb);
    if (DATA.links && node.kind === "factor" && node.ident) {
      var a = el("a", "factor-link", T.open_factor);
      a.href = "/factors/" + encodeURIComponent(String(node.ident).replace(/^factor:/, "")) + "?lang=" + DATA.lang;
      panel.appendChild(el("p")).appendChild(a);
    }
    panel.setAttribute("data-node", id);
  }

  function focusNode(id) {
    network.selectNodes([id]);
    // move the view only when the node is off screen, so the overview stays in place
    var pos = network.canvasToDOM(network.getPositions([id])[id]);
    if (pos.x < 0 || pos.y < 0 || pos.x > container.clientWidth || pos.y > container.clientHeight) {
      network.focus(id, { scale: Math.max(network.getScale(), 0.4), animation: false });
    }
    showNode(id);
    panel.focus();
  }

  function showNeighbourhood(id) {
    var keep = {};
    keep[id] = true;
    network.getConnectedNodes(id).forEach(function (n) {
      keep[n] = true;
    });
    hidden = {};
    nodes.update(
      nodes.getIds().map(function (n) {
        if (!keep[n]) hidden[n] = true;
        return { id: n, hidden: !keep[n] };
      })
    );
    if (allButton) allButton.hidden = false;
    updateStatus();
    network.fit({ nodes: Object.keys(keep), animation: false });
  }

  function showAll() {
    hidden = {};
    nodes.update(
      nodes.getIds().map(function (n) {
        return { id: n, hidden: false };
      })
    );
    if (allButton) allButton.hidden = true;
    updateStatus();
    network.fit({ animation: false });
  }

  function updateStatus() {
    var status = document.getElementById("net-status");
    var visible = nodes.get({ filter: function (n) { return !n.hidden; } }).length;
    if (status) status.textContent = visible + " " + T.nodes + ", " + edges.length + " " + T.edges;
    container.setAttribute("data-visible-nodes", String(visible));
  }
  updateStatus();

  network.on("click", function (params) {
    if (params.nodes && params.nodes.length) showNode(params.nodes[0]);
  });
  var hoverLine = document.getElementById("net-hover");
  network.on("hoverNode", function (params) {
    var node = META[params.node];
    if (hoverLine && node) hoverLine.textContent = node.name + " (" + kindText(node.kind) + ")";
  });
  if (allButton) allButton.addEventListener("click", showAll);

  var search = document.getElementById("net-search");
  function runSearch() {
    var q = search.value.trim().toLowerCase();
    if (!q) return;
    var id = byLabel[q];
    if (id === undefined) {
      var match = DATA.nodes.find(function (n) {
        return String(n.name).toLowerCase().indexOf(q) >= 0;
      });
      id = match ? match.id : undefined;
    }
    if (id !== undefined) focusNode(id);
  }
  if (search) {
    search.addEventListener("change", runSearch);
    search.addEventListener("keydown", function (event) {
      if (event.key === "Enter") {
        event.preventDefault();
        runSearch();
      }
    });
  }

  function download(name, href) {
    var a = document.createElement("a");
    a.href = href;
    a.download = name;
    document.body.appendChild(a);
    a.click();
    a.remove();
  }

  var png = document.getElementById("net-png");
  if (png) {
    png.addEventListener("click", function () {
      var canvas = container.querySelector("canvas");
      if (canvas) download("triggergraph-network.png", canvas.toDataURL("image/png"));
    });
  }

  function xml(value) {
    return String(value === undefined || value === null ? "" : value).replace(/[<>&"']/g, function (c) {
      return { "<": "&lt;", ">": "&gt;", "&": "&amp;", '"': "&quot;", "'": "&apos;" }[c];
    });
  }

  function graphml() {
    var out = [
      '<?xml version="1.0" encoding="UTF-8"?>',
      '<graphml xmlns="http://graphml.graphdrawing.org/xmlns">',
      '<key id="label" for="node" attr.name="label" attr.type="string"/>',
      '<key id="kind" for="node" attr.name="kind" attr.type="string"/>',
      '<key id="level" for="node" attr.name="level" attr.type="string"/>',
      '<key id="verdict" for="edge" attr.name="verdict" attr.type="string"/>',
      '<key id="n_findings" for="edge" attr.name="n_findings" attr.type="int"/>',
      '<key id="score" for="edge" attr.name="score" attr.type="double"/>',
      '<graph edgedefault="undirected">',
    ];
    DATA.nodes.forEach(function (n) {
      out.push(
        '<node id="' + xml(n.id) + '"><data key="label">' + xml(n.name) + '</data><data key="kind">' +
          xml(n.kind) + '</data><data key="level">' + xml(n.level) + "</data></node>"
      );
    });
    DATA.edges.forEach(function (e) {
      out.push(
        '<edge source="' + xml(e.from) + '" target="' + xml(e.to) + '"><data key="verdict">' + xml(e.verdict) +
          '</data><data key="n_findings">' + xml(e.n_findings) + '</data><data key="score">' + xml(e.score) +
          "</data></edge>"
      );
    });
    out.push("</graph></graphml>");
    return out.join("\n");
  }

  var gml = document.getElementById("net-graphml");
  if (gml) {
    gml.addEventListener("click", function () {
      var blob = new Blob([graphml()], { type: "application/graphml+xml" });
      download("triggergraph-network.graphml", URL.createObjectURL(blob));
    });
  }
  window.tgGraphml = graphml;

  var form = document.getElementById("net-filters");
  if (form) {
    form.addEventListener("change", function () {
      form.submit();
    });
  }
})();

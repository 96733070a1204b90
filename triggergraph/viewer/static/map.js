// Evidence map: cell details from embedded JSON (built with textContent, never innerHTML),
// and the level/verdict filters applied in place with their state kept in the URL.
(function () {
  "use strict";
  var dataTag = document.getElementById("tg-data");
  if (!dataTag) return;
  var DATA = JSON.parse(dataTag.textContent).map;
  if (!DATA) return;
  var T = DATA.texts;
  var STRENGTH = ["strong", "moderate", "limited"];

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function keepVerdict(verdict, wanted) {
    if (!wanted) return true;
    if (wanted === "contested" || wanted === "no_evidence") return verdict === wanted;
    if (verdict === "contested") return wanted === "limited";
    var i = STRENGTH.indexOf(verdict);
    return i >= 0 && i <= STRENGTH.indexOf(wanted);
  }

  function safeHref(url) {
    return typeof url === "string" && /^https?:\/\/\S+$/i.test(url) ? url : null;
  }

  function findingItem(item, deciding) {
    var f = DATA.findings[item.id] || { id: item.id };
    var li = el("li", "finding");
    li.setAttribute("data-finding", item.id);
    var head = el("p", "cite");
    if (DATA.links && f.source) {
      var a = el("a", null, f.citation || f.source);
      a.href = "/sources/" + encodeURIComponent(f.source) + "?lang=" + DATA.lang;
      head.appendChild(a);
    } else {
      head.appendChild(el("span", null, f.citation || f.source || ""));
    }
    head.appendChild(el("span", "fid", " [" + item.id + "]"));
    li.appendChild(head);
    var dl = el("dl");
    function row(label, value) {
      if (value === undefined || value === null || value === "") return;
      dl.appendChild(el("dt", null, label));
      dl.appendChild(el("dd", null, value));
    }
    row(T.locator, f.locator);
    row(T.effect, f.effect);
    row(T.direction, f.direction);
    var cert = f.certainty || "";
    if (item.effective_certainty && item.effective_certainty !== f.letter) {
      cert += " → " + item.effective_certainty + " (" + T.effective + ")";
    }
    row(T.certainty, cert);
    row(
      T.direct + " / " + T.indirect,
      item.direct ? T.direct : T.indirect + ": " + (item.reasons || []).join("; ")
    );
    li.appendChild(dl);
    if (deciding.indexOf(item.id) >= 0) {
      li.classList.add("deciding");
      li.appendChild(el("p", "deciding-tag", "★ " + T.deciding));
    }
    var link = safeHref(f.verified_from);
    if (link) {
      var v = el("a", "verified", link);
      v.href = link;
      v.rel = "noopener noreferrer";
      li.appendChild(v);
    }
    return li;
  }

  var panel = document.getElementById("cell-details");

  function openCell(td) {
    var factor = td.getAttribute("data-factor");
    var column = td.getAttribute("data-column");
    var cell = (DATA.cells[factor] || {})[column];
    if (!cell || !panel) return;
    panel.textContent = "";
    var close = el("button", "close", T.close);
    close.type = "button";
    close.addEventListener("click", function () {
      panel.hidden = true;
      td.focus();
    });
    panel.appendChild(close);
    panel.appendChild(el("h2", null, (DATA.rows[factor] || factor) + " × " + (DATA.columns[column] || column)));
    var verdict = el("p", "verdict-line v-" + cell.verdict, T.verdicts[cell.verdict] || cell.verdict);
    verdict.setAttribute("data-verdict", cell.verdict);
    panel.appendChild(verdict);
    panel.appendChild(el("h3", null, T.explanation));
    panel.appendChild(el("p", "explanation", cell.explanation || (cell.n_findings ? "" : T.no_findings)));
    if (cell.findings.length) {
      panel.appendChild(el("h3", null, T.findings + " (" + cell.findings.length + ")"));
      var ul = el("ul", "findings");
      cell.findings.forEach(function (item) {
        ul.appendChild(findingItem(item, cell.deciding || []));
      });
      panel.appendChild(ul);
    } else {
      panel.appendChild(el("p", "empty-note", T.no_findings));
    }
    if (DATA.links) {
      var fl = el("a", "factor-link", T.open_factor);
      fl.href = "/factors/" + encodeURIComponent(factor) + "?lang=" + DATA.lang;
      panel.appendChild(fl);
    }
    panel.hidden = false;
    panel.focus();
  }

  var table = document.getElementById("evidence-map");
  if (table) {
    table.addEventListener("click", function (event) {
      var td = event.target.closest("td.cell");
      if (td) openCell(td);
    });
    table.addEventListener("keydown", function (event) {
      var td = event.target.closest("td.cell");
      if (td && (event.key === "Enter" || event.key === " ")) {
        event.preventDefault();
        openCell(td);
      }
    });
  }

  var form = document.getElementById("map-filters");
  function applyClientFilters() {
    if (!form || !table) return;
    var level = form.elements.level.value;
    var wanted = form.elements.verdict.value;
    var shown = 0;
    table.querySelectorAll("tbody[data-level]").forEach(function (tb) {
      var visible = !level || tb.getAttribute("data-level") === level;
      tb.hidden = !visible;
      tb.querySelectorAll("td.cell").forEach(function (td) {
        var keep = keepVerdict(td.getAttribute("data-verdict"), wanted);
        td.classList.toggle("off", !keep);
        if (visible && keep) shown += 1;
      });
    });
    var counter = document.getElementById("shown-count");
    if (counter) counter.textContent = String(shown);
    if (window.location.protocol !== "file:") {
      var url = new URL(window.location.href);
      ["level", "verdict"].forEach(function (name) {
        var value = form.elements[name].value;
        if (value) url.searchParams.set(name, value);
        else url.searchParams.delete(name);
      });
      window.history.replaceState(null, "", url.toString());
    }
  }
  if (form) {
    form.addEventListener("change", function (event) {
      if (event.target.getAttribute("data-client") === "1") applyClientFilters();
      else form.submit();
    });
  }
})();

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

  function factList(pairs) {
    var dl = el("dl");
    pairs.forEach(function (pair) {
      var wrap = el("div");
      wrap.appendChild(el("dt", null, pair[0]));
      wrap.appendChild(el("dd", null, pair[1]));
      dl.appendChild(wrap);
    });
    return dl;
  }

  function findingItem(item, deciding, cards) {
    var f = cards[item.id] || { id: item.id, facts: [], notes: [], links: [] };
    var li = el("li", "finding card");
    li.setAttribute("data-finding", item.id);
    li.appendChild(el("p", "card-head", f.heading || item.id));
    var head = el("p", "cite");
    if (DATA.links && f.source_href) {
      var a = el("a", null, f.citation);
      a.href = f.source_href;
      head.appendChild(a);
    } else {
      head.appendChild(el("span", null, f.citation || ""));
    }
    li.appendChild(head);
    var pairs = (f.facts || []).slice();
    var how = item.direct ? T.direct : T.indirect + ": " + (item.reasons || []).join("; ");
    if (item.effective_certainty) how += " · " + T.certainty + " " + T.effective + ": " + item.effective_certainty;
    pairs.push([T.how_counted, how]);
    li.appendChild(factList(pairs));
    if ((f.notes || []).length) {
      if (f.notes_foreign) {
        var details = el("details", "notes");
        details.appendChild(el("summary", null, T.notes));
        var dl = factList(f.notes);
        dl.setAttribute("lang", "en");
        details.appendChild(dl);
        li.appendChild(details);
      } else {
        li.appendChild(factList(f.notes));
      }
    }
    if (deciding.indexOf(item.id) >= 0) {
      li.classList.add("deciding");
      li.appendChild(el("p", "deciding-tag", "★ " + T.deciding));
    }
    if ((f.links || []).length) {
      var ul = el("ul", "links");
      f.links.forEach(function (pair) {
        var href = safeHref(pair[0]);
        if (!href) return;
        var item = el("li");
        var link = el("a", null, pair[1]);
        link.href = href;
        link.rel = "noopener noreferrer";
        item.appendChild(link);
        ul.appendChild(item);
      });
      li.appendChild(ul);
    }
    return li;
  }

  var panel = document.getElementById("cell-details");
  var CELLS = "td.cell, td.anycell";

  // ARIA grid: one tab stop (roving tabindex); arrow keys, Home and End move between cells
  function gridRows() {
    return Array.from(table.querySelectorAll("tbody[data-level]"))
      .filter(function (tb) { return !tb.hidden; })
      .flatMap(function (tb) { return Array.from(tb.querySelectorAll("tr[data-factor]")); });
  }

  function neighbour(td, key) {
    var rows = gridRows();
    var tr = td.parentElement;
    var r = rows.indexOf(tr);
    var cells = Array.from(tr.querySelectorAll(CELLS));
    var c = cells.indexOf(td);
    if (r < 0 || c < 0) return null;
    if (key === "ArrowRight") return cells[c + 1] || null;
    if (key === "ArrowLeft") return cells[c - 1] || null;
    if (key === "Home") return cells[0];
    if (key === "End") return cells[cells.length - 1];
    if (key === "ArrowDown" && rows[r + 1]) return rows[r + 1].querySelectorAll(CELLS)[c] || null;
    if (key === "ArrowUp" && rows[r - 1]) return rows[r - 1].querySelectorAll(CELLS)[c] || null;
    return null;
  }

  function moveTo(td, focused) {
    table.querySelectorAll(CELLS).forEach(function (other) {
      if (other !== td) other.setAttribute("tabindex", "-1");
    });
    td.setAttribute("tabindex", "0");
    if (!focused) td.focus();
  }

  function keepTabStop() {
    var current = table.querySelector('td[tabindex="0"]');
    if (current && !current.closest("tbody").hidden) return;
    var rows = gridRows();
    if (rows.length) moveTo(rows[0].querySelector(CELLS), true);
  }

  var openTd = null;

  function closePanel(td) {
    panel.hidden = true;
    if (openTd) openTd.classList.remove("open");
    openTd = null;
    setHash("");
    if (td) td.focus();
  }

  function setHash(value) {
    if (window.location.protocol === "file:") return;
    var url = new URL(window.location.href);
    url.hash = value;
    window.history.replaceState(null, "", url.toString());
  }

  function cellUrl(factor, column, offset) {
    var params = new URLSearchParams({ factor: factor, column: column, lang: DATA.lang, offset: String(offset) });
    // the server filters (everything but level and verdict) choose the findings a cell counts
    var form = document.getElementById("map-filters");
    if (form) {
      Array.prototype.forEach.call(form.elements, function (field) {
        if (!field.name || field.name === "lang" || field.getAttribute("data-client") === "1") return;
        if (field.value) params.set(field.name, field.value);
      });
    }
    return "/map/cell?" + params.toString();
  }

  // online, a cell's findings come from the server a page at a time when it is opened
  function loadFindings(factor, column, offset, ul, explanation, reveal) {
    var status = el("p", "status", T.loading);
    ul.parentNode.appendChild(status);
    fetch(cellUrl(factor, column, offset), { headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) throw new Error(String(response.status));
        return response.json();
      })
      .then(function (page) {
        status.remove();
        if (explanation && page.explanation) explanation.textContent = page.explanation;
        page.counted.forEach(function (item) {
          ul.appendChild(findingItem(item, page.deciding || [], page.findings));
        });
        if (page.next_offset !== null) {
          var more = el("button", "more", T.more);
          more.type = "button";
          more.addEventListener("click", function () {
            more.remove();
            loadFindings(factor, column, page.next_offset, ul);
          });
          ul.parentNode.appendChild(more);
        }
        panel.setAttribute("data-loaded", "1");
        if (reveal) reveal();
      })
      .catch(function () {
        status.textContent = T.load_failed;
        if (reveal) reveal();
      });
  }

  function openCell(td) {
    var factor = td.getAttribute("data-factor");
    var column = td.getAttribute("data-column");
    var cell = (DATA.cells[factor] || {})[column];
    if (!cell || !panel) return;
    panel.textContent = "";
    panel.removeAttribute("data-loaded");
    var close = el("button", "close", T.close);
    close.type = "button";
    close.addEventListener("click", function () {
      closePanel(td);
    });
    panel.appendChild(close);
    panel.appendChild(el("h2", null, (DATA.rows[factor] || factor) + " × " + (DATA.columns[column] || column)));
    var verdict = el("p", "verdict-line v-" + cell.verdict, T.verdicts[cell.verdict] || cell.verdict);
    verdict.setAttribute("data-verdict", cell.verdict);
    panel.appendChild(verdict);
    if (cell.empty) {
      var kind = el("p", "empty-kind", T.empty[cell.empty]);
      kind.setAttribute("data-empty", cell.empty);
      panel.appendChild(kind);
    }
    if (cell.verdict !== "no_evidence" && cell.direction_known !== false) {
      // a null direction with evidence is a tie; it is shown as such, never decided here
      var direction = el("p", "direction", T.directions[cell.direction || "tie"]);
      direction.setAttribute("data-direction", cell.direction || "tie");
      panel.appendChild(direction);
    }
    panel.appendChild(el("h3", null, T.explanation));
    var explanation = el("p", "explanation", cell.explanation || (cell.n_findings ? "" : T.no_findings));
    panel.appendChild(explanation);
    var fetching = false;
    if (cell.n_findings) {
      panel.appendChild(el("h3", null, T.findings + " (" + cell.n_findings + ")"));
      var ul = el("ul", "findings");
      panel.appendChild(ul);
      if (DATA.findings) {
        // offline copy: every finding is embedded
        (cell.findings || []).forEach(function (item) {
          ul.appendChild(findingItem(item, cell.deciding || [], DATA.findings));
        });
      } else {
        // the panel shows once its first page has arrived, complete
        fetching = true;
        loadFindings(factor, column, 0, ul, explanation, function () {
          panel.hidden = false;
          panel.focus();
        });
      }
    } else {
      panel.appendChild(el("p", "empty-note", T.no_findings));
    }
    if (DATA.links) {
      var fl = el("a", "factor-link", T.open_factor);
      fl.href = "/factors/" + encodeURIComponent(factor) + "?lang=" + DATA.lang;
      panel.appendChild(fl);
    }
    if (openTd) openTd.classList.remove("open");
    openTd = td;
    td.classList.add("open");
    setHash("cell=" + encodeURIComponent(factor) + ":" + encodeURIComponent(column));
    if (!fetching) {
      panel.hidden = false;
      panel.focus();
    }
  }

  var table = document.getElementById("evidence-map");
  if (table) {
    table.addEventListener("click", function (event) {
      var td = event.target.closest("td.cell, td.anycell");
      if (td) openCell(td);
    });
    table.addEventListener("keydown", function (event) {
      var td = event.target.closest("td.cell, td.anycell");
      if (!td) return;
      if (event.key === "Enter" || event.key === " ") {
        event.preventDefault();
        openCell(td);
        return;
      }
      var next = neighbour(td, event.key);
      if (next) {
        event.preventDefault();
        moveTo(next);
      }
    });
    table.addEventListener("focusin", function (event) {
      var td = event.target.closest("td.cell, td.anycell");
      if (td) moveTo(td, true);
    });
  }

  if (panel) {
    // Escape closes the details and gives focus back to the cell that opened them
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && !panel.hidden) closePanel(openTd);
    });
  }

  // a cell's own address (#cell=factor:column) opens it, so a cell can be linked to
  var linked = /^#cell=([^:]+):(.+)$/.exec(window.location.hash);
  if (linked && table) {
    var f = decodeURIComponent(linked[1]);
    var c = decodeURIComponent(linked[2]);
    table.querySelectorAll("td[data-factor]").forEach(function (td) {
      if (td.getAttribute("data-factor") === f && td.getAttribute("data-column") === c) openCell(td);
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
      tb.querySelectorAll("td.cell, td.anycell").forEach(function (td) {
        var keep = keepVerdict(td.getAttribute("data-verdict"), wanted);
        td.classList.toggle("off", !keep);
        if (visible && keep && td.classList.contains("cell")) shown += 1;
      });
    });
    keepTabStop();
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
    // downloads follow the filters, so they hold exactly what is on screen
    document.querySelectorAll("#map-downloads a[data-format]").forEach(function (a) {
      var href = new URL(a.href, window.location.href);
      ["level", "verdict"].forEach(function (name) {
        var value = form.elements[name].value;
        if (value) href.searchParams.set(name, value);
        else href.searchParams.delete(name);
      });
      a.href = href.pathname + href.search;
    });
  }
  // empty fields stay out of the URL, so a filtered view's link holds only what was chosen
  function submitFilters() {
    Array.prototype.forEach.call(form.elements, function (field) {
      if (field.name && !field.value) field.disabled = true;
    });
    form.submit();
  }
  if (form) {
    form.addEventListener("change", function (event) {
      if (event.target.getAttribute("data-client") === "1") applyClientFilters();
      else if (event.target.tagName === "SELECT") submitFilters();
    });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      submitFilters();
    });
    // back from a filtered view, the form comes from the page cache with its empty fields off
    window.addEventListener("pageshow", function () {
      Array.prototype.forEach.call(form.elements, function (field) { field.disabled = false; });
    });
  }
})();

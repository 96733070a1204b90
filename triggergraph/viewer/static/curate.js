/* triggergraph curation pages: the entry form generated from the schema (new source, edit, blind
   second coding) with live checks next to each field, the factor picker, and reconcile.
   Every text from the server or the user is put into the page with textContent, never as HTML. */
(function () {
  "use strict";

  function postJson(path, csrf, body) {
    return fetch(path, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf },
      body: JSON.stringify(body)
    }).then(function (response) {
      return response.json().then(function (data) { return { status: response.status, data: data }; });
    });
  }

  function msg(name) {
    var el = document.querySelector('#messages [data-msg="' + name + '"]');
    return el ? el.textContent : name;
  }

  function problemText(p) {
    var text = (p.field ? p.field + ": " : "") + p.message;
    if (p.suggestions && p.suggestions.length) { text += " (" + p.suggestions.join(", ") + "?)"; }
    return text;
  }

  function savedLink(out, label, href, text) {
    out.textContent = label + " ";
    var a = document.createElement("a");
    a.href = href;
    a.id = "saved-link";
    a.textContent = text;
    out.appendChild(a);
  }

  /* ---- the entry form ---------------------------------------------------------------- */
  var root = document.getElementById("curate");
  if (root) { entryForm(root); }

  function entryForm(root) {
    var lang = root.dataset.lang;
    var csrf = root.dataset.csrf;
    var mode = root.dataset.mode;
    var sourceId = root.dataset.source;
    var form = document.getElementById("entry");
    var checkTimer = null;

    /* the fields of a scope (the form, an object, an array item), not those of inner scopes */
    function ownFields(scope) {
      return Array.prototype.filter.call(scope.querySelectorAll("[data-name]"), function (el) {
        return el.parentElement.closest("[data-scope]") === scope;
      });
    }
    function items(wrapper) {
      return Array.prototype.slice.call(wrapper.querySelector(".items").children);
    }
    function lines(text) {
      return text.split("\n").map(function (s) { return s.trim(); }).filter(Boolean);
    }
    function num(text, pattern) {
      return pattern.test(text) ? Number(text) : text;
    }

    function read(wrapper) {
      var widget = wrapper.dataset.widget;
      if (widget === "object") { var o = collect(wrapper); return Object.keys(o).length ? o : undefined; }
      if (widget === "array") {
        var list = items(wrapper).map(collect);
        return list.length ? list : undefined;
      }
      if (widget === "checks" || widget === "demographics") {
        var picked = Array.prototype.map.call(wrapper.querySelectorAll("input:checked"), function (el) { return el.value; });
        return picked.length ? picked : undefined;
      }
      if (widget === "pair") {
        var pair = Array.prototype.map.call(wrapper.querySelectorAll("[data-pair]"), function (el) { return el.value.trim(); });
        if (!pair[0] && !pair[1]) { return undefined; }
        return pair.map(function (v) { return num(v, /^-?\d+(\.\d+)?$/); });
      }
      var control = wrapper.querySelector("[data-key]");
      if (widget === "lines") { var l = lines(control.value); return l.length ? l : undefined; }
      var value = control.value.trim();
      if (value === "") { return undefined; }
      if (widget === "int") { return num(value, /^-?\d+$/); }
      if (widget === "number") { return num(value, /^-?\d+(\.\d+)?([eE]-?\d+)?$/); }
      return value;
    }

    function collect(scope) {
      var out = {};
      ownFields(scope).forEach(function (wrapper) {
        var value = read(wrapper);
        if (value !== undefined) { out[wrapper.dataset.name] = value; }
      });
      return out;
    }

    function write(wrapper, value) {
      var widget = wrapper.dataset.widget;
      if (widget === "object") { fill(wrapper, value || {}); return; }
      if (widget === "array") {
        wrapper.querySelector(".items").textContent = "";
        (value || []).forEach(function (item) { addItem(wrapper, item); });
        return;
      }
      if (widget === "checks" || widget === "demographics") {
        var chosen = value || [];
        wrapper.querySelectorAll("input[type=checkbox]").forEach(function (el) { el.checked = chosen.indexOf(el.value) >= 0; });
        return;
      }
      if (widget === "pair") {
        wrapper.querySelectorAll("[data-pair]").forEach(function (el, i) { el.value = value ? String(value[i]) : ""; });
        return;
      }
      var control = wrapper.querySelector("[data-key]");
      if (value === undefined || value === null) { control.value = ""; return; }
      control.value = Array.isArray(value) ? value.join("\n") : String(value);
    }

    function fill(scope, data) {
      ownFields(scope).forEach(function (wrapper) {
        if (wrapper.dataset.name in data) { write(wrapper, data[wrapper.dataset.name]); }
      });
      if (scope === form) { ensureFinding(); }
      number();
    }

    function addItem(wrapper, data) {
      var template = wrapper.querySelector(":scope > template");
      var item = template.content.firstElementChild.cloneNode(true);
      wrapper.querySelector(".items").appendChild(item);
      fill(item, data || {});
      return item;
    }

    function ensureFinding() {
      var findings = ownFields(form).filter(function (w) { return w.dataset.name === "findings"; })[0];
      if (findings && !items(findings).length) { addItem(findings, {}); }
    }

    /* every field, control and error gets the path validate names it by: findings[0].effect.value */
    function number(scope, prefix) {
      scope = scope || form;
      ownFields(scope).forEach(function (wrapper) {
        var path = prefix ? prefix + "." + wrapper.dataset.name : wrapper.dataset.name;
        wrapper.dataset.fieldPath = path;
        var own = wrapper.querySelector(":scope > .field-error");
        if (own) { own.dataset.errorPath = path; own.dataset.errorKey = wrapper.dataset.name; }
        var control = wrapper.querySelector("[data-key]");
        if (control && wrapper.dataset.widget !== "object" && wrapper.dataset.widget !== "array") {
          control.dataset.path = path;
        }
        var warning = wrapper.querySelector(":scope > .field-warning");
        if (warning) { warning.dataset.warningPath = path; warning.dataset.warningKey = wrapper.dataset.name; }
        if (wrapper.dataset.widget === "object") { number(wrapper, path); }
        if (wrapper.dataset.widget === "array") {
          items(wrapper).forEach(function (item, i) {
            var itemPath = path + "[" + i + "]";
            item.querySelector(":scope > legend .n").textContent = String(i + 1);
            item.querySelector(":scope > .field-error").dataset.errorPath = itemPath;
            number(item, itemPath);
          });
        }
      });
    }

    /* the closest place for a message on path: the field itself, else the nearest enclosing one */
    function target(path, kind) {
      var attr = kind === "error" ? "data-error-path" : "data-warning-path";
      var p = path;
      while (p) {
        var el = document.querySelector("[" + attr + '="' + CSS.escape(p) + '"]');
        if (el) { return el; }
        var shorter = p.replace(/(\.[^.[\]]+|\[[^\]]*\])$/, "");
        if (shorter === p) { break; }
        p = shorter;
      }
      return kind === "error" ? document.querySelector('[data-error-path=""]') : null;
    }

    function show(result) {
      document.querySelectorAll(".field-error, .field-warning").forEach(function (el) {
        el.textContent = ""; el.classList.remove("on");
      });
      (result.problems || []).forEach(function (p) {
        var el = target(p.field || "", "error");
        el.textContent = el.textContent ? el.textContent + " " + problemText(p) : problemText(p);
        el.classList.add("on");
      });
      (result.warnings || []).forEach(function (w) {
        var el = target(w.field || "", "warning") || target(w.field || "", "error");
        if (el) { el.textContent = w.message; el.classList.add("on"); }
      });
      var dup = document.getElementById("duplicates");
      dup.textContent = "";
      dup.hidden = !(result.duplicates && result.duplicates.length);
      (result.duplicates || []).forEach(function (d) {
        var p = document.createElement("p");
        p.textContent = msg("duplicate") + " (" + d.by + "): ";
        var a = document.createElement("a");
        a.href = "/sources/" + encodeURIComponent(d.source_id) + "?lang=" + encodeURIComponent(lang);
        a.textContent = d.source_id + " · " + d.title;
        p.appendChild(a);
        dup.appendChild(p);
      });
      var n = (result.problems || []).length;
      document.getElementById("check-status").textContent = n === 0 ? msg("no-problems") : msg("problems") + " " + n;
    }

    function draft() {
      var entry = collect(form);
      var coder = document.getElementById("coder");
      if (mode === "code" && coder && coder.value.trim()) { entry.added_by = coder.value.trim(); }
      return entry;
    }

    function check() {
      var url = "/curate/check" + (mode === "new" ? "" : "?replacing=" + encodeURIComponent(sourceId));
      return postJson(url, csrf, draft()).then(function (r) {
        if (r.status === 200) { show(r.data); }
        return r;
      });
    }
    function scheduleCheck() {
      clearTimeout(checkTimer);
      checkTimer = setTimeout(check, 300);
    }

    function searchTerms(text, wrapper) {
      var results = wrapper.querySelector(".picker-results");
      var url = "/curate/terms?lang=" + encodeURIComponent(lang) + "&q=" + encodeURIComponent(text);
      fetch(url, { credentials: "same-origin" }).then(function (r) { return r.json(); }).then(function (terms) {
        results.textContent = "";
        terms.forEach(function (term) {
          var li = document.createElement("li");
          var button = document.createElement("button");
          button.type = "button";
          button.className = "pick";
          button.dataset.id = term.id;
          button.textContent = term.label + " (" + term.id + ")";
          li.appendChild(button);
          if (term.definition) {
            var def = document.createElement("span");
            def.className = "definition";
            def.textContent = term.definition;
            li.appendChild(def);
          }
          if (!term.counts_for_a_cell) {
            var warn = document.createElement("span");
            warn.className = "no-cell";
            warn.textContent = msg("no-cell");
            li.appendChild(warn);
          }
          results.appendChild(li);
        });
      });
    }

    var pickTimer = null;
    form.addEventListener("input", function (event) {
      if (event.target.classList.contains("picker-query")) {
        var wrapper = event.target.closest("[data-name]");
        clearTimeout(pickTimer);
        pickTimer = setTimeout(function () { searchTerms(event.target.value, wrapper); }, 200);
        return;
      }
      scheduleCheck();
    });
    form.addEventListener("change", function (event) {
      if (!event.target.classList.contains("picker-query")) { scheduleCheck(); }
    });
    form.addEventListener("click", function (event) {
      var button = event.target.closest("button");
      if (!button) { return; }
      if (button.classList.contains("add")) {
        addItem(button.closest("[data-widget=array]"), {});
        number(); scheduleCheck();
      } else if (button.classList.contains("remove")) {
        button.closest(".item").remove();
        number(); scheduleCheck();
      } else if (button.classList.contains("pick")) {
        var wrapper = button.closest("[data-name]");
        wrapper.querySelector("[data-key]").value = button.dataset.id;
        wrapper.querySelector(".picker-results").textContent = "";
        scheduleCheck();
      }
    });

    var start = document.getElementById("start");
    if (start) {
      start.addEventListener("click", function () {
        var body = { paste: document.getElementById("paste").value, added_by: document.getElementById("added-by").value.trim() };
        postJson("/curate/draft", csrf, body).then(function (r) {
          if (r.status === 200) { fill(form, r.data); check(); return; }
          show({ problems: r.data.problems || [{ field: "paste", message: r.data.detail }] });
        });
      });
    }

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var out = document.getElementById("result");
      out.textContent = "";
      var coder = document.getElementById("coder");
      var by = coder ? coder.value.trim() : "";
      var path = "/curate/submit";
      var body = draft();
      if (mode === "edit") {
        path = "/curate/edit/" + encodeURIComponent(sourceId);
        body = { draft: body, revision: root.dataset.revision, by: by, why: document.getElementById("why").value.trim() };
      } else if (mode === "code") {
        path = "/curate/code/" + encodeURIComponent(sourceId);
        body = { draft: body, revision: root.dataset.revision, by: by };
      }
      postJson(path, csrf, body).then(function (r) {
        if (r.status === 200 || r.status === 201) {
          if (mode === "code") {
            savedLink(out, msg("coded"), "/curate/reconcile/" + encodeURIComponent(r.data.id) + "?lang=" + encodeURIComponent(lang), r.data.id);
          } else {
            savedLink(out, msg("saved"), "/sources/" + encodeURIComponent(r.data.id) + "?lang=" + encodeURIComponent(lang), r.data.id);
          }
          return;
        }
        show({ problems: r.data.problems || [{ field: "", message: r.data.detail }] });
      });
    });

    document.getElementById("sign-out").addEventListener("click", function () {
      postJson("/curate/logout", csrf, {}).then(function () { window.location.reload(); });
    });

    var initial = document.getElementById("initial-entry");
    fill(form, initial ? JSON.parse(initial.textContent) : {});
  }

  /* ---- reconcile ---------------------------------------------------------------------- */
  var reconcile = document.getElementById("reconcile");
  if (reconcile) {
    var recForm = document.getElementById("reconcile-form");
    recForm.addEventListener("submit", function (event) {
      event.preventDefault();
      var out = document.getElementById("result");
      var error = recForm.querySelector('[data-error-path=""]');
      out.textContent = ""; error.textContent = "";
      var picks = {};
      recForm.querySelectorAll("tr.difference").forEach(function (row) {
        var chosen = row.querySelector("input:checked");
        if (chosen) { picks[row.dataset.key] = chosen.value; }
      });
      if (Object.keys(picks).length !== recForm.querySelectorAll("tr.difference").length) {
        error.textContent = msg("pick-all"); error.classList.add("on");
        return;
      }
      var body = {
        picks: picks,
        revision: reconcile.dataset.revision,
        by: document.getElementById("reconciler").value.trim(),
        why: document.getElementById("why").value.trim()
      };
      var source = reconcile.dataset.source;
      postJson("/curate/reconcile/" + encodeURIComponent(source), reconcile.dataset.csrf, body).then(function (r) {
        if (r.status === 200) {
          savedLink(out, msg("published"), "/sources/" + encodeURIComponent(r.data.id) + "?lang=" + encodeURIComponent(reconcile.dataset.lang), r.data.id);
          return;
        }
        error.textContent = (r.data.problems || [{ message: r.data.detail }]).map(problemText).join(" ");
        error.classList.add("on");
      });
    });
  }
})();

/* triggergraph entry form: draft from a paste, live checks next to each field, factor picker, submit.
   Every text from the server or the user is put into the page with textContent, never as HTML. */
(function () {
  "use strict";
  var root = document.getElementById("curate");
  if (!root) { return; }
  var lang = root.dataset.lang;
  var csrf = root.dataset.csrf;
  var form = document.getElementById("entry");
  var findings = document.getElementById("findings");
  var template = document.getElementById("finding-template");
  var checkTimer = null;

  function post(path, body) {
    return fetch(path, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf },
      body: JSON.stringify(body)
    }).then(function (response) {
      return response.json().then(function (data) { return { status: response.status, data: data }; });
    });
  }

  function lines(text) {
    return text.split("\n").map(function (s) { return s.trim(); }).filter(Boolean);
  }

  function readInput(el) {
    var value = el.value.trim();
    if (el.dataset.list === "lines") { return lines(el.value); }
    if (value === "") { return undefined; }
    if (el.dataset.type === "int") { return /^-?\d+$/.test(value) ? Number(value) : value; }
    return value;
  }

  function writeInput(el, value) {
    if (value === undefined || value === null) { el.value = ""; return; }
    el.value = Array.isArray(value) ? value.join("\n") : String(value);
  }

  function collectFinding(box) {
    var out = {};
    box.querySelectorAll("[data-key]").forEach(function (el) {
      var value = readInput(el);
      if (value !== undefined && !(Array.isArray(value) && value.length === 0 && el.dataset.key !== "certainty_reasons")) {
        out[el.dataset.key] = value;
      }
    });
    out.drivers = [];
    box.querySelectorAll("[data-driver]").forEach(function (el) {
      if (el.value) { out.drivers.push({ driver: el.dataset.driver, basis: el.value }); }
    });
    out.demographics = [];
    box.querySelectorAll("[data-demographic]:checked").forEach(function (el) {
      out.demographics.push(el.dataset.demographic);
    });
    out.outcome_stages = [];
    box.querySelectorAll("[data-stage]:checked").forEach(function (el) {
      out.outcome_stages.push(el.dataset.stage);
    });
    return out;
  }

  function collect() {
    var draft = {};
    document.querySelectorAll("[data-field]").forEach(function (el) {
      var value = readInput(el);
      if (value !== undefined) { draft[el.dataset.field] = value; }
    });
    draft.findings = Array.prototype.map.call(findings.querySelectorAll("fieldset.finding"), collectFinding);
    return draft;
  }

  function fill(draft) {
    document.querySelectorAll("[data-field]").forEach(function (el) {
      if (el.dataset.field in draft) { writeInput(el, draft[el.dataset.field]); }
    });
    findings.textContent = "";
    (draft.findings || []).forEach(function (f) { addFinding(f); });
    if (!findings.children.length) { addFinding({}); }
  }

  function renumber() {
    findings.querySelectorAll("fieldset.finding").forEach(function (box, i) {
      box.querySelector(".n").textContent = String(i + 1);
    });
  }

  function addFinding(data) {
    var box = template.content.firstElementChild.cloneNode(true);
    box.querySelectorAll("[data-key]").forEach(function (el) { writeInput(el, data[el.dataset.key]); });
    (data.drivers || []).forEach(function (d) {
      var el = box.querySelector('[data-driver="' + CSS.escape(d.driver) + '"]');
      if (el) { el.value = d.basis; }
    });
    (data.demographics || []).forEach(function (id) {
      var el = box.querySelector('[data-demographic="' + CSS.escape(id) + '"]');
      if (el) { el.checked = true; }
    });
    (data.outcome_stages || []).forEach(function (id) {
      var el = box.querySelector('[data-stage="' + CSS.escape(id) + '"]');
      if (el) { el.checked = true; }
    });
    box.querySelector(".remove").addEventListener("click", function () {
      box.remove(); renumber(); scheduleCheck();
    });
    var query = box.querySelector(".picker-query");
    var results = box.querySelector(".picker-results");
    var pickTimer = null;
    query.addEventListener("input", function () {
      clearTimeout(pickTimer);
      pickTimer = setTimeout(function () { searchTerms(query.value, results, box); }, 200);
    });
    findings.appendChild(box);
    renumber();
    return box;
  }

  function searchTerms(text, results, box) {
    var url = "/curate/terms?lang=" + encodeURIComponent(lang) + "&q=" + encodeURIComponent(text);
    fetch(url, { credentials: "same-origin" }).then(function (r) { return r.json(); }).then(function (terms) {
      results.textContent = "";
      terms.forEach(function (term) {
        var li = document.createElement("li");
        var button = document.createElement("button");
        button.type = "button";
        button.className = "pick";
        button.dataset.id = term.id;
        button.textContent = term.label + " (" + term.id + ", " + term.kind + ")";
        button.addEventListener("click", function () {
          box.querySelector("[data-key=factor]").value = term.id;
          results.textContent = "";
          scheduleCheck();
        });
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
          warn.textContent = lang === "nl" ? "telt voor geen cel" : "reaches no cell";
          li.appendChild(warn);
        }
        results.appendChild(li);
      });
    });
  }

  /* "findings[2].drivers[0].driver" -> the finding box 2 and its key "drivers" */
  function placeOf(field) {
    var m = /^findings\[(\d+)\](?:\.([a-z_]+))?/.exec(field);
    if (m) {
      var box = findings.querySelectorAll("fieldset.finding")[Number(m[1])];
      if (box && m[2]) { return { box: box, key: m[2] }; }
      return null;
    }
    var top = field.replace(/\[.*$/, "").split(".")[0];
    return { box: null, key: top };
  }

  function target(field, kind) {
    var place = placeOf(field);
    if (place) {
      var el = place.box
        ? place.box.querySelector("[data-" + kind + "-key=" + place.key + "]")
        : document.querySelector("[data-" + kind + "-for=\"" + place.key + "\"]");
      if (el) { return el; }
    }
    return kind === "error" ? document.querySelector('[data-error-for=""]') : null;
  }

  function show(result) {
    document.querySelectorAll(".field-error, .field-warning").forEach(function (el) {
      el.textContent = ""; el.classList.remove("on");
    });
    (result.problems || []).forEach(function (p) {
      var el = target(p.field, "error");
      var text = (p.field ? p.field + ": " : "") + p.message;
      if (p.suggestions && p.suggestions.length) { text += " (" + p.suggestions.join(", ") + "?)"; }
      el.textContent = el.textContent ? el.textContent + " " + text : text;
      el.classList.add("on");
    });
    (result.warnings || []).forEach(function (w) {
      var el = target(w.field, "warning");
      if (el) { el.textContent = w.message; el.classList.add("on"); }
    });
    var dup = document.getElementById("duplicates");
    dup.textContent = "";
    dup.hidden = !(result.duplicates && result.duplicates.length);
    (result.duplicates || []).forEach(function (d) {
      var p = document.createElement("p");
      p.textContent = (lang === "nl" ? "Mogelijk dubbel (" : "Possible duplicate (") + d.by + "): ";
      var a = document.createElement("a");
      a.href = "/sources/" + encodeURIComponent(d.source_id) + "?lang=" + encodeURIComponent(lang);
      a.textContent = d.source_id + " · " + d.title;
      p.appendChild(a);
      dup.appendChild(p);
    });
    var status = document.getElementById("check-status");
    var n = (result.problems || []).length;
    status.textContent = n === 0 ? (lang === "nl" ? "Geen fouten." : "No problems.")
      : n + (lang === "nl" ? " fout(en)." : " problem(s).");
  }

  function check() {
    return post("/curate/check", collect()).then(function (r) {
      if (r.status === 200) { show(r.data); }
      return r;
    });
  }

  function scheduleCheck() {
    clearTimeout(checkTimer);
    checkTimer = setTimeout(check, 300);
  }

  document.getElementById("start").addEventListener("click", function () {
    var addedBy = document.getElementById("added-by").value.trim();
    post("/curate/draft", { paste: document.getElementById("paste").value, added_by: addedBy }).then(function (r) {
      if (r.status === 200) { fill(r.data); check(); return; }
      show({ problems: r.data.problems || [{ field: "paste", message: r.data.detail }] });
    });
  });
  document.getElementById("add-finding").addEventListener("click", function () { addFinding({}); scheduleCheck(); });
  form.addEventListener("input", scheduleCheck);
  form.addEventListener("change", scheduleCheck);
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var out = document.getElementById("result");
    out.textContent = "";
    post("/curate/submit", collect()).then(function (r) {
      if (r.status === 201) {
        out.textContent = lang === "nl" ? "Opgeslagen: " : "Saved: ";
        var a = document.createElement("a");
        a.href = "/sources/" + encodeURIComponent(r.data.id) + "?lang=" + encodeURIComponent(lang);
        a.id = "saved-link";
        a.textContent = r.data.id;
        out.appendChild(a);
        return;
      }
      show({ problems: r.data.problems || [{ field: "", message: r.data.detail }] });
    });
  });
  document.getElementById("sign-out").addEventListener("click", function () {
    post("/curate/logout", {}).then(function () { window.location.reload(); });
  });
  addFinding({});
})();

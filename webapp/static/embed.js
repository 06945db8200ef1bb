/*
 * archive-search widget: put the archive's search on any page.
 *
 *   <div data-archive-search data-q="Stalin" data-year="1953">
 *     <a href="https://ARCHIVE-SEARCH-HOST/search?q=Stalin&year=1953">Search the archive for Stalin</a>
 *   </div>
 *   <script src="https://ARCHIVE-SEARCH-HOST/static/embed.js" defer></script>
 *
 * Attributes (all optional): data-q, data-year and data-person (several values separated
 * by "|"), data-from, data-to, data-sort, data-per-page (default 5), data-label, and
 * data-api (the service's address; default: where this script was loaded from).
 * No dependencies. Renders inside a shadow root, so its styles do not leak into the page
 * and the page's do not leak in. Whatever the div holds stays until results arrive.
 */
(function () {
  "use strict";

  var script = document.currentScript;
  var defaultApi = script && script.src ? new URL(script.src).origin : window.location.origin;
  var CSS = [
    ":host { display: block; font: 15px/1.5 system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif; color: #1b1f24; }",
    ".as-box { border: 1px solid #d9d4c7; border-radius: 6px; padding: 0.75rem; background: #fff; }",
    "form { display: flex; flex-wrap: wrap; gap: 0.4rem; align-items: end; }",
    "label { flex-basis: 100%; font-weight: 600; }",
    "input { flex: 1; min-width: 8rem; font: inherit; padding: 0.4rem 0.55rem; border: 1px solid #6b7686; border-radius: 4px; }",
    "button { font: inherit; font-weight: 600; padding: 0.4rem 0.9rem; border: 0; border-radius: 4px; background: #152638; color: #fff; cursor: pointer; }",
    ":focus-visible { outline: 3px solid #f2a900; outline-offset: 2px; }",
    ".as-status { margin: 0.5rem 0 0.25rem; color: #4a5260; font-size: 0.9rem; }",
    "ol { list-style: none; margin: 0; padding: 0; }",
    "li { padding: 0.5rem 0; border-top: 1px solid #e9e5dc; }",
    ".as-date { display: block; font-size: 0.78rem; font-weight: 600; color: #9d2a1b; text-transform: uppercase; letter-spacing: 0.03em; }",
    "a { color: #0a58a8; }",
    ".as-title { font-family: Georgia, 'Times New Roman', serif; font-weight: 700; font-size: 1.02rem; text-decoration: none; }",
    ".as-title:hover { text-decoration: underline; }",
    ".as-summary { margin: 0.15rem 0 0; font-size: 0.9rem; }",
    "mark { background: #ffe58a; color: inherit; }",
    ".as-more { display: inline-block; margin-top: 0.4rem; font-size: 0.9rem; }",
    ".as-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }"
  ].join("\n");

  function styleFor(root) {
    // A constructed stylesheet is not an inline <style>, so a page's strict CSP allows it.
    if ("adoptedStyleSheets" in root && typeof CSSStyleSheet === "function" && "replaceSync" in CSSStyleSheet.prototype) {
      var sheet = new CSSStyleSheet();
      sheet.replaceSync(CSS);
      root.adoptedStyleSheets = [sheet];
    } else {
      var style = document.createElement("style");
      style.textContent = CSS;
      root.appendChild(style);
    }
  }

  function el(tag, attributes, text) {
    var node = document.createElement(tag);
    Object.keys(attributes || {}).forEach(function (name) { node.setAttribute(name, attributes[name]); });
    if (text !== undefined) { node.textContent = text; }
    return node;
  }

  // Highlights come from the service as escaped text with <mark> around the words: rebuild
  // them as nodes, never as HTML, so nothing from the network is ever parsed as markup.
  function highlighted(html) {
    var fragment = document.createDocumentFragment();
    var parts = html.split(/<mark>|<\/mark>/);
    var decoder = document.createElement("textarea");
    parts.forEach(function (part, index) {
      decoder.innerHTML = part;  // a <textarea> decodes entities without parsing tags
      var text = document.createTextNode(decoder.value);
      if (index % 2 === 1) {
        var mark = document.createElement("mark");
        mark.appendChild(text);
        fragment.appendChild(mark);
      } else {
        fragment.appendChild(text);
      }
    });
    return fragment;
  }

  function params(settings, text) {
    var search = new URLSearchParams();
    if (text) { search.set("q", text); }
    Object.keys(settings.facets).forEach(function (name) {
      settings.facets[name].forEach(function (value) { search.append(name, value); });
    });
    ["from", "to", "sort"].forEach(function (name) { if (settings[name]) { search.set(name, settings[name]); } });
    return search;
  }

  var MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
                "September", "October", "November", "December"];

  // The archive's own way of writing a date, at its precision: "January 22, 1950", "February, 1950", "1956".
  function archiveDate(iso, precision) {
    if (!iso) { return "Undated"; }
    var parts = iso.split("-");
    if (precision === "day") { return MONTHS[+parts[1] - 1] + " " + parts[2] + ", " + parts[0]; }
    if (precision === "month") { return MONTHS[+parts[1] - 1] + ", " + parts[0]; }
    return parts[0];
  }

  function listOf(value) {
    return (value || "").split("|").map(function (item) { return item.trim(); }).filter(Boolean);
  }

  // Every other data- attribute narrows by the facet it names (data-year, data-person,
  // data-subject, data-language ...: the service's facet parameters), values split at "|".
  var OPTIONS = ["api", "q", "label", "perPage", "from", "to", "sort"];
  function facetsOf(data) {
    var facets = {};
    Object.keys(data).forEach(function (name) {
      if (OPTIONS.indexOf(name) === -1 && /^[a-z]+$/.test(name)) { facets[name] = listOf(data[name]); }
    });
    return facets;
  }

  function mount(host, number) {
    if (host.shadowRoot) { return; }
    var data = host.dataset;
    var settings = {
      api: (data.api || defaultApi).replace(/\/$/, ""),
      facets: facetsOf(data),
      from: data.from, to: data.to, sort: data.sort,
      perPage: Math.max(1, Math.min(100, parseInt(data.perPage || "5", 10) || 5))
    };
    var root = host.attachShadow({ mode: "open" });
    styleFor(root);
    var box = el("div", { "class": "as-box" });
    var form = el("form", { role: "search" });
    var inputId = "as-q-" + number;
    form.appendChild(el("label", { "for": inputId }, data.label || "Search the Wilson Center Digital Archive"));
    var input = el("input", { id: inputId, type: "search", name: "q", maxlength: "1000" });
    input.value = data.q || "";
    form.appendChild(input);
    form.appendChild(el("button", { type: "submit" }, "Search"));
    var status = el("p", { "class": "as-status", role: "status", "aria-live": "polite" });
    var list = el("ol");
    var more = el("a", { "class": "as-more", target: "_blank", rel: "noopener" });
    box.appendChild(form);
    box.appendChild(status);
    box.appendChild(list);
    box.appendChild(more);
    // The div's own content (a plain link) stays visible until the widget has something to show.
    var slot = el("slot");
    root.appendChild(slot);

    function run() {
      var search = params(settings, input.value.trim());
      search.set("per_page", String(settings.perPage));
      status.textContent = "Searching\u2026";
      fetch(settings.api + "/api/search?" + search.toString(), { headers: { Accept: "application/json" } })
        .then(function (response) {
          return response.json().then(function (body) { return { ok: response.ok, body: body }; });
        })
        .then(function (answer) {
          if (slot.parentNode) { root.replaceChild(box, slot); }
          if (!answer.ok) {
            status.textContent = (answer.body.error && answer.body.error.message) || "The search could not be run.";
            list.textContent = "";
            return;
          }
          render(answer.body, search);
        })
        .catch(function () {
          if (slot.parentNode) { root.replaceChild(box, slot); }
          status.textContent = "The archive's search could not be reached.";
        });
    }

    function render(body, search) {
      var shown = body.results.length;
      status.textContent = body.total === 0 ? "No records found" :
        (shown < body.total ? shown + " of " + body.total + " records" : body.total + (body.total === 1 ? " record" : " records"));
      if (body.suggestion) { status.textContent += " \u00b7 Did you mean " + body.suggestion + "?"; }
      list.textContent = "";
      body.results.forEach(function (hit) {
        var item = el("li");
        item.appendChild(el("span", { "class": "as-date" }, archiveDate(hit.date, hit.date_precision)));
        var link = el("a", { "class": "as-title", href: hit.url, target: "_blank", rel: "noopener" });
        link.appendChild(highlighted(hit.highlights.title));
        link.appendChild(el("span", { "class": "as-hidden" }, " (opens in a new tab)"));
        item.appendChild(link);
        if (hit.summary) {
          var summary = el("p", { "class": "as-summary" });
          summary.appendChild(highlighted(hit.highlights.summary));
          item.appendChild(summary);
        }
        list.appendChild(item);
      });
      search.delete("per_page");
      more.href = settings.api + "/search?" + search.toString();
      more.textContent = body.total > shown ? "See all " + body.total + " records in the archive" : "Open this search in the archive";
    }

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      run();
    });
    run();
  }

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-archive-search]"), mount);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();

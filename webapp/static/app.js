// archive-search: small progressive enhancements. Every page works without this file.
(function () {
  "use strict";

  // On a phone, start with the filters folded so the results come first.
  var panel = document.querySelector(".filters__panel");
  if (panel && window.matchMedia("(max-width: 899px)").matches) {
    panel.open = false;
  }

  // Filter the people list as you type (the form still submits without scripts).
  var filterInput = document.querySelector("[data-filter-list]");
  if (filterInput) {
    var list = document.getElementById(filterInput.getAttribute("data-filter-list"));
    filterInput.addEventListener("input", function () {
      if (!list) { return; }
      var needle = filterInput.value.trim().toLocaleLowerCase();
      Array.prototype.forEach.call(list.children, function (item) {
        var label = item.querySelector(".facet__label");
        var text = label ? label.textContent.toLocaleLowerCase() : "";
        item.hidden = needle !== "" && text.indexOf(needle) === -1 &&
          !item.querySelector(".is-selected");
      });
    });
  }

  // A search too long for a link (the server reads request lines of at most 8,190 bytes)
  // is sent by POST, which gives the same page.
  Array.prototype.forEach.call(document.querySelectorAll("form[data-long-post]"), function (form) {
    form.addEventListener("submit", function () {
      var query = new URLSearchParams(new FormData(form)).toString();
      if ((form.getAttribute("action") || "").length + query.length > 8000) {
        form.method = "post";
      }
    });
  });

  // "Back to search" goes back in history when we came from a search, keeping its state.
  var back = document.querySelector("[data-back]");
  if (back && document.referrer) {
    try {
      var from = new URL(document.referrer);
      if (from.origin === window.location.origin && (from.pathname === "/search" || from.pathname === "/")) {
        back.href = from.pathname + from.search;
        back.addEventListener("click", function (event) {
          event.preventDefault();
          window.history.back();
        });
      }
    } catch (ignored) { /* a referrer we cannot parse: keep the plain link */ }
  }
})();

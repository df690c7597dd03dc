// Behaviour that pages once carried in inline attributes, which the
// Content-Security-Policy refuses: it lives here and acts on data-* attributes,
// also on content that htmx swaps in later.
(function () {
  "use strict";

  // Progress bars: <div class="progress-bar" data-progress="40">.
  function drawProgress(root) {
    root.querySelectorAll("[data-progress]").forEach(function (bar) {
      bar.style.width = Math.max(0, Math.min(100, Number(bar.dataset.progress) || 0)) + "%";
    });
  }
  document.addEventListener("DOMContentLoaded", function () { drawProgress(document); });
  document.addEventListener("htmx:load", function (event) { drawProgress(event.target); });

  // Destructive and bulk actions ask first: <form data-confirm="确定撤销……？">.
  document.addEventListener("submit", function (event) {
    var form = event.target.closest("form[data-confirm]");
    if (form && !window.confirm(form.dataset.confirm)) event.preventDefault();
  });

  // Ledger progress: 更正 fills the "corrects" field and moves to the text box.
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-correct]");
    if (!button) return;
    var corrects = document.getElementById("id_corrects");
    var text = document.getElementById("id_text");
    if (corrects) corrects.value = button.dataset.correct;
    if (text) text.focus();
  });

  // Type-ahead pickers: <select data-picker="/pick/regions/?level=village"> holds only the
  // chosen option(s); Tom Select asks the endpoint (?q=) for the others. The server
  // matches (pinyin initials, whole ID numbers), so the browser filters nothing out.
  function wirePickers(root) {
    if (typeof window.TomSelect !== "function") return;
    root.querySelectorAll("select[data-picker]").forEach(function (select) {
      if (select.tomselect) return;
      var endpoint = select.dataset.picker;
      new window.TomSelect(select, {
        valueField: "id",
        labelField: "text",
        searchField: [],
        maxOptions: 20,
        loadThrottle: 250,
        placeholder: select.dataset.placeholder || "",
        plugins: select.multiple ? ["remove_button"] : [],
        score: function () { return function () { return 1; }; },
        shouldLoad: function (query) { return query.trim().length > 0; },
        load: function (query, callback) {
          var picker = this;
          var url = endpoint + (endpoint.indexOf("?") < 0 ? "?" : "&") + "q=" + encodeURIComponent(query);
          fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
            .then(function (response) { return response.ok ? response.json() : { results: [] }; })
            .then(function (data) {
              picker.clearOptions(); // earlier answers would otherwise stay on the list
              callback(data.results);
            })
            .catch(function () { callback(); });
        },
        render: {
          no_results: function () { return '<div class="no-results">无匹配结果</div>'; },
          loading: function () { return '<div class="spinner-border spinner-border-sm m-2" role="status"></div>'; }
        }
      });
    });
  }
  document.addEventListener("DOMContentLoaded", function () { wirePickers(document); });
  document.addEventListener("htmx:load", function (event) { wirePickers(event.target); });
})();

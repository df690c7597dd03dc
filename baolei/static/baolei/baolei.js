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
})();

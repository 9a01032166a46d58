/* Behaviour the templates declare with data attributes (the Content-Security-Policy allows no inline script
   and no on… handlers):
   <select data-autosubmit>                 submits its form when changed;
   <select data-autosubmit data-clears="x"> first empties the form's field x (a period that no longer fits);
   <div class="chart" data-height="360">    gets that height in pixels (data-min-height: at least that). */
(function () {
  "use strict";
  document.addEventListener("change", function (event) {
    var el = event.target;
    if (!el.matches || !el.matches("[data-autosubmit]") || !el.form) return;
    if (el.dataset.clears && el.form.elements[el.dataset.clears]) el.form.elements[el.dataset.clears].value = "";
    el.form.submit();
  });
  function size(root) {
    (root || document).querySelectorAll("[data-height]").forEach(function (el) {
      var h = Math.max(Number(el.dataset.height), Number(el.dataset.minHeight || 0));
      el.style.height = h + "px";  // through the CSSOM, which the policy allows
    });
  }
  size();  // loaded at the end of <body>, before the pages' chart scripts: charts start at their height
  document.addEventListener("htmx:afterSwap", function (event) { size(event.target); });
})();

// Proposal form: filter the long list of partner organisations by name (own ones stay).
(function () {
  "use strict";
  var input = document.querySelector("[data-organiser-filter]");
  if (!input) return;
  input.hidden = false;
  var rows = Array.prototype.slice.call(document.querySelectorAll("[data-organiser]"));
  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }
  function filter() {
    var typed = fold(input.value.trim());
    rows.forEach(function (row) {
      var box = row.querySelector("input");
      var shown = !typed || row.hasAttribute("data-own") || (box && box.checked) ||
        fold(row.textContent).indexOf(typed) !== -1;
      row.hidden = !shown;
    });
  }
  input.addEventListener("input", filter);
})();

// Staff lists: a checkbox choosing every row of the page, and how many rows are chosen.
(function () {
  "use strict";
  document.querySelectorAll(".select-all").forEach(function (all) {
    var formId = all.dataset.bulkForm;
    var rows = document.querySelectorAll("input.select-row[form='" + formId + "']");
    var counter = document.querySelector("[data-selected-count='" + formId + "']");
    function refresh() {
      var chosen = 0;
      rows.forEach(function (row) { if (row.checked) { chosen += 1; } });
      all.checked = rows.length > 0 && chosen === rows.length;
      all.indeterminate = chosen > 0 && chosen < rows.length;
      if (counter) { counter.textContent = counter.dataset.template.replace("%s", chosen); }
    }
    all.hidden = false;
    all.addEventListener("change", function () {
      rows.forEach(function (row) { row.checked = all.checked; });
      refresh();
    });
    rows.forEach(function (row) { row.addEventListener("change", refresh); });
    refresh();
  });
})();

// Drag a stop to another day of the month calendar: posts the same form as the date field.
(function () {
  "use strict";
  var table = document.getElementById("calendar");
  if (!table) { return; }
  var dragged = null;
  table.addEventListener("dragstart", function (event) {
    dragged = event.target.closest(".calendar-stop");
    if (dragged) { event.dataTransfer.setData("text/plain", dragged.dataset.stopId); }
  });
  table.addEventListener("dragover", function (event) {
    if (dragged && event.target.closest("td[data-day]")) { event.preventDefault(); }
  });
  table.addEventListener("drop", function (event) {
    var cell = event.target.closest("td[data-day]");
    if (!dragged || !cell) { return; }
    event.preventDefault();
    var form = dragged.querySelector("form.move-form");
    form.querySelector("input[name=day]").value = cell.dataset.day;
    dragged = null;
    form.submit();
  });
})();

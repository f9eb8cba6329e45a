// "Add another" rows (contacts, availability windows): the buttons work without JavaScript
// (the server sends the page back with the row added or removed); here they act in place.
(function () {
  "use strict";

  function renumber(list) {
    var rows = list.querySelectorAll("[data-row]");
    rows.forEach(function (row, position) {
      var legend = row.querySelector("[data-row-number]");
      if (legend) legend.textContent = legend.textContent.replace(/\d+\s*$/, String(position + 1));
    });
  }

  function changed(form) {
    // The application form saves the draft on "input" events.
    form.dispatchEvent(new Event("input", { bubbles: true }));
  }

  document.querySelectorAll("[data-rows]").forEach(function (list) {
    var name = list.dataset.rows;
    var form = list.closest("form");
    var pattern = new RegExp("^" + name + "-(\\d+)-");

    function nextIndex() {
      var highest = -1;
      list.querySelectorAll("[name]").forEach(function (input) {
        var match = pattern.exec(input.name);
        if (match) highest = Math.max(highest, Number(match[1]));
      });
      return highest + 1;
    }

    list.addEventListener("click", function (event) {
      var button = event.target.closest("button");
      if (!button || !list.contains(button)) return;
      if (button.hasAttribute("data-add-row")) {
        event.preventDefault();
        var rows = list.querySelectorAll("[data-row]");
        var last = rows[rows.length - 1];
        var row = last.cloneNode(true);
        var index = nextIndex();
        var old = new RegExp(name + "-\\d+(?=-|$)", "g");
        row.querySelectorAll("*").forEach(function (element) {
          ["name", "id", "for", "aria-describedby", "value"].forEach(function (attribute) {
            if (element.hasAttribute(attribute) && !(attribute === "value" && element.tagName === "INPUT")) {
              element.setAttribute(attribute, element.getAttribute(attribute).replace(old, name + "-" + index));
            }
          });
          if (element.tagName === "INPUT") element.value = "";
          if (element.classList.contains("error")) element.remove();
          element.classList.remove("has-error");
          if (element.getAttribute("aria-invalid") === "true") element.setAttribute("aria-invalid", "false");
        });
        last.after(row);
        renumber(list);
        var first = row.querySelector("input");
        if (first) first.focus();
        changed(form);
      } else if (button.hasAttribute("data-remove-row")) {
        event.preventDefault();
        var row = button.closest("[data-row]");
        if (list.querySelectorAll("[data-row]").length > 1) {
          row.remove();
          renumber(list);
          var focus = list.querySelector("[data-add-row]") || list.querySelector("input");
          if (focus) focus.focus();
        } else {
          row.querySelectorAll("input").forEach(function (input) { input.value = ""; });
        }
        changed(form);
      }
    });
  });
})();

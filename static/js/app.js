// Every page: the menu that folds on phones, confirmations, copy buttons, error summaries.
(function () {
  "use strict";

  // The menu: shown as is without JavaScript; folded behind a button on narrow screens.
  var toggle = document.querySelector(".menu-toggle");
  var menus = document.getElementById("site-menus");
  if (toggle && menus) {
    document.documentElement.classList.add("js-menu");
    toggle.hidden = false;
    toggle.addEventListener("click", function () {
      var open = toggle.getAttribute("aria-expanded") !== "true";
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
      menus.classList.toggle("open", open);
    });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && menus.classList.contains("open")) {
        toggle.setAttribute("aria-expanded", "false");
        menus.classList.remove("open");
        toggle.focus();
      }
    });
  }

  // Forms marked data-confirm ask first, in a native dialog (the server acts only on POST).
  var dialog = null;
  function confirmDialog(message, accept, cancel, onYes) {
    if (!dialog) {
      dialog = document.createElement("dialog");
      dialog.className = "confirm-dialog";
      dialog.setAttribute("aria-labelledby", "confirm-dialog-text");
      dialog.innerHTML = '<article><p id="confirm-dialog-text"></p><footer>' +
        '<button type="button" class="button secondary" value="no"></button> ' +
        '<button type="button" class="button" value="yes"></button></footer></article>';
      document.body.appendChild(dialog);
    }
    dialog.querySelector("p").textContent = message;
    var no = dialog.querySelector("button[value=no]");
    var yes = dialog.querySelector("button[value=yes]");
    no.textContent = cancel;
    yes.textContent = accept;
    no.onclick = function () { dialog.close(); };
    yes.onclick = function () { dialog.close(); onYes(); };
    dialog.showModal();
    no.focus();
  }
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.dataset || !form.dataset.confirm || form.dataset.confirmed) { return; }
    event.preventDefault();
    var submitter = event.submitter;
    confirmDialog(form.dataset.confirm, form.dataset.confirmYes || "OK",
      form.dataset.confirmNo || "Cancel", function () {
        form.dataset.confirmed = "1";
        if (form.requestSubmit) { form.requestSubmit(submitter || undefined); } else { form.submit(); }
      });
  });

  // A copy button beside every address worth pasting elsewhere (feeds).
  document.querySelectorAll("[data-copy]").forEach(function (button) {
    var target = document.getElementById(button.dataset.copy);
    if (!target || !navigator.clipboard) { return; }
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(target.value || target.textContent).then(function () {
        var label = button.textContent;
        button.textContent = button.dataset.copied || label;
        setTimeout(function () { button.textContent = label; }, 2000);
      });
    });
  });

  // A table wider than the screen scrolls in its own box: let the keyboard reach it too.
  function focusableScrollers() {
    document.querySelectorAll("main table, .table-scroll").forEach(function (box) {
      if (box.scrollWidth > box.clientWidth + 1) {
        if (!box.hasAttribute("tabindex")) { box.setAttribute("tabindex", "0"); }
      } else if (box.getAttribute("tabindex") === "0") {
        box.removeAttribute("tabindex");
      }
    });
  }
  focusableScrollers();
  window.addEventListener("resize", focusableScrollers);

  // A form sent back with errors: its summary takes the focus, so it is read first.
  var summary = document.querySelector(".error-summary");
  if (summary) { summary.focus(); }
})();

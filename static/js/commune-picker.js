// Host commune: a search over /api/communes; choosing one fills its official name and INSEE
// code. Without JavaScript the name (one exact match) or the INSEE code field does the same.
(function () {
  "use strict";

  document.querySelectorAll("[data-commune-picker]").forEach(function (picker) {
    var labels = picker.dataset;
    var name = picker.querySelector("input[name$=commune_name], input[name=city]");
    var code = picker.querySelector("input[name$=commune_insee]");
    if (!name || !code) return;
    var codeField = picker.querySelector("[data-commune-code-field]");
    if (codeField && !codeField.querySelector(".error")) codeField.hidden = true;
    var results = document.createElement("ul");
    results.id = name.id + "-results";
    results.className = "search-results";
    results.setAttribute("aria-live", "polite");
    name.setAttribute("aria-controls", results.id);
    name.setAttribute("autocomplete", "off");
    name.after(results);
    var chosen = document.createElement("p");
    chosen.className = "hint";
    chosen.id = name.id + "-chosen";
    results.after(chosen);
    var timer = null;

    name.addEventListener("input", function () {
      code.value = "";
      chosen.textContent = "";
      clearTimeout(timer);
      var text = name.value.trim();
      if (text.length < 2) {
        results.textContent = "";
        return;
      }
      timer = setTimeout(function () {
        fetch(labels.communeUrl + "?q=" + encodeURIComponent(text), { credentials: "same-origin" })
          .then(function (response) { return response.ok ? response.json() : []; })
          .then(function (communes) {
            results.textContent = "";
            if (!communes.length) {
              var none = document.createElement("li");
              none.textContent = labels.labelNone;
              results.appendChild(none);
              return;
            }
            communes.forEach(function (commune) {
              var item = document.createElement("li");
              var button = document.createElement("button");
              button.type = "button";
              button.className = "link-button";
              button.dataset.insee = commune.insee_code;
              button.textContent = commune.name + " (" + commune.departement_code + ")";
              button.addEventListener("click", function () {
                name.value = commune.name;
                code.value = commune.insee_code;
                chosen.textContent = labels.labelChosen + " " + button.textContent;
                results.textContent = "";
                name.focus();
              });
              item.appendChild(button);
              results.appendChild(item);
            });
          });
      }, 200);
    });
  });
})();

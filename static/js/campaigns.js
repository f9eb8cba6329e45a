// Application form: saves the draft as the contact types, searches territories and communes.
// Progressive enhancement: without JavaScript the "Save the draft" button does the same.
(function () {
  "use strict";

  var form = document.getElementById("application-form");
  if (!form) return;
  var status = document.getElementById("save-status");
  var labels = form.dataset;
  var timer = null;
  var dirty = false;
  var saving = false;

  function formWithoutFiles() {
    var data = new FormData(form);
    var clean = new FormData();
    data.forEach(function (value, key) {
      if (typeof value === "string") clean.append(key, value);
    });
    return clean;
  }

  function save() {
    if (saving) {
      schedule();
      return;
    }
    saving = true;
    dirty = false;
    status.textContent = labels.labelSaving;
    fetch(labels.autosaveUrl, {
      method: "POST",
      body: formWithoutFiles(),
      credentials: "same-origin",
      headers: { Accept: "application/json" },
    })
      .then(function (response) {
        return response.json().then(function (body) {
          status.textContent = response.ok ? body.message : body.error || labels.labelFailed;
          if (!response.ok) dirty = true;
        });
      })
      .catch(function () {
        dirty = true;
        status.textContent = labels.labelFailed;
      })
      .finally(function () {
        saving = false;
      });
  }

  function schedule() {
    dirty = true;
    clearTimeout(timer);
    timer = setTimeout(save, 1500);
  }

  form.addEventListener("input", function (event) {
    if (event.target.type !== "file") schedule();
  });
  form.addEventListener("change", function (event) {
    if (event.target.type !== "file") schedule();
  });
  form.addEventListener("submit", function () {
    clearTimeout(timer);
    dirty = false;
  });
  window.addEventListener("beforeunload", function (event) {
    if (dirty) {
      event.preventDefault();
      event.returnValue = "";
    }
  });

  // Territory search: a box over /api/territories that picks an option of the select.
  var select = form.querySelector("[data-territory-picker] select");
  if (select) {
    var box = document.createElement("input");
    box.type = "search";
    box.id = "territory-search";
    box.setAttribute("autocomplete", "off");
    box.setAttribute("aria-controls", "territory-results");
    var boxLabel = document.createElement("label");
    boxLabel.htmlFor = box.id;
    boxLabel.textContent = labels.labelSearch;
    var results = document.createElement("ul");
    results.id = "territory-results";
    results.setAttribute("aria-live", "polite");
    results.className = "search-results";
    select.parentNode.insertBefore(boxLabel, select);
    select.parentNode.insertBefore(box, select);
    select.parentNode.insertBefore(results, select);
    var searchTimer = null;
    box.addEventListener("input", function () {
      clearTimeout(searchTimer);
      var text = box.value.trim();
      if (text.length < 2) {
        results.textContent = "";
        return;
      }
      searchTimer = setTimeout(function () {
        fetch(labels.territoryUrl + "?q=" + encodeURIComponent(text), { credentials: "same-origin" })
          .then(function (response) { return response.ok ? response.json() : []; })
          .then(function (territories) {
            results.textContent = "";
            territories.forEach(function (territory) {
              var option = select.querySelector('option[value="' + territory.id + '"]');
              if (!option) return;  // Not eligible for this call.
              var item = document.createElement("li");
              var button = document.createElement("button");
              button.type = "button";
              button.className = "link-button";
              button.textContent = option.textContent;
              button.addEventListener("click", function () {
                select.value = String(territory.id);
                results.textContent = "";
                box.value = "";
                schedule();
              });
              item.appendChild(button);
              results.appendChild(item);
            });
          });
      }, 250);
    });
  }

  // Host city: suggestions from /api/communes; the INSEE code goes in a hidden field.
  var city = form.querySelector("[data-commune-picker] input");
  var insee = form.querySelector("input[name=host_city_insee]");
  if (city && insee) {
    var list = document.createElement("datalist");
    list.id = "commune-suggestions";
    city.setAttribute("list", list.id);
    city.setAttribute("autocomplete", "off");
    city.parentNode.appendChild(list);
    var codes = {};
    var cityTimer = null;
    city.addEventListener("input", function () {
      insee.value = codes[city.value] || "";
      clearTimeout(cityTimer);
      var text = city.value.trim();
      if (text.length < 2 || codes[city.value]) return;
      cityTimer = setTimeout(function () {
        fetch(labels.communeUrl + "?q=" + encodeURIComponent(text), { credentials: "same-origin" })
          .then(function (response) { return response.ok ? response.json() : []; })
          .then(function (communes) {
            list.textContent = "";
            communes.forEach(function (commune) {
              var label = commune.name + " (" + commune.departement_code + ")";
              codes[label] = commune.insee_code;
              var option = document.createElement("option");
              option.value = label;
              list.appendChild(option);
            });
          });
      }, 250);
    });
  }

  var summary = document.getElementById("error-summary");
  if (summary) summary.focus();
})();

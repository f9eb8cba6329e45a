// EPCI picker for the territory form: a search box over /api/epcis and ticked checkboxes.
// Progressive enhancement: the textarea of SIRENs stays the field the form sends; this
// script hides it and keeps it filled from the ticked boxes.
(function () {
  "use strict";

  function element(tag, attributes, text) {
    var node = document.createElement(tag);
    Object.keys(attributes || {}).forEach(function (name) {
      node.setAttribute(name, attributes[name]);
    });
    if (text) node.textContent = text;
    return node;
  }

  function setUp(picker) {
    var textarea = picker.querySelector("textarea");
    if (!textarea) return;
    var labels = picker.dataset;
    var names = {};
    picker.querySelectorAll("[data-epci-names] li").forEach(function (item) {
      names[item.dataset.siren] = item.dataset.name;
    });
    var namesList = picker.querySelector("[data-epci-names]");
    if (namesList) namesList.hidden = true;

    var selected = element("fieldset", { "class": "epci-selected" });
    selected.appendChild(element("legend", {}, labels.labelSelected));
    var selectedList = element("div");
    selected.appendChild(selectedList);

    var searchId = textarea.id + "-search";
    var resultsId = textarea.id + "-results";
    var search = element("input", {
      type: "text", id: searchId, autocomplete: "off", "aria-controls": resultsId,
    });
    var searchLabel = element("label", { "for": searchId }, labels.labelSearch);
    var results = element("ul", { id: resultsId, "aria-live": "polite", "aria-label": labels.labelResults });

    function tickedSirens() {
      return Array.prototype.map.call(
        selectedList.querySelectorAll("input:checked"), function (box) { return box.value; }
      );
    }

    function sync() {
      textarea.value = tickedSirens().join("\n");
    }

    function addChoice(siren, name) {
      var existing = selectedList.querySelector('input[value="' + CSS.escape(siren) + '"]');
      if (existing) {
        existing.checked = true;
        return;
      }
      var label = element("label", { "class": "choice" });
      var box = element("input", { type: "checkbox", value: siren });
      box.checked = true;
      box.addEventListener("change", sync);
      label.appendChild(box);
      label.appendChild(document.createTextNode(" " + (name ? name + " (" + siren + ")" : siren)));
      selectedList.appendChild(label);
    }

    textarea.value.split(/[\n,;]+/).forEach(function (line) {
      var entry = line.trim();
      if (!entry) return;
      var siren = (entry.match(/^[\d .]+/) || [entry])[0].replace(/[ .]/g, "") || entry;
      addChoice(siren, names[siren]);
    });

    function showResults(epcis) {
      results.textContent = "";
      if (!epcis.length) {
        results.appendChild(element("li", {}, labels.labelNone));
        return;
      }
      epcis.forEach(function (epci) {
        var item = element("li");
        var button = element("button", { type: "button", "class": "link-button" }, labels.labelAdd);
        button.addEventListener("click", function () {
          addChoice(epci.siren, epci.name);
          sync();
        });
        item.appendChild(document.createTextNode(epci.name + " (" + epci.siren + ") "));
        item.appendChild(button);
        results.appendChild(item);
      });
    }

    var timer = null;
    var pending = null;
    search.addEventListener("input", function () {
      clearTimeout(timer);
      var query = search.value.trim();
      if (query.length < 2) {
        results.textContent = "";
        return;
      }
      timer = setTimeout(function () {
        if (pending) pending.abort();
        pending = new AbortController();
        var url = labels.searchUrl + "?q=" + encodeURIComponent(query);
        fetch(url, { headers: { Accept: "application/json" }, signal: pending.signal })
          .then(function (response) { return response.ok ? response.json() : []; })
          .then(showResults)
          .catch(function () { /* a newer search replaced this one */ });
      }, 250);
    });
    // Enter in the search box searches; it must not send the whole form.
    search.addEventListener("keydown", function (event) {
      if (event.key === "Enter") event.preventDefault();
    });

    textarea.hidden = true;
    var hint = document.getElementById(textarea.id + "-hint");
    if (hint) hint.hidden = true;
    textarea.insertAdjacentElement("afterend", selected);
    selected.insertAdjacentElement("afterend", results);
    selected.insertAdjacentElement("afterend", search);
    selected.insertAdjacentElement("afterend", searchLabel);
  }

  document.querySelectorAll("[data-epci-picker]").forEach(setUp);
})();

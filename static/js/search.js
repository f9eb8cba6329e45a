// The staff's global search answers as they type: the results part of the page, fetched
// a moment after the last key (the form works the same without JavaScript).
(function () {
  "use strict";
  var input = document.getElementById("global-search-q");
  var results = document.getElementById("search-results");
  if (!input || !results || !window.fetch) { return; }
  var timer = null;
  var last = input.value;
  var controller = null;
  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(function () {
      var text = input.value.trim();
      if (text === last) { return; }
      last = text;
      if (controller) { controller.abort(); }
      controller = window.AbortController ? new AbortController() : null;
      var url = input.dataset.fragmentUrl + "&q=" + encodeURIComponent(text);
      fetch(url, { credentials: "same-origin", signal: controller ? controller.signal : undefined })
        .then(function (response) { return response.ok ? response.text() : null; })
        .then(function (html) {
          if (html === null) { return; }
          results.innerHTML = html;
          var address = new URL(window.location.href);
          address.searchParams.set("q", text);
          window.history.replaceState(null, "", address.toString());
        })
        .catch(function () { /* aborted by a newer search, or offline: the button still works */ });
    }, 250);
  });
})();

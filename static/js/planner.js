// The planner screen: while a computation runs (outside the web request), poll its JSON
// for the progress and the best plan so far; reload once it is done, so the proposal
// appears. A reload during the computation simply resumes the polling. Also a box that
// ticks or unticks every proposed change.
(function () {
  "use strict";
  var run = document.getElementById("run");
  if (run && run.dataset.active === "yes") {
    var label = document.getElementById("run-label");
    var bar = document.getElementById("run-progress");
    var best = document.getElementById("run-best");

    var show = function (state) {
      label.textContent = state.label;
      bar.value = state.progress;
      bar.textContent = state.progress + " %";
      if (!state.best) { return; }
      var summary = document.createElement("p");
      summary.textContent = state.best.summary;
      var list = document.createElement("ol");
      list.className = "planner-best";
      state.best.stops.forEach(function (stop) {
        var item = document.createElement("li");
        item.dataset.stopId = stop.id;
        item.textContent = stop.day + " · " + stop.title;
        list.appendChild(item);
      });
      best.replaceChildren(summary, list);
    };

    var poll = function () {
      fetch(run.dataset.runUrl, { headers: { Accept: "application/json" }, credentials: "same-origin" })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (state) {
          if (!state) { window.setTimeout(poll, 5000); return; }
          show(state);
          if (state.status === "done" || state.status === "failed" || state.is_stale) {
            if (state.status === "done") { label.textContent = run.dataset.doneText; }
            window.location.reload();
            return;
          }
          window.setTimeout(poll, 1500);
        })
        .catch(function () { window.setTimeout(poll, 5000); });
    };
    window.setTimeout(poll, 1000);
  }

  var all = document.getElementById("accept-all");
  if (all) {
    var boxes = document.querySelectorAll("#comparison input[name=stop]");
    all.checked = boxes.length > 0;
    all.addEventListener("change", function () {
      boxes.forEach(function (box) { box.checked = all.checked; });
    });
  }
})();

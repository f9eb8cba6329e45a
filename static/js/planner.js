// The planner screen: a "working…" indicator while the solver runs (the request waits up
// to the time limit), and a box that ticks or unticks every proposed change.
(function () {
  "use strict";
  var form = document.querySelector("[data-planner-propose]");
  if (form) {
    form.addEventListener("submit", function () {
      var box = document.getElementById("planner-working");
      var text = box.querySelector("[data-working-text]");
      var bar = box.querySelector("progress");
      var limit = parseInt(form.querySelector("[name=time_limit]").value, 10) || 10;
      var started = Date.now();
      form.querySelector("button[type=submit]").disabled = true;
      box.hidden = false;
      window.setInterval(function () {
        var seconds = Math.round((Date.now() - started) / 1000);
        bar.value = Math.min(100, (100 * seconds) / limit);
        text.textContent = text.dataset.workingText
          .replace("{seconds}", seconds)
          .replace("{limit}", limit);
      }, 500);
    });
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

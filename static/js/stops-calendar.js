// The planning calendar (FullCalendar, vendored): month, week and list views, French
// locale. Dropping a stop on another day posts the same move form as its date field
// (same endpoint, CSRF token and warnings, shown after the page reloads).
(function () {
  "use strict";
  var root = document.getElementById("calendar");
  var data = document.getElementById("calendar-events");
  if (!root || !data || !window.FullCalendar) { return; }
  var events = JSON.parse(data.textContent);

  function post(url, fields) {
    var form = document.createElement("form");
    form.method = "post";
    form.action = url;
    Object.keys(fields).forEach(function (name) {
      var input = document.createElement("input");
      input.type = "hidden";
      input.name = name;
      input.value = fields[name];
      form.appendChild(input);
    });
    document.body.appendChild(form);
    form.submit();
  }

  function nextUrl(calendar) {
    var day = calendar.getDate();
    var month = day.getUTCFullYear() + "-" + String(day.getUTCMonth() + 1).padStart(2, "0");
    return root.dataset.next + "?mois=" + month + "&vue=" + calendar.view.type;
  }

  var params = new URLSearchParams(window.location.search);
  var views = ["dayGridMonth", "timeGridWeek", "listMonth"];
  var calendar = new FullCalendar.Calendar(root, {
    locale: root.dataset.locale === "fr" ? "fr" : "en-gb",
    // Events carry Paris wall-clock times without offset: "UTC" shows them as they are.
    timeZone: "UTC",
    initialDate: root.dataset.initialDate,
    // On a phone the month grid is cramped: the list reads better until asked otherwise.
    initialView: views.indexOf(params.get("vue")) >= 0 ? params.get("vue")
      : (window.innerWidth < 600 ? "listMonth" : "dayGridMonth"),
    eventTimeFormat: { hour: "numeric", minute: "2-digit", omitZeroMinute: true },
    headerToolbar: { left: "prev,next today", center: "title", right: "dayGridMonth,timeGridWeek,listMonth" },
    height: "auto",
    firstDay: 1,
    editable: true,
    eventDisplay: "block",
    eventDurationEditable: false,
    slotMinTime: "07:00:00",
    slotMaxTime: "21:00:00",
    events: events,
    eventDidMount: function (info) {
      var props = info.event.extendedProps;
      info.el.dataset.stopId = info.event.id;
      var label = info.event.title + " · " + props.status;
      if (props.warnings.length) {
        label += " · " + root.dataset.warningsLabel + " : " + props.warnings.join(" ; ");
        var flag = document.createElement("span");
        flag.className = "event-warning";
        flag.textContent = "⚠ " + props.warnings.length;
        var title = info.el.querySelector(".fc-event-title, .fc-list-event-title a") || info.el;
        title.appendChild(flag);
      }
      info.el.title = label;
      info.el.setAttribute("aria-label", label);
    },
    eventDrop: function (info) {
      post(info.event.extendedProps.moveUrl, {
        csrf_token: root.dataset.csrf,
        day: info.event.startStr.slice(0, 10),
        next: nextUrl(calendar)
      });
    }
  });
  // The arrows' icons are decoration: their buttons already carry a title.
  function hideIcons() {
    root.querySelectorAll(".fc-icon").forEach(function (icon) {
      icon.setAttribute("aria-hidden", "true");
      icon.removeAttribute("role");
    });
  }
  calendar.on("datesSet", hideIcons);
  calendar.render();
  hideIcons();
  root.classList.add("is-ready");
})();

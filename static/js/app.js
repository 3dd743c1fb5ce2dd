// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";

  // Registration: preselect the browser's time zone.
  var tz = document.querySelector('select[name="timezone"]');
  if (tz && tz.value === "UTC") {
    try {
      var zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
      if (zone && tz.querySelector('option[value="' + zone + '"]')) tz.value = zone;
    } catch (e) { /* keep UTC */ }
  }

  // Quiz timer: a live countdown next to the deadline the server enforces.
  var timer = document.querySelector(".timer[data-deadline]");
  if (timer) {
    var deadline = Date.parse(timer.getAttribute("data-deadline"));
    var out = timer.querySelector(".countdown");
    var tick = function () {
      var left = Math.max(0, Math.round((deadline - Date.now()) / 1000));
      var m = Math.floor(left / 60), s = left % 60;
      out.textContent = " · " + m + ":" + (s < 10 ? "0" : "") + s + " left";
      if (left === 0) { window.location.reload(); return; }
      window.setTimeout(tick, 1000);
    };
    tick();
  }
})();

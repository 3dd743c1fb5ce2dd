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

  // Quiz timer: a live countdown next to the deadline the server enforces. At 0:00 it posts
  // the answer on the page (the server accepts it within a short grace period), so an
  // answer typed but not yet saved is not lost.
  var timer = document.querySelector(".timer[data-deadline]");
  if (timer) {
    var deadline = Date.parse(timer.getAttribute("data-deadline"));
    var serverNow = Date.parse(timer.getAttribute("data-now") || "");
    var skew = isNaN(serverNow) ? 0 : serverNow - Date.now(); // the server's clock rules
    var out = timer.querySelector(".countdown");
    var form = document.getElementById("question-form");
    var sent = false;
    var timeUp = function () {
      if (sent) return;
      sent = true;
      if (!form) { window.location.reload(); return; }
      var action = document.createElement("input");
      action.type = "hidden";
      action.name = "action";
      action.value = "timeout";
      form.appendChild(action);
      // submit() sends no submit button, so "action" is the hidden field alone.
      HTMLFormElement.prototype.submit.call(form);
    };
    var tick = function () {
      var left = Math.max(0, Math.ceil((deadline - (Date.now() + skew)) / 1000));
      var m = Math.floor(left / 60), s = left % 60;
      out.textContent = " · " + m + ":" + (s < 10 ? "0" : "") + s + " left";
      if (left === 0) { timeUp(); return; }
      window.setTimeout(tick, Math.min(1000, Math.max(50, deadline - (Date.now() + skew) - (left - 1) * 1000)));
    };
    tick();
  }
})();

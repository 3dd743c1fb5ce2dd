// Flashcard keys: Space/Enter shows the answer, 1-4 rate, u undoes. The pages work without it.
(function () {
  "use strict";
  var busy = false;
  function typing(target) {
    return target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));
  }
  // "All done" while a learning card is coming back: reload when it can be shown.
  var done = document.querySelector("[data-refresh-in]");
  if (done) {
    var seconds = parseInt(done.getAttribute("data-refresh-in"), 10);
    if (seconds > 0 && seconds < 86400) {
      window.setTimeout(function () { window.location.reload(); }, seconds * 1000);
    }
  }
  var answer = document.getElementById("answer");
  if (answer) answer.focus({ preventScroll: true });
  document.addEventListener("keydown", function (event) {
    if (busy || event.altKey || event.ctrlKey || event.metaKey || typing(event.target)) return;
    var show = document.getElementById("show-answer");
    var rate = document.getElementById("rate-form");
    var undo = document.getElementById("undo-form");
    if ((event.key === " " || event.key === "Enter") && show) {
      if (event.key === "Enter" && event.target && event.target.tagName === "BUTTON") return;
      event.preventDefault();
      busy = true;
      window.location.href = show.href;
    } else if (rate && /^[1-4]$/.test(event.key)) {
      var button = rate.querySelector('button[data-key="' + event.key + '"]');
      if (button) {
        event.preventDefault();
        busy = true;
        rate.requestSubmit(button);
      }
    } else if ((event.key === "u" || event.key === "U") && undo) {
      event.preventDefault();
      busy = true;
      undo.requestSubmit();
    }
  });
})();

// Sends the browser's time zone once, for an account whose zone nobody chose yet (made on
// the command line, or before zones were asked). The server checks the name against zoneinfo
// and takes it only while the account has no zone set; the settings page changes it later.
(function () {
  "use strict";
  var me = document.currentScript;
  if (!me || !window.fetch || !window.Intl) return;
  var zone;
  try { zone = Intl.DateTimeFormat().resolvedOptions().timeZone; } catch (e) { return; }
  if (!zone) return;
  var body = new FormData();
  body.append("timezone", zone);
  body.append("csrf_token", me.getAttribute("data-csrf"));
  window.fetch(me.getAttribute("data-url"), {
    method: "POST", body: body, credentials: "same-origin", headers: { "X-CSRFToken": me.getAttribute("data-csrf") }
  }).then(function (response) {
    // Times on this page were written in the old zone: show them in the new one.
    if (response.status === 204 && document.querySelector("time[datetime]")) window.location.reload();
  }).catch(function () { /* tried again on the next page */ });
})();

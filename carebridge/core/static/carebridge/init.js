// Progressive enhancement only: every page works without JavaScript.
import { initAll } from "/assets/govuk/govuk-frontend.min.js";
initAll();

// Warn before the session times out, and offer to stay signed in. Forms posted after a
// time-out are kept anyway (see ADR 0005); this saves a sign-in.
const meta = document.querySelector('meta[name="cb-session-idle-seconds"]');
if (meta) {
  const idle = Number(meta.content);
  const warnAt = Math.max(idle - 120, 30) * 1000;
  let timer = setTimeout(warn, warnAt);
  function warn() {
    if (document.getElementById("cb-timeout-warning")) return;
    const div = document.createElement("div");
    div.id = "cb-timeout-warning";
    div.className = "govuk-notification-banner";
    div.setAttribute("role", "alert");
    div.innerHTML = '<div class="govuk-notification-banner__content"><p class="govuk-notification-banner__heading">' +
      "You will be signed out in 2 minutes because you have been inactive. Anything you have typed will be kept.</p>" +
      '<button type="button" class="govuk-button govuk-!-margin-bottom-0" id="cb-stay">Stay signed in</button></div>';
    document.querySelector("main").prepend(div);
    document.getElementById("cb-stay").addEventListener("click", async () => {
      await fetch("/session/keep-alive/", { credentials: "same-origin" });
      div.remove();
      clearTimeout(timer);
      timer = setTimeout(warn, warnAt);
    });
  }
}

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

// Drafts save as the worker types (forms marked data-cb-autosave). Without JavaScript the same
// form saves on every "Save and continue". The server refuses a save over someone else's newer
// version (409) and the worker is told; after a time-out the server keeps the post (ADR 0005)
// and the worker is asked to sign in again.
for (const form of document.querySelectorAll("form[data-cb-autosave]")) {
  const url = form.dataset.cbAutosave;
  const status = form.querySelector("[data-cb-autosave-status]");
  const version = form.querySelector('input[name="version"]');
  let timer = null;
  let dirty = false;
  let inFlight = false;
  let stopped = false;
  const say = (text, alert) => {
    if (!status) return;
    status.textContent = text;
    status.classList.toggle("cb-autosave-status--alert", Boolean(alert));
    if (alert) status.setAttribute("role", "alert");
  };
  async function save(keepalive) {
    if (!dirty || inFlight || stopped) return;
    dirty = false;
    inFlight = true;
    const body = new FormData(form);
    body.delete("action");
    say("Saving…");
    try {
      const r = await fetch(url, {
        method: "POST", body, credentials: "same-origin", redirect: "manual", keepalive,
        headers: { "X-Carebridge-Autosave": "1", "X-CSRFToken": body.get("csrfmiddlewaretoken") || "" },
      });
      if (r.type === "opaqueredirect" || r.status === 302) {
        stopped = true;
        const next = encodeURIComponent(location.pathname);
        say("");
        status.innerHTML = 'You have been signed out. What you typed has been kept: <a class="govuk-link" href="/sign-in/?next=' + next + '">sign in again</a> to carry on.';
        status.classList.add("cb-autosave-status--alert");
        status.setAttribute("role", "alert");
        return;
      }
      const data = await r.json();
      if (r.status === 409) {
        stopped = true;
        say((data.conflict || data.error) + " Reload the page to see their changes, or press Save to save yours over them.", true);
        if (version && data.version) version.value = data.version;
        return;
      }
      if (version && data.version) version.value = data.version;
      const problems = Object.values(data.errors || {});
      say(problems.length ? "Saved, except: " + problems.join("; ") : "All changes saved at " + data.saved_at, problems.length > 0);
    } catch (e) {
      dirty = true;
      say("Not saved: the connection was lost. Your answers are still on this page; we will try again.", true);
    } finally {
      inFlight = false;
      if (dirty && !stopped) schedule();
    }
  }
  function schedule() {
    clearTimeout(timer);
    timer = setTimeout(() => save(false), 800);
  }
  form.addEventListener("input", () => { dirty = true; schedule(); });
  form.addEventListener("change", () => { dirty = true; schedule(); });
  form.addEventListener("submit", () => { clearTimeout(timer); stopped = true; });
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "hidden") { clearTimeout(timer); save(true); }
  });
}

// The queue and the dashboard: say that claims were added or changed since the page was loaded
// ("3 new changes – show"), without touching the rows, so nothing moves under the reader's pointer.
// Asks views.live.claim_changes every few seconds with the queue's own filters; "show" reloads.
"use strict";

(function () {
  const notice = document.querySelector("[data-live-notice]");
  const configEl = document.getElementById("live-notice-config");
  if (!notice || !configEl || !window.fetch) return;
  const config = JSON.parse(configEl.textContent);
  const text = notice.querySelector("[data-live-notice-text]");
  notice.querySelector("[data-live-notice-show]").textContent = config.show;

  // The rows this page shows: a change that takes one of them out of the filter counts too.
  const shown = [...document.querySelectorAll("[data-claim-row]")].map((row) => row.dataset.claimRow).slice(0, 100);
  const query = new URLSearchParams(window.location.search);
  query.delete("page");
  for (const [name, value] of Object.entries(config.query)) query.set(name, value);
  query.set("since", String(config.since));
  if (shown.length) query.set("shown", shown.join(","));
  const url = config.url + "?" + query;

  const longestPause = 120000;
  let pause = config.poll_ms;

  async function ask() {
    if (document.hidden) {
      setTimeout(ask, pause);
      return;
    }
    try {
      const response = await fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin", cache: "no-store", redirect: "manual" });
      if (response.type === "opaqueredirect" || response.status === 403) return; // logged out: stop asking
      if (!response.ok) throw new Error("HTTP " + response.status);
      const answer = await response.json();
      if (answer.count > 0) {
        const words = answer.more ? config.more : answer.count === 1 ? config.one : config.many;
        text.textContent = words.replace("%(count)s", () => String(answer.count));
        notice.hidden = false;
      }
      pause = config.poll_ms;
    } catch (error) {
      pause = Math.min(pause * 2, longestPause);
    }
    setTimeout(ask, pause);
  }
  setTimeout(ask, pause);
})();

// The live article page: every few seconds, ask the server what colleagues changed (views.live)
// and hand the news to annotate.js, which draws it ("live:claims" on document); after a correction
// of the text, ask the reader to reload, because every offset changed.
//
// The question carries the ETag of the last answer, so while nothing changes the answer is an
// empty 304. After a change the answer lists the claims' versions and the highlights; the cards
// of claims this page does not know in their current version are asked for separately.
// When the connection drops the page works on as before and asks again, less often, until the
// server answers; then it catches up in one step, since every answer is the whole current state.
"use strict";

(function () {
  const configEl = document.getElementById("live-config");
  const bodyEl = document.querySelector("[data-article-body]");
  if (!configEl || !bodyEl || !window.fetch) return;
  const config = JSON.parse(configEl.textContent);
  const status = document.querySelector("[data-live-status]");
  const banner = document.querySelector("[data-live-reload]");

  // Each claim's card as this page shows it, by its stamp (version and newest change of a source).
  const known = new Map();
  for (const claim of JSON.parse(document.getElementById("claim-data").textContent)) {
    known.set(String(claim.id), claim.stamp);
  }

  const longestPause = 30000;
  let etag = null;
  let pause = config.poll_ms;
  let timer = 0;
  let asking = false;
  let stopped = false;

  function schedule(delay) {
    clearTimeout(timer);
    timer = stopped ? 0 : setTimeout(ask, delay);
  }

  function connected() {
    pause = config.poll_ms;
    status.hidden = true;
  }

  function disconnected() {
    status.textContent = config.offline;
    status.hidden = false;
    // Ask less often while the server does not answer, but keep asking.
    pause = Math.min(pause * 2, longestPause);
  }

  function stop(message) {
    stopped = true;
    clearTimeout(timer);
    status.textContent = message;
    status.hidden = false;
  }

  // The server no longer answers this reader (logged out, no role, article gone): asking again will not help.
  class Refused extends Error {}

  async function getJson(url, headers) {
    // redirect "manual": a session that ended is sent to the login page, which is no answer.
    const response = await fetch(url, {
      headers: { Accept: "application/json", ...headers },
      credentials: "same-origin",
      cache: "no-store",
      redirect: "manual",
    });
    if (response.type === "opaqueredirect" || response.status === 403 || response.status === 404) {
      throw new Refused();
    }
    if (response.status === 304) return { response, data: null };
    if (!response.ok) throw new Error("HTTP " + response.status);
    return { response, data: await response.json() };
  }

  // The cards of these claims, in batches as large as the server answers.
  async function cards(ids) {
    const found = [];
    for (let i = 0; i < ids.length; i += config.cards_per_answer) {
      const batch = ids.slice(i, i + config.cards_per_answer);
      const { data } = await getJson(config.claims_url + "?" + new URLSearchParams({ ids: batch.join(",") }));
      found.push(...data.claims);
    }
    return found;
  }

  async function ask() {
    timer = 0;
    if (stopped || asking) return;
    if (document.hidden) return; // a hidden page asks again when it is shown (visibilitychange)
    asking = true;
    try {
      const url = config.url + "?" + new URLSearchParams({ text_version: config.text_version });
      const { response, data } = await getJson(url, etag ? { "If-None-Match": etag } : {});
      if (data !== null) {
        if (data.text_version !== config.text_version) {
          corrected(data);
          return;
        }
        // Remember the answer only once it is drawn: a failure half-way asks again.
        if (await apply(data)) etag = response.headers.get("ETag");
      }
      connected();
      schedule(pause);
    } catch (error) {
      if (error instanceof Refused) {
        stop(config.refused);
      } else {
        disconnected();
        schedule(pause);
      }
    } finally {
      asking = false;
    }
  }

  // Ask for the cards that changed, then hand everything over at once. False if a card is
  // missing (a claim deleted between the two questions): the next question starts afresh.
  async function apply(state) {
    const current = new Set(state.claims.map((claim) => String(claim.id)));
    const wanted = state.claims.filter((claim) => known.get(String(claim.id)) !== claim.stamp).map((c) => String(c.id));
    // Gone from the page (withdrawn, most likely): its card says by whom.
    const removed = [...known.keys()].filter((id) => !current.has(id));
    // Drawn even when no card changed: the state may be newer than cards an earlier answer brought.
    const found = wanted.length || removed.length ? await cards([...wanted, ...removed]) : [];
    const byId = new Map(found.map((card) => [String(card.id), card]));
    if (wanted.some((id) => !byId.has(id))) return false;
    document.dispatchEvent(
      new CustomEvent("live:claims", {
        detail: {
          order: state.claims.map((claim) => String(claim.id)),
          changed: wanted.map((id) => byId.get(id)),
          removed: removed.map((id) => byId.get(id) || { id: Number(id), withdrawn: true, history: [] }),
          marks: state.marks,
          counts: state.counts,
        },
      }),
    );
    // A card may be newer than the state it was asked for (a change in between): what is shown is the card.
    known.clear();
    for (const claim of state.claims) {
      const card = byId.get(String(claim.id));
      known.set(String(claim.id), card ? card.stamp : claim.stamp);
    }
    return true;
  }

  // The text changed under the page: its highlights and forms point into the old text.
  function corrected(state) {
    stopped = true;
    status.hidden = true;
    const words = state.corrected_by ? config.corrected : config.corrected_anonymous;
    banner.querySelector("[data-live-reload-text]").textContent = words
      .replace("%(who)s", () => state.corrected_by)
      .replace("%(version)s", () => String(state.text_version));
    banner.querySelector("[data-live-reload-unsent]").textContent = config.unsent;
    const button = banner.querySelector("[data-live-reload-button]");
    button.textContent = config.reload;
    button.addEventListener("click", () => {
      // The article's own address (this page may be the answer to a form), with the open card kept.
      const card = document.querySelector("[data-claim-card]");
      const open = card && !card.hidden && card.dataset.claimId;
      window.location.assign(config.article_url + (open ? "?claim=" + encodeURIComponent(open) : ""));
    });
    banner.hidden = false;
    document.body.dataset.liveCorrected = String(state.text_version);
  }

  document.addEventListener("visibilitychange", () => {
    if (!document.hidden && !timer && !asking) ask();
  });
  window.addEventListener("online", () => {
    if (!asking) {
      pause = config.poll_ms;
      schedule(0);
    }
  });
  schedule(pause);
})();

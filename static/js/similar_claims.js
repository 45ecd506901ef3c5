// "Already checked?" beside the claim form: while the editor writes the statement, the claims of other
// articles that say the same are listed with their status and verdict. Hooked by [data-similar-claims].
(() => {
  "use strict";
  const box = document.querySelector("[data-similar-claims]");
  if (!box) return;
  const form = box.closest("form");
  const statement = form.elements.namedItem("statement");
  const quote = form.elements.namedItem("quote");
  const list = box.querySelector("[data-similar-list]");
  const DELAY = 400; // ms after the last key: one request per pause, not per letter
  let timer = 0;
  let controller = null;
  let asked = "";

  function wording() {
    const written = statement.value.trim();
    return (written || (quote ? quote.value.trim() : "")).slice(0, 1000);
  }

  function element(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function render(results) {
    list.replaceChildren();
    for (const row of results) {
      const item = element("li", "similar");
      item.dataset.similarClaim = String(row.id);
      const badge = element("span", "badge status-" + row.status);
      badge.title = row.status_label;
      const icon = element("span", "status-icon");
      icon.setAttribute("aria-hidden", "true");
      badge.append(icon, document.createTextNode(row.status_label));
      const link = element("a", "", row.statement);
      link.href = row.url;
      link.target = "_blank";
      link.rel = "noopener";
      const score = row.score.toLocaleString(document.documentElement.lang, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
      const meta = element("span", "meta", row.article_title + " · " + box.dataset.matchLabel + " " + score);
      item.append(badge, document.createTextNode(" "), link, document.createTextNode(" "), meta);
      for (const difference of row.differences) item.append(element("span", "difference", difference));
      list.append(item);
    }
    box.hidden = results.length === 0;
  }

  function lookup() {
    const text = wording();
    if (text === asked) return;
    asked = text;
    if (controller) controller.abort();
    if (text.length < 3) {
      render([]);
      return;
    }
    controller = new AbortController();
    const url = new URL(box.dataset.similarClaims, window.location.href);
    url.searchParams.set("text", text);
    url.searchParams.set("limit", "5");
    url.searchParams.set("exclude_article", box.dataset.excludeArticle);
    fetch(url, { signal: controller.signal, credentials: "same-origin", headers: { Accept: "application/json" } })
      .then((response) => (response.ok ? response.json() : { results: [] }))
      .then((data) => render(data.results || []))
      .catch((error) => {
        if (error.name !== "AbortError") render([]);
      });
  }

  function later() {
    clearTimeout(timer);
    timer = setTimeout(lookup, DELAY);
  }

  statement.addEventListener("input", later);
  // The page fills the statement from a selection without typing: look again when the quote changes
  // or the form opens.
  const observer = new MutationObserver(later);
  observer.observe(form, { attributes: true, attributeFilter: ["hidden"] });
  const selected = form.querySelector("[data-selected-quote]");
  if (selected) observer.observe(selected, { childList: true, characterData: true, subtree: true });
  if (!form.hidden) later();
})();

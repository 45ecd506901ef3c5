// Evidence form: find a source we already have by URL, title or publisher, and fill the
// source fields with it. The server finds the same source again by its normalised URL.
(function () {
  "use strict";

  function setup(box) {
    const form = box.closest("form");
    const input = box.querySelector("[data-source-query]");
    const list = box.querySelector("[data-source-results]");
    const url = box.dataset.searchUrl;
    let results = [];
    let timer = null;

    function fill(source) {
      for (const name of ["url", "title", "publisher", "kind"]) {
        const field = form.elements.namedItem(name);
        if (field && source[name]) field.value = source[name];
      }
    }

    function show(items) {
      results = items;
      list.replaceChildren();
      for (const item of items) {
        const option = document.createElement("option");
        option.value = item.url;
        option.label = [item.title, item.publisher].filter(Boolean).join(" · ");
        list.append(option);
      }
    }

    async function search(text) {
      if (text.trim().length < 2) return show([]);
      const response = await fetch(url + "?q=" + encodeURIComponent(text), {
        headers: { Accept: "application/json" },
        credentials: "same-origin",
      });
      if (response.ok) show((await response.json()).results);
    }

    input.addEventListener("input", function () {
      const chosen = results.find((item) => item.url === input.value);
      if (chosen) {
        fill(chosen);
        return;
      }
      clearTimeout(timer);
      timer = setTimeout(() => search(input.value), 200);
    });
  }

  document.querySelectorAll("[data-source-search]").forEach(setup);
})();

// The article page: select words to record a claim, open a claim's card, find a passage
// from a claim's wording, move between claims with the keyboard.
//
// Offsets: the DOM counts UTF-16 code units, the server counts code points (DESIGN.md).
// The highlighted body's textContent equals the stored body, so an offset into
// bodyEl.textContent is an offset into the body; we convert units to points before posting.
// Data comes from json_script; the DOM is built with createElement/textContent only.
"use strict";

(function () {
  const bodyEl = document.querySelector("[data-article-body]");
  if (!bodyEl) return;
  const text = bodyEl.textContent;
  const claims = JSON.parse(document.getElementById("claim-data").textContent);
  const ui = JSON.parse(document.getElementById("annotate-text").textContent);
  const editError = JSON.parse(document.getElementById("claim-edit-error").textContent);
  const claimsById = new Map(claims.map((claim) => [String(claim.id), claim]));
  const claimUrl = (pattern, id) => pattern.replace("/0/", "/" + encodeURIComponent(id) + "/");

  const layout = document.querySelector("[data-annotate-layout]");
  const form = document.querySelector("form[data-claim-form]");
  const card = document.querySelector("[data-claim-card]");
  const cardContent = card.querySelector("[data-claim-card-content]");
  const editForm = card.querySelector("form[data-claim-edit-form]");
  const withdrawLink = card.querySelector("[data-claim-withdraw-link]");
  const overlay = document.querySelector("[data-key-overlay]");
  const searchForm = document.querySelector("form[data-passage-search]");
  const results = searchForm.querySelector("[data-passage-results]");
  // Every form on the page carries the same token; the card's status form takes it from the claim form.
  const csrfToken = form.querySelector("input[name=csrfmiddlewaretoken]").value;

  // --- offsets ----------------------------------------------------------------------

  function utf16ToCodePoint(str, offset) {
    let points = 0;
    for (let i = 0; i < offset; i++) {
      const unit = str.charCodeAt(i);
      // A low surrogate after a high one finishes a character already counted.
      if (unit >= 0xdc00 && unit <= 0xdfff && i > 0) {
        const before = str.charCodeAt(i - 1);
        if (before >= 0xd800 && before <= 0xdbff) continue;
      }
      points++;
    }
    return points;
  }

  function codePointToUtf16(str, points) {
    let units = 0;
    for (let p = 0; p < points && units < str.length; p++) {
      units += str.codePointAt(units) > 0xffff ? 2 : 1;
    }
    return units;
  }

  // Grapheme cluster boundaries of the body (UTF-16 offsets), computed once when needed.
  let boundaries = null;
  function graphemeBoundaries() {
    if (boundaries) return boundaries;
    boundaries = new Set([text.length]);
    if (window.Intl && Intl.Segmenter) {
      for (const part of new Intl.Segmenter(document.documentElement.lang || "de", { granularity: "grapheme" }).segment(text)) {
        boundaries.add(part.index);
      }
    } else {
      for (let i = 0; i <= text.length; i++) boundaries.add(i);
    }
    return boundaries;
  }

  // Trim white space and widen to whole grapheme clusters (a flag, a skin tone, an umlaut
  // written as letter plus combining mark stay whole). Works on UTF-16 offsets.
  function cleanSpan(start, end) {
    while (start < end && /\s/.test(text[start])) start++;
    while (end > start && /\s/.test(text[end - 1])) end--;
    if (start >= end) return null;
    const bounds = graphemeBoundaries();
    while (start > 0 && !bounds.has(start)) start--;
    while (end < text.length && !bounds.has(end)) end++;
    return { start, end };
  }

  function domToOffset(node, offset) {
    const range = document.createRange();
    range.setStart(bodyEl, 0);
    range.setEnd(node, offset);
    return range.toString().length;
  }

  function offsetToDom(target) {
    const walker = document.createTreeWalker(bodyEl, NodeFilter.SHOW_TEXT);
    let seen = 0;
    let node = walker.nextNode();
    while (node) {
      if (seen + node.length >= target) return { node, offset: target - seen };
      seen += node.length;
      node = walker.nextNode();
    }
    return { node: bodyEl, offset: bodyEl.childNodes.length };
  }

  function selectUnits(start, end) {
    const from = offsetToDom(start);
    const to = offsetToDom(end);
    const range = document.createRange();
    range.setStart(from.node, from.offset);
    range.setEnd(to.node, to.offset);
    const selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
    return range;
  }

  // The current selection inside the body as a cleaned span of UTF-16 offsets, or null.
  function selectedSpan() {
    const selection = window.getSelection();
    if (!selection.rangeCount || selection.isCollapsed) return null;
    const range = selection.getRangeAt(0);
    if (!bodyEl.contains(range.commonAncestorContainer) && range.commonAncestorContainer !== bodyEl) return null;
    return cleanSpan(domToOffset(range.startContainer, range.startOffset), domToOffset(range.endContainer, range.endOffset));
  }

  // --- the claim form ---------------------------------------------------------------

  const field = (name) => form.elements.namedItem(name);
  let prefilled = ""; // what we put in statement ourselves; the editor's own words are never replaced

  function placeNear(element, rect) {
    const box = layout.getBoundingClientRect();
    const panel = document.querySelector(".annotate-panel").getBoundingClientRect();
    let top = rect.top - box.top;
    if (results.childElementCount) {
      // Keep the passage proposals in sight: the editor may want to pick another one.
      top = Math.max(top, results.getBoundingClientRect().bottom - box.top + 8);
    }
    element.style.top = Math.max(0, top) + "px";
    element.style.left = panel.left - box.left + "px";
    element.style.width = panel.width + "px";
  }

  function fillForm(span, wording) {
    const quote = text.slice(span.start, span.end);
    field("start").value = utf16ToCodePoint(text, span.start);
    field("end").value = utf16ToCodePoint(text, span.end);
    field("quote").value = quote;
    form.querySelector("[data-selected-quote]").textContent = quote;
    const statement = field("statement");
    if (statement.value === "" || statement.value === prefilled) {
      prefilled = wording || quote.replace(/\s+/g, " ");
      statement.value = prefilled;
    }
    form.hidden = false;
    const selection = window.getSelection();
    if (selection.rangeCount) placeNear(form, selection.getRangeAt(0).getBoundingClientRect());
  }

  let pendingWording = "";
  function onSelectionChange() {
    const span = selectedSpan();
    if (span) fillForm(span, pendingWording);
  }
  let timer = 0;
  document.addEventListener("selectionchange", () => {
    clearTimeout(timer);
    timer = setTimeout(onSelectionChange, 60);
  });

  function closeForm() {
    form.hidden = true;
    field("statement").value = "";
    prefilled = "";
    pendingWording = "";
  }
  form.querySelector("[data-claim-form-cancel]").addEventListener("click", closeForm);
  form.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      form.requestSubmit();
    }
  });

  function createFromSelection() {
    const span = selectedSpan();
    if (!span) return false;
    fillForm(span, pendingWording);
    field("statement").focus();
    field("statement").select();
    return true;
  }

  // --- highlights and the claim card --------------------------------------------------

  const order = claims.map((claim) => String(claim.id));
  let current = -1;

  function firstMark(id) {
    return bodyEl.querySelector('mark[data-claim-id="' + CSS.escape(id) + '"]');
  }

  function el(tag, className, textContent) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (textContent !== undefined) node.textContent = textContent;
    return node;
  }

  function badge(claim) {
    const node = el("span", "badge status-" + claim.status);
    node.appendChild(el("span", "status-icon")).setAttribute("aria-hidden", "true");
    node.appendChild(document.createTextNode(claim.status_label));
    return node;
  }

  function openCard(id, others) {
    const claim = claimsById.get(String(id));
    if (!claim) return;
    current = order.indexOf(String(id));
    for (const active of bodyEl.querySelectorAll("mark.active")) active.classList.remove("active");
    for (const mark of bodyEl.querySelectorAll('mark[data-claim-id="' + CSS.escape(String(id)) + '"]')) {
      mark.classList.add("active");
    }
    cardContent.replaceChildren();
    cardContent.appendChild(badge(claim));
    cardContent.appendChild(el("h3", "card-statement", claim.statement));
    cardContent.appendChild(el("blockquote", "quote", claim.quote));
    if (claim.claimant) {
      const who = el("p", "card-claimant");
      who.appendChild(el("strong", "", ui.claimant + ": "));
      who.appendChild(document.createTextNode(claim.claimant));
      cardContent.appendChild(who);
    }
    if (claim.note) {
      const note = el("p", "card-note");
      note.appendChild(el("strong", "", ui.note + ": "));
      note.appendChild(document.createTextNode(claim.note));
      cardContent.appendChild(note);
    }
    // Functions, not strings, as replacements: "$&" or "$'" in a name is text, not a pattern.
    const created = ui.created.replace("%(when)s", () => claim.created_at).replace("%(who)s", () => claim.created_by);
    cardContent.appendChild(el("p", "meta", created));
    cardContent.appendChild(el("h4", "", ui.evidence));
    if (claim.evidence.length) {
      const list = el("ul", "card-evidence");
      for (const item of claim.evidence) {
        const li = el("li");
        li.appendChild(el("span", "stance stance-" + item.stance, item.stance_label));
        li.appendChild(document.createTextNode(" "));
        if (/^https?:\/\//i.test(item.url)) {
          const link = el("a", "", item.title);
          link.href = item.url;
          link.rel = "noopener noreferrer";
          li.appendChild(link);
        } else {
          li.appendChild(document.createTextNode(item.title));
        }
        list.appendChild(li);
      }
      cardContent.appendChild(list);
    } else {
      cardContent.appendChild(el("p", "empty", ui.no_evidence));
    }
    if (claim.can_add_evidence) {
      const add = el("a", "card-add-source", ui.add_source + " →");
      add.href = claimUrl(ui.claim_url, claim.id) + "#add-source";
      add.dataset.addSource = "";
      cardContent.appendChild(add);
    }
    const history = claim.history.length ? cardHistory(claim) : null;
    if (history) {
      cardContent.appendChild(el("h4", "", ui.history));
      cardContent.appendChild(history);
    }
    if (claim.status_choices.length) {
      cardContent.appendChild(el("h4", "", ui.status));
      cardContent.appendChild(statusForm(claim));
    } else if (claim.finished && ui.can_check) {
      cardContent.appendChild(el("p", "hint", ui.finished_hint));
    }
    const more = (others || []).filter((other) => other !== String(id));
    if (more.length) {
      const box = el("div", "card-others");
      box.appendChild(el("p", "", ui.also_here));
      for (const otherId of more) {
        const other = claimsById.get(otherId);
        const button = el("button", "button other-claim");
        button.type = "button";
        button.dataset.openClaim = otherId;
        button.appendChild(badge(other));
        button.appendChild(document.createTextNode(" " + other.statement));
        button.addEventListener("click", () => openCard(otherId, others));
        box.appendChild(button);
      }
      cardContent.appendChild(box);
    }
    const link = el("a", "card-link", ui.open_claim + " →");
    link.href = claimUrl(ui.claim_url, claim.id);
    cardContent.appendChild(link);

    editForm.action = claimUrl(ui.edit_url, claim.id);
    editForm.elements.namedItem("statement").value = claim.statement;
    editForm.elements.namedItem("claimant").value = claim.claimant;
    editForm.elements.namedItem("version").value = claim.version;
    editForm.querySelector("[data-edit-errors]").replaceChildren();
    card.querySelector("[data-card-edit]").open = false;
    // Withdrawing asks for a reason on a page of its own, which comes back to this article.
    withdrawLink.href = claimUrl(ui.withdraw_url, claim.id) + "?next=" + encodeURIComponent(ui.article_url);
    withdrawLink.hidden = !claim.can_withdraw;
    card.dataset.claimId = claim.id;
    card.hidden = false;
    // The newest entries matter most: show the end of a long history.
    if (history) history.scrollTop = history.scrollHeight;
  }

  // The claim's history, oldest first, in the words of the claim page's timeline (ClaimEvent.describe).
  function cardHistory(claim) {
    const list = el("ol", "timeline card-history");
    list.dataset.cardHistory = "";
    for (const event of claim.history) {
      const li = el("li", "event event-" + event.kind);
      const time = el("time", "", event.when);
      time.dateTime = event.datetime;
      li.append(time, " ", el("span", "event-who", event.who), " ", el("span", "event-kind", event.what));
      if (event.change) li.append(": " + event.change);
      if (event.source) {
        li.append(": ", el("span", "event-source", event.source));
        if (event.stance) li.append(" (" + event.stance + ")");
      }
      for (const edit of event.edits) li.appendChild(el("span", "event-edit", edit));
      if (event.comment) li.appendChild(el("blockquote", "event-comment", event.comment));
      list.appendChild(li);
    }
    return list;
  }

  function hiddenInput(name, value) {
    const input = el("input");
    input.type = "hidden";
    input.name = name;
    input.value = value;
    return input;
  }

  // The claim page's status form, for this claim: it posts to the same view, which comes back
  // here with the card open, or shows the claim page with the reason and the input kept.
  function statusForm(claim) {
    const node = el("form", "action-form status-form card-status");
    node.method = "post";
    node.action = claimUrl(ui.status_url, claim.id);
    node.dataset.statusForm = "";
    node.dataset.claimId = claim.id;
    const back = ui.article_url + "?claim=" + encodeURIComponent(claim.id) + "#claim-" + encodeURIComponent(claim.id);
    node.append(
      hiddenInput("csrfmiddlewaretoken", csrfToken),
      hiddenInput("version", claim.version),
      hiddenInput("text_version", ui.text_version),
      hiddenInput("next", back),
    );
    const select = el("select");
    select.name = "status";
    select.id = "card-status-" + claim.id;
    select.required = true;
    if (claim.status_choices.length > 1) {
      // Nothing preselected: "back to unverified" comes first and must not be sent by a slip.
      select.appendChild(el("option", "", ui.choose_status)).value = "";
    }
    for (const choice of claim.status_choices) {
      const option = el("option", "", choice.label);
      option.value = choice.value;
      select.appendChild(option);
    }
    const selectLabel = el("label", "", ui.new_status);
    selectLabel.htmlFor = select.id;
    const comment = el("textarea");
    comment.name = "comment";
    comment.id = "card-comment-" + claim.id;
    comment.rows = 2;
    const commentLabel = el("label", "", ui.comment);
    commentLabel.htmlFor = comment.id;
    const submit = el("button", "primary", claim.finished ? ui.reopen : ui.change_status);
    submit.type = "submit";
    node.append(selectLabel, select, commentLabel, comment, el("p", "help", ui.comment_help), submit);
    return node;
  }

  function closeCard() {
    card.hidden = true;
    for (const active of bodyEl.querySelectorAll("mark.active")) active.classList.remove("active");
  }
  card.querySelector("[data-card-close]").addEventListener("click", closeCard);

  // All claims at the point of a mark: the mark and the marks around it, innermost first.
  function claimsAt(mark) {
    const ids = [];
    for (let node = mark; node && node !== bodyEl; node = node.parentElement) {
      if (node.dataset && node.dataset.claimId) ids.push(node.dataset.claimId);
    }
    return ids;
  }

  bodyEl.addEventListener("click", (event) => {
    if (!window.getSelection().isCollapsed) return; // the editor is selecting, not opening
    const mark = event.target.closest("mark[data-claim-id]");
    if (mark) {
      const ids = claimsAt(mark);
      openCard(ids[0], ids);
    }
  });

  function goTo(index) {
    if (!order.length) return;
    current = (index + order.length) % order.length;
    const id = order[current];
    const mark = firstMark(id);
    if (mark) {
      mark.focus({ preventScroll: true });
      mark.scrollIntoView({ block: "center", behavior: "instant" });
      openCard(id, claimsAt(mark));
    }
  }

  for (const link of document.querySelectorAll("[data-claim-link]")) {
    link.addEventListener("click", (event) => {
      event.preventDefault();
      goTo(order.indexOf(link.dataset.claimLink));
    });
  }

  // --- find the passage ---------------------------------------------------------------

  searchForm.addEventListener("submit", async (event) => {
    event.preventDefault();
    const wording = searchForm.elements.namedItem("q").value.trim();
    if (!wording) return;
    results.replaceChildren(el("li", "hint", ui.searching));
    let data;
    try {
      const response = await fetch(searchForm.action + "?" + new URLSearchParams({ q: wording }), {
        headers: { Accept: "application/json" },
        credentials: "same-origin",
      });
      if (!response.ok) throw new Error(String(response.status));
      data = await response.json();
    } catch (error) {
      results.replaceChildren(el("li", "form-error", ui.search_failed));
      return;
    }
    results.replaceChildren();
    if (!data.passages.length) {
      results.appendChild(el("li", "empty", ui.no_passage));
      return;
    }
    for (const passage of data.passages) {
      const li = el("li");
      const button = el("button", "passage-proposal");
      button.type = "button";
      button.dataset.passageStart = passage.start;
      button.appendChild(el("span", "passage-quote", passage.quote));
      button.appendChild(el("span", "passage-score", Math.round(passage.score * 100) + " % " + ui.match));
      button.addEventListener("click", () => pickPassage(passage, wording));
      li.appendChild(button);
      results.appendChild(li);
    }
  });

  function pickPassage(passage, wording) {
    pendingWording = wording;
    const statement = field("statement");
    if (statement.value === prefilled) statement.value = "";
    const range = selectUnits(codePointToUtf16(text, passage.start), codePointToUtf16(text, passage.end));
    const rect = range.getBoundingClientRect();
    if (rect.top < 0 || rect.bottom > window.innerHeight) {
      range.startContainer.parentElement.scrollIntoView({ block: "center", behavior: "instant" });
    }
    onSelectionChange();
  }

  // --- keyboard -----------------------------------------------------------------------

  function typing(target) {
    return target.closest("input, textarea, select, [contenteditable]") !== null;
  }

  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape") {
      if (!overlay.hidden) overlay.hidden = true;
      else if (!form.hidden) closeForm();
      else closeCard();
      if (typing(event.target)) event.target.blur();
      return;
    }
    if (typing(event.target) || event.altKey || event.metaKey) return;
    const selection = window.getSelection();
    // Shift+arrows adjust the selection inside the text, also where the browser has no caret.
    if (event.shiftKey && (event.key === "ArrowLeft" || event.key === "ArrowRight") && selection.rangeCount) {
      const node = selection.focusNode;
      if (node && bodyEl.contains(node)) {
        event.preventDefault();
        selection.modify("extend", event.key === "ArrowLeft" ? "backward" : "forward", event.ctrlKey ? "word" : "character");
        return;
      }
    }
    if (event.ctrlKey) return;
    if (event.key === "?") {
      overlay.hidden = !overlay.hidden;
      if (!overlay.hidden) overlay.querySelector("[data-key-overlay-close]").focus();
    } else if (event.key === "j" || event.key === "n") {
      goTo(current + 1);
    } else if (event.key === "k" || event.key === "p") {
      goTo(current - 1);
    } else if (event.key === "/") {
      event.preventDefault();
      searchForm.elements.namedItem("q").focus();
    } else if (event.key === "c" || event.key === "Enter") {
      if (createFromSelection()) {
        event.preventDefault();
      } else if (event.key === "Enter" && event.target.matches && event.target.matches("mark[data-claim-id]")) {
        event.preventDefault();
        openCard(event.target.dataset.claimId, claimsAt(event.target));
      }
    } else {
      return;
    }
  });
  overlay.querySelector("[data-key-overlay-close]").addEventListener("click", () => {
    overlay.hidden = true;
  });

  // --- after a reload -----------------------------------------------------------------

  const wanted = new URLSearchParams(window.location.search).get("claim");
  if (editError) {
    openCard(String(editError.claim_id), [String(editError.claim_id)]);
    editForm.elements.namedItem("statement").value = editError.statement;
    editForm.elements.namedItem("claimant").value = editError.claimant;
    const errors = editForm.querySelector("[data-edit-errors]");
    for (const message of editError.messages) errors.appendChild(el("li", "", message));
    card.querySelector("[data-card-edit]").open = true;
  } else if (wanted && claimsById.has(wanted)) {
    const mark = firstMark(wanted);
    if (mark) openCard(wanted, claimsAt(mark));
  }
  if (!form.hidden) {
    // The server sent the form back with an error: keep it beside the text where it can be seen.
    placeNear(form, bodyEl.getBoundingClientRect());
  }

  // Benchmarks and tests wait for this: every highlight is in place and wired.
  document.body.dataset.annotateReady = String(bodyEl.querySelectorAll("mark[data-claim-id]").length);
  if (window.performance && performance.mark) performance.mark("annotate-ready");
})();

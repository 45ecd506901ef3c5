// The article page: select words to record a claim, open a claim's card, find a passage
// from a claim's wording, move between claims with the keyboard.
//
// Offsets: the DOM counts UTF-16 code units, the server counts code points (DESIGN.md).
// The highlighted body's textContent equals the stored body, so an offset into
// bodyEl.textContent is an offset into the body; we convert units to points before posting.
// Data comes from json_script; the DOM is built with createElement/textContent only.
//
// The side panel ([data-panel]) has a fixed head and one scroll area ([data-panel-scroll]) that
// holds, in this order: messages, passage proposals, the new-claim form, the open card, the
// claim list. Other behaviours may add sections to the scroll area and listen to the events
// this script sends on document: "annotate:claim-form-filled" (detail: {quote, start, end}) and
// "annotate:card-opened" (detail: {claimId}).
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

  const panel = document.querySelector("[data-panel]");
  const panelScroll = panel.querySelector("[data-panel-scroll]");
  const form = document.querySelector("form[data-claim-form]");
  const card = document.querySelector("[data-claim-card]");
  const cardContent = card.querySelector("[data-claim-card-content]");
  const editForm = card.querySelector("form[data-claim-edit-form]");
  const withdrawLink = card.querySelector("[data-claim-withdraw-link]");
  const overlay = document.querySelector("[data-key-overlay]");
  const searchForm = document.querySelector("form[data-passage-search]");
  const proposals = document.querySelector("[data-passage-proposals]");
  const results = proposals.querySelector("[data-passage-results]");
  // Every form on the page carries the same token; the card's status form takes it from the claim form.
  const csrfToken = form.querySelector("input[name=csrfmiddlewaretoken]").value;

  function announce(name, detail) {
    document.dispatchEvent(new CustomEvent(name, { detail }));
  }

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

  const segmenterLanguage = document.documentElement.lang || "de";

  // Grapheme cluster boundaries of the body (UTF-16 offsets), computed once when needed.
  let boundaries = null;
  function graphemeBoundaries() {
    if (boundaries) return boundaries;
    boundaries = new Set([text.length]);
    if (window.Intl && Intl.Segmenter) {
      for (const part of new Intl.Segmenter(segmenterLanguage, { granularity: "grapheme" }).segment(text)) {
        boundaries.add(part.index);
      }
    } else {
      for (let i = 0; i <= text.length; i++) boundaries.add(i);
    }
    return boundaries;
  }

  // The words of the body as [start, end) pairs of UTF-16 offsets, in order, computed once.
  let words = null;
  function bodyWords() {
    if (words) return words;
    words = [];
    if (window.Intl && Intl.Segmenter) {
      for (const part of new Intl.Segmenter(segmenterLanguage, { granularity: "word" }).segment(text)) {
        if (part.isWordLike) words.push([part.index, part.index + part.segment.length]);
      }
    } else {
      for (const match of text.matchAll(/[\p{L}\p{N}\p{M}]+/gu)) words.push([match.index, match.index + match[0].length]);
    }
    return words;
  }

  // The word that has offset strictly inside it, or null.
  function wordAround(offset) {
    const list = bodyWords();
    let low = 0;
    let high = list.length - 1;
    while (low <= high) {
      const middle = (low + high) >> 1;
      const [start, end] = list[middle];
      if (offset <= start) high = middle - 1;
      else if (offset >= end) low = middle + 1;
      else return list[middle];
    }
    return null;
  }

  // A mouse selection that starts or ends inside a word takes the whole word ("eiten auf Eben"
  // becomes "zweiten auf Ebene"); the Alt key keeps the selection exactly as made.
  function snapToWords(span) {
    const first = wordAround(span.start);
    const last = wordAround(span.end);
    return { start: first ? first[0] : span.start, end: last ? last[1] : span.end };
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

  // The current selection inside the body as UTF-16 offsets, as made, or null.
  function rawSelection() {
    const selection = window.getSelection();
    if (!selection.rangeCount || selection.isCollapsed) return null;
    const range = selection.getRangeAt(0);
    if (!bodyEl.contains(range.commonAncestorContainer) && range.commonAncestorContainer !== bodyEl) return null;
    return { start: domToOffset(range.startContainer, range.startOffset), end: domToOffset(range.endContainer, range.endOffset) };
  }

  // The current selection inside the body as a cleaned span of UTF-16 offsets, or null.
  function selectedSpan() {
    const raw = rawSelection();
    return raw ? cleanSpan(raw.start, raw.end) : null;
  }

  // --- elements -----------------------------------------------------------------------

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

  function hiddenInput(name, value) {
    const input = el("input");
    input.type = "hidden";
    input.name = name;
    input.value = value;
    return input;
  }

  // --- the panel ----------------------------------------------------------------------

  // The panel sticks beside the text; its height ends at the bottom of the window, so its own
  // scroll area, not the page, brings its parts into view.
  let fitting = 0;
  function fitPanel() {
    fitting = 0;
    if (getComputedStyle(panel).position !== "sticky") {
      panel.style.maxHeight = "";
      return;
    }
    const top = Math.max(panel.getBoundingClientRect().top, 0);
    panel.style.maxHeight = Math.max(240, window.innerHeight - top - 12) + "px";
  }
  function fitPanelSoon() {
    if (!fitting) fitting = requestAnimationFrame(fitPanel);
  }
  window.addEventListener("scroll", fitPanelSoon, { passive: true });
  window.addEventListener("resize", fitPanelSoon);

  // Scroll the panel so that element is seen: its top, and as much of it as fits. With
  // whole=true, a part low in the panel is shown down to its end (a form's save button).
  function reveal(element, whole) {
    fitPanel();
    const area = panelScroll.getBoundingClientRect();
    const box = element.getBoundingClientRect();
    const margin = 8;
    if (box.top < area.top + margin || box.height > area.height - 2 * margin) {
      panelScroll.scrollTop += box.top - area.top - margin;
    } else if (whole && box.bottom > area.bottom - margin) {
      panelScroll.scrollTop += box.bottom - area.bottom + margin;
    } else if (!whole && box.top > area.bottom - 4 * margin) {
      panelScroll.scrollTop += box.top - area.top - margin;
    }
    // On a narrow screen the panel is not sticky: the page scrolls instead.
    const again = element.getBoundingClientRect();
    if (again.top < 0 || again.top > window.innerHeight - 40) element.scrollIntoView({ block: "start" });
  }

  // Bring a passage of the text (a mark or a range) into the middle of the window, unless it is
  // well in view already; the page scrolls, the panel stays.
  function showInText(passage) {
    const rect = passage.getBoundingClientRect();
    const edge = Math.min(80, window.innerHeight / 10);
    if (rect.top < edge || rect.bottom > window.innerHeight - edge) {
      window.scrollBy({ top: rect.top + rect.height / 2 - window.innerHeight / 2, behavior: "instant" });
    }
  }

  // --- the new-claim form -------------------------------------------------------------

  const field = (name) => form.elements.namedItem(name);
  const warning = form.querySelector("[data-quote-warning]");
  const saveButton = form.querySelector("[data-claim-form-save]");
  const saveLabel = saveButton.textContent;
  let prefilled = ""; // what we put in statement ourselves; the editor's own words are never replaced
  let confirmedQuote = null; // the quote the editor chose to save despite the warning

  // Why a quote may not be what the editor meant: across paragraphs, or more than a few sentences.
  function quoteWarning(quote) {
    if (quote.includes("\n")) return ui.warn_paragraphs;
    // A full stop after a short number is an ordinal ("24. März", "6. Sitzung"), not a sentence end.
    const sentences = quote.split(/(?<!(?:^|[^\d])\d{1,3})[.!?…]["“”»«)]*\s+(?=["„“»«(]?\p{Lu})/u).length;
    return sentences > 3 ? ui.warn_long.replace("%(count)s", () => String(sentences)) : "";
  }

  let warnedQuote = null;
  function showWarning(quote) {
    // The same words again (a focus change repeats the selection): keep the editor's confirmation.
    if (quote === warnedQuote) return;
    warnedQuote = quote;
    const message = quoteWarning(quote);
    warning.textContent = message;
    warning.hidden = !message;
    warning.classList.remove("insist");
    saveButton.textContent = saveLabel;
    confirmedQuote = null;
  }

  function fillForm(span, wording) {
    const quote = text.slice(span.start, span.end);
    filledSpan = span;
    field("start").value = utf16ToCodePoint(text, span.start);
    field("end").value = utf16ToCodePoint(text, span.end);
    field("quote").value = quote;
    form.querySelector("[data-selected-quote]").textContent = quote;
    showWarning(quote);
    const statement = field("statement");
    if (statement.value === "" || statement.value === prefilled) {
      prefilled = wording || quote.replace(/\s+/g, " ");
      statement.value = prefilled;
    }
    const opening = form.hidden;
    form.hidden = false;
    if (opening) reveal(form, true);
    announce("annotate:claim-form-filled", { quote, start: Number(field("start").value), end: Number(field("end").value) });
  }

  let pendingWording = "";
  let redrawnSpan = null; // the selection put back after a colleague's marks were drawn (see "live")
  let filledSpan = null; // the words the form was last filled with
  function onSelectionChange() {
    const span = selectedSpan();
    const again = redrawnSpan && span && span.start === redrawnSpan.start && span.end === redrawnSpan.end;
    redrawnSpan = null;
    // The reader's own selection, put back where it was, is not a new one to fill the form with.
    if (span && !again) fillForm(span, pendingWording);
  }
  let timer = 0;
  document.addEventListener("selectionchange", () => {
    clearTimeout(timer);
    timer = setTimeout(onSelectionChange, 60);
  });

  // Mouse selections snap to whole words when the button is released, unless Alt was held.
  let dragging = false;
  let exact = false;
  bodyEl.addEventListener("pointerdown", (event) => {
    dragging = event.button === 0;
    exact = event.altKey;
  });
  document.addEventListener("pointerup", (event) => {
    if (!dragging) return;
    dragging = false;
    if (exact || event.altKey) return;
    const raw = rawSelection();
    if (!raw) return;
    const snapped = snapToWords(raw);
    if (snapped.start !== raw.start || snapped.end !== raw.end) selectUnits(snapped.start, snapped.end);
  });

  // Esc hides the form and keeps what was typed; Cancel throws it away. Both let go of the
  // selection, so that moving on (j, k, a click) does not bring the form back for the same words.
  function hideForm() {
    form.hidden = true;
    window.getSelection().removeAllRanges();
  }
  function discardForm() {
    hideForm();
    for (const name of ["statement", "claimant", "note"]) field(name).value = "";
    prefilled = "";
    pendingWording = "";
  }
  form.querySelector("[data-claim-form-cancel]").addEventListener("click", discardForm);
  form.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      form.requestSubmit();
    }
  });
  form.addEventListener("submit", (event) => {
    const quote = field("quote").value;
    if (!warning.hidden && confirmedQuote !== quote) {
      // The first click shows the warning plainly; the second saves what the editor chose.
      event.preventDefault();
      confirmedQuote = quote;
      warning.classList.add("insist");
      saveButton.textContent = ui.save_anyway;
      reveal(form, true);
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

  // --- drafts: what was typed in a card and not sent survives moving to another card ---

  const draftKey = "annotate-drafts:" + ui.article_url;
  const drafts = loadDrafts();

  function loadDrafts() {
    try {
      return new Map(Object.entries(JSON.parse(sessionStorage.getItem(draftKey) || "{}")));
    } catch (error) {
      return new Map();
    }
  }

  function storeDrafts() {
    try {
      sessionStorage.setItem(draftKey, JSON.stringify(Object.fromEntries(drafts)));
    } catch (error) {
      // Storage full or forbidden: the drafts still live as long as the page.
    }
  }

  function keepDraft(claimId, part, values) {
    const draft = drafts.get(claimId) || {};
    draft[part] = values;
    drafts.set(claimId, draft);
    storeDrafts();
  }

  function dropDraft(claimId, part) {
    const draft = drafts.get(claimId);
    if (!draft) return;
    delete draft[part];
    if (Object.keys(draft).length) drafts.set(claimId, draft);
    else drafts.delete(claimId);
    storeDrafts();
  }

  function editDraftValues() {
    return {
      statement: editForm.elements.namedItem("statement").value,
      claimant: editForm.elements.namedItem("claimant").value,
      open: card.querySelector("[data-card-edit]").open,
    };
  }

  function restoreDrafts(claim) {
    const draft = drafts.get(String(claim.id));
    if (!draft) return;
    if (draft.edit) {
      editForm.elements.namedItem("statement").value = draft.edit.statement;
      editForm.elements.namedItem("claimant").value = draft.edit.claimant;
      card.querySelector("[data-card-edit]").open = draft.edit.open;
    }
    const status = cardContent.querySelector("form[data-status-form]");
    if (draft.status && status) {
      const select = status.elements.namedItem("status");
      if ([...select.options].some((option) => option.value === draft.status.status)) select.value = draft.status.status;
      status.elements.namedItem("comment").value = draft.status.comment;
      requireComment(status);
    }
  }

  editForm.addEventListener("input", () => keepDraft(card.dataset.claimId, "edit", editDraftValues()));
  card.querySelector("[data-card-edit]").addEventListener("toggle", () => {
    if (card.dataset.claimId && drafts.has(card.dataset.claimId)) keepDraft(card.dataset.claimId, "edit", editDraftValues());
  });
  editForm.addEventListener("submit", () => dropDraft(card.dataset.claimId, "edit"));

  // --- the claim card -----------------------------------------------------------------

  const order = claims.map((claim) => String(claim.id));
  let current = -1;

  function firstMark(id) {
    return bodyEl.querySelector('mark[data-claim-id="' + CSS.escape(id) + '"]');
  }

  function markActive(id) {
    for (const active of bodyEl.querySelectorAll("mark.active")) active.classList.remove("active");
    for (const mark of bodyEl.querySelectorAll('mark[data-claim-id="' + CSS.escape(String(id)) + '"]')) {
      mark.classList.add("active");
    }
  }

  function cardFacts(claim) {
    const parts = [badge(claim), el("h3", "card-statement", claim.statement), el("blockquote", "quote", claim.quote)];
    for (const [label, value, className] of [
      [ui.claimant, claim.claimant, "card-claimant"],
      [ui.note, claim.note, "card-note"],
    ]) {
      if (!value) continue;
      const line = el("p", className);
      line.append(el("strong", "", label + ": "), value);
      parts.push(line);
    }
    // Functions, not strings, as replacements: "$&" or "$'" in a name is text, not a pattern.
    const created = ui.created.replace("%(when)s", () => claim.created_at).replace("%(who)s", () => claim.created_by);
    parts.push(el("p", "meta", created));
    return parts;
  }

  function cardEvidence(claim) {
    const parts = [el("h4", "", ui.evidence)];
    if (claim.evidence.length) {
      const list = el("ul", "card-evidence");
      for (const item of claim.evidence) {
        const li = el("li");
        li.append(el("span", "stance stance-" + item.stance, item.stance_label), " ");
        if (/^https?:\/\//i.test(item.url)) {
          const link = el("a", "", item.title);
          link.href = item.url;
          link.rel = "noopener noreferrer";
          li.appendChild(link);
        } else {
          li.append(item.title);
        }
        list.appendChild(li);
      }
      parts.push(list);
    } else {
      parts.push(el("p", "empty", ui.no_evidence));
    }
    if (claim.can_add_evidence) {
      const add = el("a", "card-add-source", ui.add_source + " →");
      add.href = claimUrl(ui.claim_url, claim.id) + "#add-source";
      add.dataset.addSource = "";
      parts.push(add);
    }
    return parts;
  }

  // The claim's history, oldest first, in the words of the claim page's timeline (ClaimEvent.describe).
  function cardHistory(claim) {
    if (!claim.history.length) return [];
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
      if (event.reason) li.appendChild(el("span", "event-reason", event.reason));
      for (const edit of event.edits) li.appendChild(el("span", "event-edit", edit));
      if (event.comment) li.appendChild(el("blockquote", "event-comment", event.comment));
      list.appendChild(li);
    }
    return [el("h4", "", ui.history), list];
  }

  function cardStatus(claim) {
    if (claim.status_choices.length || claim.status_unavailable.length) {
      return [el("h4", "", ui.status), statusForm(claim)];
    }
    return claim.finished && ui.can_check ? [el("p", "hint", ui.finished_hint)] : [];
  }

  // Why the other steps cannot be taken now, beside the list (Claim.status_options decides both).
  function unavailableList(claim) {
    const box = el("div", "status-unavailable");
    box.dataset.statusUnavailable = "";
    box.appendChild(el("p", "help", ui.unavailable));
    const list = el("ul");
    for (const option of claim.status_unavailable) {
      const li = el("li");
      li.dataset.status = option.value;
      li.append(el("strong", "", option.label), " – " + option.reason);
      list.appendChild(li);
    }
    box.appendChild(list);
    return box;
  }

  function requireComment(node) {
    const select = node.elements.namedItem("status");
    const chosen = select && select.selectedOptions[0];
    node.elements.namedItem("comment").required = Boolean(chosen && chosen.dataset.needsComment !== undefined);
  }

  // The claim page's status form, for this claim: it posts to the same view, which comes back
  // here with the card open, or shows the claim page with the reason and the input kept.
  // It offers only the steps that can succeed now.
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
    if (claim.status_choices.length) {
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
        if (choice.needs_comment) option.dataset.needsComment = "";
        select.appendChild(option);
      }
      const selectLabel = el("label", "", ui.new_status);
      selectLabel.htmlFor = select.id;
      node.append(selectLabel, select);
    }
    if (claim.status_unavailable.length) node.appendChild(unavailableList(claim));
    if (claim.status_choices.length) {
      const comment = el("textarea");
      comment.name = "comment";
      comment.id = "card-comment-" + claim.id;
      comment.rows = 2;
      const commentLabel = el("label", "", ui.comment);
      commentLabel.htmlFor = comment.id;
      const submit = el("button", "primary", claim.finished ? ui.reopen : ui.change_status);
      submit.type = "submit";
      node.append(commentLabel, comment, el("p", "help", ui.comment_help), submit);
      const remember = () => {
        requireComment(node);
        keepDraft(String(claim.id), "status", { status: node.elements.namedItem("status").value, comment: comment.value });
      };
      node.addEventListener("input", remember);
      node.addEventListener("change", remember);
      node.addEventListener("submit", () => dropDraft(String(claim.id), "status"));
    }
    return node;
  }

  function cardOthers(id, others) {
    const more = (others || []).filter((other) => other !== String(id) && claimsById.has(other));
    if (!more.length) return [];
    const box = el("div", "card-others");
    box.appendChild(el("p", "", ui.also_here));
    for (const otherId of more) {
      const other = claimsById.get(otherId);
      const button = el("button", "button other-claim");
      button.type = "button";
      button.dataset.openClaim = otherId;
      button.append(badge(other), " " + other.statement);
      button.addEventListener("click", () => openCard(otherId, others));
      box.appendChild(button);
    }
    return [box];
  }

  function prepareCardForms(claim) {
    for (const button of card.querySelectorAll("button[type=submit]")) button.disabled = false;
    editForm.action = claimUrl(ui.edit_url, claim.id);
    editForm.elements.namedItem("statement").value = claim.statement;
    editForm.elements.namedItem("claimant").value = claim.claimant;
    editForm.elements.namedItem("version").value = claim.version;
    editForm.querySelector("[data-edit-errors]").replaceChildren();
    // Said before saving: new words of a finished claim send it back to review.
    editForm.querySelector("[data-edit-finished-hint]").hidden = !claim.finished;
    card.querySelector("[data-card-edit]").open = false;
    // Withdrawing asks for a reason on a page of its own, which comes back to this article.
    withdrawLink.href = claimUrl(ui.withdraw_url, claim.id) + "?next=" + encodeURIComponent(ui.article_url);
    withdrawLink.hidden = !claim.can_withdraw;
  }

  // The card in three parts: what it tells about the claim, its status form, and the way on.
  // A colleague's change redraws the first and the last, never a form the reader writes in
  // (see "live" below).
  function cardInfo(claim) {
    const part = el("div", "card-info");
    part.dataset.cardInfo = "";
    part.append(...cardFacts(claim), ...cardEvidence(claim), ...cardHistory(claim));
    return part;
  }

  function cardStatusPart(claim) {
    const part = el("div", "card-status-part");
    part.dataset.cardStatusPart = "";
    part.append(...cardStatus(claim));
    return part;
  }

  function cardMore(claim, others) {
    const part = el("div", "card-more");
    part.dataset.cardMore = "";
    const link = el("a", "card-link", ui.open_claim + " →");
    link.href = claimUrl(ui.claim_url, claim.id);
    part.append(...cardOthers(String(claim.id), others), link);
    return part;
  }

  function drawCard(claim, others) {
    // A notice about a colleague's change belongs to the claim it is about.
    if (card.dataset.claimId !== String(claim.id)) clearCardNotice();
    current = order.indexOf(String(claim.id));
    markActive(claim.id);
    cardContent.replaceChildren(cardInfo(claim), cardStatusPart(claim), cardMore(claim, others));
    prepareCardForms(claim);
    card.dataset.claimId = claim.id;
    card.hidden = false;
    restoreDrafts(claim);
  }

  function openCard(id, others) {
    const claim = claimsById.get(String(id));
    if (!claim) return;
    drawCard(claim, others);
    reveal(card, true);
    announce("annotate:card-opened", { claimId: String(claim.id) });
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

  // One listener for the whole list, so that entries a colleague adds work too.
  const claimIndex = document.querySelector("[data-claim-index]");
  claimIndex.addEventListener("click", (event) => {
    const link = event.target.closest("[data-claim-link]");
    if (!link) return;
    event.preventDefault();
    goTo(order.indexOf(link.dataset.claimLink));
  });

  // --- find the passage ---------------------------------------------------------------

  function proposalButton(passage, wording) {
    const button = el("button", "passage-proposal");
    button.type = "button";
    button.dataset.passageStart = passage.start;
    button.appendChild(el("span", "passage-quote", passage.quote));
    button.appendChild(el("span", "passage-score", Math.round(passage.score * 100) + " % " + ui.match));
    const marked = passage.claims.map((id) => claimsById.get(String(id))).filter(Boolean);
    if (marked.length) {
      // Already marked: say so, so the same words are not recorded twice by mistake.
      const note = el("span", "passage-overlap");
      note.dataset.passageOverlap = "";
      note.append(ui.overlaps + " ");
      for (const claim of marked) note.append(badge(claim), " " + claim.statement + " ");
      button.appendChild(note);
      button.classList.add("overlapping");
    }
    button.addEventListener("click", () => pickPassage(passage, wording, button));
    return button;
  }

  function showProposals(items) {
    results.replaceChildren(...items);
    proposals.hidden = false;
    reveal(proposals, false);
  }

  searchForm.addEventListener("submit", async (event) => {
    event.preventDefault();
    const wording = searchForm.elements.namedItem("q").value.trim();
    if (!wording) return;
    showProposals([el("li", "hint", ui.searching)]);
    let data;
    try {
      const response = await fetch(searchForm.action + "?" + new URLSearchParams({ q: wording }), {
        headers: { Accept: "application/json" },
        credentials: "same-origin",
      });
      if (!response.ok) throw new Error(String(response.status));
      data = await response.json();
    } catch (error) {
      showProposals([el("li", "form-error", ui.search_failed)]);
      return;
    }
    const items = data.passages.map((passage) => {
      const li = el("li");
      li.appendChild(proposalButton(passage, wording));
      return li;
    });
    if (!items.length) items.push(el("li", "empty", ui.no_passage));
    if (!data.complete) items.push(el("li", "hint passage-partial", ui.search_partial));
    showProposals(items);
  });

  function pickPassage(passage, wording, button) {
    pendingWording = wording;
    const statement = field("statement");
    if (statement.value === prefilled) statement.value = "";
    for (const picked of results.querySelectorAll(".passage-proposal.picked")) picked.classList.remove("picked");
    button.classList.add("picked");
    const range = selectUnits(codePointToUtf16(text, passage.start), codePointToUtf16(text, passage.end));
    showInText(range);
    onSelectionChange();
    reveal(form, true);
  }

  // --- keyboard -----------------------------------------------------------------------

  function typing(target) {
    return target.closest("input, textarea, select, [contenteditable]") !== null;
  }

  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape") {
      if (!overlay.hidden) overlay.hidden = true;
      else if (!form.hidden) hideForm();
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
    }
  });
  overlay.querySelector("[data-key-overlay-close]").addEventListener("click", () => {
    overlay.hidden = true;
  });

  // --- live: a colleague's work, drawn without a reload -----------------------------
  // live.js asks the server (views.live) and sends "live:claims": the claims in page order,
  // the cards of those that changed or went, the highlights as the server's tree, the counts.
  // What the reader is doing stays where it is: the selection, the new-claim form, and what is
  // typed in the open card.

  // The server counts code points, this text UTF-16 units: the same numbers unless the text has
  // characters beyond the Basic Multilingual Plane (emoji); then a table, made once.
  let unitTable = null;
  function units(points) {
    if (unitTable === null) {
      unitTable = false;
      if (/[\uD800-\uDFFF]/.test(text)) {
        unitTable = [];
        let unit = 0;
        for (const char of text) {
          unitTable.push(unit);
          unit += char.length;
        }
        unitTable.push(unit);
      }
    }
    return unitTable ? unitTable[points] : points;
  }

  // The server's tree of marks (anchoring.mark_tree, which the page's HTML was drawn from) as
  // elements with the same attributes in the same order: only the server decides how marks nest.
  function buildMarks(nodes, parent) {
    for (const node of nodes) {
      if (Array.isArray(node)) {
        parent.appendChild(document.createTextNode(text.slice(units(node[0]), units(node[1]))));
        continue;
      }
      const mark = document.createElement("mark");
      mark.dataset.claimId = node.id;
      mark.className = "status-" + node.status;
      if (node.first) {
        mark.id = "claim-" + node.id;
        mark.tabIndex = 0;
      }
      buildMarks(node.children, mark);
      parent.appendChild(mark);
    }
  }

  function redrawMarks(tree) {
    const selection = window.getSelection();
    let kept = null;
    if (selection.rangeCount && bodyEl.contains(selection.anchorNode) && bodyEl.contains(selection.focusNode)) {
      kept = {
        anchor: domToOffset(selection.anchorNode, selection.anchorOffset),
        focus: domToOffset(selection.focusNode, selection.focusOffset),
      };
    }
    const focused = document.activeElement;
    const focusedMark = focused !== bodyEl && bodyEl.contains(focused) ? focused.dataset.claimId : null;
    const fragment = document.createDocumentFragment();
    buildMarks(tree, fragment);
    bodyEl.replaceChildren(fragment);
    if (!card.hidden) markActive(card.dataset.claimId);
    if (focusedMark && firstMark(focusedMark)) firstMark(focusedMark).focus({ preventScroll: true });
    if (kept) {
      const anchor = offsetToDom(kept.anchor);
      const focus = offsetToDom(kept.focus);
      // Put back, the selection is no news, unless the form has not shown it yet (the reader selected it
      // a moment before the marks were drawn): then it still opens the form.
      const span = cleanSpan(Math.min(kept.anchor, kept.focus), Math.max(kept.anchor, kept.focus));
      const shown = span && filledSpan && span.start === filledSpan.start && span.end === filledSpan.end;
      redrawnSpan = shown ? span : null;
      selection.setBaseAndExtent(anchor.node, anchor.offset, focus.node, focus.offset);
    }
  }

  // Newly drawn or changed marks glow for a moment, so the reader sees where the news is.
  function flash(ids) {
    for (const id of ids) {
      for (const mark of bodyEl.querySelectorAll('mark[data-claim-id="' + CSS.escape(id) + '"]')) {
        mark.classList.add("live-changed");
        mark.addEventListener("animationend", () => mark.classList.remove("live-changed"), { once: true });
      }
    }
  }

  function drawClaimList() {
    const focused = document.activeElement;
    const focusedLink = claimIndex.contains(focused) ? focused.dataset.claimLink : null;
    const items = order.map((id) => {
      const claim = claimsById.get(id);
      const link = el("a");
      link.href = "#claim-" + id;
      link.dataset.claimLink = id;
      link.append(badge(claim), " " + claim.statement);
      const li = el("li");
      li.appendChild(link);
      return li;
    });
    if (!items.length) items.push(el("li", "empty", ui.no_claims));
    claimIndex.replaceChildren(...items);
    document.querySelector("[data-claim-count]").textContent = String(order.length);
    const again = focusedLink && claimIndex.querySelector('[data-claim-link="' + CSS.escape(focusedLink) + '"]');
    if (again) again.focus({ preventScroll: true });
  }

  function drawCounts(counts) {
    for (const [status, count] of Object.entries(counts)) {
      const cell = document.querySelector('[data-legend-count="' + CSS.escape(status) + '"]');
      if (cell) cell.textContent = String(count);
    }
  }

  // "After a correction" lists claims whose place needs a decision: a colleague may have made it.
  function trimAttention() {
    const section = document.querySelector("[data-anchor-attention]");
    if (!section) return;
    for (const item of section.querySelectorAll("[data-attention-claim]")) {
      const claim = claimsById.get(item.dataset.attentionClaim);
      if (!claim || (claim.anchor_state !== "needs_review" && claim.anchor_state !== "orphaned")) item.remove();
    }
    const left = section.querySelectorAll("[data-attention-claim]").length;
    section.querySelector("[data-attention-count]").textContent = String(left);
    section.hidden = left === 0;
  }

  // The notice of a colleague's change: at the top of the card, or, while the reader writes in
  // one of its forms, just above that form's button, where it is seen before the form is sent.
  const cardNotice = card.querySelector("[data-card-live]");
  function homeCardNotice() {
    if (cardNotice.nextElementSibling !== cardContent) cardContent.before(cardNotice);
  }
  function clearCardNotice() {
    homeCardNotice();
    cardNotice.hidden = true;
    cardNotice.replaceChildren();
  }

  function formBeingWritten(id) {
    const active = document.activeElement;
    if (card.contains(active) && active.closest("form")) return active.closest("form");
    const draft = drafts.get(id) || {};
    return (!draft.status && draft.edit) || !cardContent.querySelector("form[data-status-form]")
      ? editForm
      : cardContent.querySelector("form[data-status-form]");
  }

  // What changed, entry by entry, in the words of the card's history. `form`: the form the
  // reader writes in, to show it above its button; `staleClaimId`: offer to bring it up to date.
  function showCardNotice(message, entries, form, staleClaimId) {
    if (form) form.insertBefore(cardNotice, form.querySelector("button[type=submit]"));
    else homeCardNotice();
    cardNotice.replaceChildren(el("p", "", message));
    if (entries.length) {
      const list = el("ul");
      for (const entry of entries) {
        list.appendChild(el("li", "", entry.who + " – " + entry.what + (entry.change ? ": " + entry.change : "")));
      }
      cardNotice.appendChild(list);
    }
    cardNotice.classList.toggle("stale", Boolean(staleClaimId));
    if (staleClaimId) {
      const button = el("button", "button", ui.update_form);
      button.type = "button";
      button.dataset.cardLiveUpdate = "";
      button.addEventListener("click", () => {
        // The drafts (what was typed) come back into the forms, which now carry the current version.
        drawCard(claimsById.get(staleClaimId), othersAt(staleClaimId));
        clearCardNotice();
      });
      cardNotice.appendChild(button);
    }
    cardNotice.hidden = false;
  }

  function othersAt(id) {
    const mark = firstMark(id);
    return mark ? claimsAt(mark) : [id];
  }

  // Whether the reader has begun with a form of the card: typed in it (a draft) or is in it.
  function writingInCard(id) {
    return drafts.has(id) || (card.contains(document.activeElement) && document.activeElement.closest("form") !== null);
  }

  function refreshCard(claim, before) {
    const id = String(claim.id);
    const news = claim.history.slice(before ? before.history.length : 0);
    const who = news.length ? news[news.length - 1].who : "";
    if (claim.withdrawn) {
      if (claim.history.length) {
        const info = cardInfo(claim);
        for (const add of info.querySelectorAll("[data-add-source]")) add.remove();
        cardContent.querySelector("[data-card-info]").replaceWith(info);
      }
      // The forms keep what was typed, but nothing can be sent for a withdrawn claim.
      for (const button of card.querySelectorAll("button[type=submit]")) button.disabled = true;
      withdrawLink.hidden = true;
      const words = who ? ui.card_withdrawn.replace("%(who)s", () => who) : ui.card_gone;
      const form = writingInCard(id) ? formBeingWritten(id) : null;
      showCardNotice(words, news.filter((entry) => entry.kind !== "withdrawn"), form, null);
      return;
    }
    if (!writingInCard(id)) {
      drawCard(claim, othersAt(id));
      showCardNotice(ui.card_changed, news, null, null);
      return;
    }
    // The reader is writing: the forms stay as they are, with the version they were made for
    // (sent as they are, the server refuses them and shows what changed); the rest of the card
    // shows the claim as it is now.
    cardContent.querySelector("[data-card-info]").replaceWith(cardInfo(claim));
    cardContent.querySelector("[data-card-more]").replaceWith(cardMore(claim, othersAt(id)));
    showCardNotice(ui.card_stale.replace("%(who)s", () => who), news, formBeingWritten(id), id);
  }

  document.addEventListener("live:claims", (event) => {
    const news = event.detail;
    const before = new Map();
    for (const claim of [...news.changed, ...news.removed]) {
      const id = String(claim.id);
      const shown = claimsById.get(id);
      // Already shown as it is (its card came with an earlier answer): nothing to say about it.
      if (shown && !claim.withdrawn && shown.stamp === claim.stamp) continue;
      before.set(id, shown);
      if (claim.withdrawn) claimsById.delete(id);
      else claimsById.set(id, claim);
    }
    order.splice(0, order.length, ...news.order.filter((id) => claimsById.has(id)));
    redrawMarks(news.marks);
    flash([...before.keys()]);
    drawClaimList();
    drawCounts(news.counts);
    trimAttention();
    const open = card.hidden ? null : card.dataset.claimId;
    if (open && before.has(open)) {
      refreshCard([...news.changed, ...news.removed].find((claim) => String(claim.id) === open), before.get(open));
    }
    if (open) current = order.indexOf(open);
    // Tests and the benchmark wait for this.
    document.body.dataset.liveUpdates = String(Number(document.body.dataset.liveUpdates || 0) + 1);
  });

  // --- after a reload -----------------------------------------------------------------

  fitPanel();
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
    if (mark) {
      current = order.indexOf(wanted);
      openCard(wanted, claimsAt(mark));
      // The browser jumps to #claim-<id> (the mark at the window's top edge) once the page has
      // loaded: bring the mark to the middle after that.
      const centre = () => requestAnimationFrame(() => showInText(mark));
      if (document.readyState === "complete") centre();
      else window.addEventListener("load", centre, { once: true });
    }
  }
  if (!form.hidden) {
    // The server sent the form back with an error: show it whole, beside the text.
    showWarning(field("quote").value);
    reveal(form, true);
  }
  // After a save the panel starts at its top: the message, then the card just below it.
  if (!editError && form.hidden && document.querySelector("[data-panel-messages]")) panelScroll.scrollTop = 0;

  // Benchmarks and tests wait for this: every highlight is in place and wired.
  document.body.dataset.annotateReady = String(bodyEl.querySelectorAll("mark[data-claim-id]").length);
  if (window.performance && performance.mark) performance.mark("annotate-ready");
})();

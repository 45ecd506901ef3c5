// The re-attach page: the words the editor selects in the current text become the claim's
// new place. Offsets go to the server in code points (DESIGN.md), the browser counts UTF-16
// units; the server checks the quote against the text and refuses a mismatch.
"use strict";

(function () {
  const bodyEl = document.querySelector("[data-reattach-body]");
  const form = document.querySelector("form[data-reattach-form]");
  if (!bodyEl || !form) return;
  const text = bodyEl.textContent;
  const shown = form.querySelector("[data-reattach-selection]");
  const submit = form.querySelector("[data-reattach-submit]");

  const codePoints = (units) => Array.from(text.slice(0, units)).length;

  function offsetOf(node, offset) {
    const range = document.createRange();
    range.setStart(bodyEl, 0);
    range.setEnd(node, offset);
    return range.toString().length;
  }

  function onSelection() {
    const selection = window.getSelection();
    if (!selection.rangeCount || selection.isCollapsed) return;
    const range = selection.getRangeAt(0);
    if (!bodyEl.contains(range.startContainer) || !bodyEl.contains(range.endContainer)) return;
    let start = offsetOf(range.startContainer, range.startOffset);
    let end = offsetOf(range.endContainer, range.endOffset);
    while (start < end && /\s/.test(text[start])) start++;
    while (end > start && /\s/.test(text[end - 1])) end--;
    if (start >= end) return;
    const quote = text.slice(start, end);
    form.elements.namedItem("start").value = codePoints(start);
    form.elements.namedItem("end").value = codePoints(end);
    form.elements.namedItem("quote").value = quote;
    shown.textContent = quote;
    submit.disabled = false;
  }

  let timer = 0;
  document.addEventListener("selectionchange", () => {
    clearTimeout(timer);
    timer = setTimeout(onSelection, 60);
  });
  // Words selected while the page was still loading count too: no selectionchange follows them.
  onSelection();
  form.dataset.ready = "";
})();

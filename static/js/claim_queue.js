// The queue's bulk actions: select all rows at once, and show the assignee only for "assign".
(function () {
  "use strict";

  const form = document.querySelector("[data-bulk-form]");
  if (!form) return;
  const all = form.querySelector("[data-select-all]");
  const boxes = () => form.querySelectorAll("input[name=claims]");
  if (all) {
    all.addEventListener("change", function () {
      boxes().forEach((box) => { box.checked = all.checked; });
    });
  }
  const action = form.querySelector("select[name=action]");
  const assignee = form.querySelector("select[name=assignee]");
  if (action && assignee) {
    const update = () => { assignee.hidden = action.value !== "assign"; };
    action.addEventListener("change", update);
    update();
  }
})();

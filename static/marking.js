// Keys on the marking page, for comfort only: the form works without them.
// 1-9 tick a rubric criterion, s and c jump to the score and the comment, Ctrl+Enter saves.
(function () {
  "use strict";
  var form = document.querySelector("form[data-marking]");
  if (!form) return;
  document.addEventListener("keydown", function (event) {
    var typing = /^(INPUT|TEXTAREA|SELECT)$/.test(event.target.tagName) && event.target.type !== "checkbox";
    if ((event.ctrlKey || event.metaKey) && event.key === "Enter") {
      event.preventDefault();
      form.querySelector("button[value=next]").click();
      return;
    }
    if (typing || event.altKey || event.ctrlKey || event.metaKey) return;
    var tick = form.querySelector('[data-tick-key="' + event.key + '"]');
    if (tick) {
      event.preventDefault();
      tick.click();
    } else if (event.key === "s") {
      event.preventDefault();
      form.querySelector("#score").focus();
    } else if (event.key === "c") {
      event.preventDefault();
      form.querySelector("#comment").focus();
    }
  });
})();

// Comfort only: every page works without this file.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  // Ordering questions: up/down buttons rewrite the position selects.
  document.querySelectorAll("ol.ordering").forEach((list) => {
    const renumber = () => {
      list.querySelectorAll("li").forEach((item, index) => {
        const select = item.querySelector("select");
        if (select) select.value = String(index + 1);
      });
    };
    list.querySelectorAll("li").forEach((item) => {
      const moves = document.createElement("span");
      moves.className = "moves";
      for (const [label, dir] of [["↑", -1], ["↓", 1]]) {
        const button = document.createElement("button");
        button.type = "button";
        button.textContent = label;
        button.setAttribute("aria-label", dir < 0 ? "Move up" : "Move down");
        button.addEventListener("click", () => {
          const sibling = dir < 0 ? item.previousElementSibling : item.nextElementSibling;
          if (!sibling) return;
          if (dir < 0) list.insertBefore(item, sibling); else list.insertBefore(sibling, item);
          renumber();
          button.focus();
        });
        moves.appendChild(button);
      }
      item.appendChild(moves);
    });
    renumber();
  });

  // Flashcards: reveal the back without a round trip when the page holds it.
  document.querySelectorAll("[data-flip]").forEach((button) => {
    button.addEventListener("click", (event) => {
      const target = document.getElementById(button.dataset.flip);
      if (target) { target.hidden = false; button.hidden = true; event.preventDefault(); }
    });
  });

  // Keyboard: digits pick choices and ratings, Enter submits.
  document.addEventListener("keydown", (event) => {
    const tag = (event.target.tagName || "").toLowerCase();
    if (tag === "input" && !["radio", "checkbox"].includes(event.target.type)) return;
    if (tag === "textarea" || tag === "select" || event.ctrlKey || event.metaKey || event.altKey) return;
    const digit = Number(event.key);
    if (!Number.isInteger(digit) || digit < 1 || digit > 9) return;
    const rating = document.querySelector(`[data-rating-key="${digit}"]`);
    if (rating) { rating.click(); return; }
    const choice = document.querySelector(`[data-choice-key="${digit}"]`);
    if (choice) { choice.click(); choice.focus(); }
  });
});

// Timed quizzes: show the time left (counted from the server's clock) and, a few seconds
// before the limit, hand in what is there.
document.addEventListener("DOMContentLoaded", () => {
  const timer = document.querySelector("[data-seconds-left]");
  if (!timer) return;
  const end = Date.now() + Number(timer.dataset.secondsLeft) * 1000;
  const form = document.getElementById(timer.dataset.submit);
  const EARLY_MS = 3000;
  let sent = false;
  const tick = () => {
    const left = Math.max(0, Math.round((end - Date.now()) / 1000));
    const minutes = Math.floor(left / 60);
    const seconds = String(left % 60).padStart(2, "0");
    timer.textContent = `Time left: ${minutes}:${seconds}`;
    if (end - Date.now() <= EARLY_MS && form && !sent) {
      sent = true;
      // Tell the server the clock ran out: answers it cannot judge then count as blank
      // instead of sending the student back to fix them after the limit.
      const flag = document.createElement("input");
      flag.type = "hidden";
      flag.name = "time_up";
      flag.value = "1";
      form.appendChild(flag);
      form.submit();
    }
  };
  tick();
  window.setInterval(tick, 1000);
});

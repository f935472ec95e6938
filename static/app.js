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

  // Registration and a new class: start in the browser's time zone (the server checks the
  // name); a new class's field keeps a zone already chosen ("unless-set": only over UTC).
  document.querySelectorAll("[data-browser-timezone]").forEach((field) => {
    if (field.dataset.browserTimezone === "unless-set" && !["", "UTC"].includes(field.value)) return;
    try { field.value = Intl.DateTimeFormat().resolvedOptions().timeZone || field.value; } catch (e) { /* keep */ }
  });

  // Flashcards: the back is not in the front's page (so its source never shows an answer).
  // It is fetched while the student reads the front, so that "Show answer" needs no request.
  const flip = document.querySelector("[data-flip-url]");
  let back = null;
  if (flip) {
    fetch(flip.href, { credentials: "same-origin" })
      .then((response) => (response.ok ? response.text() : Promise.reject(response.status)))
      .then((html) => {
        back = new DOMParser().parseFromString(html, "text/html").getElementById("card");
        if (back) flip.dataset.ready = "1"; // the flip is now instant
      })
      .catch(() => { back = null; }); // the link still works: the flip is then a request
    flip.addEventListener("click", (event) => {
      const card = document.getElementById("card");
      if (!back || !card) return;
      event.preventDefault();
      card.replaceWith(document.adoptNode(back));
      // Focus goes to the card itself, so a screen reader reads the back; Space or Enter there
      // rates Good through the key handler below. (Focusing the Good button while Space is
      // still down would press it on the key's release.)
      back.tabIndex = -1;
      back.focus();
    });
  }

  // Keyboard: Space or Enter shows the answer, then rates Good; digits pick choices and
  // ratings. "Show answer" has no digit, so pressing a key twice can never rate Again.
  document.addEventListener("keydown", (event) => {
    const tag = (event.target.tagName || "").toLowerCase();
    if (tag === "input" && !["radio", "checkbox"].includes(event.target.type)) return;
    if (tag === "textarea" || tag === "select" || event.ctrlKey || event.metaKey || event.altKey) return;
    if (event.key === " " || event.key === "Enter") {
      if (tag === "input" || tag === "button" || (tag === "a" && !event.target.hasAttribute("data-flip-url"))) return;
      const target = document.querySelector("[data-flip-url]") || document.querySelector("[data-default-rating]");
      if (target && !event.repeat) {
        event.preventDefault();
        target.click();
      }
      return;
    }
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

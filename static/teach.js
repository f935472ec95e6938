// Comfort only: without this file the "Add" and "Remove" buttons post the form and the server
// sends it back with the row added or removed. With it, rows come and go without a request.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  const ROW_NAME = /^(choices|pairs|items|weighted|numbers)-(\d+|__i__)-/;
  const HELP_ID = /^(help|err)-(choices|pairs|items|weighted|numbers)-(\d+|__i__)-/;

  // Give every row of a list its index again: field names, ids, labels, buttons, numbers.
  const renumber = (list) => {
    list.querySelectorAll(":scope > [data-row]").forEach((row, index) => {
      row.querySelectorAll("[name], [id], label[for], [aria-describedby]").forEach((el) => {
        for (const attr of ["name", "id", "for"]) {
          const value = el.getAttribute(attr);
          if (value && ROW_NAME.test(value)) el.setAttribute(attr, value.replace(ROW_NAME, `$1-${index}-`));
          if (attr === "id" && value && HELP_ID.test(value)) el.setAttribute(attr, value.replace(HELP_ID, `$1-$2-${index}-`));
        }
        const described = el.getAttribute("aria-describedby");
        if (described) {
          el.setAttribute("aria-describedby", described.split(" ").map(
            (id) => id.replace(HELP_ID, `$1-$2-${index}-`)).join(" "));
        }
      });
      row.querySelectorAll("[data-row-value]").forEach((el) => { el.value = String(index); });
      row.querySelectorAll("[data-row-number]").forEach((el) => { el.textContent = String(index + 1); });
      row.querySelectorAll("[data-remove-row]").forEach((el) => {
        el.value = el.value.replace(/-(\d+|__i__)$/, `-${index}`);
      });
    });
  };

  document.querySelectorAll("[data-add-row]").forEach((button) => {
    const name = button.getAttribute("data-add-row");
    const list = document.querySelector(`[data-rows="${name}"]`);
    const template = document.querySelector(`template[data-row-template="${name}"]`);
    if (!list || !template) return;
    button.addEventListener("click", (event) => {
      event.preventDefault();
      list.appendChild(template.content.cloneNode(true));
      renumber(list);
      const input = list.lastElementChild.querySelector("input[type=text], textarea");
      if (input) input.focus();
    });
  });

  document.addEventListener("click", (event) => {
    const button = event.target.closest("[data-remove-row]");
    if (!button) return;
    const row = button.closest("[data-row]");
    const list = row && row.parentElement;
    if (!list) return;
    event.preventDefault();
    const fieldset = list.closest("fieldset");
    row.remove();
    renumber(list);
    const add = fieldset && fieldset.querySelector("[data-add-row]");
    if (add) add.focus();
  });

  // Enter in a choice's text goes to the next choice; in the last one it adds a choice (an
  // empty last choice moves on instead). Elsewhere Enter still saves, as in any form.
  document.addEventListener("keydown", (event) => {
    const input = event.target;
    if (event.key !== "Enter" || event.shiftKey || event.ctrlKey || event.metaKey || event.isComposing) return;
    if (!input.matches || !input.matches("[data-rows='choices'] input[type=text][name$='-text']")) return;
    const row = input.closest("[data-row]");
    const next = row.nextElementSibling;
    event.preventDefault();
    if (next) {
      next.querySelector("input[type=text]").focus();
    } else if (input.value.trim()) {
      const add = row.closest("fieldset.rows").querySelector("[data-add-row]");
      if (add) add.click();
    } else {
      const after = document.getElementById("explanation") || document.getElementById("tags");
      if (after) after.focus();
    }
  });

  // The media picker: Insert puts a file's Markdown where the cursor last was.
  let lastField = null;
  document.addEventListener("focusin", (event) => {
    const el = event.target;
    if (el.matches && el.matches(".question-form textarea, .question-form input[type=text]:not([readonly]), .rows-editor textarea, .rows-editor input[type=text]")) lastField = el;
  });
  document.querySelectorAll("[data-insert-media]").forEach((button) => {
    button.hidden = false;
    button.addEventListener("click", () => {
      const field = lastField || document.getElementById("prompt");
      if (!field) return;
      const text = button.getAttribute("data-insert-media");
      const start = field.selectionStart ?? field.value.length;
      const end = field.selectionEnd ?? start;
      field.value = field.value.slice(0, start) + text + field.value.slice(end);
      field.focus();
      field.setSelectionRange(start + text.length, start + text.length);
      field.dispatchEvent(new Event("input", { bubbles: true }));
    });
  });

  // Numeric questions: show the value fields or the range fields, as the radio says.
  const modes = document.querySelectorAll("input[name='mode']");
  const groups = document.querySelectorAll(".numeric-fields[data-mode]");
  const showMode = () => {
    const checked = document.querySelector("input[name='mode']:checked");
    const mode = checked ? checked.value : "value";
    groups.forEach((group) => { group.hidden = group.getAttribute("data-mode") !== mode; });
  };
  modes.forEach((radio) => radio.addEventListener("change", showMode));
  if (modes.length) showMode();
});

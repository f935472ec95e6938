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

// The rows editor's comfort; without this file the table, "Add 5 rows", "Paste a list" and
// Save all work as a plain form. With it: Tab from the last cell adds a row, a list pasted
// into a cell is split into rows (shown first), Up/Down (or Alt+arrows) reorder, "Add 5 rows"
// needs no request, and the table is kept as a draft in this browser until it is saved.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  const form = document.getElementById("rows-form");
  if (!form) return;
  const body = form.querySelector("[data-card-rows]");
  const template = form.querySelector("template[data-card-row-template]");
  const maxRows = Number(form.getAttribute("data-max-rows")) || 200;
  const draftKey = form.getAttribute("data-draft-key");
  const note = form.querySelector("[data-draft-note]");
  const COLUMNS = ["term", "definition", "hint", "tags", "media"];
  const NAME = /^rows-(\d+|__i__)-/;
  form.querySelectorAll(".js-only").forEach((el) => { el.hidden = false; });

  const rows = () => Array.from(body.querySelectorAll(":scope > [data-card-row]"));
  const cell = (row, column) => row.querySelector(`[name$="-${column}"]`);

  // Every row's field names, labels and number follow its place in the table.
  const renumber = () => {
    rows().forEach((row, index) => {
      const n = String(index + 1);
      row.querySelectorAll("[name]").forEach((el) => {
        el.name = el.name.replace(NAME, `rows-${index}-`);
        if (el.id) el.id = el.id.replace(NAME, `rows-${index}-`);
        const label = el.getAttribute("data-label");
        if (label) el.setAttribute("aria-label", `${label}, row ${n}`);
      });
      row.querySelectorAll("[data-row-number]").forEach((el) => { el.textContent = n; });
      row.querySelectorAll("[data-move]").forEach((el) => {
        el.setAttribute("aria-label", `Move row ${n} ${el.getAttribute("data-move") === "-1" ? "up" : "down"}`);
      });
    });
  };

  const addRow = (values) => {
    if (rows().length >= maxRows) return null;
    body.appendChild(template.content.cloneNode(true));
    const row = body.lastElementChild;
    if (values) COLUMNS.forEach((c) => { if (values[c] !== undefined && cell(row, c)) cell(row, c).value = values[c]; });
    return row;
  };

  // The draft: every row's cells, saved as the teacher types; restored into an empty table.
  const valuesOf = (row) => Object.fromEntries(COLUMNS.map((c) => [c, cell(row, c) ? cell(row, c).value : ""]));
  const snapshot = () => rows().map(valuesOf);
  const isBlank = (values) => COLUMNS.every((c) => !(values[c] || "").trim());
  const saveDraft = () => {
    if (!draftKey) return;
    const filled = snapshot().filter((values) => !isBlank(values));
    try {
      if (filled.length) localStorage.setItem(draftKey, JSON.stringify({ at: new Date().toISOString(), rows: filled }));
      else localStorage.removeItem(draftKey);
    } catch (error) { /* storage full or refused: the form still works */ }
  };
  const showNote = (text) => { if (note) { note.textContent = text; note.hidden = false; } };
  const restoreDraft = () => {
    if (!draftKey || !snapshot().every(isBlank)) return;  // the server sent rows: they win
    let draft = null;
    try { draft = JSON.parse(localStorage.getItem(draftKey) || "null"); } catch (error) { draft = null; }
    if (!draft || !Array.isArray(draft.rows) || !draft.rows.length) return;
    rows().forEach((row) => row.remove());
    draft.rows.forEach((values) => addRow(values));
    for (let i = 0; i < 3; i += 1) addRow();
    renumber();
    showNote(`Restored ${draft.rows.length} unsaved row${draft.rows.length === 1 ? "" : "s"} from a draft kept in this browser.`);
  };
  restoreDraft();
  form.addEventListener("input", saveDraft);
  form.addEventListener("change", saveDraft);
  form.addEventListener("submit", (event) => {
    const action = event.submitter ? event.submitter.value : "save";
    if (action === "save") saveDraft();  // kept until the set's page says it was saved
    if (action === "save" && draftKey) sessionStorage.setItem("rows-saving", draftKey);
  });

  // Tab from the last cell of the last row adds a row (focus then moves into it).
  form.addEventListener("keydown", (event) => {
    const el = event.target;
    const row = el.closest && el.closest("[data-card-row]");
    if (!row) return;
    if (event.key === "Tab" && !event.shiftKey && row === body.lastElementChild) {
      const fields = Array.from(row.querySelectorAll("textarea, input, select"));
      if (el !== fields[fields.length - 1]) return;
      const added = addRow();
      if (!added) return;
      event.preventDefault();  // past the row's move buttons, straight into the new row
      renumber();
      cell(added, "term").focus();
    } else if (event.altKey && (event.key === "ArrowUp" || event.key === "ArrowDown")) {
      event.preventDefault();
      move(row, event.key === "ArrowUp" ? -1 : 1, el);
    } else if (event.key === "Enter" && !event.shiftKey && el.tagName === "TEXTAREA") {
      event.preventDefault();  // a cell is one line: Enter goes to the same cell of the next row
      const next = row.nextElementSibling || addRow();
      renumber();
      const column = COLUMNS.find((c) => el.name.endsWith(`-${c}`));
      if (next && cell(next, column)) cell(next, column).focus();
    }
  });

  const move = (row, step, focus) => {
    const other = step < 0 ? row.previousElementSibling : row.nextElementSibling;
    if (!other) return;
    if (step < 0) body.insertBefore(row, other); else body.insertBefore(other, row);
    renumber();
    saveDraft();
    if (focus) focus.focus();
  };
  body.addEventListener("click", (event) => {
    const button = event.target.closest("[data-move]");
    if (button) move(button.closest("[data-card-row]"), Number(button.getAttribute("data-move")), button);
  });

  const addFive = form.querySelector("[data-add-card-rows]");
  if (addFive) addFive.addEventListener("click", (event) => {
    event.preventDefault();
    let first = null;
    for (let i = 0; i < 5; i += 1) { const row = addRow(); first = first || row; }
    renumber();
    if (first) cell(first, "term").focus();
  });

  // A list pasted into a cell: split as the server's "Paste a list" does, shown before it is used.
  const preview = form.querySelector("[data-paste-preview]");
  let pending = null;
  const split = (text) => {
    text = text.replace(/\r\n?/g, "\n").replace(/^\n+|\n+$/g, "");
    const lines = text.includes("\n") ? text.split("\n") : text.split(";");
    const separator = text.includes("\t") ? "\t" : ",";
    return lines.filter((line) => line.trim()).map((line) => {
      const at = line.indexOf(separator);
      return at < 0 ? { term: line.trim(), definition: "" }
        : { term: line.slice(0, at).trim(), definition: line.slice(at + 1).trim() };
    });
  };
  body.addEventListener("paste", (event) => {
    const el = event.target;
    if (!preview || !el.matches("textarea, input[type=text]")) return;
    const text = (event.clipboardData || window.clipboardData).getData("text");
    const parts = split(text);
    if (parts.length < 2) return;  // one line: pasted as it is
    event.preventDefault();
    pending = { row: el.closest("[data-card-row]"), parts, el, text };
    const list = preview.querySelector("[data-paste-rows]");
    list.textContent = "";
    parts.slice(0, 50).forEach((part) => {
      const tr = list.insertRow();
      tr.insertCell().textContent = part.term;
      tr.insertCell().textContent = part.definition;
    });
    preview.querySelector("[data-paste-summary]").textContent =
      `${parts.length} rows pasted${parts.length > 50 ? " (the first 50 shown)" : ""}: split into rows?`;
    preview.hidden = false;
    preview.querySelector("[data-paste-accept]").focus();
  });
  const closePreview = (focus) => { preview.hidden = true; if (focus) focus.focus(); pending = null; };
  if (preview) {
    preview.querySelector("[data-paste-accept]").addEventListener("click", () => {
      if (!pending) return;
      let row = pending.row;
      pending.parts.forEach((part, index) => {
        if (!row) return;
        if (index > 0) {
          const next = row.nextElementSibling;
          if (next && isBlank(valuesOf(next))) row = next;
          else {
            const added = addRow();
            if (added) body.insertBefore(added, next);
            row = added;
            if (!row) return;
          }
        }
        cell(row, "term").value = part.term;
        cell(row, "definition").value = part.definition;
      });
      addRow();
      renumber();
      saveDraft();
      showNote(`${pending.parts.length} rows added from the pasted list. Check them, then save.`);
      closePreview(form.querySelector("button[value=save].primary"));
    });
    preview.querySelector("[data-paste-cancel]").addEventListener("click", () => {
      const { el, text } = pending || {};
      if (el) { el.value += text; saveDraft(); }
      closePreview(el);
    });
  }
});

// On the set's page after a save: the draft that was being saved is no longer needed.
(() => {
  const key = sessionStorage.getItem("rows-saving");
  if (key && !document.getElementById("rows-form")) {
    try { localStorage.removeItem(key); } catch (error) { /* nothing to clear */ }
    sessionStorage.removeItem("rows-saving");
  }
})();

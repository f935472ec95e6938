// Comfort only: the preview page shows every row as the server read it. With this file, the
// rows of a Quizlet paste show under the separators as they are typed or chosen.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  const box = document.querySelector(".quizlet-live");
  const text = document.getElementById("text");
  const format = document.getElementById("fmt");
  if (!box || !text || !format) return;
  const body = box.querySelector("tbody");
  const chosen = (name) => (document.querySelector(`input[name="${name}"]:checked`) || {}).value;
  const custom = (name) => (document.getElementById(name).value || "").replace(/\\t/g, "\t").replace(/\\n/g, "\n");
  const separator = (name, fixed) => (chosen(name) === "custom" ? custom(`${name}_custom`) : fixed[chosen(name)]);
  const cell = (row, value) => {
    const td = document.createElement("td");
    td.textContent = value;
    row.appendChild(td);
  };
  const update = () => {
    const term = separator("quizlet_term", { tab: "\t", comma: "," });
    const rowSep = separator("quizlet_row", { newline: "\n", semicolon: ";" });
    body.replaceChildren();
    box.hidden = format.value !== "quizlet" || !text.value.trim() || !term || !rowSep;
    if (box.hidden) return;
    text.value.replace(/\r\n/g, "\n").split(rowSep).forEach((line, index) => {
      if (!line.trim() || body.children.length >= 50) return;
      const row = document.createElement("tr");
      const at = line.indexOf(term);
      cell(row, String(index + 1));
      cell(row, at < 0 ? line.trim() : line.slice(0, at).trim());
      cell(row, at < 0 ? "(no separator: this row would be refused)" : line.slice(at + term.length).trim());
      body.appendChild(row);
    });
  };
  document.querySelectorAll('[name^="quizlet_"], #text, #fmt').forEach((el) => {
    el.addEventListener("input", update);
    el.addEventListener("change", update);
  });
  update();
});

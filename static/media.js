// Comfort only: the sound of a card plays from its own controls without this file.
// R replays the card's sound from the start, as in Anki (not while typing in a field).
"use strict";

// app.js turns a flashcard over with the back parsed from a fetched page: a sound parsed
// there (a document without a window) failed to load, so it is loaded again once in this one.
const reload = (root) => {
  root.querySelectorAll("audio[data-media]").forEach((sound) => {
    if (sound.error || sound.networkState === HTMLMediaElement.NETWORK_NO_SOURCE) sound.load();
  });
};
new MutationObserver((changes) => {
  changes.forEach((change) => change.addedNodes.forEach((node) => {
    if (node.querySelectorAll) reload(node);
  }));
}).observe(document.documentElement, { childList: true, subtree: true });

document.addEventListener("keydown", (event) => {
  if (event.key !== "r" && event.key !== "R") return;
  if (event.ctrlKey || event.metaKey || event.altKey || event.repeat) return;
  const tag = (event.target.tagName || "").toLowerCase();
  if (tag === "textarea" || tag === "select" || (tag === "input" && !["radio", "checkbox"].includes(event.target.type))) return;
  const card = document.getElementById("card") || document;
  const sounds = card.querySelectorAll("audio[data-media]");
  if (!sounds.length) return;
  event.preventDefault();
  // The back shows the front too: its last sound is the one that belongs to the side shown.
  const sound = sounds[sounds.length - 1];
  sounds.forEach((other) => { if (other !== sound) other.pause(); });
  if (sound.error) sound.load();
  sound.currentTime = 0;
  sound.play().catch(() => { /* the browser refused to play: the controls still work */ });
});

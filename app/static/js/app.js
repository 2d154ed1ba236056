// Behaviour without inline scripts (the Content-Security-Policy forbids them).
document.addEventListener("submit", (event) => {
  const message = event.target.dataset.confirm;
  if (message && !window.confirm(message)) {
    event.preventDefault();
    return;
  }
  // Logging out forgets the schools' pages kept for visits without a connection (visit.js).
  if ("forgetVisits" in event.target.dataset && window.caches) window.caches.delete("visits");
});

document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-copy-target]");
  if (!button) return;
  const field = document.getElementById(button.dataset.copyTarget);
  field.select();
  navigator.clipboard?.writeText(field.value);
  button.textContent = button.dataset.copiedText || button.textContent;
});

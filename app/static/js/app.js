// Behaviour without inline scripts (the Content-Security-Policy forbids them).
document.addEventListener("submit", (event) => {
  const message = event.target.dataset.confirm;
  if (message && !window.confirm(message)) {
    event.preventDefault();
  }
});

document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-copy-target]");
  if (!button) return;
  const field = document.getElementById(button.dataset.copyTarget);
  field.select();
  navigator.clipboard?.writeText(field.value);
  button.textContent = button.dataset.copiedText || button.textContent;
});

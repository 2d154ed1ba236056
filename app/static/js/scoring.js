// The score sheet: a button may ask before it submits (app.js asks for a whole form).
(() => {
  "use strict";

  const form = document.getElementById("score-form");
  if (!form) return;
  form.addEventListener("submit", (event) => {
    const message = event.submitter && event.submitter.dataset.confirmAction;
    if (message && !window.confirm(message)) event.preventDefault();
  });
})();

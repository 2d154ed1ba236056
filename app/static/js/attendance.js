// The attendance list marks a person with one tap and stays where it is: the form is sent in
// the background and the button, the person's status and the count change in place. Without
// this script the form posts and the page reloads at the person.
(() => {
  "use strict";
  const count = document.getElementById("attendance-count");
  const failure = document.getElementById("attendance-error");

  function show(form, reply) {
    const button = form.querySelector("button");
    const icon = button.querySelector(".bi");
    button.classList.toggle("btn-success", reply.attended);
    button.classList.toggle("btn-outline-secondary", !reply.attended);
    button.setAttribute("aria-pressed", reply.attended ? "true" : "false");
    icon.classList.toggle("bi-check-circle-fill", reply.attended);
    icon.classList.toggle("bi-circle", !reply.attended);
    form.querySelector("[data-status]").textContent = reply.status;
    form.elements.present.value = reply.attended ? "0" : "1";
    count.textContent = reply.count;
  }

  async function send(form) {
    const button = form.querySelector("button");
    button.disabled = true;
    try {
      const reply = await fetch(form.action, {
        method: "POST", body: new FormData(form), credentials: "same-origin",
        headers: { Accept: "application/json" },
      });
      if (!reply.ok) throw new Error(String(reply.status));
      show(form, await reply.json());
      failure.classList.add("d-none");
    } catch (problem) {
      failure.classList.remove("d-none");
    } finally {
      button.disabled = false;
    }
  }

  document.querySelectorAll("form[data-attendance]").forEach((form) => {
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      send(form);
    });
  });
})();

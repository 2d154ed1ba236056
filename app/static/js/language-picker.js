// The form language picker: choosing a language shows the form in it at once.
document.querySelectorAll("[data-language-picker]").forEach((form) => {
  const apply = form.querySelector("[data-language-apply]");
  apply.classList.add("visually-hidden");
  form.querySelector("select").addEventListener("change", () => form.requestSubmit(apply));
});

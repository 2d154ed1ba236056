// "Tick all": a button that ticks every checkbox of the name it names (shown only with JS).
document.querySelectorAll("[data-tick-all]").forEach((button) => {
  button.hidden = false;
  button.addEventListener("click", () => {
    document.querySelectorAll(`input[name="${button.dataset.tickAll}"]`).forEach((box) => {
      box.checked = true;
    });
  });
});

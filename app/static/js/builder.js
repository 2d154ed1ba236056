// The question form shows only the settings the chosen type uses.
(() => {
  const type = document.getElementById("type");
  if (!type) return;
  const update = () => {
    document.querySelectorAll("[data-for-types]").forEach((block) => {
      block.hidden = !block.dataset.forTypes.split(" ").includes(type.value);
    });
  };
  type.addEventListener("change", update);
  update();
})();

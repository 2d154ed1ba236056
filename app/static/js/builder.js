// The question form shows only the settings the chosen type uses, and says in words what its
// minimum and maximum amount to as they are typed.
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

  const summary = document.getElementById("bounds-summary");
  const low = document.getElementById("min");
  const high = document.getElementById("max");
  if (!summary || !low || !high) return;
  const phrases = JSON.parse(summary.dataset.phrases);
  const measures = JSON.parse(summary.dataset.measures);
  const numbers = new Intl.NumberFormat("ru-RU", { maximumFractionDigits: 20 });
  const isoDate = /^(\d{4})-(\d{2})-(\d{2})$/;

  const shown = (text, measure) => {
    const value = text.trim().replace(",", ".");
    const day = isoDate.exec(value);
    if (measure === "date") return day ? `${day[3]}.${day[2]}.${day[1]}` : text.trim();
    return /^-?\d+(\.\d+)?$/.test(value) ? numbers.format(Number(value)) : text.trim();
  };
  const literal = (text) => {
    const value = text.trim().replace(",", ".");
    return isoDate.test(value) ? `date('${value}')` : value;
  };
  const constraint = (measure, min, max) => {
    if (!measure) return "";
    const parts = [];
    if (min) parts.push(`${measure} >= ${literal(min)}`);
    if (max) parts.push(`${measure} <= ${literal(max)}`);
    return parts.join(" and ");
  };

  const describe = () => {
    const measure = measures.phrases[type.value];
    const min = low.value.trim();
    const max = high.value.trim();
    summary.hidden = !measure || !(min || max);
    if (summary.hidden) return;
    const which = min && max ? "both" : min ? "min" : "max";
    summary.querySelector("[data-bounds-phrase]").textContent = phrases[measure][which]
      .replace("{min}", shown(min, measure))
      .replace("{max}", shown(max, measure));
    const xlsform = summary.querySelector("[data-bounds-xlsform]");
    const text = constraint(measures.xlsform[type.value], min, max);
    xlsform.hidden = !text;
    xlsform.querySelector("code").textContent = text;
  };
  [type, low, high].forEach((input) => input.addEventListener("input", describe));
  type.addEventListener("change", describe);
})();

// The report page's charts, drawn by Chart.js from the JSON beside each canvas
// (app/reports/charts.py). Without this script the tables under the charts show the figures.
(() => {
  if (!window.Chart) return;
  const BLUE = "#0d6efd";
  const RED = "#dc3545";
  const GREY = "#495057";
  const ROW = 28;
  const formats = {};

  function format(value, places) {
    formats[places] ??= new Intl.NumberFormat("ru-RU", {
      minimumFractionDigits: places,
      maximumFractionDigits: places,
    });
    return value === null || value === undefined ? "—" : formats[places].format(value);
  }

  // Long labels wrapped into lines of about `width` characters, fewer on a phone.
  function wrapped(label, width = window.innerWidth < 576 ? 18 : 32) {
    const lines = [];
    let line = "";
    for (const word of String(label).split(" ")) {
      if (line && (line + " " + word).length > width) {
        lines.push(line);
        line = word;
      } else {
        line = line ? line + " " + word : word;
      }
    }
    lines.push(line);
    return lines;
  }

  function title(text) {
    return { display: Boolean(text), text: text || "", color: GREY, font: { weight: "bold" } };
  }

  function valueAxis(spec, extra = {}) {
    return {
      beginAtZero: true,
      title: title(spec.kind === "histogram" ? spec.y_title : spec.x_title),
      ticks: {
        precision: spec.places === 0 ? 0 : undefined,
        callback: (value) => format(value, Number.isInteger(value) ? 0 : spec.places),
      },
      ...extra,
    };
  }

  function categoryAxis(spec, extra = {}) {
    return {
      title: title(spec.kind === "histogram" ? spec.x_title : ""),
      ticks: { autoSkip: false },
      grid: { display: false },
      ...extra,
    };
  }

  function datasets(spec) {
    if (spec.kind !== "schools") {
      // a white edge between bars: a histogram's adjacent bins stay apart
      return [
        { label: spec.series, data: spec.values, backgroundColor: BLUE, borderColor: "#fff", borderWidth: 1 },
      ];
    }
    const sets = [
      {
        label: spec.series,
        data: spec.values.map((value, i) => (spec.beyond[i] ? null : value)),
        backgroundColor: BLUE,
      },
    ];
    if (spec.norm) {
      sets.push({
        label: spec.beyond_series,
        data: spec.values.map((value, i) => (spec.beyond[i] ? value : null)),
        backgroundColor: RED,
      });
      sets.push({
        type: "line",
        label: spec.norm.label,
        data: spec.labels.map(() => spec.norm.value),
        borderColor: GREY,
        borderDash: [6, 4],
        borderWidth: 2,
        pointRadius: 0,
        pointHitRadius: 0,
        fill: false,
      });
    }
    return sets;
  }

  function tooltipLabel(spec) {
    return (context) => {
      const value = context.parsed[spec.kind === "histogram" ? "y" : "x"];
      if (spec.kind === "shares") {
        return `${format(spec.counts[context.dataIndex], 0)} (${format(value, spec.places)} %)`;
      }
      return `${context.dataset.label}: ${format(value, spec.places)}`;
    };
  }

  function config(spec) {
    const horizontal = spec.kind !== "histogram";
    const scales = horizontal
      ? {
          x: valueAxis(spec, spec.kind === "shares" ? { max: 100 } : {}),
          y: categoryAxis(spec, { stacked: true, ticks: { autoSkip: false } }),
        }
      : { x: categoryAxis(spec), y: valueAxis(spec) };
    return {
      type: "bar",
      data: {
        labels: horizontal ? spec.labels.map((label) => wrapped(label)) : spec.labels,
        datasets: datasets(spec),
      },
      options: {
        indexAxis: horizontal ? "y" : "x",
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        layout: { padding: { right: 12 } },
        skipNull: true,
        barPercentage: spec.kind === "histogram" ? 1 : 0.8,
        categoryPercentage: spec.kind === "histogram" ? 1 : 0.8,
        scales,
        plugins: {
          legend: { display: spec.kind === "schools" && Boolean(spec.norm), position: "bottom" },
          tooltip: {
            callbacks: {
              label: tooltipLabel(spec),
              title: (items) => spec.labels[items[0].dataIndex],
            },
          },
        },
      },
    };
  }

  function height(spec) {
    if (spec.kind === "histogram") return 280;
    const lines = spec.labels.reduce((sum, label) => sum + wrapped(label).length, 0);
    return Math.max(140, spec.labels.length * ROW + (lines - spec.labels.length) * 14 + 90);
  }

  Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
  Chart.defaults.color = "#212529";

  for (const figure of document.querySelectorAll("[data-chart]")) {
    const spec = JSON.parse(figure.querySelector("script[type='application/json']").textContent);
    const box = figure.querySelector(".chart-box");
    box.classList.remove("d-none");
    box.style.height = `${height(spec)}px`;
    new Chart(box.querySelector("canvas"), config(spec));
    const table = figure.querySelector("details.chart-table");
    if (table) table.open = false;
  }

  // A printed page is narrower than the screen: the charts are redrawn to fit it and back.
  const resizeAll = () => Object.values(Chart.instances).forEach((chart) => chart.resize());
  window.addEventListener("beforeprint", resizeAll);
  window.addEventListener("afterprint", resizeAll);
})();

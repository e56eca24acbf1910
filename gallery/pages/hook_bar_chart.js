// The BarChart hook: draws SVG bars from the element's data-points JSON, again on each update,
// and sends a click on a bar to the component the chart is in (pushEventTo an element).
const SVG = "http://www.w3.org/2000/svg";

function draw(hook) {
  const points = JSON.parse(hook.el.dataset.points);
  const selected = hook.el.dataset.selected;
  const max = Math.max(...points.map((point) => point.value), 1);
  const svg = document.createElementNS(SVG, "svg");
  svg.setAttribute("viewBox", `0 0 ${points.length * 40} 120`);
  svg.setAttribute("role", "img");
  points.forEach((point, index) => {
    const height = Math.round((point.value / max) * 100);
    const bar = document.createElementNS(SVG, "rect");
    bar.setAttribute("x", String(index * 40 + 5));
    bar.setAttribute("y", String(110 - height));
    bar.setAttribute("width", "30");
    bar.setAttribute("height", String(height));
    bar.setAttribute("class", point.label === selected ? "bar selected" : "bar");
    bar.dataset.label = point.label;
    const title = document.createElementNS(SVG, "title");
    title.textContent = `${point.label}: ${point.value}`;
    bar.append(title);
    bar.addEventListener("click", () => {
      hook.pushEventTo(hook.el, "point-clicked", { label: point.label });
    });
    svg.append(bar);
  });
  hook.el.replaceChildren(svg);
}

export default {
  mounted() {
    draw(this);
  },
  updated() {
    draw(this); // the server patched data-points or data-selected
  },
};

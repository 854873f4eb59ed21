// The interactive claims ledger: a filter box and sortable columns, with no library and no network.
// Progressive: without JavaScript the table is still there, whole and readable.
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll(".sinoiran-interactive").forEach((box) => {
    const input = box.querySelector(".sinoiran-filter");
    const count = box.querySelector(".sinoiran-count");
    const table = box.querySelector("table");
    const body = table.tBodies[0];
    const rows = Array.from(body.rows);
    const show = () => {
      const words = input.value.toLowerCase().split(/\s+/).filter(Boolean);
      let shown = 0;
      rows.forEach((row) => {
        const text = row.textContent.toLowerCase();
        const keep = words.every((w) => text.includes(w));
        row.hidden = !keep;
        shown += keep ? 1 : 0;
      });
      count.textContent = `${shown} of ${rows.length} rows`;
    };
    input.addEventListener("input", show);
    show();
    const value = (row, i) => {
      const text = row.cells[i].textContent.trim();
      const number = Number(text.replace(/,/g, ""));
      return text !== "" && !Number.isNaN(number) ? number : text.toLowerCase();
    };
    Array.from(table.tHead.rows[0].cells).forEach((th, i) => {
      th.tabIndex = 0;
      th.setAttribute("aria-sort", "none");
      const sort = () => {
        const ascending = th.getAttribute("aria-sort") !== "ascending";
        table.tHead.rows[0].querySelectorAll("th").forEach((h) => h.setAttribute("aria-sort", "none"));
        th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
        rows.sort((a, b) => {
          const x = value(a, i), y = value(b, i);
          const order = typeof x === typeof y ? (x < y ? -1 : x > y ? 1 : 0) : typeof x === "number" ? -1 : 1;
          return ascending ? order : -order;
        });
        rows.forEach((row) => body.appendChild(row));
      };
      th.addEventListener("click", sort);
      th.addEventListener("keydown", (e) => { if (e.key === "Enter" || e.key === " ") { e.preventDefault(); sort(); } });
    });
  });
});

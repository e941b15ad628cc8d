/* The results grid (selection/grid.html), moved out of the page for the Content Security
   Policy (no inline scripts). */
/* Keyboard entry: Enter moves on like Tab; a row saves (through htmx) when focus leaves it
   with something changed. Without this script every row is a plain form with its button. */
document.addEventListener("DOMContentLoaded", function () {  /* after htmx, which is deferred */
  var grid = document.getElementById("grid");
  if (!grid || !window.htmx) { return; }
  function inputs(scope) {
    return Array.prototype.slice.call(scope.querySelectorAll("input:not([type=hidden])"));
  }
  function dirty(row) {
    return inputs(row).some(function (input) { return input.value !== input.defaultValue; });
  }
  function save(row) {
    var form = row.querySelector("form");
    if (form && row.isConnected && dirty(row)) { form.requestSubmit(); }
  }
  grid.addEventListener("focusout", function (event) {
    var row = event.target.closest("tr[data-row]");
    if (!row || (event.relatedTarget && row.contains(event.relatedTarget))) { return; }
    /* Later, so that a row htmx has just replaced (focus leaves it too) is not sent again. */
    window.setTimeout(function () { save(row); }, 0);
  });
  grid.addEventListener("keydown", function (event) {
    if (event.key === "," && event.target.type === "number") {
      /* Indonesian decimals: number inputs drop a comma, so 1,5 would arrive as 15. */
      event.preventDefault();
      document.execCommand("insertText", false, ".");
      return;
    }
    if (event.key !== "Enter" || event.target.tagName !== "INPUT") { return; }
    event.preventDefault();
    var all = inputs(grid.tBodies[0]);
    var next = all[all.indexOf(event.target) + 1];
    if (next) { next.focus(); next.select(); } else { save(event.target.closest("tr[data-row]")); }
  });
  function prepare(scope) {
    Array.prototype.forEach.call(scope.querySelectorAll(".row-save"), function (button) {
      button.tabIndex = -1;  /* Tab goes from cell to cell; the buttons are for the mouse */
    });
    var ask = scope.querySelector("[data-focus]");
    if (ask) { ask.focus(); }
  }
  prepare(grid);
  /* A plain listener: htmx.on() waits for a "ready" that has already passed by now. */
  grid.addEventListener("htmx:load", function (event) { prepare(event.target); });
});

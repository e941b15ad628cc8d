/* The roll call (training/roll_call.html), moved out of the page for the Content Security
   Policy (no inline scripts). A nicety: choosing "excused" asks for the reason at once. The
   form works without it. */
(function () {
  var form = document.getElementById("roll-call");
  if (!form) { return; }
  form.addEventListener("change", function (event) {
    var input = event.target;
    if (input.type !== "radio") { return; }
    var reason = document.getElementById("reason-" + input.name.slice(7));
    if (!reason) { return; }
    reason.required = input.value === "excused";
    if (input.value === "excused" && !reason.value) { reason.focus(); }
  });
})();

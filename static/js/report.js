// The report screen asks before leaving it with figures typed and not saved (closing the tab, following a
// link): they would be lost. Any of the form's buttons saves them.
(function () {
  const form = document.querySelector("form.report-form");
  if (!form) return;
  let unsaved = false;
  form.addEventListener("input", function () { unsaved = true; });
  form.addEventListener("submit", function () { unsaved = false; });
  window.addEventListener("beforeunload", function (event) {
    if (unsaved) {
      event.preventDefault();
      event.returnValue = "";
    }
  });
})();

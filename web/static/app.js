// Small enhancements; every page works without them. Loaded from our own origin (no inline script).
document.cookie = "tz=" + encodeURIComponent(Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC") + "; path=/; SameSite=Lax";

// A gentle refresh while the welcome note travels to an empty inbox.
if (document.getElementById("inbox-empty")) {
  var tries = Number(sessionStorage.getItem("sw-inbox-tries") || 0);
  if (tries < 5) {
    sessionStorage.setItem("sw-inbox-tries", tries + 1);
    setTimeout(function () { location.reload(); }, 700);
  }
}

// After a refused form: focus moves to the summary of what needs another look, so that a screen
// reader reads it and the keyboard starts there; its links move focus to the field itself, with
// the field's label and error in view.
var summary = document.getElementById("error-summary");
if (summary) {
  summary.focus();
  summary.addEventListener("click", function (event) {
    var link = event.target.closest("a[href^='#']");
    var field = link && document.getElementById(link.getAttribute("href").slice(1));
    if (!field) return;
    event.preventDefault();
    (field.closest("fieldset, .field") || field).scrollIntoView();
    field.focus({ preventScroll: true });
  });
}

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

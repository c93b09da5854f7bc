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

// The live inbox: the header's count and the inbox page follow new notifications without a reload
// (server-sent events from /inbox/live; each event's id is the inbox position, so a reconnect
// catches up). One tab per browser holds the stream (a Web Lock) and tells the other tabs what it
// hears (a BroadcastChannel); a browser without them gives each tab its own stream.
(function () {
  var link = document.getElementById("inbox-link");
  if (!link || !window.EventSource) return;
  var news = document.getElementById("inbox-news");
  var channel = window.BroadcastChannel ? new BroadcastChannel("sw-inbox-live") : null;
  var arrived = {}; // items written or grown while this page was open, by id
  var lastId = "";

  function showCount(unread) {
    var badge = document.getElementById("unread-badge");
    if (!unread) {
      if (badge) badge.remove();
      return;
    }
    if (!badge) {
      badge = document.createElement("span");
      badge.className = "count";
      badge.id = "unread-badge";
      if (!/\s$/.test(link.textContent)) link.append(" ");
      link.append(badge);
    }
    var hidden = document.createElement("span");
    hidden.className = "visually-hidden";
    hidden.textContent = " unread";
    badge.replaceChildren(String(unread), hidden);
  }

  function showNews(items) {
    items.forEach(function (item) { arrived[item.id] = true; });
    var count = Object.keys(arrived).length;
    if (!news || !count) return;
    var show = document.createElement("a");
    show.href = "/inbox";
    show.textContent = count === 1 ? "1 new notification arrived — show it" : count + " new notifications arrived — show them";
    news.replaceChildren(show);
    var caughtUp = document.getElementById("inbox-caught-up");
    if (caughtUp) caughtUp.hidden = true; // it is no longer true; the heading follows the count
  }

  function showHeading(unread) {
    var heading = news && document.getElementById("inbox-heading");
    if (heading && unread) heading.textContent = unread + (unread === 1 ? " new notification" : " new notifications");
  }

  function apply(id, inbox) {
    if (id) lastId = id;
    showCount(inbox.unread);
    showNews(inbox.items || []);
    if (Object.keys(arrived).length) showHeading(inbox.unread);
  }

  if (channel) channel.onmessage = function (message) { apply(message.data.id, message.data.inbox); };

  function open() {
    var url = link.getAttribute("data-live") + (lastId ? "?after=" + encodeURIComponent(lastId) : "");
    var source = new EventSource(url);
    source.addEventListener("inbox", function (event) {
      var inbox = JSON.parse(event.data);
      apply(event.lastEventId, inbox);
      if (channel) channel.postMessage({ id: event.lastEventId, inbox: inbox });
    });
    source.onerror = function () {
      // The browser reconnects by itself after a dropped connection; an answer that is not a
      // stream (signed out, an error page) closes it: try again much later.
      if (source.readyState === EventSource.CLOSED) setTimeout(open, 30000);
    };
  }

  if (channel && navigator.locks) {
    navigator.locks.request("sw-inbox-live", function () {
      open();
      return new Promise(function () {}); // held while this page is open; then another tab takes over
    });
  } else {
    open();
  }
})();

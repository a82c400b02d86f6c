/* Maillage: the little JavaScript the pages need. Everything works without it. */
(function () {
  "use strict";

  function updateUnread(count) {
    var badge = document.getElementById("notif-count");
    if (!badge) return;
    var previous = parseInt(badge.textContent, 10) || 0;
    badge.textContent = String(count);
    badge.hidden = count === 0;
    if (count !== previous) {
      document.body.dispatchEvent(new CustomEvent("notifications:changed", { bubbles: true }));
      if (count > previous) {
        var status = document.getElementById("live-status");
        if (status) status.textContent = badge.parentNode.textContent.replace(/\s+/g, " ").trim();
      }
    }
  }

  function connectNotifications() {
    var path = document.body.getAttribute("data-notifications-socket");
    if (!path || !("WebSocket" in window)) return;
    var scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
    var delay = 1000;
    var pinger = null;
    var leaving = false;
    window.addEventListener("pagehide", function () { leaving = true; });
    function degraded(on) {
      /* Say that live updates are off (Redis or the socket server down); the pages still work. */
      var banner = document.getElementById("live-degraded");
      if (banner) banner.hidden = !on;
    }
    function open() {
      var socket = new WebSocket(scheme + window.location.host + path);
      socket.addEventListener("open", function () {
        delay = 1000;
        degraded(false);
        document.body.setAttribute("data-notifications-live", "1");
        /* The ping tells the server this page is still open (colleagues are routed cases live). */
        pinger = window.setInterval(function () {
          if (socket.readyState === 1) socket.send('{"type":"ping"}');
        }, 60000);
      });
      socket.addEventListener("message", function (event) {
        var data;
        try { data = JSON.parse(event.data); } catch (e) { return; }
        if (data && data.type === "unread" && typeof data.count === "number") updateUnread(data.count);
      });
      socket.addEventListener("close", function (event) {
        document.body.setAttribute("data-notifications-live", "0");
        if (pinger) window.clearInterval(pinger);
        if (event.code >= 4400 && event.code < 4500) return; /* refused: retrying will not help */
        if (!leaving) degraded(true);
        window.setTimeout(open, delay);
        delay = Math.min(delay * 2, 30000);
      });
    }
    open();
  }

  function focusErrorSummary() {
    var summary = document.querySelector(".error-summary");
    if (summary) summary.focus();
  }

  document.addEventListener("DOMContentLoaded", function () {
    connectNotifications();
    focusErrorSummary();
  });
})();

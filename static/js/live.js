// memi.az live updates: one WebSocket per page to /api/v1/ws (session cookie, same origin).
// New messages appear in an open chat, the inbox and bell counts rise, toasts announce news.
// Everything works without this file; it only makes it live.
(function () {
  "use strict";
  var socket = null;
  var retry = 1000;

  function setCount(id, value) {
    var el = document.getElementById(id);
    if (!el) return;
    el.textContent = String(value);
    el.hidden = !value;
    var label = el.nextElementSibling; // " unread", read with the count by screen readers
    if (label && label.classList.contains("count-label")) label.hidden = !value;
  }

  function bump(id) {
    var el = document.getElementById(id);
    if (!el) return;
    setCount(id, (parseInt(el.textContent, 10) || 0) + 1);
  }

  function appendMessage(frame) {
    var list = document.getElementById("messages");
    var msg = frame.message;
    if (!list || String(msg.chat_id) !== list.getAttribute("data-chat-id")) return false;
    if (document.getElementById("msg-" + msg.id) || !frame.html) return true;
    var tpl = document.createElement("template");
    tpl.innerHTML = frame.html.trim();  // rendered (and escaped) by the server's message partial
    list.appendChild(tpl.content);
    list.lastElementChild.scrollIntoView({ block: "end" });
    return true;
  }

  function openChatId() {
    var list = document.getElementById("messages");
    return list ? list.getAttribute("data-chat-id") : null;
  }

  // A message that arrives in the open chat is read: move the read marker (which also marks its
  // notification read), once the page is visible, at most once a moment.
  var readTimer = null;
  function markRead() {
    var list = document.getElementById("messages");
    var url = list && list.getAttribute("data-read-url");
    if (!url) return;
    if (document.visibilityState === "hidden") { list.setAttribute("data-unread", "1"); return; }
    list.removeAttribute("data-unread");
    clearTimeout(readTimer);
    readTimer = setTimeout(function () {
      var headers = {};
      try { headers = JSON.parse(document.body.getAttribute("hx-headers") || "{}"); } catch (e) { headers = {}; }
      fetch(url, { method: "POST", headers: headers, credentials: "same-origin" }).catch(function () {});
    }, 300);
  }

  document.addEventListener("visibilitychange", function () {
    var list = document.getElementById("messages");
    if (document.visibilityState === "visible" && list && list.getAttribute("data-unread")) markRead();
  });

  function onFrame(event) {
    var frame;
    try { frame = JSON.parse(event.data); } catch (e) { return; }
    if (frame.type === "message") {
      var shown = appendMessage(frame);
      var mine = frame.html && frame.html.indexOf("msg--mine") !== -1;
      if (!shown && !mine) bump("inbox-count");
      if (shown && !mine) markRead();
    } else if (frame.type === "notification") {
      var note = frame.notification || {};
      // A new message in the chat on screen is being read (markRead): it does not raise the bell.
      if (note.type === "message.new" && note.payload && String(note.payload.chat_id) === openChatId() &&
          document.visibilityState !== "hidden") return;
      setCount("bell-count", frame.unread_count);
      if (frame.notification && frame.notification.type !== "message.new" && window.memi) {
        window.memi.showToast(frame.text);
      }
    } else if (frame.type === "error" && window.memi) {
      window.memi.showToast(frame.error.message, "error");
    }
  }

  function catchUp() {
    // After a reconnect, the server has the messages we missed: redraw the list from the page.
    var list = document.getElementById("messages");
    if (list && window.htmx) {
      window.htmx.ajax("GET", window.location.pathname, { target: "#messages", select: "#messages", swap: "outerHTML" });
    }
  }

  function ensure() {
    // Signed in (the page carries #live): keep one socket open. Signed out: close it.
    var wanted = !!document.getElementById("live");
    var open = socket && socket.readyState <= 1;
    if (wanted && !open) connect(false);
    if (!wanted && open) socket.close(1000);
  }

  function connect(isRetry) {
    var proto = window.location.protocol === "https:" ? "wss://" : "ws://";
    socket = new WebSocket(proto + window.location.host + "/api/v1/ws");
    socket.onmessage = onFrame;
    socket.onopen = function () { retry = 1000; if (isRetry) catchUp(); };
    var mine = socket;
    socket.onclose = function (event) {
      if (socket !== mine) return;
      socket = null;
      if (event.code === 1008 || event.code === 1000) return;  // session ended or closed on purpose
      if (!document.getElementById("live")) return;  // logged out (a boosted page without the marker)
      setTimeout(function () { connect(true); }, retry);
      retry = Math.min(retry * 2, 30000);
    };
  }

  document.addEventListener("DOMContentLoaded", function () {
    ensure();
    var list = document.getElementById("messages");
    if (list && list.lastElementChild) list.lastElementChild.scrollIntoView({ block: "end" });
  });
  // Boosted navigation keeps the socket; a new chat page just starts listening to its list.
  document.addEventListener("htmx:afterSettle", function () {
    ensure();
    var list = document.getElementById("messages");
    if (list && list.lastElementChild) list.lastElementChild.scrollIntoView({ block: "end" });
  });
  // The htmx answer to a send appends the message out of band; skip it if the socket drew it first.
  document.addEventListener("htmx:oobBeforeSwap", function (evt) {
    var fragment = evt.detail && evt.detail.fragment;
    if (!fragment || !fragment.querySelectorAll) return;
    fragment.querySelectorAll("li[id^='msg-']").forEach(function (li) {
      if (document.getElementById(li.id)) li.remove();
    });
  });
  // Enter sends, Shift+Enter makes a new line.
  document.addEventListener("keydown", function (evt) {
    if (evt.key === "Enter" && !evt.shiftKey && evt.target && evt.target.id === "body" && evt.target.form) {
      evt.preventDefault();
      if (evt.target.value.trim()) evt.target.form.requestSubmit();
    }
  });
})();

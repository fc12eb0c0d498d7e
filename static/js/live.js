// Replies published while a page is open. A list of comments with data-live
// (templates/comments/_live.html) asks its address every data-live-every
// seconds what changed since the version it shows (comments/live.py). Up to
// date, the answer is a 304. Else:
// - a comment on the page that readers can no longer see goes at once;
// - a new one that has a place here (a reply under a comment of the page; a
//   thread at the top of the first page, newest first) is counted in a quiet
//   notice, "2 new replies · Show", which screen readers announce politely;
//   "Show" puts them in place and keeps what the reader was reading where it
//   was. In another order the notice offers a reload instead.
// Where the app servers send the changes as they happen (data-live-stream:
// comments/live_stream.py), the page holds a connection open instead of
// asking, and asks only if that connection is refused (a server that does
// not send them, Redis away).
// Without JavaScript nothing of this happens; if the address cannot be
// reached, the page stays as it is and asks again later, less often.
(function () {
  var list = document.querySelector("[data-live]");
  if (!list || !window.fetch || !window.DOMParser) {
    return;
  }
  var every = Number(list.dataset.liveEvery) * 1000;
  var since = list.dataset.liveSince;
  var etag = null;
  var waiting = []; // Comments to show: {id, parent, element}, in the order they came.
  var failures = 0;
  var timer = null;
  var asking = false;
  var stopped = false;
  var stale = false;
  var source = null; // The connection the changes come over, while it is held.
  var streamFailures = 0;
  var OPENING = 10000;
  var SILENCE = 35000;
  var RETRY = 60000;
  var plural = null;
  try {
    plural = new Intl.PluralRules(document.documentElement.lang || "en");
  } catch (error) {
    // An old browser, or a language it does not know: "1" is the only singular.
  }

  var notice = document.createElement("div");
  notice.className = "live-notice";
  notice.setAttribute("role", "status");
  notice.hidden = true;
  var words = document.createElement("span");
  var show = document.createElement("button");
  show.type = "button";
  show.className = "btn btn-link btn-sm p-0 ms-1 live-show";
  notice.append(words, show);
  list.before(notice);
  var told = document.createElement("p");
  told.className = "visually-hidden";
  told.setAttribute("role", "status");
  notice.after(told);

  function say(template, count) {
    return template.replace("{count}", count);
  }

  function placeholderOf(id) {
    return list.querySelector('.comment-removed[data-comment="' + id + '"]');
  }

  function isWaiting(id) {
    return waiting.some(function (item) {
      return item.id === id;
    });
  }

  function placeOf(change) {
    var parent = change.dataset.parent;
    var id = change.dataset.id;
    if (placeholderOf(id)) {
      return "back"; // Shown again where the page kept its place.
    }
    if (parent) {
      var above = document.getElementById("c" + parent);
      if (!above && !isWaiting(parent)) {
        return null;
      }
      // A thread shown in part ("Show 12 more replies"), or one page of a long thread:
      // where the reply goes is not on this page.
      var thread = above && above.closest(".thread");
      if ((thread && thread.querySelector(".thread-more")) || document.querySelector(".thread-pages")) {
        return "reload";
      }
      return "reply";
    }
    var threads = list.dataset.liveThreads;
    if (threads && (threads === "all" || threads === change.dataset.language)) {
      return "thread";
    }
    return "liveReload" in list.dataset ? "reload" : null;
  }

  function remove(change) {
    var id = change.dataset.id;
    waiting = waiting.filter(function (item) {
      return item.id !== id;
    });
    var comment = document.getElementById("c" + id);
    if (!comment) {
      return;
    }
    var item = comment.closest("li");
    // Alone in its list item (no replies, shown or folded): it goes with it.
    var held = item && item.querySelectorAll("article.comment, .comment-removed, .more-replies, .thread-more");
    if (item && held.length === 1) {
      item.remove();
      return;
    }
    // Its replies stay: the comment leaves the placeholder the pages show in its place.
    var placeholder = document.importNode(change.content.querySelector(".comment-removed"), true);
    placeholder.dataset.comment = id;
    comment.replaceWith(placeholder);
  }

  function update() {
    var count = waiting.length;
    if (!count && !stale) {
      notice.hidden = true;
      return;
    }
    var reload = stale || waiting.some(function (item) {
      return item.place === "reload";
    });
    words.textContent = !count
      ? list.dataset.liveStale
      : (plural ? plural.select(count) === "one" : count === 1)
        ? list.dataset.liveOne
        : say(list.dataset.liveMany, count);
    show.textContent = reload ? list.dataset.liveReloadWords : list.dataset.liveShow;
    show.dataset.reload = reload ? "true" : "";
    notice.hidden = false;
  }

  function read(html) {
    var answer = new DOMParser().parseFromString(html, "text/html").querySelector(".live-changes");
    if (!answer) {
      return;
    }
    since = answer.dataset.liveSince;
    if (answer.dataset.liveComplete !== "true") {
      stale = true;
    }
    answer.querySelectorAll("template[data-live-change]").forEach(function (change) {
      var id = change.dataset.id;
      if (change.dataset.liveChange === "gone") {
        remove(change);
        return;
      }
      var known = document.getElementById("c" + id) || isWaiting(id);
      var place = !known && placeOf(change);
      if (place) {
        waiting.push({ id: id, parent: change.dataset.parent, place: place, content: change.content });
      }
    });
    update();
  }

  function listen() {
    var address = list.dataset.liveStream;
    if (!address || !window.EventSource) {
      return false;
    }
    // The browser reconnects by itself when an open connection drops, naming the last
    // version it got. A refusal (the site's 204 or 503), a connection that could not be
    // made or made again within OPENING ms (a network that does not let it through: the
    // browser would try less and less often), or one silent for SILENCE ms (the site
    // says it is alive every 15 s), and the page asks instead; it tries holding one
    // again later, less and less often.
    var own = new EventSource(address + "&since=" + encodeURIComponent(since));
    var open = false;
    var watch = null;
    source = own;
    function wait(milliseconds) {
      clearTimeout(watch);
      watch = setTimeout(giveUp, milliseconds);
    }
    function giveUp() {
      clearTimeout(watch);
      own.close();
      if (source !== own) {
        return;
      }
      source = null;
      later();
      var again = Math.min(RETRY * Math.pow(2, streamFailures), RETRY * 16);
      streamFailures += 1;
      setTimeout(function () {
        if (!source && !stopped) {
          listen();
        }
      }, again);
    }
    own.addEventListener("open", function () {
      open = true;
      streamFailures = 0;
      wait(SILENCE);
    });
    own.addEventListener("changes", function (message) {
      wait(SILENCE);
      read(message.data);
    });
    own.addEventListener("alive", function () {
      wait(SILENCE);
    });
    own.addEventListener("error", function () {
      if (own.readyState === EventSource.CLOSED || !open) {
        giveUp();
        return;
      }
      open = false; // Reconnecting by itself.
      wait(OPENING);
    });
    wait(OPENING);
    return true;
  }

  function ask() {
    timer = null;
    if (source) {
      return;
    }
    if (document.hidden || asking) {
      return; // Asked again when the page is looked at.
    }
    asking = true;
    var headers = etag ? { "If-None-Match": etag } : {};
    var address = list.dataset.live;
    fetch(address + (address.indexOf("?") === -1 ? "?" : "&") + "since=" + encodeURIComponent(since), {
      headers: headers,
      cache: "no-store",
      credentials: "same-origin",
    })
      .then(function (response) {
        if (response.status === 304) {
          return null;
        }
        if (response.status >= 400 && response.status < 500 && response.status !== 429) {
          stopped = true; // The page's question is not one the site answers: ask no more.
        }
        if (!response.ok) {
          throw new Error(response.status);
        }
        etag = response.headers.get("ETag");
        return response.text();
      })
      .then(function (html) {
        failures = 0;
        if (html) {
          read(html);
        }
      })
      .catch(function () {
        failures += 1;
      })
      .then(function () {
        asking = false;
        later();
      });
  }

  function later() {
    if (timer === null && !stopped) {
      // Less often while it fails, up to a minute; a little apart from the other pages.
      var wait = Math.min(every * Math.pow(2, failures), 60000);
      timer = setTimeout(ask, wait * (0.8 + Math.random() * 0.4));
    }
  }

  function anchor() {
    // The first comment whose top is on the screen: it must not move.
    var comments = list.querySelectorAll("article.comment");
    for (var i = 0; i < comments.length; i++) {
      var top = comments[i].getBoundingClientRect().top;
      if (top >= 0) {
        return { element: comments[i], top: top };
      }
    }
    return null;
  }

  function place(item) {
    var content = document.importNode(item.content, true);
    if (item.place === "back") {
      var placeholder = placeholderOf(item.id);
      var comment = content.querySelector("article.comment");
      if (!placeholder || !comment) {
        return null;
      }
      placeholder.replaceWith(comment);
      return comment;
    }
    var added = content.firstElementChild;
    if (item.place === "thread") {
      list.prepend(content);
      return added;
    }
    var parent = document.getElementById("c" + item.parent);
    if (!parent) {
      return null;
    }
    var replies = parent.parentElement.querySelector(":scope > ol.replies");
    if (!replies) {
      replies = document.createElement("ol");
      replies.className = "replies";
      parent.after(replies);
    }
    replies.append(content);
    return added;
  }

  function placeAll(items) {
    // A reply comes after its parent on the page: parents first, as long as any can go.
    var placed = [];
    var left = items.slice();
    var moved = true;
    while (left.length && moved) {
      moved = false;
      left = left.filter(function (item) {
        if (item.place === "reply" && !document.getElementById("c" + item.parent)) {
          return true;
        }
        var element = place(item);
        if (element) {
          placed.push(element);
        }
        moved = true;
        return false;
      });
    }
    return placed;
  }

  show.addEventListener("click", function () {
    if (show.dataset.reload) {
      window.location.reload();
      return;
    }
    var kept = anchor();
    var items = waiting;
    waiting = [];
    // The notice goes first: what moves the page is measured once everything is in place.
    update();
    var shown = placeAll(items);
    if (kept) {
      window.scrollBy(0, kept.element.getBoundingClientRect().top - kept.top);
    }
    shown.forEach(function (element) {
      if (window.htmx) {
        window.htmx.process(element);
      }
      element.dispatchEvent(new CustomEvent("discussion:added", { bubbles: true }));
    });
    if (shown.length) {
      var empty = document.querySelector(".no-replies");
      if (empty && list.querySelector("article.comment")) {
        empty.remove();
      }
      told.textContent =
        shown.length === 1 ? list.dataset.liveAddedOne : say(list.dataset.liveAddedMany, shown.length);
    }
  });

  document.addEventListener("visibilitychange", function () {
    if (!document.hidden && timer === null && !asking && !source) {
      ask();
    }
  });
  if (!listen()) {
    later();
  }
})();

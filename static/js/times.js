// Pages say when each comment was written as an exact time, because a cached
// page is served for up to a day and "3 minutes ago" in it would soon be
// wrong. Here the browser says how long ago that was, in the page's language,
// and says it again every minute; the exact time stays as the tooltip.
// Without JavaScript (or Intl.RelativeTimeFormat) the exact time stays.
(function () {
  if (!window.Intl || !Intl.RelativeTimeFormat) {
    return;
  }
  var words = new Intl.RelativeTimeFormat(document.documentElement.lang || undefined, {
    numeric: "auto",
  });
  // The largest unit that fits, counted down, as the server used to say it.
  var units = [
    ["year", 365 * 86400],
    ["month", 30 * 86400],
    ["week", 7 * 86400],
    ["day", 86400],
    ["hour", 3600],
    ["minute", 60],
  ];

  function ago(seconds) {
    for (var i = 0; i < units.length; i++) {
      if (seconds >= units[i][1]) {
        return words.format(-Math.floor(seconds / units[i][1]), units[i][0]);
      }
    }
    return words.format(0, "second");
  }

  function tell(root) {
    var now = Date.now();
    root.querySelectorAll("time[data-relative]").forEach(function (time) {
      var moment = Date.parse(time.getAttribute("datetime"));
      if (isNaN(moment)) {
        return;
      }
      if (!time.title) {
        time.title = time.textContent;
      }
      time.textContent = ago(Math.max(0, (now - moment) / 1000));
    });
  }

  tell(document);
  // Threads and replies that htmx adds in place.
  document.addEventListener("htmx:load", function (event) {
    tell(event.detail.elt);
  });
  setInterval(function () {
    tell(document);
  }, 60 * 1000);
})();

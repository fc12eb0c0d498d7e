// Pages say when each comment was written as an exact time in the site's
// time zone, because a cached page is served for up to a day and "3 minutes
// ago" in it would soon be wrong. Here the browser writes that moment in the
// reader's own time zone, named, and how long ago it was, in the page's
// language ("Dec 1, 2026, 8:15 PM CST · 3 hours ago"), and says it again
// every minute; the zone's full name is the tooltip. Without JavaScript (or
// Intl) the server's exact time, with its zone, stays.
(function () {
  if (!window.Intl || !Intl.RelativeTimeFormat || !Intl.DateTimeFormat) {
    return;
  }
  // The page's language, in the reader's own regional form when their
  // browser asks for one (es-MX, en-GB), which also names the zone their way
  // ("CST", or "GMT-6" where a language has no short name for it).
  var page = (document.documentElement.lang || "en").toLowerCase();
  var own = (navigator.languages || [navigator.language]).filter(function (tag) {
    return tag && tag.toLowerCase().split("-")[0] === page && tag.indexOf("-") > 0;
  })[0];
  var language = own || page;
  var words = new Intl.RelativeTimeFormat(language, { numeric: "auto" });
  // The year only when it is not this one: the line stays short on a phone.
  var thisYear = new Date().getFullYear();
  var parts = { month: "short", day: "numeric", hour: "numeric", minute: "2-digit" };
  var exact = new Intl.DateTimeFormat(language, parts);
  var exactWithYear = new Intl.DateTimeFormat(language, Object.assign({ year: "numeric" }, parts));
  var zone = new Intl.DateTimeFormat(language, { timeZoneName: "short" });
  var longZone = new Intl.DateTimeFormat(language, {
    dateStyle: "full",
    timeStyle: "full",
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

  function zoneName(moment) {
    var part = zone.formatToParts(moment).find(function (p) {
      return p.type === "timeZoneName";
    });
    return part ? part.value : "";
  }

  function tell(root) {
    var now = Date.now();
    root.querySelectorAll("time[data-relative]").forEach(function (time) {
      var moment = new Date(time.getAttribute("datetime"));
      if (isNaN(moment)) {
        return;
      }
      time.title = longZone.format(moment);
      var date = moment.getFullYear() === thisYear ? exact : exactWithYear;
      time.textContent =
        date.format(moment) + " " + zoneName(moment) + " · " + ago(Math.max(0, (now - moment) / 1000));
    });
  }

  tell(document);
  // The new wording may have moved the comment a permalink points at: land on it again.
  var target = location.hash && document.getElementById(location.hash.slice(1));
  if (target) {
    target.scrollIntoView();
  }
  // Threads and replies that htmx adds in place.
  document.addEventListener("htmx:load", function (event) {
    tell(event.detail.elt);
  });
  setInterval(function () {
    tell(document);
  }, 60 * 1000);
})();

// Pages say when each comment was written as an exact time in the site's
// time zone, because a cached page is served for up to a day and "3 minutes
// ago" in it would soon be wrong. Here the browser writes that moment in the
// reader's own time zone, named, and how long ago it was, in the page's
// language ("Dec 1, 2026, 8:15 PM CST · 3 hours ago"), and says it again
// every minute; the zone's full name is the tooltip. Without JavaScript (or
// Intl) the server's exact time, with its zone, stays.
//
// The new wording is longer or shorter than the server's, and moves the line
// breaks of a comment's first line. Written after the page was first drawn
// (by a deferred script that came late), it moved every comment below each
// changed line: a cumulative layout shift of 0.13 on a phone's thread page.
// So this script runs in the page's head and writes the times of the first
// screen as the parser adds them, before the browser draws them: a
// MutationObserver's callbacks run before the next paint.
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

  function tellOne(time, now) {
    var moment = new Date(time.getAttribute("datetime"));
    if (isNaN(moment)) {
      return;
    }
    time.title = longZone.format(moment);
    var date = moment.getFullYear() === thisYear ? exact : exactWithYear;
    time.textContent =
      date.format(moment) + " " + zoneName(moment) + " · " + ago(Math.max(0, (now - moment) / 1000));
  }

  function tell(root) {
    var now = Date.now();
    root.querySelectorAll("time[data-relative]").forEach(function (time) {
      tellOne(time, now);
    });
  }

  // A time's text is whole once the parser has gone past it, which it has
  // when something follows the time in the document.
  function parsed(node) {
    for (; node; node = node.parentNode) {
      if (node.nextSibling) {
        return true;
      }
    }
    return false;
  }

  // The times added but not yet whole, told once they are.
  var arriving = [];
  // Only the times of the first screen are written as the page arrives: those
  // at its top, or from the comment a permalink opens it at (its address's
  // #c123). The others, below the screen, are written once the page is whole:
  // watched to its end, a 1,000-reply thread's parsing kept its first paint
  // waiting about 0.3 s longer on a throttled phone.
  var ON_A_SCREEN = 12;
  var landing = location.hash.slice(1);
  var landed = !landing;
  var told = 0;
  var parser = new MutationObserver(function (records) {
    records.forEach(function (record) {
      record.addedNodes.forEach(function (node) {
        if (node.nodeType !== 1) {
          return;
        }
        if (node.matches("time[data-relative]")) {
          arriving.push(node);
        } else if (node.firstElementChild) {
          arriving.push.apply(arriving, node.querySelectorAll("time[data-relative]"));
        }
      });
    });
    var now = Date.now();
    landed = landed || document.getElementById(landing) !== null;
    arriving = arriving.filter(function (time) {
      if (!parsed(time)) {
        return true;
      }
      tellOne(time, now);
      told += landed ? 1 : 0;
      return false;
    });
    if (told >= ON_A_SCREEN) {
      parser.disconnect();
    }
  });
  parser.observe(document.documentElement, { childList: true, subtree: true });
  document.addEventListener("DOMContentLoaded", function () {
    parser.disconnect();
    arriving = [];
    tell(document);
  });
  // Threads and replies that htmx adds in place, and those published while the page is open.
  document.addEventListener("htmx:load", function (event) {
    tell(event.detail.elt);
  });
  document.addEventListener("discussion:added", function (event) {
    tell(event.target);
  });
  setInterval(function () {
    tell(document);
  }, 60 * 1000);
})();

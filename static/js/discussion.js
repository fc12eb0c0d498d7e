// With JavaScript, replying opens inline, posting updates the thread in
// place and older threads load below. Without it, the same links and forms
// lead to ordinary pages. This file only moves the keyboard focus to what
// htmx has just put on the page, so that keyboard and screen-reader users
// land where they should.
document.addEventListener("htmx:afterSwap", function (event) {
  var target = event.detail.target;
  var field = target.querySelector && target.querySelector(".is-invalid, form input:not([type=hidden]), form textarea");
  if (target.classList.contains("reply-slot") && field) {
    field.focus();
  }
});
document.addEventListener("htmx:afterSettle", function (event) {
  var invalid = event.detail.target.querySelector && event.detail.target.querySelector(".is-invalid");
  if (invalid) {
    invalid.focus();
  }
});

// A refusal (too many posts, an expired session, a server error) would
// otherwise leave the reader looking at a form that did nothing: say so where
// they are (the thread they answered in, or the main form), and leave their
// text where it is.
document.addEventListener("htmx:responseError", function (event) {
  var page = document.getElementById("live-status");
  var source = event.detail.elt;
  var thread = source && source.closest && source.closest(".thread");
  var status =
    (thread && thread.querySelector(".live-reply-status")) ||
    (source && source.closest && source.closest("#main-reply-form") && document.getElementById("composer-status")) ||
    page;
  if (status && page) {
    var alert = document.createElement("div");
    alert.className = "alert alert-danger";
    alert.setAttribute("role", "alert");
    alert.textContent = page.dataset.failure;
    status.replaceChildren(alert);
  }
});

// A link to a reply that this page does not hold (it is on a later page of a
// long thread, or in a branch shown folded) goes through the reply's
// permalink, which knows the page and the branch that hold it. Once only:
// a reply that is nowhere to be seen leaves the reader where they are.
(function () {
  var match = /^#c(\d+)$/.exec(window.location.hash);
  if (!match || document.getElementById("c" + match[1])) {
    return;
  }
  var sought = "sought-c" + match[1];
  if (window.sessionStorage.getItem(sought)) {
    window.sessionStorage.removeItem(sought);
    return;
  }
  window.sessionStorage.setItem(sought, "1");
  window.location.replace("/comments/" + match[1] + "/");
})();

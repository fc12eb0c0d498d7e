// Follow the system's light or dark setting (Bootstrap's colour modes need
// the attribute; without JavaScript the page simply stays light).
(function () {
  var query = window.matchMedia("(prefers-color-scheme: dark)");
  function apply() {
    document.documentElement.setAttribute("data-bs-theme", query.matches ? "dark" : "light");
  }
  apply();
  query.addEventListener("change", apply);
  // Read by the stylesheet before the page is drawn: with JavaScript the
  // reply form starts compact (site.css, .composer); without, it is whole.
  document.documentElement.classList.add("js");
})();

// A table that is wider than its box says so (report-reading.css draws the cue), on every
// screen width: checked when the page loads and whenever the window changes size.
(function () {
  function mark() {
    document.querySelectorAll(".report-table-scroll").forEach(function (box) {
      box.setAttribute("data-scroll-cue", box.scrollWidth > box.clientWidth + 1 ? "shown" : "none");
    });
  }
  window.addEventListener("load", mark);
  window.addEventListener("resize", mark);
  document.addEventListener("DOMContentLoaded", mark);
})();

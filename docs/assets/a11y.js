// Give the theme's search overlay (a dialog) an accessible name, for screen readers.
document.addEventListener("DOMContentLoaded", function () {
  var search = document.querySelector(".md-search[role=dialog]");
  if (search && !search.hasAttribute("aria-label")) {
    search.setAttribute("aria-label", "Search the policy");
  }
});

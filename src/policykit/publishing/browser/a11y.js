// Accessibility fixes to the theme's markup, once the page is parsed.
document.addEventListener("DOMContentLoaded", function () {
  // Give the search overlay (a dialog) an accessible name, for screen readers.
  var search = document.querySelector(".md-search[role=dialog]");
  if (search && !search.hasAttribute("aria-label")) {
    search.setAttribute("aria-label", "Search the policy");
  }
  // The search results' scroll box is a tab stop only while it shows results: the theme closes
  // an empty search when the focus leaves its box, so a tab stop there would be one nobody sees.
  var scrollwrap = document.querySelector(".md-search__scrollwrap");
  if (scrollwrap && search) {
    var toggle = document.querySelector("[data-md-toggle=search]");
    var input = search.querySelector("input[type=text], input[type=search], .md-search__input");
    var follow = function () {
      var open = (toggle ? toggle.checked : search.contains(document.activeElement)) && input && input.value !== "";
      if (open && scrollwrap.getClientRects().length > 0 && getComputedStyle(scrollwrap).visibility !== "hidden") {
        scrollwrap.setAttribute("tabindex", "0");
        scrollwrap.removeAttribute("inert");
      } else {
        scrollwrap.removeAttribute("tabindex");
        scrollwrap.setAttribute("inert", "");  // closed: nothing in it to reach or to read
      }
    };
    follow();
    document.addEventListener("focusin", follow);
    search.addEventListener("input", follow);
    search.addEventListener("keyup", follow);
  }
  // "Back to top" is faded out until the reader scrolls: no tab stop while it cannot be seen.
  var top = document.querySelector(".md-top");
  if (top) {
    var sync = function () {
      if (top.classList.contains("md-top--hidden") || top.hidden) {
        top.setAttribute("tabindex", "-1");
      } else {
        top.removeAttribute("tabindex");
      }
    };
    sync();
    new MutationObserver(sync).observe(top, { attributes: true, attributeFilter: ["class", "hidden"] });
  }
});

// Search, with Pagefind's interface: an enhancement; without JavaScript the page
// points to the verdict and topic pages instead.
(function () {
  var element = document.getElementById("search");
  if (!element || typeof PagefindUI === "undefined") return;
  new PagefindUI({
    element: "#search",
    baseUrl: element.getAttribute("data-base-url") || "/",
    showSubResults: false,
    showImages: false,
    resetStyles: false
  });
  // Pagefind labels its box with a title only; give it a visible label too.
  var input = element.querySelector("input");
  var label = document.getElementById("search-label");
  if (input && label) {
    input.id = "search-input";
    label.setAttribute("for", "search-input");
    label.hidden = false;
  }
  var hint = document.getElementById("search-without-js");
  if (hint) hint.hidden = true;
})();

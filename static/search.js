// Search: Pagefind finds the words, this script filters by verdict and topic and
// shows the results. An enhancement only: without JavaScript the page points to
// the verdict, topic and source pages instead.
const form = document.getElementById("search-form");
const input = document.getElementById("search-input");
const verdict = document.getElementById("search-verdict");
const topic = document.getElementById("search-topic");
const status = document.getElementById("search-status");
const list = document.getElementById("search-results");
const more = document.getElementById("search-more");
const PAGE = 10;

let pagefind, claims, byUrl, pending = [], generation = 0;

function matches(claim) {
  return claim && (!verdict.value || claim.verdict === verdict.value) &&
    (!topic.value || claim.topics.includes(topic.value));
}

function item(claim, excerpt) {
  const li = document.createElement("li");
  const badge = document.createElement("span");
  badge.className = "badge badge--" + claim.verdict;
  badge.textContent = claim.label;
  const link = document.createElement("a");
  link.href = claim.url;
  link.textContent = claim.title;
  const title = document.createElement("p");
  title.className = "search-results__title";
  title.append(link, " ", badge);
  li.append(title);
  const text = document.createElement("p");
  // Pagefind's excerpt is text from our own pages with <mark> around the words found.
  if (excerpt) text.innerHTML = excerpt; else text.textContent = claim.claim;
  li.append(text);
  return li;
}

async function showMore(run) {
  let shown = 0;
  while (pending.length && shown < PAGE) {
    const next = pending.shift();
    const data = typeof next.data === "function" ? await next.data() : null;
    if (run !== generation) return;
    const claim = data ? byUrl.get(data.url) : next;
    if (!matches(claim)) continue;
    list.append(item(claim, data && data.excerpt));
    shown += 1;
  }
  more.hidden = pending.length === 0;
  const count = list.children.length;
  // The page gives the words in its language, one form for each plural category it has (search.html).
  const words = status.dataset;
  const form = words[plurals.select(count)] || words.other;
  status.textContent = count ? form.replace("{n}", `${count}${pending.length ? "+" : ""}`) : words.none;
}

async function run() {
  const current = ++generation;
  const term = input.value.trim();
  list.replaceChildren();
  more.hidden = true;
  if (!term && !verdict.value && !topic.value) { status.textContent = ""; pending = []; return; }
  if (term) {
    const search = await pagefind.debouncedSearch(term, {}, 200);
    if (search === null || current !== generation) return;
    pending = search.results.slice();
  } else {
    pending = claims.slice();
  }
  await showMore(current);
}

const plurals = new Intl.PluralRules(document.documentElement.lang);

async function start() {
  if (!form) return;
  // A big site's index is in parts (see factsite/output/search.py): the first loads, the others merge into it.
  const [first, ...others] = form.dataset.bundles.split(" ");
  const [module, facets] = await Promise.all([
    import(first + "pagefind.js"),
    fetch(form.dataset.facets).then((response) => response.json()),
  ]);
  pagefind = module;
  const options = { baseUrl: form.dataset.baseUrl };
  await pagefind.options(options);
  await Promise.all(others.map((bundle) => pagefind.mergeIndex(bundle, options)));
  claims = facets;
  byUrl = new Map(claims.map((claim) => [claim.url, claim]));
  form.hidden = false;
  document.getElementById("search-without-js").hidden = true;
  form.addEventListener("submit", (event) => { event.preventDefault(); run(); });
  input.addEventListener("input", run);
  verdict.addEventListener("change", run);
  topic.addEventListener("change", run);
  more.addEventListener("click", () => showMore(generation));
  const query = new URLSearchParams(location.search);
  input.value = query.get("q") || "";
  verdict.value = query.get("verdict") || "";
  topic.value = query.get("topic") || "";
  if (input.value || verdict.value || topic.value) run();
}

start();

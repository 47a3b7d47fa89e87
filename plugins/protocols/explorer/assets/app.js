// The explorer page's entry point: the two views (Modules, Task trees) chosen by the URL's
// hash (#/modules/<id>, #/trees/<root task id>), the bearer token field, and the banner that
// says when the server refuses the page's requests.
import { ApiError, getToken, setToken } from "./client.js";
import { notice } from "./dom.js";
import { loadModules, showModule } from "./modules.js";
import { leaveTrees, loadTrees, showTree } from "./trees.js";

let loaded = false;

function explain(error) {
  if (error instanceof ApiError && error.status === 401) {
    notice("This server needs a bearer token: enter it above and press Use.");
  } else if (error instanceof ApiError && error.status === 403) {
    notice(error.message);
  } else {
    notice(`The server could not be reached or failed: ${error.message}`);
  }
}

function parseHash() {
  const [, view = "modules", ...rest] = location.hash.split("/");
  const id = rest.length ? decodeURIComponent(rest.join("/")) : null;
  return { view: view === "trees" ? "trees" : "modules", id };
}

async function route() {
  const { view, id } = parseHash();
  for (const name of ["modules", "trees"]) {
    document.getElementById(`view-${name}`).hidden = name !== view;
    document.getElementById(`tab-${name}`).classList.toggle("active", name === view);
  }
  try {
    if (view === "modules") {
      leaveTrees();
      showModule(id);
    } else {
      await loadTrees();
      await showTree(id);
    }
  } catch (error) {
    explain(error);
  }
}

async function start() {
  try {
    await loadModules();
    loaded = true;
    notice("");
  } catch (error) {
    explain(error);
  }
  await route();
}

document.getElementById("token").value = getToken();
document.getElementById("token-form").addEventListener("submit", (event) => {
  event.preventDefault();
  setToken(document.getElementById("token").value);
  leaveTrees();
  start();
});
document.getElementById("trees-refresh").addEventListener("click", () => {
  loadTrees().catch(explain);
});
window.addEventListener("hashchange", () => {
  if (loaded) route();
});
start();

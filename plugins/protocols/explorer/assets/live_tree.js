// Keeps a drawn tree current: listens to the engine's events for the tree (Server-Sent Events
// from /explorer/api/events), reloads the whole tree when the stream (re)starts, when a task
// it does not show appears, and when a run of the tree ends. Falls back to polling when the
// server has no event stream. Every wait is bounded; stop() ends it all.
import { ApiError, readEvents } from "./client.js";

const RETRY_MS = 2000;
const POLL_MS = 2000;
const FINISHED = new Set(["completed", "failed", "cancelled"]);

// What an engine event changes on a task it names. The engine persists progress in batches,
// so a task_progress event can arrive after the task's task_completed: it must not take a
// finished task back to "in progress" (only a task_started of a new run does that).
export function eventFields(task, event) {
  if (event.type === "task_progress" && FINISHED.has(task.status)) return {};
  return { status: event.status, progress: event.progress };
}

export class LiveTree {
  // reload(): fetches and redraws the tree; apply(event): updates one node, falsy when the
  // graph does not have it; onState(text): a line for the user about the connection.
  constructor(treeId, { reload, apply, onState }) {
    this.treeId = treeId;
    this.reload = reload;
    this.apply = apply;
    this.onState = onState;
    this.abort = new AbortController();
    this.loading = null;  // the reload in progress; events meanwhile wait in `pending`
    this.pending = [];
  }

  start() {
    this.run();
    return this;
  }

  stop() {
    this.abort.abort();
  }

  get stopped() {
    return this.abort.signal.aborted;
  }

  // Reloads the tree, then applies the events that arrived while it loaded (they may be newer
  // than what the reload read).
  async refresh() {
    if (this.loading) return this.loading;
    this.loading = (async () => {
      try {
        await this.reload();
      } catch (error) {
        this.onState(`could not load the tree: ${error.message}`);
      } finally {
        this.loading = null;
        const pending = this.pending.splice(0);
        for (const event of pending) this.handle(event);
      }
    })();
    return this.loading;
  }

  handle(event) {
    if (this.loading) return this.pending.push(event);
    if (event.type?.startsWith("tree_") || !this.apply(event)) this.refresh();
  }

  async run() {
    const signal = this.abort.signal;
    while (!signal.aborted) {
      try {
        await readEvents(`events?tree=${encodeURIComponent(this.treeId)}`, (type, data) => {
          if (type === "ready") {
            this.onState("live");
            this.refresh();
          } else if (type === "task") {
            this.handle(data);
          }
        }, signal);
        continue;  // the server ends streams now and then: reconnect at once
      } catch (error) {
        if (signal.aborted) return;
        if (error instanceof ApiError && error.status === 501) return this.poll();
        this.onState(`reconnecting (${error.message})`);
      }
      await sleep(RETRY_MS, signal);
    }
  }

  async poll() {
    this.onState("polling");
    while (!this.stopped) {
      await this.refresh();
      await sleep(POLL_MS, this.abort.signal);
    }
  }
}

function sleep(ms, signal) {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener("abort", () => {
      clearTimeout(timer);
      resolve();
    }, { once: true });
  });
}

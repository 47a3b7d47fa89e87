#include "storage/common/propagation.h"

#include <algorithm>
#include <optional>
#include <unordered_map>
#include <unordered_set>

#include "storage/common/columns.h"
#include "storage/common/request.h"
#include "storage/common/sql.h"

namespace apflow::plugins::storage {

// One edge from a waiting task to a source that settled.
struct Propagation::Hit {
  std::string task_id;
  std::string name;
  std::string kind;
  std::string policy;
  std::optional<std::string> tree;
  std::size_t source;  // index into the wave's sources
};

namespace {

struct Verdict {
  std::string status;
  std::string error;
};

std::string quoted(const Settled& s) {
  return "'" + s.name + "' (" + s.id + ")";
}

// nullopt: the edge is settled and the dependent's blockers drops by one.
std::optional<Verdict> judge(Cascade mode, const Settled& source, const std::string& kind,
                             const std::string& policy) {
  if (source.status == status::kCompleted || kind == "optional") return std::nullopt;
  if (mode == Cascade::kCancel) {
    return Verdict{std::string(status::kCancelled),
                   "cancelled: dependency " + quoted(source) + " was cancelled"};
  }
  if (policy == "continue") return std::nullopt;
  if (policy == "skip") {
    return Verdict{std::string(status::kCancelled),
                   "skipped: dependency " + quoted(source) + " " + source.status};
  }
  const std::string reason = source.error.empty() ? "no error was recorded" : source.error;
  const char* what = kind == "child" ? "child task " : "dependency ";
  return Verdict{std::string(status::kFailed), what + quoted(source) + " failed: " + reason};
}

std::optional<std::string> tree_of(const TextRow& row, std::size_t i) {
  if (row.null(i)) return std::nullopt;
  return row[i];
}

}  // namespace

Propagation::Propagation(Db& db, Cascade mode, std::string now)
    : db_(db), mode_(mode), now_(std::move(now)) {}

void Propagation::run(std::vector<Settled> done) {
  while (!done.empty()) {
    std::unordered_map<std::string, std::size_t> index;
    std::vector<std::string> ids;
    for (std::size_t i = 0; i < done.size(); ++i) {
      if (index.emplace(done[i].id, i).second) ids.push_back(done[i].id);
    }
    const bool all_completed = std::all_of(
        done.begin(), done.end(), [](const Settled& s) { return s.status == status::kCompleted; });
    if (all_completed) {
      // Every edge from a completed task is settled: the dependents' blockers drop, nothing
      // else changes and no further wave follows.
      release_dependents(to_json_array(ids));
      return;
    }
    const auto rows = select_text(
        db_,
        "SELECT e.task_id, t.name, e.kind, t.failure_policy, t.task_tree_id, e.depends_on "
        "FROM " +
            db_.dialect.id_rows(":ids", "s") +
            " CROSS JOIN apflow_task_edges e CROSS JOIN apflow_tasks t "
            "WHERE e.depends_on = s.value AND t.id = e.task_id AND t.status = 'pending' "
            "AND t.queued = 1",
        {to_json_array(ids)}, 6);
    std::vector<Hit> hits;
    hits.reserve(rows.size());
    for (const auto& r : rows) {
      hits.push_back(Hit{r[0], r[1], r[2], r[3], tree_of(r, 4), index.at(r[5])});
    }
    // The first source in request order names the reason when several fail one task.
    std::stable_sort(hits.begin(), hits.end(),
                     [](const Hit& a, const Hit& b) { return a.source < b.source; });
    done = apply(hits, done);
  }
}

void Propagation::settle_doomed(const std::string& ids_json) {
  const auto rows = select_text(
      db_,
      "SELECT t.id, t.name, e.kind, t.failure_policy, t.task_tree_id, d.id, d.name, d.status, "
      "d.error FROM " +
          db_.dialect.id_rows(":ids", "q") +
          " CROSS JOIN apflow_tasks t CROSS JOIN apflow_task_edges e "
          "CROSS JOIN apflow_tasks d WHERE t.id = q.value AND e.task_id = t.id "
          "AND d.id = e.depends_on AND t.status = 'pending' AND t.queued = 1 AND t.blockers > 0 "
          "AND e.kind <> 'optional' "
          "AND t.failure_policy <> 'continue' AND d.status IN ('failed', 'cancelled') "
          "ORDER BY d.seq",
      {ids_json}, 9);
  std::vector<Settled> sources;
  std::unordered_map<std::string, std::size_t> index;
  std::vector<Hit> hits;
  for (const auto& r : rows) {
    auto [it, added] = index.emplace(r[5], sources.size());
    if (added) sources.push_back(Settled{r[5], r[6], r[7], r[8]});
    hits.push_back(Hit{r[0], r[1], r[2], r[3], tree_of(r, 4), it->second});
  }
  run(apply(hits, sources));
}

std::vector<Settled> Propagation::apply(const std::vector<Hit>& hits,
                                        const std::vector<Settled>& sources) {
  std::vector<Change> wave;
  std::vector<Settled> next;
  std::unordered_set<std::string> changed;
  std::unordered_map<std::string, long long> decrements;
  for (const auto& hit : hits) {
    if (changed.count(hit.task_id) != 0) continue;
    const auto verdict = judge(mode_, sources[hit.source], hit.kind, hit.policy);
    if (!verdict) {
      ++decrements[hit.task_id];
      continue;
    }
    changed.insert(hit.task_id);
    decrements.erase(hit.task_id);
    wave.push_back(Change{hit.task_id, verdict->status, verdict->error, hit.tree, hit.name});
    next.push_back(Settled{hit.task_id, hit.name, verdict->status, verdict->error});
  }
  std::vector<std::string> ids;
  std::vector<long long> counts;
  for (const auto& [id, count] : decrements) {
    ids.push_back(id);
    counts.push_back(count);
  }
  released_ += static_cast<long long>(ids.size());
  write_decrements(std::move(ids), std::move(counts));
  write_statuses(wave);
  changes_.insert(changes_.end(), wave.begin(), wave.end());
  return next;
}

void Propagation::release_dependents(const std::string& ids_json) {
  // Grouped before the dependents are read: a fan-in's parent is looked up once per batch, not
  // once for each of its children in it.
  const auto rows =
      select_text(db_,
                  "SELECT g.task_id, g.n, t.blockers FROM (SELECT e.task_id AS task_id, "
                  "COUNT(*) AS n FROM " +
                      db_.dialect.id_rows(":ids", "s") +
                      " CROSS JOIN apflow_task_edges e WHERE e.depends_on = s.value "
                      "GROUP BY e.task_id) g CROSS JOIN apflow_tasks t "
                      "WHERE t.id = g.task_id AND t.status = 'pending' AND t.queued = 1",
                  {ids_json}, 3);
  std::vector<std::string> ids;
  std::vector<long long> counts;
  for (const auto& r : rows) {
    ids.push_back(r[0]);
    counts.push_back(r.integer(1));
    if (r.integer(2) == r.integer(1)) ++released_;
  }
  write_decrements(std::move(ids), std::move(counts));
}

void Propagation::write_decrements(std::vector<std::string> ids, std::vector<long long> counts) {
  Statement& update =
      db_.cache.get("UPDATE apflow_tasks SET blockers = blockers - :n WHERE id = :id");
  for (std::size_t i = 0; i < ids.size(); ++i) {
    update.bind_integer(0, counts[i]);
    update.bind_text(1, ids[i]);
    Run run(update);
    run.next();
  }
}

void Propagation::write_statuses(const std::vector<Change>& wave) {
  Statement& update = db_.cache.get(
      "UPDATE apflow_tasks SET status = :status, error = :error, completed_at = :done, "
      "updated_at = :now, queued = 0, lease_owner = NULL, lease_expires_at = NULL "
      "WHERE id = :id");
  for (const auto& c : wave) {
    update.bind_text(0, c.status);
    update.bind_text(1, c.error);
    update.bind_text(2, now_);
    update.bind_text(3, now_);
    update.bind_text(4, c.id);
    Run run(update);
    run.next();
  }
}

void Propagation::write_changes(JsonOut& out) const {
  auto& w = out.w();
  out.key("changed");
  w.StartArray();
  for (const auto& c : changes_) write_change(out, c);
  w.EndArray();
}

void write_change(JsonOut& out, const Change& change) {
  auto& w = out.w();
  w.StartObject();
  out.field("id", change.id);
  out.field("name", change.name);
  out.field("status", change.status);
  out.field("error", change.error);
  out.key("task_tree_id");
  if (change.task_tree_id && !change.task_tree_id->empty()) {
    out.string(*change.task_tree_id);
  } else {
    w.Null();
  }
  w.EndObject();
}

}  // namespace apflow::plugins::storage

#include "cli/run_render.h"

#include <algorithm>
#include <cstdio>
#include <ctime>

namespace apflow::plugins::cli {
namespace {

constexpr size_t kBarWidth = 20;
constexpr size_t kMaxNameWidth = 24;

// Seconds east of UTC of a `Z`, `+02:00` or `-0530` suffix (after optional fractions).
long offset_seconds(std::string_view rest) {
  while (!rest.empty() && (rest.front() == '.' || (rest.front() >= '0' && rest.front() <= '9'))) {
    rest.remove_prefix(1);
  }
  int hours = 0, minutes = 0;
  if (rest.size() < 3 || (rest[0] != '+' && rest[0] != '-')) return 0;
  const std::string digits(rest.substr(1));
  if (std::sscanf(digits.c_str(), "%2d:%2d", &hours, &minutes) < 1 &&
      std::sscanf(digits.c_str(), "%2d%2d", &hours, &minutes) < 1) {
    return 0;
  }
  return (rest[0] == '-' ? -1 : 1) * (hours * 3600L + minutes * 60L);
}

std::string local_clock(std::time_t when) {
  std::tm parts{};
  localtime_r(&when, &parts);
  char text[16];
  return std::string(text, std::strftime(text, sizeof text, "%H:%M:%S", &parts));
}

// At most `columns` characters, counting a UTF-8 sequence as one.
std::string fit(const std::string& text, size_t columns) {
  size_t count = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    if ((static_cast<unsigned char>(text[i]) & 0xC0) == 0x80) continue;
    if (++count > columns) return text.substr(0, i);
  }
  return text;
}

size_t length(const std::string& text) {
  return static_cast<size_t>(std::count_if(text.begin(), text.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  }));
}

std::string padded(const std::string& text, size_t width) {
  std::string out = fit(text, width);
  const size_t used = length(out);
  return out + std::string(width > used ? width - used : 0, ' ');
}

std::string joined(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& name : names) out += (out.empty() ? "" : ", ") + name;
  return out;
}

std::string tree_line(const TreeProgress& tree, const RunState& state, size_t name_width) {
  const size_t total = tree.task_ids.size();
  const size_t done = state.ended_tasks(tree);
  // A completed tree is full even when some of its task events never arrived.
  const size_t filled = tree.outcome == "completed" ? kBarWidth
                        : total == 0                ? 0
                                                    : kBarWidth * done / total;
  std::string line = padded(tree.name, name_width) + " [" + std::string(filled, '#') +
                     std::string(kBarWidth - filled, '-') + "] " + std::to_string(done) + "/" +
                     std::to_string(total) + "  ";
  if (tree.ended()) return line + tree.outcome + (tree.error.empty() ? "" : ": " + tree.error);
  const auto running = state.running_tasks(tree);
  return line + (running.empty() ? "waiting" : "running: " + joined(running));
}

}  // namespace

std::string clock_text(std::string_view timestamp) {
  std::tm parts{};
  const std::string text(timestamp);
  if (text.size() >= 19 &&
      std::sscanf(text.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d", &parts.tm_year, &parts.tm_mon,
                  &parts.tm_mday, &parts.tm_hour, &parts.tm_min, &parts.tm_sec) == 6) {
    parts.tm_year -= 1900;
    parts.tm_mon -= 1;
    return local_clock(timegm(&parts) - offset_seconds(timestamp.substr(19)));
  }
  return local_clock(std::time(nullptr));
}

std::string plain_line(const RunEvent& event, const RunState& state) {
  std::string name = event.name;
  if (name.empty()) {
    const auto* task = state.task(event.task_id);
    name = task != nullptr ? task->name : event.task_id;
  }
  auto line = [&](const char* verb, const std::string& tail) {
    char head[16];
    std::snprintf(head, sizeof head, "%-8s ", verb);
    return "[" + clock_text(event.timestamp) + "] " + head + name + " (" + event.task_id + ")" +
           tail;
  };
  const std::string error = event.error.empty() ? "" : ": " + event.error;
  if (event.type == "task_started") return line("started", "");
  if (event.type == "task_completed") return line("completed", "");
  if (event.type == "task_failed") return line("failed", error);
  if (event.type == "task_cancelled") return line("cancelled", error);
  if (event.type == "task_progress" && !event.message.empty() && event.progress) {
    return line("progress", " " + std::to_string(static_cast<int>(*event.progress * 100)) +
                                "%: " + event.message);
  }
  if (!event.type.starts_with("tree_")) return {};
  for (const auto& tree : state.trees()) {
    if (tree.root_id != event.task_id) continue;
    return line("tree", " " + event.type.substr(5) + ", " +
                            std::to_string(state.ended_tasks(tree)) + "/" +
                            std::to_string(tree.task_ids.size()) + " tasks ended" + error);
  }
  return line("tree", " " + event.type.substr(5) + error);
}

std::vector<std::string> tty_frame(const RunState& state, size_t width) {
  size_t name_width = 4;
  for (const auto& tree : state.trees()) {
    name_width = std::max(name_width, std::min(kMaxNameWidth, length(tree.name)));
  }
  std::vector<std::string> lines;
  // One column short of the width: a line that fills it wraps on some terminals.
  const size_t columns = width > 1 ? width - 1 : width;
  for (const auto& tree : state.trees())
    lines.push_back(fit(tree_line(tree, state, name_width), columns));
  return lines;
}

void ProgressView::on_event(const RunEvent& event, const RunState& state) {
  if (!terminal_) {
    if (const std::string line = plain_line(event, state); !line.empty()) out_ << line << "\n";
    out_.flush();
    return;
  }
  // Failures stay readable above the bars; everything else only moves them.
  if (event.type == "task_failed") note(plain_line(event, state), state);
}

void ProgressView::refresh(const RunState& state) {
  if (!terminal_ || tty_frame(state, width_) == last_frame_) return;
  erase();
  draw(state);
}

void ProgressView::note(const std::string& line, const RunState& state) {
  erase();
  out_ << line << "\n";
  if (terminal_) draw(state);
  out_.flush();
}

void ProgressView::finish(const RunState& state) {
  if (!terminal_) return;
  erase();
  draw(state);
  out_ << "\n";
  out_.flush();
  drawn_lines_ = 0;
  last_frame_.clear();
}

void ProgressView::erase() {
  if (drawn_lines_ == 0) return;
  out_ << "\r\x1b[2K";
  for (size_t i = 1; i < drawn_lines_; ++i) out_ << "\x1b[1A\x1b[2K";
  drawn_lines_ = 0;
}

void ProgressView::draw(const RunState& state) {
  last_frame_ = tty_frame(state, width_);
  for (size_t i = 0; i < last_frame_.size(); ++i) {
    out_ << (i == 0 ? "" : "\n") << last_frame_[i];
  }
  drawn_lines_ = last_frame_.size();
  out_.flush();
}

}  // namespace apflow::plugins::cli

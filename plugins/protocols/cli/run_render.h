// `apflow run`: progress while the trees run. On a terminal, one live bar per tree, redrawn in
// place; elsewhere (logs, CI), one plain line per event.
#pragma once

#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "cli/run_state.h"

namespace apflow::plugins::cli {

// `12:00:01` in local time for an ISO-8601 UTC timestamp; the current time when it is unreadable.
std::string clock_text(std::string_view timestamp);

// The plain line for an event (without a newline), or "" for events not worth a line.
std::string plain_line(const RunEvent& event, const RunState& state);

// One line per tree, none wider than `width` columns, so that redrawing stays in place.
std::vector<std::string> tty_frame(const RunState& state, size_t width);

// Writes the progress of a run to a stream (stderr: stdout is for the results).
class ProgressView {
 public:
  ProgressView(std::ostream& out, bool terminal, size_t width)
      : out_(out), terminal_(terminal), width_(width) {}

  void on_event(const RunEvent& event, const RunState& state);
  // Redraws the bars on a terminal when something changed.
  void refresh(const RunState& state);
  // A line of its own (a notice or an error), kept above the bars.
  void note(const std::string& line, const RunState& state);
  // Leaves the final bars on screen.
  void finish(const RunState& state);

 private:
  void erase();
  void draw(const RunState& state);

  std::ostream& out_;
  bool terminal_;
  size_t width_;
  size_t drawn_lines_ = 0;
  std::vector<std::string> last_frame_;
};

}  // namespace apflow::plugins::cli

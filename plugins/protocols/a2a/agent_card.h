// The agent card: who this agent is, where it answers, and one skill per module of the
// registry (the skill id is the module id).
#pragma once

#include <apflow/sdk/json.h>

#include <string>

namespace apflow::plugins::a2a {

struct CardSettings {
  std::string url;  // the JSON-RPC endpoint, http://127.0.0.1:8000/
  std::string version;
  bool bearer_auth = false;  // a token is required: the card says so
};

// The A2A 1.0 card (/.well-known/agent-card.json). modules: Host::list_modules().
std::string agent_card(const rapidjson::Value& modules, const CardSettings& settings);
// The same card in the 0.3 shape (/.well-known/agent.json), for 0.3 clients.
std::string legacy_agent_card(const rapidjson::Value& modules, const CardSettings& settings);

// One skill for a module descriptor, or null when the module has no description (a skill
// without one is useless to an agent choosing among them).
sdk::Json skill_of(const rapidjson::Value& module);
// "apflow.task.create_tree" → "Apflow Task Create Tree".
std::string humanize(const std::string& module_id);

}  // namespace apflow::plugins::a2a

// SPDX-License-Identifier: Apache-2.0
// YAML documents from text, with yaml-cpp, for the inputs that may be YAML: a Kubernetes object
// given as a profile (policy/kubernetes.cpp) and a learner's Pod manifest (lessons/pod.cpp).
#pragma once

#include <string>
#include <vector>

#include <yaml-cpp/yaml.h>

namespace util::yaml {

// Every document in TEXT, as YAML::LoadAll returns them, and like it throwing YAML::Exception
// (with the mark) for text that is not YAML. Unlike it, this always ends: yaml-cpp 0.7's
// LoadAll loops for ever, allocating, on a token no document can begin with (a "," at the top
// level, as in ",x" or "a: b\n---\n,": jbeder/yaml-cpp#1040, fixed upstream in 0.8.0's #1319).
// Such text is a YAML::ParserException here.
std::vector<YAML::Node> load_all(const std::string& text);

} // namespace util::yaml

// SPDX-License-Identifier: Apache-2.0
#include "policy/kubernetes.hpp"

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <regex>
#include <set>

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include "util/error.hpp"
#include "util/yaml.hpp"

namespace policy::kubernetes {
namespace {

using nlohmann::json;

// The kubelet's --root-dir by default: Localhost profiles are under its seccomp/ directory.
constexpr const char* kKubeletSeccompRoot = "/var/lib/kubelet/seccomp";

[[noreturn]] void refuse(const std::string& message, const std::string& hint) {
    throw util::Error(util::exit_code::policy, message, hint);
}

// ---- YAML to JSON, typed as the API server's decoder types it ----

class Converter {
public:
    explicit Converter(std::string source) : source_(std::move(source)) {}

    json convert(const YAML::Node& n, const std::string& path, int depth = 0) {
        // Aliases can make a small file a deep or huge tree (an anchor inside itself, nested
        // aliases): bounded as the API server's decoder bounds it.
        if (depth > 64 || ++visited_ > 200000)
            fail(path, n, "nested too deeply or too large (aliases?)");
        switch (n.Type()) {
        case YAML::NodeType::Undefined:
        case YAML::NodeType::Null:
            return nullptr;
        case YAML::NodeType::Scalar:
            return scalar(n);
        case YAML::NodeType::Sequence: {
            json out = json::array();
            for (std::size_t i = 0; i < n.size(); ++i)
                out.push_back(convert(n[i], fmt::format("{}[{}]", path, i), depth + 1));
            return out;
        }
        case YAML::NodeType::Map: {
            json out = json::object();
            for (auto it = n.begin(); it != n.end(); ++it) {
                if (!it->first.IsScalar()) fail(path, it->first, "a key must be a string");
                const std::string key = it->first.Scalar();
                const std::string child = path.empty() ? key : path + "." + key;
                if (out.contains(key))
                    fail(child, it->first,
                         "the key is given twice (the API server refuses it; a reader sees the "
                         "first, a parser may keep the last); give it once");
                out[key] = convert(it->second, child, depth + 1);
            }
            return out;
        }
        }
        return nullptr;
    }

private:
    std::string source_;
    long visited_ = 0;

    [[noreturn]] void fail(const std::string& path, const YAML::Node& n, const std::string& what) {
        const YAML::Mark m = n.Mark();
        refuse(fmt::format("{}: {}{}: {}", source_, path.empty() ? "the document" : path,
                           m.line >= 0 ? fmt::format(" (line {})", m.line + 1) : "", what),
               "fix the YAML and try again");
    }

    // A quoted scalar is a string; a plain one is null, a boolean, an integer or a float when
    // it reads as one (YAML 1.2's core schema, which is what a Kubernetes manifest means).
    static json scalar(const YAML::Node& n) {
        const std::string& s = n.Scalar();
        if (n.Tag() != "?") return s;
        if (s.empty() || s == "~" || s == "null" || s == "Null" || s == "NULL") return nullptr;
        if (s == "true" || s == "True" || s == "TRUE") return true;
        if (s == "false" || s == "False" || s == "FALSE") return false;
        static const std::regex decimal("[-+]?[0-9]+");
        static const std::regex hex("0x[0-9a-fA-F]+");
        static const std::regex octal("0o[0-7]+");
        static const std::regex real("[-+]?(\\.[0-9]+|[0-9]+(\\.[0-9]*)?)([eE][-+]?[0-9]+)?");
        const auto integer = [&](const char* digits, int base) -> json {
            errno = 0;
            char* end = nullptr;
            if (*digits == '-') {
                const long long v = std::strtoll(digits, &end, base);
                if (errno == 0) return v;
            } else {
                const unsigned long long v = std::strtoull(digits, &end, base);
                if (errno == 0) return v;
            }
            return s; // out of range: the profile's reader says what it expected
        };
        if (std::regex_match(s, decimal)) return integer(s.c_str(), 10);
        if (std::regex_match(s, hex)) return integer(s.c_str() + 2, 16);
        if (std::regex_match(s, octal)) return integer(s.c_str() + 2, 8);
        if (std::regex_match(s, real)) return std::strtod(s.c_str(), nullptr);
        return s;
    }
};

std::string string_at(const json& j, const char* key) {
    if (!j.is_object()) return {};
    const auto it = j.find(key);
    return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

std::string object_name(const json& object) {
    const auto it = object.find("metadata");
    return it == object.end() ? std::string() : string_at(*it, "name");
}

// "SeccompProfile \"demo\"", "Pod \"web\"", "Deployment" (no name).
std::string describe(const json& object) {
    const std::string kind = string_at(object, "kind");
    const std::string name = object_name(object);
    return name.empty() ? kind : fmt::format("{} \"{}\"", kind, name);
}

bool is_seccomp_profile(const json& object) {
    return string_at(object, "kind") == "SeccompProfile" &&
           string_at(object, "apiVersion").rfind("security-profiles-operator.x-k8s.io/", 0) == 0;
}

// The pod spec of a workload, and its path: a Pod's spec, a Deployment's (ReplicaSet,
// StatefulSet, DaemonSet, Job) spec.template.spec, a CronJob's spec.jobTemplate.spec.template.spec.
std::optional<std::pair<const json*, std::string>> pod_spec(const json& object) {
    static const std::set<std::string> templated = {
        "Deployment", "ReplicaSet", "StatefulSet", "DaemonSet", "Job", "ReplicationController",
        "PodTemplate"};
    const std::string kind = string_at(object, "kind");
    const json* at = &object;
    std::vector<const char*> path;
    if (kind == "Pod")
        path = {"spec"};
    else if (kind == "PodTemplate")
        path = {"template", "spec"};
    else if (templated.count(kind) != 0)
        path = {"spec", "template", "spec"};
    else if (kind == "CronJob")
        path = {"spec", "jobTemplate", "spec", "template", "spec"};
    else
        return std::nullopt;
    std::string where;
    for (const char* p : path) {
        if (!at->is_object() || !at->contains(p)) return std::make_pair(nullptr, std::string());
        at = &(*at)[p];
        where += (where.empty() ? "" : ".") + std::string(p);
    }
    return std::make_pair(at, where);
}

std::string setting_text(const json& profile) {
    const std::string type = string_at(profile, "type");
    if (type == "Localhost") {
        const std::string file = string_at(profile, "localhostProfile");
        if (file.empty()) return "Localhost without localhostProfile (the API server refuses it)";
        return fmt::format("Localhost {} (on its node: {}/{})", file, kKubeletSeccompRoot, file);
    }
    if (type == "RuntimeDefault")
        return "RuntimeDefault (the runtime's default; here: --profile runtime-default)";
    if (type == "Unconfined") return "Unconfined (no profile; here: --profile unconfined)";
    return type.empty() ? std::string("no type") : fmt::format("type {}", type);
}

// Turns SPO's spec into the OCI profile it installs: its own keys set aside with a warning,
// errnoRet as a number (v1beta1 spells it as a string).
json profile_of(const json& object, const std::string& source, std::vector<std::string>& warnings) {
    const auto it = object.find("spec");
    if (it == object.end() || !it->is_object())
        refuse(fmt::format("{}: {}: spec: missing, or not an object", source, describe(object)),
               "a SeccompProfile holds its profile in spec (defaultAction, syscalls, ...)");
    json spec = *it;
    if (spec.contains("baseProfileName")) {
        const json& base = spec["baseProfileName"];
        if (!(base.is_string() && base.get<std::string>().empty()))
            warnings.push_back(fmt::format(
                "{}: baseProfileName: {}: not read; the operator merges that profile's "
                "syscalls into this one, sandbox checks this object's own rules only (give the "
                "installed profile from the node, {}/operator/..., to check both)",
                source, base.is_string() ? base.get<std::string>() : base.dump(),
                kKubeletSeccompRoot));
        spec.erase("baseProfileName");
    }
    if (spec.contains("disabled")) {
        if (spec["disabled"] == true)
            warnings.push_back(fmt::format("{}: disabled: true: the operator does not "
                                           "install this profile on any node",
                                           source));
        spec.erase("disabled");
    }
    if (spec.contains("syscalls") && spec["syscalls"].is_array())
        for (json& rule : spec["syscalls"]) {
            if (!rule.is_object() || !rule.contains("errnoRet")) continue;
            json& e = rule["errnoRet"];
            static const std::regex digits("[0-9]{1,10}");
            if (e.is_string() && std::regex_match(e.get<std::string>(), digits))
                e = std::stoull(e.get<std::string>());
        }
    return spec;
}

std::optional<Embedded> from_object(const json& object, const std::string& source) {
    if (!object.is_object() || !object.contains("kind") || !object.contains("apiVersion"))
        return std::nullopt;
    const std::string kind = string_at(object, "kind");
    if (is_seccomp_profile(object)) {
        Embedded e;
        e.source = fmt::format("{}: {}, spec", source, describe(object));
        e.json = profile_of(object, e.source, e.warnings).dump();
        return e;
    }
    // kubectl get seccompprofiles -o yaml: a List of them.
    if ((kind == "List" || kind == "SeccompProfileList") && object.contains("items") &&
        object["items"].is_array()) {
        std::vector<const json*> profiles;
        for (const json& item : object["items"])
            if (is_seccomp_profile(item)) profiles.push_back(&item);
        if (profiles.size() == 1) return from_object(*profiles[0], source);
        if (profiles.size() > 1) {
            std::string names;
            for (const json* p : profiles) names += (names.empty() ? "" : ", ") + object_name(*p);
            refuse(fmt::format("{}: a {} of {} SeccompProfile objects ({}), not one profile",
                               source, kind, profiles.size(), names),
                   "give one SeccompProfile per file (`kubectl get seccompprofile NAME -o yaml`)");
        }
    }
    if (pod_spec(object)) {
        const auto settings = seccomp_settings(object);
        std::string found;
        for (const auto& s : settings) found += (found.empty() ? "" : "; ") + s;
        refuse(fmt::format("{}: a Kubernetes {}, not a seccomp profile: {}", source,
                           describe(object),
                           settings.empty() ? std::string("it sets no seccompProfile (its "
                                                          "containers run Unconfined unless the "
                                                          "kubelet runs with --seccomp-default)")
                                            : "it refers to " + found),
               "give the profile itself: the JSON file a Localhost seccompProfile names, under "
               "the node's /var/lib/kubelet/seccomp (--policy FILE), or --profile runtime-default");
    }
    refuse(fmt::format("{}: a Kubernetes {} ({}), not a seccomp profile", source, describe(object),
                       string_at(object, "apiVersion")),
           "give a seccomp profile: the JSON a kubelet reads from /var/lib/kubelet/seccomp, or a "
           "Security Profiles Operator SeccompProfile");
}

} // namespace

std::vector<std::string> seccomp_settings(const json& object) {
    std::vector<std::string> out;
    const auto spec = pod_spec(object);
    if (!spec || spec->first == nullptr || !spec->first->is_object()) return out;
    const json& s = *spec->first;
    const std::string& base = spec->second;
    const auto from_context = [&](const json& holder, const std::string& where) {
        if (!holder.is_object()) return;
        const auto sc = holder.find("securityContext");
        if (sc == holder.end() || !sc->is_object()) return;
        const auto profile = sc->find("seccompProfile");
        if (profile == sc->end()) return;
        out.push_back(fmt::format("{}.securityContext: {}", where, setting_text(*profile)));
    };
    from_context(s, base);
    for (const char* list : {"initContainers", "containers", "ephemeralContainers"}) {
        const auto it = s.find(list);
        if (it == s.end() || !it->is_array()) continue;
        for (std::size_t i = 0; i < it->size(); ++i) {
            const std::string name = string_at((*it)[i], "name");
            from_context((*it)[i], fmt::format("{}.{}[{}]{}", base, list, i,
                                               name.empty() ? "" : " (" + name + ")"));
        }
    }
    return out;
}

std::optional<Embedded> from_json(const json& root, const std::string& source) {
    return from_object(root, source);
}

std::optional<Embedded> from_yaml(std::string_view text, const std::string& source) {
    // yaml-cpp recurses once per level of nesting, flow ([{) or block (indentation, "- - -"):
    // bounded before it runs, far deeper than any manifest goes.
    std::size_t flow = 0, deepest_flow = 0, indent = 0, deepest_indent = 0;
    bool line_start = true;
    for (const char c : text) {
        if (c == '\n') {
            line_start = true;
            indent = 0;
        } else if (line_start && (c == ' ' || c == '-')) {
            deepest_indent = std::max(deepest_indent, ++indent);
        } else {
            line_start = false;
            if (c == '[' || c == '{')
                deepest_flow = std::max(deepest_flow, ++flow);
            else if ((c == ']' || c == '}') && flow > 0)
                --flow;
        }
    }
    if (deepest_flow > 64 || deepest_indent > 1024)
        refuse(fmt::format("{}: nested too deeply for a Kubernetes object or a profile", source),
               "a seccomp profile nests 4 levels deep; a Pod about 8");
    std::vector<YAML::Node> docs;
    try {
        docs = util::yaml::load_all(std::string(text));
    } catch (const YAML::Exception&) {
        return std::nullopt;
    }
    Converter convert(source);
    std::vector<json> objects;
    for (const auto& d : docs)
        if (d.IsMap()) objects.push_back(convert.convert(d, ""));
    if (objects.empty()) return std::nullopt;
    // Several documents: the one SeccompProfile among them, or the first workload's error.
    std::vector<const json*> profiles;
    for (const json& o : objects)
        if (is_seccomp_profile(o)) profiles.push_back(&o);
    if (profiles.size() > 1) {
        std::string names;
        for (const json* p : profiles) names += (names.empty() ? "" : ", ") + object_name(*p);
        refuse(fmt::format("{}: {} SeccompProfile objects ({}) in one file, not one profile",
                           source, profiles.size(), names),
               "give one SeccompProfile per file");
    }
    if (profiles.size() == 1) return from_object(*profiles[0], source);
    for (const json& o : objects)
        if (o.contains("kind") && o.contains("apiVersion")) return from_object(o, source);
    if (objects[0].contains("defaultAction") || objects[0].contains("syscalls"))
        refuse(fmt::format("{}: a seccomp profile written in YAML; the kubelet, runc, containerd "
                           "and CRI-O read profiles as JSON only",
                           source),
               "write it as JSON (the same keys, in braces and quotes), or wrap it in a Security "
               "Profiles Operator SeccompProfile object (its spec)");
    return std::nullopt;
}

} // namespace policy::kubernetes

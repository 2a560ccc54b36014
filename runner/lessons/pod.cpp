// SPDX-License-Identifier: Apache-2.0
#include "lessons/pod.hpp"

#include <algorithm>
#include <filesystem>
#include <regex>
#include <set>

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include "util/yaml.hpp"

namespace lessons::pod {
namespace {

// The fields of the objects the lessons touch (Kubernetes 1.31 core/v1). `kubectl apply`
// validates strictly by default: an unknown field is an error, so a setting in the wrong place
// (capabilities in the Pod's securityContext) is refused, not ignored.
const std::set<std::string> kTopFields{"apiVersion", "kind", "metadata", "spec", "status"};
const std::set<std::string> kMetadataFields{"name",
                                            "generateName",
                                            "namespace",
                                            "labels",
                                            "annotations",
                                            "uid",
                                            "resourceVersion",
                                            "generation",
                                            "creationTimestamp",
                                            "deletionTimestamp",
                                            "deletionGracePeriodSeconds",
                                            "ownerReferences",
                                            "finalizers",
                                            "managedFields",
                                            "selfLink"};
const std::set<std::string> kSpecFields{"volumes",
                                        "initContainers",
                                        "containers",
                                        "ephemeralContainers",
                                        "restartPolicy",
                                        "terminationGracePeriodSeconds",
                                        "activeDeadlineSeconds",
                                        "dnsPolicy",
                                        "nodeSelector",
                                        "serviceAccountName",
                                        "serviceAccount",
                                        "automountServiceAccountToken",
                                        "nodeName",
                                        "hostNetwork",
                                        "hostPID",
                                        "hostIPC",
                                        "shareProcessNamespace",
                                        "securityContext",
                                        "imagePullSecrets",
                                        "hostname",
                                        "subdomain",
                                        "affinity",
                                        "schedulerName",
                                        "tolerations",
                                        "hostAliases",
                                        "priorityClassName",
                                        "priority",
                                        "dnsConfig",
                                        "readinessGates",
                                        "runtimeClassName",
                                        "enableServiceLinks",
                                        "preemptionPolicy",
                                        "overhead",
                                        "topologySpreadConstraints",
                                        "setHostnameAsFQDN",
                                        "os",
                                        "hostUsers",
                                        "schedulingGates",
                                        "resourceClaims",
                                        "resources"};
const std::set<std::string> kContainerFields{"name",
                                             "image",
                                             "command",
                                             "args",
                                             "workingDir",
                                             "ports",
                                             "envFrom",
                                             "env",
                                             "resources",
                                             "resizePolicy",
                                             "restartPolicy",
                                             "volumeMounts",
                                             "volumeDevices",
                                             "livenessProbe",
                                             "readinessProbe",
                                             "startupProbe",
                                             "lifecycle",
                                             "terminationMessagePath",
                                             "terminationMessagePolicy",
                                             "imagePullPolicy",
                                             "securityContext",
                                             "stdin",
                                             "stdinOnce",
                                             "tty"};
const std::set<std::string> kPodSecurityFields{"seLinuxOptions",
                                               "windowsOptions",
                                               "runAsUser",
                                               "runAsGroup",
                                               "runAsNonRoot",
                                               "supplementalGroups",
                                               "supplementalGroupsPolicy",
                                               "fsGroup",
                                               "sysctls",
                                               "fsGroupChangePolicy",
                                               "seccompProfile",
                                               "appArmorProfile",
                                               "seLinuxChangePolicy"};
const std::set<std::string> kContainerSecurityFields{"capabilities",
                                                     "privileged",
                                                     "seLinuxOptions",
                                                     "windowsOptions",
                                                     "runAsUser",
                                                     "runAsGroup",
                                                     "runAsNonRoot",
                                                     "readOnlyRootFilesystem",
                                                     "allowPrivilegeEscalation",
                                                     "procMount",
                                                     "seccompProfile",
                                                     "appArmorProfile"};
const std::set<std::string> kSeccompFields{"type", "localhostProfile"};
const std::set<std::string> kCapabilityFields{"add", "drop"};

// Where a node is, for messages: "line 7".
std::string at(const YAML::Node& n) {
    const YAML::Mark m = n.Mark();
    if (m.line < 0) return "";
    return fmt::format(" (line {})", m.line + 1);
}

class Reader {
public:
    std::vector<std::string> problems;
    bool too_big_ = false;
    long visited_ = 0;

    void problem(const std::string& path, const YAML::Node& n, const std::string& what) {
        problems.push_back(fmt::format("{}{}: {}", path, at(n), what));
    }

    // Every key of every map once: a repeated key is refused (the API server's JSON decoding
    // of a YAML with duplicate keys fails; a reader sees the first, a parser may keep the last).
    // Bounded: aliases can make a small file a deep or huge tree (an anchor inside itself,
    // nested aliases), which the API server's decoder refuses too.
    void duplicates(const YAML::Node& n, const std::string& path, int depth = 0) {
        if (depth > 64 || ++visited_ > 100000) {
            if (!too_big_) problem(path, n, "nested too deeply or too large (aliases?)");
            too_big_ = true;
            return;
        }
        if (n.IsMap()) {
            std::set<std::string> seen;
            for (auto it = n.begin(); it != n.end(); ++it) {
                const std::string key = it->first.IsScalar() ? it->first.Scalar() : "?";
                const std::string child = path.empty() ? key : path + "." + key;
                if (!seen.insert(key).second)
                    problem(child, it->first, "the key is given twice; give it once");
                duplicates(it->second, child, depth + 1);
            }
        } else if (n.IsSequence()) {
            for (std::size_t i = 0; i < n.size(); ++i)
                duplicates(n[i], fmt::format("{}[{}]", path, i), depth + 1);
        }
    }

    // A map whose keys must all be fields of the object.
    bool object(const YAML::Node& n, const std::string& path, const std::set<std::string>& fields,
                const char* what) {
        if (!n.IsMap()) {
            problem(path.empty() ? "the file" : path, n,
                    fmt::format("must be {} (a map of fields)", what));
            return false;
        }
        for (auto it = n.begin(); it != n.end(); ++it) {
            const std::string key = it->first.IsScalar() ? it->first.Scalar() : "?";
            if (fields.count(key) == 0)
                problem(path.empty() ? key : path + "." + key, it->first,
                        fmt::format("unknown field {} (kubectl's strict validation refuses it)",
                                    path.empty() ? "of a Pod" : "in " + std::string(what)));
        }
        return true;
    }

    static bool is_null(const YAML::Node& n) {
        return !n.IsDefined() || n.IsNull() ||
               (n.IsScalar() && n.Tag() == "?" && (n.Scalar() == "~" || n.Scalar() == "null"));
    }

    std::optional<std::string> string(const YAML::Node& n, const std::string& path) {
        if (is_null(n)) return std::nullopt;
        if (!n.IsScalar()) {
            problem(path, n, "must be a string");
            return std::nullopt;
        }
        // A plain scalar that YAML reads as a number or a boolean is one: the API server refuses
        // it for a string field (name: 123 needs quotes).
        static const std::regex number(
            "[-+]?([0-9]+|[0-9]*\\.[0-9]+([eE][-+]?[0-9]+)?|0x[0-9a-fA-F]+)");
        static const std::set<std::string> booleans{
            "true", "True", "TRUE", "false", "False", "FALSE", "yes", "Yes", "YES", "no", "No",
            "NO",   "on",   "On",   "ON",    "off",   "Off",   "OFF", "y",   "Y",   "n",  "N"};
        if (n.Tag() == "?" &&
            (std::regex_match(n.Scalar(), number) || booleans.count(n.Scalar()) != 0)) {
            problem(path, n,
                    fmt::format("{} is not a string to YAML; quote it (\"{}\")", n.Scalar(),
                                n.Scalar()));
            return std::nullopt;
        }
        return n.Scalar();
    }

    // YAML 1.1 booleans, as sigs.k8s.io/yaml reads them; a quoted "false" is a string, which the
    // API server refuses for a boolean field.
    std::optional<bool> boolean(const YAML::Node& n, const std::string& path) {
        if (is_null(n)) return std::nullopt;
        static const std::set<std::string> yes{"true", "True", "TRUE", "yes", "Yes", "YES",
                                               "on",   "On",   "ON",   "y",   "Y"};
        static const std::set<std::string> no{"false", "False", "FALSE", "no", "No", "NO",
                                              "off",   "Off",   "OFF",   "n",  "N"};
        if (n.IsScalar() && n.Tag() == "?") {
            if (yes.count(n.Scalar()) != 0) return true;
            if (no.count(n.Scalar()) != 0) return false;
        }
        problem(path, n,
                n.IsScalar() && n.Tag() != "?"
                    ? fmt::format("\"{}\" is a string; the field is a boolean (true or false, "
                                  "without quotes)",
                                  n.Scalar())
                    : "must be a boolean (true or false)");
        return std::nullopt;
    }

    std::optional<std::int64_t> integer(const YAML::Node& n, const std::string& path) {
        if (is_null(n)) return std::nullopt;
        static const std::regex decimal("[-+]?[0-9]+");
        if (n.IsScalar() && n.Tag() == "?" && std::regex_match(n.Scalar(), decimal)) {
            try {
                return std::stoll(n.Scalar());
            } catch (...) {
                problem(path, n, "is out of range for an int64");
                return std::nullopt;
            }
        }
        problem(path, n,
                n.IsScalar() && n.Tag() != "?"
                    ? fmt::format("\"{}\" is a string; the field is an integer (without quotes)",
                                  n.Scalar())
                    : "must be an integer");
        return std::nullopt;
    }

    std::vector<std::string> strings(const YAML::Node& n, const std::string& path) {
        std::vector<std::string> out;
        if (is_null(n)) return out;
        if (!n.IsSequence()) {
            problem(path, n, "must be a list of strings ([\"...\"])");
            return out;
        }
        for (std::size_t i = 0; i < n.size(); ++i)
            if (auto s = string(n[i], fmt::format("{}[{}]", path, i))) out.push_back(*s);
        return out;
    }

    struct Security {
        std::optional<std::string> seccomp_type;
        std::optional<std::string> localhost_profile;
        std::optional<std::int64_t> run_as_user;
        std::optional<bool> run_as_non_root;
        std::optional<bool> allow_privilege_escalation;
        std::optional<bool> privileged;
        std::vector<std::string> add, drop;
    };

    Security security(const YAML::Node& n, const std::string& path, bool container) {
        Security s;
        if (is_null(n)) return s;
        if (!object(n, path, container ? kContainerSecurityFields : kPodSecurityFields,
                    container ? "a container's securityContext" : "the Pod's securityContext"))
            return s;
        s.run_as_user = integer(n["runAsUser"], path + ".runAsUser");
        (void)integer(n["runAsGroup"], path + ".runAsGroup");
        s.run_as_non_root = boolean(n["runAsNonRoot"], path + ".runAsNonRoot");
        if (s.run_as_user && (*s.run_as_user < 0 || *s.run_as_user > 2147483647))
            problem(path + ".runAsUser", n["runAsUser"], "must be between 0 and 2147483647");
        if (const YAML::Node sp = n["seccompProfile"]; !is_null(sp)) {
            const std::string p = path + ".seccompProfile";
            if (object(sp, p, kSeccompFields, "a seccompProfile")) {
                s.seccomp_type = string(sp["type"], p + ".type");
                s.localhost_profile = string(sp["localhostProfile"], p + ".localhostProfile");
                if (!s.seccomp_type)
                    problem(p + ".type", sp, "missing: Localhost, RuntimeDefault or Unconfined");
                else if (*s.seccomp_type != "Localhost" && *s.seccomp_type != "RuntimeDefault" &&
                         *s.seccomp_type != "Unconfined")
                    problem(p + ".type", sp["type"],
                            fmt::format("\"{}\" is not a seccomp profile type (Localhost, "
                                        "RuntimeDefault or Unconfined; the case counts)",
                                        *s.seccomp_type));
                if (s.seccomp_type == "Localhost") {
                    if (!s.localhost_profile || s.localhost_profile->empty())
                        problem(p + ".localhostProfile", sp,
                                "required with type Localhost (the API server refuses the Pod)");
                    else if (s.localhost_profile->front() == '/')
                        problem(p + ".localhostProfile", sp["localhostProfile"],
                                "must be relative to the kubelet's seccomp directory, not an "
                                "absolute path");
                    else if (("/" + *s.localhost_profile + "/").find("/../") != std::string::npos)
                        problem(p + ".localhostProfile", sp["localhostProfile"],
                                "must not contain \"..\"");
                } else if (s.localhost_profile && s.seccomp_type) {
                    problem(p + ".localhostProfile", sp["localhostProfile"],
                            "may be set only with type Localhost");
                }
            }
        }
        if (!container) return s;
        s.allow_privilege_escalation =
            boolean(n["allowPrivilegeEscalation"], path + ".allowPrivilegeEscalation");
        s.privileged = boolean(n["privileged"], path + ".privileged");
        if (const YAML::Node caps = n["capabilities"]; !is_null(caps)) {
            const std::string p = path + ".capabilities";
            if (object(caps, p, kCapabilityFields, "capabilities")) {
                s.add = strings(caps["add"], p + ".add");
                s.drop = strings(caps["drop"], p + ".drop");
                // Kubernetes names capabilities without CAP_: containerd prefixes it itself, so
                // CAP_NET_RAW becomes CAP_CAP_NET_RAW, which the runtime ignores or refuses.
                for (const auto* list : {&s.add, &s.drop})
                    for (const auto& c : *list)
                        if (c.rfind("CAP_", 0) == 0)
                            problem(p, caps,
                                    fmt::format("{}: write it without CAP_ ({}); the runtime adds "
                                                "the prefix itself",
                                                c, c.substr(4)));
            }
        }
        if (s.allow_privilege_escalation == false &&
            std::any_of(s.add.begin(), s.add.end(), [](const std::string& c) {
                return c == "SYS_ADMIN" || c == "CAP_SYS_ADMIN";
            }))
            problem(path + ".allowPrivilegeEscalation", n,
                    "cannot be false when capabilities.add has SYS_ADMIN (the API server refuses "
                    "the Pod)");
        if (s.privileged == true && s.allow_privilege_escalation == false)
            problem(path + ".allowPrivilegeEscalation", n,
                    "cannot be false when privileged is true (the API server refuses the Pod)");
        return s;
    }
};

// A DNS-1123 subdomain (a Pod's name) or label (a container's).
bool dns_name(const std::string& s, bool label) {
    static const std::regex subdomain(
        "[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
    static const std::regex lbl("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
    return !s.empty() && s.size() <= (label ? 63U : 253U) &&
           std::regex_match(s, label ? lbl : subdomain);
}

} // namespace

Parsed parse(const std::string& yaml_text) {
    Parsed out;
    std::vector<YAML::Node> docs;
    try {
        docs = util::yaml::load_all(yaml_text);
    } catch (const YAML::Exception& e) {
        out.problems.push_back(fmt::format("not valid YAML: line {}, column {}: {}",
                                           e.mark.line + 1, e.mark.column + 1, e.msg));
        return out;
    }
    // A new vector, not erase/remove_if: assigning a YAML::Node assigns into the node it refers
    // to (yaml-cpp's reference semantics), so the documents are only ever copy-constructed.
    std::vector<YAML::Node> present;
    for (const auto& doc : docs)
        if (!Reader::is_null(doc)) present.push_back(doc);
    docs.clear();
    if (present.empty()) {
        out.problems.push_back("the file is empty: write the Pod's manifest");
        return out;
    }
    if (present.size() > 1) {
        out.problems.push_back(
            fmt::format("{} YAML documents (--- separated): write one Pod", present.size()));
        return out;
    }
    const YAML::Node& d = present[0];
    Reader r;
    r.duplicates(d, "");
    if (!r.object(d, "", kTopFields, "a Kubernetes object")) {
        out.problems = r.problems;
        return out;
    }
    const auto api = r.string(d["apiVersion"], "apiVersion");
    const auto kind = r.string(d["kind"], "kind");
    if (api != std::optional<std::string>("v1"))
        r.problem("apiVersion", d,
                  api ? fmt::format("\"{}\": a Pod is apiVersion v1", *api)
                      : "missing (a Pod is apiVersion v1)");
    if (kind != std::optional<std::string>("Pod"))
        r.problem("kind", d, kind ? fmt::format("\"{}\" is not Pod", *kind) : "missing: kind Pod");
    if (const YAML::Node md = d["metadata"]; Reader::is_null(md)) {
        r.problem("metadata.name", d, "missing: a Pod needs a name");
    } else if (r.object(md, "metadata", kMetadataFields, "metadata")) {
        const auto name = r.string(md["name"], "metadata.name");
        if (!name)
            r.problem("metadata.name", md,
                      "missing: a Pod needs a name (kubectl apply does not take generateName)");
        else if (name && !dns_name(*name, false))
            r.problem("metadata.name", md["name"],
                      fmt::format("\"{}\" is not a valid name (lower case letters, digits, "
                                  "'-' and '.')",
                                  *name));
    }
    const YAML::Node spec = d["spec"];
    if (Reader::is_null(spec)) {
        r.problem("spec", d, "missing: the Pod's spec with its containers");
        out.problems = r.problems;
        return out;
    }
    if (!r.object(spec, "spec", kSpecFields, "a Pod's spec")) {
        out.problems = r.problems;
        return out;
    }
    Pod pod;
    pod.host_pid = r.boolean(spec["hostPID"], "spec.hostPID").value_or(false);
    pod.host_network = r.boolean(spec["hostNetwork"], "spec.hostNetwork").value_or(false);
    pod.host_ipc = r.boolean(spec["hostIPC"], "spec.hostIPC").value_or(false);
    const Reader::Security pod_sc =
        r.security(spec["securityContext"], "spec.securityContext", false);
    const YAML::Node cs = spec["containers"];
    if (Reader::is_null(cs) || !cs.IsSequence() || cs.size() == 0) {
        r.problem("spec.containers", spec,
                  Reader::is_null(cs) ? "missing: a Pod needs at least one container"
                                      : "must be a list with at least one container");
        out.problems = r.problems;
        return out;
    }
    // Init and ephemeral containers run in the Pod too: each is judged like the others.
    std::vector<std::pair<std::string, YAML::Node>> all;
    for (const char* list : {"containers", "initContainers", "ephemeralContainers"}) {
        const YAML::Node l = spec[list];
        if (Reader::is_null(l)) continue;
        if (!l.IsSequence()) {
            r.problem(fmt::format("spec.{}", list), l, "must be a list of containers");
            continue;
        }
        for (std::size_t i = 0; i < l.size(); ++i)
            all.emplace_back(fmt::format("spec.{}[{}]", list, i), l[i]);
    }
    std::set<std::string> names;
    for (const auto& [path, c] : all) {
        if (!r.object(c, path, kContainerFields, "a container")) continue;
        Container k;
        if (auto name = r.string(c["name"], path + ".name")) {
            k.name = *name;
            if (!dns_name(*name, true))
                r.problem(path + ".name", c["name"],
                          fmt::format("\"{}\" is not a valid container name", *name));
            else if (!names.insert(*name).second)
                r.problem(path + ".name", c["name"], "another container has this name");
        } else {
            r.problem(path + ".name", c, "missing: every container needs a name");
        }
        if (auto image = r.string(c["image"], path + ".image"); !image || image->empty())
            r.problem(path + ".image", c, "missing: every container needs an image");
        const Reader::Security sc =
            r.security(c["securityContext"], path + ".securityContext", true);
        // The container's settings win over the Pod's (a seccompProfile as a whole).
        k.seccomp_type = sc.seccomp_type ? sc.seccomp_type : pod_sc.seccomp_type;
        k.localhost_profile = sc.seccomp_type ? sc.localhost_profile : pod_sc.localhost_profile;
        k.run_as_user = sc.run_as_user ? sc.run_as_user : pod_sc.run_as_user;
        k.run_as_non_root = sc.run_as_non_root ? sc.run_as_non_root : pod_sc.run_as_non_root;
        k.allow_privilege_escalation = sc.allow_privilege_escalation;
        k.privileged = sc.privileged.value_or(false);
        k.cap_add = sc.add;
        k.cap_drop = sc.drop;
        if (k.run_as_non_root == true && k.run_as_user == 0)
            r.problem(path + ".securityContext", c,
                      "runAsNonRoot is true but runAsUser is 0: the kubelet refuses to start the "
                      "container (CreateContainerConfigError)");
        pod.containers.push_back(std::move(k));
    }
    out.problems = r.problems;
    out.pod = std::move(pod);
    return out;
}

std::vector<std::string> judge(const Parsed& parsed, const Expect& e, const std::string& dir) {
    std::vector<std::string> out = parsed.problems;
    if (!parsed.pod) return out;
    const Pod& p = *parsed.pod;
    if (e.no_host) {
        if (p.host_pid) out.push_back("spec.hostPID: the Pod shares the host's PID namespace");
        if (p.host_network)
            out.push_back("spec.hostNetwork: the Pod shares the host's network namespace");
        if (p.host_ipc) out.push_back("spec.hostIPC: the Pod shares the host's IPC namespace");
    }
    for (std::size_t i = 0; i < p.containers.size(); ++i) {
        const Container& c = p.containers[i];
        const std::string who =
            fmt::format("container {}", c.name.empty() ? std::to_string(i) : "\"" + c.name + "\"");
        if ((e.no_host || !e.seccomp.empty()) && c.privileged)
            out.push_back(fmt::format("{} is privileged: a privileged container runs without "
                                      "seccomp and with every capability",
                                      who));
        if (!e.seccomp.empty()) {
            if (!c.seccomp_type)
                out.push_back(fmt::format(
                    "{} has no seccompProfile (neither its own securityContext nor the Pod's)",
                    who));
            else if (*c.seccomp_type != e.seccomp)
                out.push_back(fmt::format("{}'s seccompProfile type is {}, not the one the task "
                                          "asks for",
                                          who, *c.seccomp_type));
            else if (e.seccomp == "Localhost" && !e.localhost_profile.empty() &&
                     c.localhost_profile != e.localhost_profile)
                out.push_back(fmt::format("{}'s localhostProfile is not the profile the task "
                                          "installed",
                                          who));
            else if (e.seccomp == "Localhost" && c.localhost_profile &&
                     !c.localhost_profile->empty() && c.localhost_profile->front() != '/' &&
                     !e.profiles_under.empty()) {
                const std::string f = dir + "/" + e.profiles_under + "/" + *c.localhost_profile;
                std::error_code ec;
                if (!std::filesystem::is_regular_file(f, ec))
                    out.push_back(fmt::format(
                        "{}'s localhostProfile {} names no file in the kubelet's seccomp "
                        "directory ({}/{}): the container would stay in CreateContainerError",
                        who, *c.localhost_profile, dir, e.profiles_under));
            }
        }
        if (e.non_root && (!c.run_as_user || *c.run_as_user == 0))
            out.push_back(
                fmt::format("{} runs as root: set a non-zero runAsUser (an integer)", who));
        if (e.no_privilege_escalation && c.allow_privilege_escalation != false)
            out.push_back(fmt::format("{} may gain privileges (allowPrivilegeEscalation is not "
                                      "false; it is a container-level field)",
                                      who));
        if (e.drop_all && std::none_of(c.cap_drop.begin(), c.cap_drop.end(),
                                       [&](const std::string& s) { return s == "ALL"; }))
            out.push_back(
                fmt::format("{} does not drop ALL capabilities (capabilities.drop)", who));
        if (e.add_only)
            for (const auto& a : c.cap_add)
                if (std::find(e.add_only->begin(), e.add_only->end(), a) == e.add_only->end())
                    out.push_back(fmt::format("{} adds {}, which the task does not allow", who, a));
    }
    return out;
}

} // namespace lessons::pod

// SPDX-License-Identifier: Apache-2.0
#include "util/yaml.hpp"

#include <optional>
#include <sstream>

#include <yaml-cpp/eventhandler.h>

namespace util::yaml {
namespace {

// Sees one document's events and keeps what tells a stuck parser from a real empty document:
// whether the document was a lone null, and where.
class Probe final : public YAML::EventHandler {
public:
    void OnDocumentStart(const YAML::Mark&) override {
        events_ = 0;
        null_at_.reset();
    }
    void OnDocumentEnd() override {}
    void OnNull(const YAML::Mark& mark, YAML::anchor_t) override {
        if (events_++ == 0) null_at_ = mark;
    }
    void OnAlias(const YAML::Mark&, YAML::anchor_t) override { ++events_; }
    void OnScalar(const YAML::Mark&, const std::string&, YAML::anchor_t,
                  const std::string&) override {
        ++events_;
    }
    void OnSequenceStart(const YAML::Mark&, const std::string&, YAML::anchor_t,
                         YAML::EmitterStyle::value) override {
        ++events_;
    }
    void OnSequenceEnd() override {}
    void OnMapStart(const YAML::Mark&, const std::string&, YAML::anchor_t,
                    YAML::EmitterStyle::value) override {
        ++events_;
    }
    void OnMapEnd() override {}

    // The document was only a null (an empty document, or nothing the parser could take).
    bool lone_null() const { return events_ == 1 && null_at_.has_value(); }
    const YAML::Mark& null_at() const { return *null_at_; }

private:
    int events_ = 0;
    std::optional<YAML::Mark> null_at_;
};

} // namespace

std::vector<YAML::Node> load_all(const std::string& text) {
    // A first pass with yaml-cpp's own parser, documents one at a time: a parser that makes no
    // progress yields the same lone null at the same place again. An empty document ("---"
    // alone) is a lone null too, but each at its own place.
    {
        std::istringstream in(text);
        YAML::Parser parser(in);
        Probe probe;
        std::optional<int> last_null;
        std::size_t documents = 0;
        while (parser.HandleNextDocument(probe)) {
            // Each document takes at least one character ("---"), so more than the text's size
            // means no progress whatever the marks say.
            const bool stuck = probe.lone_null() && probe.null_at().pos == last_null;
            if (stuck || ++documents > text.size() + 1)
                throw YAML::ParserException(stuck ? probe.null_at() : YAML::Mark::null_mark(),
                                            "unexpected token here (a \",\" outside [ ] or { }?)");
            if (probe.lone_null()) last_null = probe.null_at().pos;
        }
    }
    return YAML::LoadAll(text);
}

} // namespace util::yaml

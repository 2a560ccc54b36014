// SPDX-License-Identifier: Apache-2.0
#pragma once
// The seccomp user-notification supervisor: per notification, receive -> decide (pure, from the
// policy's own program) -> decode (read target memory, re-check the id) -> respond -> Event (on a
// terminal: Event, then respond, so a call's line comes before what the call writes).
// Never throws once running: a failing read becomes an unreadable value, a vanished target a
// dropped reply. It never signals anyone: the policy's KILLs are the kernel's.
#include <map>
#include <optional>
#include <unordered_map>
#include <vector>

#include <linux/seccomp.h>

#include "decode/decoder.hpp"
#include "launch/spawn.hpp"
#include "policy/compile.hpp"
#include "policy/route.hpp"
#include "supervise/judge.hpp"
#include "supervise/selection.hpp"
#include "trace/sink.hpp"
#include "util/unique_fd.hpp"

namespace supervise {

struct Settings {
    policy::Routing routing; // what is logged (besides denials and injections)
    std::vector<Injection> injections;
    Emulation emulation;        // --emulate: calls answered by sandbox, not the kernel
    bool audit = false;         // --audit: log "would deny", let it run
    bool decode = true;         // false for -c alone: names are enough
    bool thread_groups = false; // fill Event::pid (JSON wants it; a /proc read per logged call)
    bool streaming = true;      // sinks buffer output that idle() writes out (unless in step)
    bool fd_paths = false;      // -y
    bool fd_details = false;    // -yy: sockets' addresses, devices' numbers
    decode::Options decode_options;
};

struct Stats {
    std::uint64_t notifications = 0; // received
    std::uint64_t restarts = 0;      // notified again after a signal interrupted the call
    std::uint64_t vanished = 0;      // the target died or the call was interrupted before our reply
};

class Supervisor final : public launch::ListenerHandler {
public:
    Supervisor(const policy::CompiledFilter& policy, Settings settings, trace::EventSink& sink);

    // Take over the listener (fetched from the command by the launch).
    void attach(util::unique_fd listener) override;
    [[nodiscard]] int fd() const override { return listener_.get(); }
    // Handle one pending notification (the listener polled readable). Returns false when the
    // listener hung up (no process uses the filter any more).
    bool handle_ready() override;
    void idle() override {
        sink_.flush();
        pending_output_ = false;
    }
    [[nodiscard]] bool wants_idle() const override { return pending_output_; }

    [[nodiscard]] const Stats& stats() const { return stats_; }

private:
    void handle_one(const seccomp_notif& n);
    void respond(seccomp_notif_resp resp, const trace::Event& e);

    Settings settings_;
    Judge judge_;
    trace::EventSink& sink_;
    bool in_step_; // the sink writes each event at once (a terminal): hand it over before the reply
    util::unique_fd listener_;
    std::vector<unsigned char> notif_buf_;
    std::vector<unsigned char> resp_buf_;
    struct Pending {
        int nr;
        std::array<std::uint64_t, 6> args;
    };
    std::unordered_map<pid_t, Pending> interrupted_; // per tid: the call whose reply failed
    bool pending_output_ = false;
    Stats stats_;
};

} // namespace supervise

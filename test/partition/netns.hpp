#pragma once
// Network namespaces for the partition test: two namespaces joined by a veth pair, made and
// removed by the test itself (root and `ip netns` needed), and a partition of the link that
// drops packets silently: `tc netem loss 100%` where the kernel has it, else a permanent
// neighbour entry with a MAC nobody has (the peer drops every frame: no RST, no ICMP).

#include <cerrno>
#include <cstdlib>
#include <fcntl.h>
#include <sched.h>
#include <string>
#include <unistd.h>

namespace coconsul::test {

inline int shell(const std::string& command) { return std::system((command + " >/dev/null 2>&1").c_str()); }

// Why the partition test cannot run here, or empty when it can.
inline std::string netns_unavailable() {
  if (geteuid() != 0) return "needs root (for ip netns)";
  const std::string probe = "ccprobe" + std::to_string(getpid());
  if (shell("ip netns add " + probe) != 0) return "needs ip netns (ip netns add failed)";
  shell("ip netns del " + probe);
  return {};
}

// Namespace C (the test's own side: agent, client, healthy replicas on its loopback) and R (the
// replica to be partitioned), linked by veth vc (10.231.0.1 in C) <-> vr (10.231.0.2 in R).
// The constructor moves the calling thread into C; the destructor moves it back and removes both.
class netns_pair {
 public:
  static constexpr const char* c_address = "10.231.0.1";
  static constexpr const char* r_address = "10.231.0.2";

  netns_pair() {
    const std::string id = std::to_string(getpid());
    c_ = "cc-part-c" + id;
    r_ = "cc-part-r" + id;
    vc_ = "ccvc" + id;
    vr_ = "ccvr" + id;
    original_ = ::open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
    ok_ = shell("ip netns add " + c_) == 0 && shell("ip netns add " + r_) == 0 &&
          shell("ip -n " + c_ + " link add " + vc_ + " type veth peer name " + vr_ + " netns " + r_) == 0 &&
          shell("ip -n " + c_ + " addr add " + c_address + "/24 dev " + vc_) == 0 &&
          shell("ip -n " + r_ + " addr add " + r_address + "/24 dev " + vr_) == 0 &&
          shell("ip -n " + c_ + " link set lo up") == 0 && shell("ip -n " + r_ + " link set lo up") == 0 &&
          shell("ip -n " + c_ + " link set " + vc_ + " up") == 0 &&
          shell("ip -n " + r_ + " link set " + vr_ + " up") == 0 && enter(c_);
  }
  ~netns_pair() {
    if (original_ >= 0) {
      (void)::setns(original_, CLONE_NEWNET);
      ::close(original_);
    }
    shell("ip netns del " + c_);
    shell("ip netns del " + r_);
  }
  netns_pair(const netns_pair&) = delete;
  netns_pair& operator=(const netns_pair&) = delete;

  bool ok() const { return ok_; }
  // Runs `make` with the calling thread in R (sockets made there stay in R), then back in C.
  template <class F>
  auto in_r(F make) {
    enter(r_);
    struct back {
      netns_pair* p;
      ~back() { p->enter(p->c_); }
    } guard{this};
    return make();
  }

  // Cuts the link from C's side; returns how ("netem loss 100%" or the neighbour entry).
  std::string partition() {
    if (shell("tc -n " + c_ + " qdisc add dev " + vc_ + " root netem loss 100%") == 0) {
      netem_ = true;
      return "tc netem loss 100% on " + vc_;
    }
    netem_ = false;
    shell("ip -n " + c_ + " neigh replace " + r_address + " lladdr 02:00:00:00:de:ad dev " + vc_ + " nud permanent");
    return "no netem here (sch_netem missing): a permanent neighbour entry for " + std::string(r_address) +
           " with a MAC nobody has (02:00:00:00:de:ad), so R drops every frame";
  }
  void heal() {
    if (netem_) shell("tc -n " + c_ + " qdisc del dev " + vc_ + " root");
    else shell("ip -n " + c_ + " neigh del " + r_address + " dev " + vc_);
  }

 private:
  bool enter(const std::string& ns) {
    const int fd = ::open(("/run/netns/" + ns).c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return false;
    const bool entered = ::setns(fd, CLONE_NEWNET) == 0;
    ::close(fd);
    return entered;
  }

  std::string c_, r_, vc_, vr_;
  int original_ = -1;
  bool ok_ = false;
  bool netem_ = false;
};

}  // namespace coconsul::test
